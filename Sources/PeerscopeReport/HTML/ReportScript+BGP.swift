extension ReportScript {
    /// Per BGP session a strip: the FSM state as the capture shows it (RFC 4271 §8), then per
    /// speaker its UPDATE bursts, End-of-RIB (RFC 4724 §2), NOTIFICATION/FIN/RST, and the routes
    /// its peer held from it per family as steps.
    static let bgp = #"""
const BGP = (() => {
  const { svg, el, titled, duration, label } = PS;
  const SPEAKER = 58;
  const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
  const LETTER = { updates: "U", endOfRIB: "E", notification: "N", fin: "F", reset: "R", open: "O", connect: "S", accept: "A",
                   established: "✓", routeRefresh: "RR", hole: "?", malformed: "!" };

  function strip(file, session, fileIndex) {
    const figure = el("figure", { class: "strip bgp-strip", "data-file": fileIndex, "data-session": session.id,
      "data-search": [`bgp ${session.id}`, session.state, ...session.speakers.map((s) => `${s.address} as${s.myAS || ""}`)].join(" ").toLowerCase() });
    const names = session.speakers.map((s, i) => `${i ? "B" : "A"} ${s.address}${s.myAS ? ` AS${s.myAS}` : ""}`).join(" ⇄ ");
    const caption = el("figcaption", {}, figure, `BGP session ${session.id} · ${names} · ${session.state}`);
    if (session.negotiatedHoldTime) el("span", { class: "meta" }, caption, ` · hold ${session.negotiatedHoldTime} s`);
    if (PS.data.files.length > 1) el("span", { class: "meta" }, caption, ` · ${file.path}`);
    const holder = el("div", { class: "svg-holder" }, figure);
    figure.redraw = () => render(holder, file, session);
    return figure;
  }

  function render(holder, file, session) {
    holder.textContent = "";
    const width = PS.width(holder);
    const height = 40 + session.speakers.length * SPEAKER;
    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `BGP session ${session.id} over time` }, holder);
    titled(root, `BGP session ${session.id}: state, UPDATE bursts, End-of-RIB, teardown and routes held over time`);
    PS.defs(root);
    const x = PS.xScale(width);
    PS.axis(root, x, 0, height);
    label(root, 2, 29, "state");
    for (const band of PS.bands(session.states, session.endNanoseconds, x)) {
      const rect = svg("rect", { x: band.x0, y: 16, width: Math.max(1, band.x1 - band.x0), height: 16, class: `band band-${band.state}` }, root);
      titled(rect, band.state === "mixed" ? `${band.count} state changes (zoom in)` : `${band.state} from ${PS.clock(band.step.timeNanoseconds, PS.full)} (frame ${band.step.frame})`);
      if (band.x1 - band.x0 > 70 && band.state !== "mixed") label(root, band.x0 + 3, 28, band.state, band.state === "Established" ? "on-dark" : "on-band");
    }
    session.speakers.forEach((speaker, index) => {
      const y = 38 + index * SPEAKER;
      label(root, 2, y + 12, `${index ? "B" : "A"} ${speaker.address}`);
      label(root, 2, y + 25, `holds ${speaker.routesHeld} route(s) at the end`, "meta");
      const events = session.events.filter((e) => e.side === index && e.kind !== "accept" && e.kind !== "connect");
      for (const m of PS.marks(events, (e) => e.timeNanoseconds, x, 9)) {
        const e = m.item;
        const strong = ["notification", "fin", "reset"].includes(e.kind);
        const mark = label(root, m.x - 3, y + 11, LETTER[e.kind] || "·", strong ? "strong" : "");
        if (strong) svg("line", { x1: m.x, x2: m.x, y1: 16, y2: y + SPEAKER - 4, stroke: "#000", "stroke-width": 1.5 }, root);
        titled(mark, `${index ? "B" : "A"} frame ${e.frame} at ${PS.clock(e.timeNanoseconds, PS.full)}: ${e.text}${m.hidden ? ` (+${m.hidden} more here)` : ""}`);
      }
      // Routes the peer held from this speaker, per family, as steps scaled to the largest.
      const top = y + 16, tall = SPEAKER - 22;
      const most = Math.max(1, ...speaker.routesPerFamily.flatMap((f) => f.history.map((h) => h[1])));
      speaker.routesPerFamily.forEach((family, f) => {
        let d = "", last = null;
        for (const [t, held] of family.history) {
          const px = Math.min(Math.max(x(t), PS.GUTTER), PS.GUTTER + x.inner);
          const py = top + tall - (held / most) * tall;
          d += last === null ? `M${px},${py} ` : `H${px} V${py} `;
          last = py;
        }
        if (last === null) return;
        d += `H${Math.min(x(session.endNanoseconds), PS.GUTTER + x.inner)}`;
        const path = svg("path", { d, class: "routes", stroke: COLOURS[f % COLOURS.length] }, root);
        titled(path, `${family.family}: routes held from ${speaker.address}, up to ${most}; ${family.routesHeld} at the end`);
        label(root, 2, y + 37 + f * 11, `— ${family.family} (${family.routesHeld})`, "meta").setAttribute("fill", COLOURS[f % COLOURS.length]);
      });
      for (const eor of speaker.endOfRIB) {
        if (eor.timeNanoseconds < PS.view.start || eor.timeNanoseconds > PS.view.end) continue;
        titled(svg("rect", { x: x(eor.timeNanoseconds) - 1, y: top, width: 2, height: tall, fill: "#009E73" }, root), `End-of-RIB ${eor.family} at ${PS.clock(eor.timeNanoseconds, PS.full)}`);
      }
    });
    const mine = PS.findingsFor(file, "bgpSession", session.id);
    for (const m of PS.marks(mine, (f) => f.timeNanoseconds, x, 6)) {
      const f = m.item;
      titled(svg("path", { d: `M${m.x},${height - 9} l-4,8 h8 z`, class: "finding-mark" }, root),
        `${f.level.toUpperCase()} ${f.rule} (${f.reference}), frames ${f.frames.join(", ")}: ${f.message}${m.hidden ? ` (+${m.hidden} more here)` : ""}`);
    }
  }

  return { strip };
})();
"""#
}
