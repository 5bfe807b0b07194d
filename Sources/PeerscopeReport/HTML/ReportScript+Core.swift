/// The page's script, in parts (one job each): `core` reads the embedded JSON and holds the time
/// view (zoom and pan) and the drawing helpers; `bfd`, `bgp` and `failover` draw; `controls`
/// wires filters, sorting and keys; `probe` draws a probe run. Plain ES2017, no library, no fetch.
enum ReportScript {
    static let core = #"""
"use strict";
const PS = (() => {
  const errors = [];
  window.addEventListener("error", (event) => { errors.push(String(event.message)); document.body.dataset.errors = String(errors.length); });
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const GUTTER = 150;

  function el(name, attrs, parent, text) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function svg(name, attrs, parent, text) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  // Every drawn element says what it is in a <title>: the tooltip, and what a screen reader reads.
  function titled(node, text) { svg("title", {}, node, text); return node; }

  function duration(ns) {
    const a = Math.abs(ns), sign = ns < 0 ? "−" : "";
    if (a >= 1e9) return sign + (a / 1e9).toFixed(a >= 1e11 ? 0 : 3) + " s";
    if (a >= 1e6) return sign + (a / 1e6).toFixed(a >= 1e8 ? 0 : 1) + " ms";
    if (a >= 1e3) return sign + (a / 1e3).toFixed(0) + " µs";
    return sign + a + " ns";
  }
  function offset(ns) { return (ns > 0 ? "+" : "") + duration(ns); }
  function micros(us) { return us === null || us === undefined ? "?" : duration(us * 1000); }
  function clock(ns, span) {
    const digits = span < 2e6 ? 6 : span < 2e9 ? 3 : span < 2e11 ? 1 : 0;
    return (ns / 1e9).toFixed(digits) + " s";
  }

  // The time view shared by every strip: ns from each file's first frame.
  const full = Math.max(1, ...data.files ? data.files.map((f) => f.durationNanoseconds) : [1]);
  const view = { start: 0, end: full };
  const listeners = [];
  function setView(start, end) {
    const span = Math.max(1000, Math.min(full, end - start));
    start = Math.max(0, Math.min(start, full - span));
    view.start = start; view.end = start + span;
    listeners.forEach((listener) => listener());
  }
  function zoom(factor, centre) {
    const span = view.end - view.start, at = view.start + span * (centre === undefined ? 0.5 : centre);
    const next = span / factor;
    setView(at - next * (centre === undefined ? 0.5 : centre), at - next * (centre === undefined ? 0.5 : centre) + next);
  }
  function pan(fraction) { const span = view.end - view.start; setView(view.start + span * fraction, view.end + span * fraction); }
  function xScale(width) {
    const inner = Math.max(50, width - GUTTER - 10);
    const f = (t) => GUTTER + ((t - view.start) / (view.end - view.start)) * inner;
    f.inner = inner;
    return f;
  }
  function width(node) { return Math.max(400, Math.round(node.getBoundingClientRect().width || 900)); }

  // State steps → bands within the view. A band narrower than a pixel is merged with its
  // neighbours into one "mixed" band that counts what it hides, so an hour of flapping on a
  // thousand sessions draws at most one element per pixel.
  function bands(steps, endTime, x) {
    const out = [];
    for (let i = 0; i < steps.length; i++) {
      const from = Math.max(steps[i].timeNanoseconds, view.start);
      const to = Math.min(i + 1 < steps.length ? steps[i + 1].timeNanoseconds : endTime, view.end);
      if (to < view.start || from > view.end || to < from) continue;
      const x0 = x(from), x1 = Math.max(x(to), x0);
      const last = out[out.length - 1];
      // Only bands under a pixel join a previous band that is itself under two pixels wide.
      if (last && x1 - x0 < 1 && last.x1 - last.x0 < 2 && x0 - last.x1 < 1) {
        if (last.state !== steps[i].state) last.state = "mixed";
        last.x1 = x1; last.count += 1; last.to = to;
      } else {
        out.push({ x0, x1, state: steps[i].state, step: steps[i], count: 1, from, to });
      }
    }
    return out;
  }
  // Marks within the view, at most one per `spacing` px; a kept mark counts those it stands for.
  function marks(items, time, x, spacing) {
    const out = [];
    let lastX = -Infinity;
    for (const item of items) {
      const t = time(item);
      if (t < view.start || t > view.end) continue;
      const at = x(t);
      if (at - lastX < spacing && out.length) { out[out.length - 1].hidden += 1; continue; }
      out.push({ x: at, item, hidden: 0 });
      lastX = at;
    }
    return out;
  }
  function axis(root, x, y, height) {
    const group = svg("g", { class: "axis" }, root);
    const span = view.end - view.start;
    const raw = span / 8, power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
    for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) {
      svg("line", { x1: x(t), x2: x(t), y1: y, y2: y + height }, group);
      svg("text", { x: x(t) + 2, y: y + 10 }, group, clock(t, span));
    }
    return group;
  }
  function defs(root) {
    const d = svg("defs", {}, root);
    const hatch = svg("pattern", { id: "hatch", width: 4, height: 4, patternUnits: "userSpaceOnUse" }, d);
    svg("rect", { width: 4, height: 4, fill: "#bbbbbb" }, hatch);
    svg("path", { d: "M0,4 L4,0", stroke: "#000", "stroke-width": 0.7 }, hatch);
  }
  function label(root, x, y, text, cls) { return svg("text", { x, y, class: cls || "" }, root, text); }
  function findingsFor(file, key, id) {
    return file.findings.filter((f) => f[key] === id && f.timeNanoseconds !== null && f.timeNanoseconds !== undefined);
  }

  return { data, errors, el, svg, titled, duration, offset, micros, clock, view, full, setView, zoom, pan,
           listeners, xScale, width, bands, marks, axis, defs, label, findingsFor, GUTTER };
})();
"""#
}
