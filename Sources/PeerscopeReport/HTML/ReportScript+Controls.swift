extension ReportScript {
    /// Builds the strips and wires the controls: the session filter (strips drawn a page at a time,
    /// so a thousand sessions do not freeze the page), zoom and pan by buttons, keys, Ctrl+wheel
    /// and drag; the findings table's sort buttons and its level, rule and session filters.
    static let controls = #"""
(() => {
  if (document.body.dataset.kind !== "capture") return;
  const started = performance.now();
  const { el, data } = PS;
  const PAGE = 60;
  const lists = [
    { holder: document.getElementById("bfd-strips"), more: document.getElementById("bfd-more"), make: (f, s, i) => BFD.strip(f, s, i), items: [] },
    { holder: document.getElementById("bgp-strips"), more: document.getElementById("bgp-more"), make: (f, s, i) => BGP.strip(f, s, i), items: [] },
  ];
  data.files.forEach((file, i) => {
    file.bfdSessions.forEach((s) => lists[0].items.push({ file, session: s, index: i, search: null }));
    file.bgpSessions.forEach((s) => lists[1].items.push({ file, session: s, index: i, search: null }));
  });
  document.getElementById("bfd-legend").textContent = "Bands: Up, Init, Down, AdminDown (labelled; hatched = several changes too close to draw). Lines: solid = interval sent at, dashed = detection time the peer applies. Letters: P Poll, F Final; ▲ a finding. Below: transmit gaps per direction; shaded = 75–100 % of the interval.";
  const shown = [];
  function matches(item, words) {
    if (!words.length) return true;
    const text = `${item.session.id} ` + (item.search || (item.search = searchText(item)));
    return words.every((w) => text.includes(w));
  }
  function searchText(item) {
    const s = item.session;
    return JSON.stringify([s.type, s.state, s.sides ? s.sides.map((x) => [x.address, x.peer, x.states.map((y) => y.state)]) : s.speakers.map((x) => [x.address, x.myAS])]).toLowerCase() + (item.session.sides ? " bfd" : " bgp");
  }
  function build(list, limit) {
    const words = document.getElementById("session-filter").value.toLowerCase().split(/\s+/).filter(Boolean);
    list.holder.textContent = "";
    const matching = list.items.filter((item) => matches(item, words));
    for (const item of matching.slice(0, limit)) {
      const figure = list.make(item.file, item.session, item.index);
      list.holder.appendChild(figure);
      figure.redraw();
      shown.push(figure);
    }
    list.more.textContent = "";
    if (matching.length > limit) {
      el("span", {}, list.more, `${limit} of ${matching.length} sessions drawn. `);
      const button = el("button", { type: "button" }, list.more, `draw ${Math.min(PAGE, matching.length - limit)} more`);
      button.addEventListener("click", () => build(list, limit + PAGE));
    } else if (!list.items.length) {
      list.more.textContent = "None in this capture.";
    } else if (!matching.length) {
      list.more.textContent = "No session matches the filter.";
    }
  }
  function buildAll() { shown.length = 0; lists.forEach((list) => build(list, PAGE)); }
  const chains = document.getElementById("failover-diagrams");
  chains.textContent = "";
  data.files.forEach((file, i) => file.failovers.forEach((chain, n) => chains.appendChild(Failover.diagram(file, chain, n, i))));
  if (!chains.children.length) chains.textContent = "No BFD session went Down in this capture.";
  buildAll();

  const range = document.getElementById("view-range");
  function redraw() {
    for (const list of lists) for (const figure of list.holder.children) if (figure.redraw) figure.redraw();
    range.textContent = `showing ${PS.clock(PS.view.start, PS.view.end - PS.view.start)} – ${PS.clock(PS.view.end, PS.view.end - PS.view.start)}`;
  }
  PS.listeners.push(redraw);
  // A link can open the page on a time window: report.html#t=9.7-9.9 (seconds from the first frame).
  const linked = /^#t=([0-9.]+)-([0-9.]+)$/.exec(location.hash);
  if (linked && Number(linked[2]) > Number(linked[1])) PS.setView(Number(linked[1]) * 1e9, Number(linked[2]) * 1e9); else redraw();
  let pending = null;
  document.getElementById("session-filter").addEventListener("input", () => { clearTimeout(pending); pending = setTimeout(buildAll, 150); });
  document.getElementById("zoom-in").addEventListener("click", () => PS.zoom(2));
  document.getElementById("zoom-out").addEventListener("click", () => PS.zoom(0.5));
  document.getElementById("pan-left").addEventListener("click", () => PS.pan(-0.25));
  document.getElementById("pan-right").addEventListener("click", () => PS.pan(0.25));
  document.getElementById("zoom-reset").addEventListener("click", () => PS.setView(0, PS.full));
  document.addEventListener("keydown", (event) => {
    if (event.target.closest && event.target.closest("input, select, textarea")) return;
    const actions = { "+": () => PS.zoom(2), "=": () => PS.zoom(2), "-": () => PS.zoom(0.5), "ArrowLeft": () => PS.pan(-0.25), "ArrowRight": () => PS.pan(0.25), "0": () => PS.setView(0, PS.full) };
    if (actions[event.key]) { actions[event.key](); event.preventDefault(); }
  });
  // Ctrl+wheel zooms around the pointer, Shift+wheel pans; a plain wheel scrolls the page.
  let frame = null;
  function fraction(event, node) {
    const box = node.getBoundingClientRect();
    return Math.min(1, Math.max(0, (event.clientX - box.left - PS.GUTTER) / Math.max(1, box.width - PS.GUTTER - 10)));
  }
  for (const holder of [lists[0].holder, lists[1].holder]) {
    holder.addEventListener("wheel", (event) => {
      const node = event.target.closest("svg");
      if (!node || !(event.ctrlKey || event.shiftKey)) return;
      event.preventDefault();
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        if (event.ctrlKey) PS.zoom(event.deltaY < 0 ? 1.5 : 1 / 1.5, fraction(event, node)); else PS.pan((event.deltaY || event.deltaX) > 0 ? 0.1 : -0.1);
      });
    }, { passive: false });
    let drag = null;
    holder.addEventListener("pointerdown", (event) => { const node = event.target.closest("svg"); if (node) drag = { x: event.clientX, width: node.getBoundingClientRect().width - PS.GUTTER, start: PS.view.start, end: PS.view.end }; });
    window.addEventListener("pointerup", () => { drag = null; });
    holder.addEventListener("pointermove", (event) => {
      if (!drag || event.buttons !== 1) return;
      const shift = ((drag.x - event.clientX) / Math.max(1, drag.width)) * (drag.end - drag.start);
      PS.setView(drag.start + shift, drag.end + shift);
    });
  }
  let resize = null;
  window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(redraw, 200); });

  // Findings: sort by any column (stable, again to reverse), filter by level, rule and session.
  const table = document.getElementById("findings-table");
  const body = table.tBodies[0];
  const count = document.getElementById("finding-count");
  function filter() {
    const level = document.getElementById("finding-level").value;
    const rule = document.getElementById("finding-rule").value.trim().toUpperCase();
    const session = document.getElementById("finding-session").value.trim().toLowerCase();
    let visible = 0;
    for (const row of body.rows) {
      const ok = (!level || row.dataset.level === level) && (!rule || row.dataset.rule.toUpperCase().includes(rule))
        && (!session || row.dataset.session.split(", ").some((s) => s === session || s.endsWith(" " + session) || s.startsWith(session)));
      row.hidden = !ok;
      if (ok) visible += 1;
    }
    count.textContent = `${visible} of ${body.rows.length} findings`;
  }
  for (const id of ["finding-level", "finding-rule", "finding-session"]) document.getElementById(id).addEventListener("input", filter);
  table.querySelectorAll("th button").forEach((button) => button.addEventListener("click", () => {
    const column = Number(button.dataset.column), th = button.parentElement;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach((h) => h.setAttribute("aria-sort", "none"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const numeric = [5, 6].includes(column);
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = a.cells[column].dataset.sort ?? a.cells[column].textContent, y = b.cells[column].dataset.sort ?? b.cells[column].textContent;
      const order = numeric ? (Number(x || Infinity) - Number(y || Infinity)) || 0 : x.localeCompare(y, undefined, { numeric: true });
      return ascending ? order : -order;
    });
    rows.forEach((row) => body.appendChild(row));
  }));
  filter();
  // How long the script took to draw, for the browser test's "no freeze" bound.
  document.body.dataset.scriptMs = String(Math.round(performance.now() - started));
  document.body.dataset.rendered = "ok";
})();
"""#
}
