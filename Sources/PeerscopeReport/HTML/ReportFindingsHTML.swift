import PeerscopeAnalysis

/// The findings table: one row per finding with its RFC section, Wireshark frame numbers and
/// measured/expected/tolerance, written as HTML so it reads and prints without script; the
/// script sorts it (column buttons) and filters it by level, rule and session (`data-*`).
enum ReportFindingsHTML {
    static let columns = ["level", "rule", "RFC", "session", "side", "time", "frames", "measured", "expected", "tolerance", "what"]

    static func section(_ document: ReportDocument) -> String {
        var html = """
            <section id="findings"><h2>Findings</h2>
            <div class="filters" role="group" aria-label="Filter the findings">
            <label>Level <select id="finding-level"><option value="">all</option><option value="must">MUST</option><option value="should">SHOULD</option><option value="info">INFO</option></select></label>
            <label>Rule <input id="finding-rule" type="search" placeholder="e.g. BFD.TMR"></label>
            <label>Session <input id="finding-session" type="search" placeholder="e.g. bfd 1 or bgp 2"></label>
            <output id="finding-count" aria-live="polite"></output>
            </div>
            <table id="findings-table"><thead><tr>
            """
        for (index, column) in columns.enumerated() {
            html += "<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-column=\"\(index)\">\(column)</button></th>"
        }
        html += "</tr></thead><tbody>\n"
        let several = document.files.count > 1
        for file in document.files {
            let decimals = file.resolutionNanoseconds == 1 ? 9 : 6
            for finding in file.findings {
                html += row(finding, file: several ? file.path : nil, decimals: decimals)
            }
        }
        html += "</tbody></table>\n"
        if document.files.allSatisfy({ $0.findings.isEmpty }) { html += "<p>No findings.</p>\n" }
        if !document.rules.isEmpty {
            html += "<details id=\"rules\"><summary>What the rules above check</summary><dl>\n"
            for (id, rule) in document.rules.sorted(by: { $0.key < $1.key }) {
                html += "<dt><code>\(WireText.html(id))</code> (\(rule.level.uppercased()), \(WireText.html(rule.reference)))</dt>"
                    + "<dd>\(WireText.html(rule.summary))</dd>\n"
            }
            html += "</dl></details>\n"
        }
        return html + "</section>\n"
    }

    static func row(_ finding: ReportFinding, file: String?, decimals: Int) -> String {
        var sessions: [String] = []
        if let id = finding.bfdSession { sessions.append("bfd \(id)") }
        if let id = finding.bgpSession { sessions.append("bgp \(id)") }
        let session = sessions.joined(separator: ", ")
        let time = finding.timeNanoseconds.map { Units.relativeTime(nanoseconds: $0, decimals: decimals) } ?? ""
        var what = WireText.html(finding.message)
        if finding.occurrences > 1 { what += " <span class=\"count\">(×\(finding.occurrences))</span>" }
        if finding.knownDeviation { what += " <span class=\"known\">(known deviation)</span>" }
        if let file { what += " <span class=\"file\">\(WireText.html(file))</span>" }
        let frames = finding.frames.map(String.init).joined(separator: ", ")
        // A cell carries `data-sort` only where its text would not sort right by itself.
        let cells: [(sort: String?, html: String)] = [
            (levelRank(finding.level), "<span class=\"level level-\(finding.level)\">\(finding.level.uppercased())</span>"),
            (nil, "<code>\(WireText.html(finding.rule))</code>"),
            (nil, WireText.html(finding.reference)),
            (nil, session),
            (nil, WireText.html(finding.side ?? "")),
            (finding.timeNanoseconds.map(String.init) ?? "", time),
            (finding.frames.first.map(String.init) ?? "", frames),
            // Times sort by their ns (typed values): "901.768333 ms" before "1 s".
            (finding.measured?.nanoseconds.map(String.init), WireText.html(finding.measured?.text ?? "")),
            (finding.expected?.nanoseconds.map(String.init), WireText.html(finding.expected?.text ?? "")),
            (finding.tolerance?.nanoseconds.map(String.init), WireText.html(finding.tolerance?.text ?? "")),
            (nil, what),
        ]
        var html = "<tr class=\"finding\" data-level=\"\(finding.level)\" data-rule=\"\(WireText.html(finding.rule))\""
            + " data-session=\"\(session)\">"
        for cell in cells {
            html += cell.sort.map { "<td data-sort=\"\(WireText.html($0))\">" } ?? "<td>"
            html += cell.html + "</td>"
        }
        return html + "</tr>\n"
    }

    /// Sorting by level puts MUST first.
    static func levelRank(_ level: String) -> String {
        switch level {
        case "must": "0"
        case "should": "1"
        default: "2"
        }
    }
}
