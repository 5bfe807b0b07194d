extension ReportScript {
    /// The failover chain of each BFD Down on its own time scale: last received (Down − detection
    /// time, RFC 5880 §6.8.4) → last captured → BFD Down → BGP teardown → withdrawals elsewhere,
    /// each step with its offset from the Down, and the same steps as a list for print and readers.
    static let failover = #"""
const Failover = (() => {
  const { svg, el, titled, offset, label, duration } = PS;

  function steps(chain) {
    const out = [];
    if (chain.lastReceivedNanoseconds !== undefined) out.push({ t: chain.lastReceivedNanoseconds, name: "last received", what: `peer's last packet that reached ${chain.declaredBy} (BFD Down − detection time)` });
    if (chain.lastCapturedNanoseconds !== undefined) out.push({ t: chain.lastCapturedNanoseconds, name: "last captured", frame: chain.lastCapturedFrame, what: "peer's last packet in the capture" });
    out.push({ t: chain.downNanoseconds, name: "BFD Down", frame: chain.downFrame, by: chain.declaredBy, diag: chain.diag, what: `${chain.declaredBy} declares Down, diag ${chain.diag} ${chain.diagName}` });
    if (chain.teardown === "closed") out.push({ t: chain.teardownNanoseconds, name: "BGP teardown", frame: chain.teardownFrame, by: chain.teardownBy, what: `${chain.teardownCause} from ${chain.teardownBy || "?"}` });
    if (chain.teardown === "silence" && chain.lastBGPMessageNanoseconds !== undefined) out.push({ t: chain.lastBGPMessageNanoseconds, name: "BGP silent", what: "last BGP message; no NOTIFICATION, FIN or RST captured" });
    if (chain.withdrawalsNanoseconds !== undefined) out.push({ t: chain.withdrawalsNanoseconds, name: "withdrawals", frame: chain.withdrawalsFrame, what: `${chain.withdrawnPrefixes} prefix(es) withdrawn on BGP session(s) ${chain.withdrawalSessions.join(", ")}` });
    return out.map((s, i) => Object.assign(s, { order: i })).sort((a, b) => a.t - b.t || a.order - b.order);
  }

  function diagram(file, chain, index, fileIndex) {
    const figure = el("figure", { class: "strip chain", "data-file": fileIndex, "data-failover": index });
    let head = `BFD session ${chain.bfdSession}` + (chain.bgpSession ? ` → BGP session ${chain.bgpSession}` : " (no BGP session on this address pair)");
    if (chain.teardown === "stayed up") head += " · BGP stayed up";
    if (chain.teardownNanoseconds !== undefined) head += ` · failover time (BFD Down → BGP teardown) ${offset(chain.teardownNanoseconds - chain.downNanoseconds)}`;
    el("figcaption", {}, figure, head);
    const list = steps(chain);
    const W = 900, H = 40 + list.length * 18, left = 20, right = W - 20;
    const lo = Math.min(...list.map((s) => s.t)), hi = Math.max(...list.map((s) => s.t));
    const pad = Math.max((hi - lo) * 0.04, 1e6);
    const x = (t) => left + ((t - lo + pad) / (hi - lo + 2 * pad)) * (right - left);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": head }, figure);
    titled(root, `Failover chain: ${list.map((s) => s.name).join(" → ")}`);
    const defs = svg("defs", {}, root);
    const marker = svg("marker", { id: `arrow-${fileIndex}-${index}`, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" }, defs);
    svg("path", { d: "M0,0 L10,5 L0,10 z" }, marker);
    svg("line", { x1: left, x2: right, y1: 22, y2: 22, stroke: "#888" }, root);
    list.forEach((step, i) => {
      if (i > 0 && x(step.t) - x(list[i - 1].t) > 8) {
        svg("line", { x1: x(list[i - 1].t) + 4, x2: x(step.t) - 4, y1: 22, y2: 22, class: "chain-line", "marker-end": `url(#arrow-${fileIndex}-${index})` }, root);
      }
      const dot = svg("circle", { cx: x(step.t), cy: 22, r: 4, class: "chain-step" }, root);
      titled(dot, `${step.name}: ${PS.clock(step.t, hi - lo)} (${offset(step.t - chain.downNanoseconds)} from the BFD Down)${step.frame ? `, frame ${step.frame}` : ""}: ${step.what}`);
      svg("line", { x1: x(step.t), x2: x(step.t), y1: 26, y2: 36 + i * 18, stroke: "#888", "stroke-dasharray": "2 2" }, root);
      const anchorRight = x(step.t) > W * 0.6;
      const text = label(root, x(step.t) + (anchorRight ? -4 : 4), 40 + i * 18, `${step.name} ${step.t === chain.downNanoseconds ? "" : offset(step.t - chain.downNanoseconds)}${step.frame ? ` · frame ${step.frame}` : ""}`);
      if (anchorRight) text.setAttribute("text-anchor", "end");
    });
    label(root, left, 12, `${PS.clock(lo, hi - lo)}`, "meta");
    label(root, right, 12, `${PS.clock(hi, hi - lo)} (span ${duration(hi - lo)})`, "meta").setAttribute("text-anchor", "end");
    const ol = el("ol", { class: "chain-steps" }, figure);
    for (const step of list) {
      const attributes = { "data-step": step.name, "data-offset-ns": String(step.t - chain.downNanoseconds) };
      if (step.by) attributes["data-by"] = step.by;
      if (step.diag !== undefined) attributes["data-diag"] = String(step.diag);
      el("li", attributes, ol, `${step.name} at ${PS.clock(step.t, hi - lo)} (${step.t === chain.downNanoseconds ? "0" : offset(step.t - chain.downNanoseconds)})${step.frame ? `, frame ${step.frame}` : ""}: ${step.what}`);
    }
    if (chain.routesLost !== undefined && chain.routesLost !== null) el("p", { class: "meta" }, figure, `${chain.routesLost} route(s) ${chain.declaredBy} had received from its peer went with the session`);
    return figure;
  }

  return { diagram };
})();
"""#
}
