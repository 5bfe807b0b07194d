import PeerscopeAnalysis

/// The summary at the top of the page: files, duration, sessions, findings by level and the
/// verdict `check` exits with, as plain HTML (read and printed without script).
enum ReportSummaryHTML {
    static func section(_ document: ReportDocument) -> String {
        let summary = document.summary
        let verdictText = switch summary.verdict {
        case "pass": "pass — no MUST-level finding (check exits 0)"
        case "fail": "fail — a MUST-level finding (check exits 1)"
        default: "unusable input (check exits 2)"
        }
        var html = "<section id=\"summary\"><h2>Summary</h2>\n"
        html += "<p id=\"verdict\" class=\"verdict verdict-\(summary.verdict)\" data-exit-code=\"\(summary.exitCode)\">"
            + "<strong>Verdict:</strong> \(verdictText)</p>\n"
        html += "<table class=\"summary\"><thead><tr><th scope=\"col\">file</th><th scope=\"col\">frames</th><th scope=\"col\">duration</th>"
            + "<th scope=\"col\">BFD sessions</th><th scope=\"col\">BGP sessions</th><th scope=\"col\">failovers</th>"
            + "<th scope=\"col\">MUST</th><th scope=\"col\">SHOULD</th><th scope=\"col\">INFO</th></tr></thead><tbody>\n"
        for file in document.files {
            let name = file.capturePoints.isEmpty ? file.path : file.capturePoints.joined(separator: " + ")
            func count(_ level: String) -> Int { file.findings.filter { $0.level == level }.count }
            var cells = ["<code>\(WireText.html(name))</code>"]
            if let error = file.readError { cells[0] += " <span class=\"warn\">(\(WireText.html(error)))</span>" }
            cells += ["\(file.frames)", Units.duration(nanoseconds: file.durationNanoseconds),
                      "\(file.bfdSessions.count)", "\(file.bgpSessions.count)", "\(file.failovers.count)",
                      "\(count("must"))", "\(count("should"))", "\(count("info"))"]
            html += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody></table>\n"
        if summary.knownDeviations > 0 {
            html += "<p>\(summary.knownDeviations) MUST finding(s) are listed as known deviations: shown, not counted in the verdict.</p>\n"
        }
        return html + "</section>\n"
    }
}
