import Foundation
import PeerscopeAnalysis

/// `peerscope report` and `probe --html`: one self-contained HTML page. The report model rides in
/// the page as JSON; the summary and the findings table are written here, so they read (and print)
/// without script; the script draws the time-scaled strips, the failover chain and the histograms
/// from the JSON and adds zoom, pan, sorting and filters. The Content-Security-Policy forbids every
/// fetch: the page makes no request to any network or file, so it works as a CI artifact offline.
public enum ReportPage {
    /// The page for a capture report.
    public static func capture(_ document: ReportDocument) -> String {
        let names = document.files.map { $0.capturePoints.isEmpty ? $0.path : $0.capturePoints.joined(separator: " + ") }
        var body = "<header><h1>peerscope report</h1><p class=\"files\">"
            + names.map { "<code>\(WireText.html($0))</code>" }.joined(separator: ", ") + "</p></header>\n"
        body += ReportSummaryHTML.section(document)
        body += """
            <nav id="controls" aria-label="Time axis and session filter">
            <label>Sessions <input id="session-filter" type="search" placeholder="address, ID or state" aria-describedby="filter-help"></label>
            <span id="filter-help" class="help">zoom: + / − or Ctrl+wheel; pan: ← / → or drag</span>
            <button type="button" id="zoom-in" title="Zoom in (+)">+ zoom in</button>
            <button type="button" id="zoom-out" title="Zoom out (−)">− zoom out</button>
            <button type="button" id="pan-left" title="Pan left (←)">← earlier</button>
            <button type="button" id="pan-right" title="Pan right (→)">later →</button>
            <button type="button" id="zoom-reset" title="Whole capture (0)">whole capture</button>
            <output id="view-range" aria-live="polite"></output>
            </nav>
            <section id="failovers"><h2>Failover chain</h2><div id="failover-diagrams"><p class="nojs">The diagrams need JavaScript.</p></div></section>
            <section id="bfd"><h2>BFD sessions</h2><p class="legend" id="bfd-legend"></p><div id="bfd-strips"></div><p id="bfd-more"></p></section>
            <section id="bgp"><h2>BGP sessions</h2><div id="bgp-strips"></div><p id="bgp-more"></p></section>

            """
        body += ReportFindingsHTML.section(document)
        let title = "peerscope report — " + (names.count == 1 ? names[0] : "\(names.count) captures")
        return page(title: title, kind: "capture", json: json(document), body: body)
    }

    /// The page for a probe run; `reportJSON` is the run's `--json` report (PeerscopeProbe's
    /// `ProbeReport`), drawn by the script: each case with its verdict and evidence.
    public static func probe(reportJSON: String, title: String) -> String {
        let body = """
            <header><h1>peerscope probe</h1><p class="files">\(WireText.html(title))</p></header>
            <section id="probe-summary"><h2>Summary</h2><div id="probe-head"><p class="nojs">The probe report needs JavaScript; its JSON is in this page's source.</p></div></section>
            <section id="probe-cases"><h2>Cases</h2><div id="probe-case-list"></div></section>
            <section id="probe-findings"><h2>Findings of the run's capture</h2><div id="probe-finding-list"></div></section>

            """
        return page(title: "peerscope probe — " + title, kind: "probe", json: reportJSON, body: body)
    }

    static func json(_ document: ReportDocument) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func page(title: String, kind: String, json: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="peerscope">
        <title>\(WireText.html(title))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body data-kind="\(kind)">
        \(body)<script type="application/json" id="report-data">\(WireText.scriptJSON(json))</script>
        <script>
        \(ReportScript.core)
        \(ReportScript.bfd)
        \(ReportScript.bgp)
        \(ReportScript.failover)
        \(ReportScript.controls)
        \(ReportScript.probe)
        </script>
        </body>
        </html>

        """
    }
}
