extension ReportScript {
    /// A probe run (`probe --html`): the summary, each case with its verdict, reason, figures and
    /// evidence frames, and for a detection-time trial the drawing of the evidence: the tester's
    /// last packet at 0 → the device's Down, against the expected detection time (RFC 5880 §6.8.4)
    /// and its +10 % allowance.
    static let probe = #"""
(() => {
  if (document.body.dataset.kind !== "probe") return;
  const { el, svg, titled, label, data } = PS;
  const head = document.getElementById("probe-head");
  head.textContent = "";
  const verdict = data.cases.some((c) => c.verdict === "fail") ? "fail" : "pass";
  el("p", { id: "verdict", class: `verdict verdict-${verdict}`, "data-exit-code": verdict === "fail" ? "1" : "0" }, head,
    `Verdict: ${verdict} — ${data.summary.pass} pass, ${data.summary.fail} fail, ${data.summary.inconclusive} inconclusive` + (data.interrupted ? " (interrupted)" : ""));
  el("p", {}, head, `Suite ${data.suite} against ${data.peer} from ${data.local} over ${data.transport}` + (data.bgp ? `, BGP ${data.bgp}` : "") +
    (data.authentication ? `, authentication ${data.authentication}` : "") + `; ${(data.duration_ms / 1000).toFixed(1)} s; capture ${data.capture || "(not kept)"} with ${data.capture_frames} frames.`);
  if (data.error) el("p", { class: "warn" }, head, data.error);
  const list = document.getElementById("probe-case-list");
  for (const c of data.cases) {
    const box = el("article", { class: `probe-case ${c.verdict}`, "data-case": c.id }, list);
    el("h3", {}, box, `${c.verdict.toUpperCase()} · ${c.id} — ${c.title}`);
    el("p", {}, box, `${c.rfc}: ${c.reason}`);
    const names = c.figure_order.length ? c.figure_order : Object.keys(c.figures);
    if (names.length) {
      const dl = el("dl", {}, box);
      for (const name of names) {
        const f = c.figures[name];
        if (!f) continue;
        el("dt", {}, dl, name);
        el("dd", {}, dl, f.text || `${f.value} ${f.unit}`.trim());
      }
    }
    if (c.evidence_frames.length) el("p", { class: "meta" }, box, `Evidence: frames ${c.evidence_frames.join(", ")} of the run's capture (Wireshark numbers).`);
    const measured = c.figures.detection_time_ms, expected = c.figures.expected_ms;
    if (measured && expected && isFinite(measured.value) && isFinite(expected.value)) detection(box, measured.value, expected.value, c);
  }
  function detection(box, measured, expected, c) {
    const W = 700, H = 70, left = 10, right = W - 20;
    const most = Math.max(measured, expected * 1.1) * 1.08 || 1;
    const x = (ms) => left + (ms / most) * (right - left);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "evidence", width: "100%" }, box);
    titled(root, `${c.id}: tester's last packet at 0 → device's Down after ${measured} ms; expected ${expected} ms`);
    titled(svg("rect", { x: x(expected), y: 14, width: Math.max(1, x(expected * 1.1) - x(expected)), height: 24, class: "window" }, root), "expected detection time to +10 %");
    svg("line", { x1: x(0), x2: x(measured), y1: 26, y2: 26, stroke: "#000", "stroke-width": 2 }, root);
    titled(svg("circle", { cx: x(0), cy: 26, r: 4 }, root), "the tester's last packet");
    titled(svg("circle", { cx: x(measured), cy: 26, r: 5, fill: c.verdict === "pass" ? "#009E73" : "#D55E00" }, root), `the device's Down after ${measured} ms`);
    svg("line", { x1: x(expected), x2: x(expected), y1: 8, y2: 44, stroke: "#0072B2", "stroke-dasharray": "4 2" }, root);
    label(root, x(0), 58, "last packet sent");
    label(root, x(measured), 58, `Down +${measured} ms`).setAttribute("text-anchor", "middle");
    label(root, x(expected), 8, `expected ${expected} ms`).setAttribute("text-anchor", "middle");
  }
  const findings = document.getElementById("probe-finding-list");
  if (!data.findings.length) el("p", {}, findings, "No findings.");
  else {
    const table = el("table", { id: "findings-table" }, findings);
    const row = el("tr", {}, el("thead", {}, table));
    for (const h of ["level", "rule", "frames", "what"]) el("th", { scope: "col" }, row, h);
    const body = el("tbody", {}, table);
    for (const f of data.findings) {
      const tr = el("tr", { class: "finding", "data-level": f.level, "data-rule": f.rule }, body);
      el("td", {}, tr, f.level.toUpperCase()); el("td", {}, tr, f.rule); el("td", {}, tr, f.frames.join(", ")); el("td", {}, tr, f.message);
    }
  }
  document.body.dataset.rendered = "ok";
})();
"""#
}
