extension ReportScript {
    /// Per BFD session a strip: per side its state bands (labelled), the interval it sends at and
    /// the detection time its peer applies as steps (RFC 5880 §6.8.2–§6.8.4), Poll/Final marks
    /// (§6.5), the diag at each Down and the findings placed in time; below, each direction's
    /// transmit-gap histogram against the §6.8.7 window of 75–100 % of the interval.
    static let bfd = #"""
const BFD = (() => {
  const { svg, el, titled, duration, micros, label } = PS;
  const SIDE = 90;

  function strip(file, session, fileIndex) {
    const figure = el("figure", { class: "strip bfd-strip", "data-file": fileIndex, "data-session": session.id,
      "data-search": [`bfd ${session.id}`, session.type, ...session.sides.map((s) => `${s.address} ${s.peer} ${s.states.map((x) => x.state).join(" ")}`)].join(" ").toLowerCase() });
    const names = session.sides.map((s) => `${s.name} ${s.address}`).join(" ⇄ ");
    const caption = el("figcaption", {}, figure, `BFD session ${session.id} · ${session.type} · ${names}`);
    if (session.previousSession) el("span", { class: "meta" }, caption, ` (replaces session ${session.previousSession})`);
    if (PS.data.files.length > 1) el("span", { class: "meta" }, caption, ` · ${file.path}`);
    const holder = el("div", { class: "svg-holder" }, figure);
    const histograms = el("div", { class: "histogram" }, figure);
    session.sides.forEach((side) => histogram(histograms, side, session));
    const draw = () => render(holder, file, session);
    figure.redraw = draw;
    return figure;
  }

  function render(holder, file, session) {
    holder.textContent = "";
    const width = PS.width(holder);
    const height = 18 + session.sides.length * SIDE;
    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `BFD session ${session.id} states over time` }, holder);
    titled(root, `BFD session ${session.id}: each side's state, timers, Poll/Final and Downs over time`);
    PS.defs(root);
    const x = PS.xScale(width);
    PS.axis(root, x, 0, height);
    const maxDetect = Math.max(1, ...session.sides.flatMap((s) => s.timers.map((t) => Math.max(t.peerDetectionMicroseconds || 0, t.txIntervalMicroseconds || t.desiredMinTxMicroseconds))));
    session.sides.forEach((side, index) => {
      const y = 16 + index * SIDE;
      label(root, 2, y + 13, `${side.name} ${side.address}`);
      label(root, 2, y + 26, `LD ${side.localDiscriminator} RD ${side.remoteDiscriminator}`, "meta");
      label(root, 2, y + 39, `${side.packets} packets`, "meta");
      // State bands, labelled when there is room; a hatched band stands for changes too close to draw.
      for (const band of PS.bands(side.states, side.lastNanoseconds, x)) {
        const rect = svg("rect", { x: band.x0, y, width: Math.max(1, band.x1 - band.x0), height: 16, class: `band band-${band.state}` }, root);
        const text = band.state === "mixed" ? `${band.count} state changes (zoom in)` : `${band.state} from ${PS.clock(band.step.timeNanoseconds, PS.full)} (frame ${band.step.frame}), diag ${band.step.diag} ${band.step.diagName}`;
        titled(rect, `${side.name}: ${text}`);
        if (band.x1 - band.x0 > 44 && band.state !== "mixed") label(root, band.x0 + 3, y + 12, band.state, band.state === "Down" ? "on-dark" : "on-band");
      }
      // Interval sent at (solid) and the detection time the peer applies (dashed), as steps.
      const top = y + 20, tall = 28;
      const yOf = (us) => top + tall - (us / maxDetect) * tall;
      const steps = side.timers;
      for (const [key, cls, what] of [["txIntervalMicroseconds", "timer", "sends every"], ["peerDetectionMicroseconds", "detect", "peer detects after"]]) {
        let d = "";
        steps.forEach((step, i) => {
          const value = step[key] || (key === "txIntervalMicroseconds" ? step.desiredMinTxMicroseconds : null);
          if (value === null) return;
          const from = Math.max(x(step.timeNanoseconds), PS.GUTTER);
          const to = Math.min(i + 1 < steps.length ? x(steps[i + 1].timeNanoseconds) : x(side.lastNanoseconds), PS.GUTTER + x.inner);
          if (to < PS.GUTTER || from > PS.GUTTER + x.inner) return;
          d += `M${from},${yOf(value)} H${Math.max(from, to)} `;
          const mark = svg("circle", { cx: from, cy: yOf(value), r: 2, class: cls === "timer" ? "mark" : "finding-mark" }, root);
          titled(mark, `${side.name} ${what} ${micros(value)} from frame ${step.frame} (tx ${micros(step.desiredMinTxMicroseconds)}, rx ${micros(step.requiredMinRxMicroseconds)}, ×${step.detectMultiplier})`);
          // The interval's label sits under its line, the detection time's above, so they do not collide.
          // (or under it too when the line runs along the top, where the state band sits).
          const below = cls === "timer" || yOf(value) - top < 10;
          if (to - from > 90) label(root, from + (below && cls !== "timer" ? 70 : 4), yOf(value) + (below ? 10 : -2), `${cls === "timer" ? "tx" : "detect"} ${micros(value)}`, "meta");
        });
        if (d) titled(svg("path", { d, class: cls }, root), `${side.name} ${what} (steps)`);
      }
      // Poll/Final letters, the diag at each Down, and findings, on the mark row.
      // Letters and Down text on one line, finding triangles on the line under it.
      const markY = y + SIDE - 30, findingY = y + SIDE - 16;
      for (const m of PS.marks(side.pollFinal, (p) => p.timeNanoseconds, x, 8)) {
        const t = label(root, m.x - 3, markY + 10, m.item.kind, "mark-letter");
        const what = m.item.kind === "P" ? "Poll" : `Final${m.item.latencyNanoseconds ? ` after ${duration(m.item.latencyNanoseconds)} (Poll frame ${m.item.pollFrame})` : ""}`;
        titled(t, `${side.name} ${what}, frame ${m.item.frame}${m.hidden ? ` (+${m.hidden} more here)` : ""}`);
      }
      const downs = side.states.slice(1).filter((s) => s.state === "Down" || s.state === "AdminDown");
      for (const m of PS.marks(downs, (s) => s.timeNanoseconds, x, 40)) {
        const s = m.item;
        const line = svg("line", { x1: m.x, x2: m.x, y1: y, y2: markY + 12, stroke: "#000", "stroke-width": 1.5 }, root);
        const text = label(root, m.x + 3, markY + 10, `${s.state} diag ${s.diag} ${s.diagName}`);
        const heard = s.peerLastHeardNanoseconds !== undefined ? `; peer last captured ${duration(s.timeNanoseconds - s.peerLastHeardNanoseconds)} before (frame ${s.peerLastHeardFrame})` : "";
        const detect = s.detectionTimeMicroseconds ? `; detection time ${micros(s.detectionTimeMicroseconds)}` : "";
        titled(line, `${side.name} ${s.state} at frame ${s.frame}, diag ${s.diag} ${s.diagName}${heard}${detect}`);
        titled(text, `${side.name} ${s.state} at frame ${s.frame}${m.hidden ? ` (+${m.hidden} more Downs here)` : ""}`);
      }
      const mine = PS.findingsFor(file, "bfdSession", session.id).filter((f) => !f.side || f.side === side.address || (index === 0 && !session.sides.some((s) => s.address === f.side)));
      for (const m of PS.marks(mine, (f) => f.timeNanoseconds, x, 6)) {
        const f = m.item;
        const tri = svg("path", { d: `M${m.x},${findingY} l-4,8 h8 z`, class: "finding-mark" }, root);
        titled(tri, `${f.level.toUpperCase()} ${f.rule} (${f.reference}), frames ${f.frames.join(", ")}: ${f.message}${m.hidden ? ` (+${m.hidden} more here)` : ""}`);
      }
    });
  }

  // RFC 5880 §6.8.7: each gap is 75–100 % of the interval (the bands from 75 % to 100 %).
  function histogram(parent, side, session) {
    const g = side.gaps, bands = PS.data.gapBands;
    if (!g.count) return;
    const W = 420, H = 130, left = 30, bottom = 100;
    const box = el("div", {}, parent);
    const peer = session.sides.find((s) => s !== side);
    el("div", { class: "meta" }, box, `${side.name}→${peer ? peer.name : "?"} gaps: ${g.count}, each against the interval in force when it was sent; at the end: interval ${micros(g.intervalMicroseconds)}, detection ${micros(g.detectionMicroseconds)}` +
      (g.detectionMicroseconds && g.intervalMicroseconds ? ` (${Math.round(100 * g.detectionMicroseconds / g.intervalMicroseconds)} % of the interval, beyond the right edge)` : "") +
      `; min ${duration(g.minimumNanoseconds)}, max ${duration(g.maximumNanoseconds)}`);
    const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", class: "gap-histogram" }, box);
    titled(root, `Transmit gaps of ${side.name} ${side.address} as a share of the negotiated interval; shaded: 75–100 % (RFC 5880 §6.8.7)`);
    const barW = (W - left - 4) / bands.length, top = Math.max(1, ...g.counts);
    const windowStart = bands.indexOf("75–80%"), windowEnd = bands.indexOf("95–100%");
    if (windowStart >= 0 && windowEnd >= 0) {
      titled(svg("rect", { x: left + windowStart * barW, y: 4, width: (windowEnd - windowStart + 1) * barW, height: bottom - 4, class: "window" }, root), "75–100 % of the interval: where RFC 5880 §6.8.7 puts every gap");
      label(root, left + 130, bottom + 28, "shaded: 75–100 % (RFC 5880 §6.8.7)", "meta");
    }
    bands.forEach((band, i) => {
      const h = (g.counts[i] / top) * (bottom - 20);
      const inside = i >= windowStart && i <= windowEnd;
      titled(svg("rect", { x: left + i * barW + 1, y: bottom - h, width: barW - 2, height: h, class: "hist-bar" + (inside ? "" : " outside") }, root), `${band}: ${g.counts[i]} gap(s)`);
      if (g.counts[i]) label(root, left + i * barW + 2, bottom - h - 2, String(g.counts[i]), "meta");
      if (i % 2 === 0) label(root, left + i * barW, bottom + 14, band.replace("%", ""), "meta");
    });
    label(root, left, bottom + 28, "gap ÷ interval (%)", "meta");
  }

  return { strip };
})();
"""#
}
