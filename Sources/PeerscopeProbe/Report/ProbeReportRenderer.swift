import PeerscopeReport

/// Text renderings of a probe run: the live progress line, the final table, JUnit XML.
public enum ProbeReportRenderer {
    /// `PASS          detect-mult3                Detection time, multiplier 3: measured 912 ms (expected 900 ms)`
    public static func progressLine(_ result: ProbeReport.Case) -> String {
        "\(pad(result.verdict.label, 12))  \(pad(result.id, 26))  \(result.title): \(result.reason)"
    }

    public static func figures(_ result: ProbeReport.Case) -> String {
        result.figureOrder.compactMap { name in result.figures[name].map { "\(name)=\($0.rendered)" } }
            .joined(separator: " ")
    }

    /// The table after the run: case, verdict, figures, RFC section, evidence frames; then a summary.
    public static func table(_ report: ProbeReport) -> [String] {
        let header = ["CASE", "VERDICT", "FIGURES", "RFC", "FRAMES"]
        let rows = report.cases.map { result -> [String] in
            let shown = result.figureOrder.filter { !$0.contains("_rx") }
            let text = shown.compactMap { name in result.figures[name].map { "\(name)=\($0.rendered)" } }.joined(separator: " ")
            return [result.id, result.verdict.label, text.isEmpty ? "-" : text, result.rfc, frames(result.evidenceFrames)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.indices.map { $0 == cells.count - 1 ? cells[$0] : pad(cells[$0], widths[$0]) }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        let seconds = (report.durationMilliseconds / 100).rounded() / 10
        lines.append("\(report.summary.pass) pass, \(report.summary.fail) fail, \(report.summary.inconclusive) inconclusive "
                     + "in \(seconds) s against \(report.peer) (\(report.transport))"
                     + (report.interrupted ? "; interrupted" : "")
                     + (report.capture.map { "; capture \($0)" } ?? ""))
        if let reception = report.reception { lines.append("bfd reception: \(reception.summary)") }
        if let error = report.error { lines.append("note: \(error)") }
        return lines
    }

    static func frames(_ numbers: [Int]) -> String {
        guard !numbers.isEmpty else { return "-" }
        let shown = numbers.prefix(6).map(String.init).joined(separator: ",")
        return numbers.count > 6 ? shown + ",…" : shown
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// One testcase per case: `<failure>` for fail, `<skipped>` for inconclusive.
    public static func junit(_ report: ProbeReport) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let seconds = seconds3(report.durationMilliseconds)
        xml += "<testsuites name=\"peerscope probe\" tests=\"\(report.cases.count)\" failures=\"\(report.summary.fail)\" "
            + "skipped=\"\(report.summary.inconclusive)\" time=\"\(seconds)\">\n"
        xml += "  <testsuite name=\"\(escape(report.suite))\" tests=\"\(report.cases.count)\" failures=\"\(report.summary.fail)\" "
            + "skipped=\"\(report.summary.inconclusive)\" errors=\"0\" time=\"\(seconds)\">\n"
        xml += "    <properties>\n"
        xml += "      <property name=\"peer\" value=\"\(escape(report.peer))\"/>\n"
        xml += "      <property name=\"transport\" value=\"\(escape(report.transport))\"/>\n"
        if let capture = report.capture { xml += "      <property name=\"capture\" value=\"\(escape(capture))\"/>\n" }
        xml += "    </properties>\n"
        for result in report.cases {
            let name = "\(result.id): \(result.title)"
            xml += "    <testcase classname=\"peerscope.probe.\(escape(report.suite))\" name=\"\(escape(name))\" "
                + "time=\"\(seconds3(result.durationMilliseconds))\">\n"
            let detail = "\(result.rfc). \(result.reason). Figures: \(figures(result)). Frames: \(frames(result.evidenceFrames))."
            switch result.verdict {
            case .pass: break
            case .fail: xml += "      <failure message=\"\(escape(result.reason))\">\(escape(detail))</failure>\n"
            case .inconclusive: xml += "      <skipped message=\"inconclusive: \(escape(result.reason))\"/>\n"
            }
            xml += "      <system-out>\(escape(detail))</system-out>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    static func seconds3(_ milliseconds: Double) -> String {
        let thousandths = Int64((milliseconds).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
