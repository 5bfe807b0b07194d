/// The page's inline CSS. Colours are the Okabe–Ito palette (safe for the common colour-vision
/// deficiencies), and every band and mark also carries a text label or a letter, so no fact is
/// told by colour alone. Print: controls hidden, every section shown, strips kept whole per page.
enum ReportStyle {
    static let css = #"""
:root { --up: #009E73; --init: #F0E442; --down: #D55E00; --admin: #CC79A7; --est: #0072B2; --open: #56B4E9;
  --idle: #E69F00; --ink: #1a1a1a; --muted: #5a5a5a; --grid: #d8d8d8; --bg: #ffffff; --mark: #000000; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); margin: 0 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: 1rem 0 0.2rem; } h2 { font-size: 1.2rem; margin: 1.6rem 0 0.5rem; border-bottom: 1px solid var(--grid); }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--grid); padding: 3px 6px; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
button, select, input { font: inherit; } button { padding: 2px 8px; border: 1px solid #888; background: #f4f4f4; border-radius: 3px; cursor: pointer; }
:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.verdict { font-size: 1.05rem; padding: 6px 10px; border-left: 6px solid; }
.verdict-pass { border-color: var(--up); } .verdict-fail { border-color: var(--down); } .verdict-unusable { border-color: var(--idle); }
#controls { position: sticky; top: 0; background: var(--bg); padding: 6px 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; z-index: 2; border-bottom: 1px solid var(--grid); }
.help, .legend, .file, figcaption .meta { color: var(--muted); font-size: 12px; }
.strip { margin: 10px 0 14px; break-inside: avoid; } .strip figcaption { font-weight: 600; }
.strip svg { display: block; width: 100%; overflow: visible; cursor: grab; user-select: none; }
.strip svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
.strip svg text.on-band { fill: #000; } .strip svg text.on-dark { fill: #fff; }
.band-Up { fill: var(--up); } .band-Init { fill: var(--init); } .band-Down { fill: var(--down); } .band-AdminDown { fill: var(--admin); }
.band-Established { fill: var(--est); } .band-Connect, .band-OpenSent, .band-OpenConfirm { fill: var(--open); } .band-Idle { fill: var(--idle); }
.band-mixed { fill: url(#hatch); } .band-none { fill: #eee; }
.timer { fill: none; stroke: #0072B2; stroke-width: 1.5; } .detect { fill: none; stroke: #D55E00; stroke-width: 1.5; stroke-dasharray: 4 2; }
.routes { fill: none; stroke-width: 1.5; } .axis line { stroke: var(--grid); } .axis text { fill: var(--muted); }
.mark { fill: var(--mark); } .finding-mark { fill: #D55E00; stroke: #000; stroke-width: 0.5; }
.histogram { display: flex; gap: 24px; flex-wrap: wrap; } .histogram > div { max-width: 440px; } .histogram svg { width: 420px; max-width: 100%; cursor: default; }
.hist-bar { fill: #0072B2; } .hist-bar.outside { fill: #E69F00; } .window { fill: #009E73; opacity: 0.15; }
.chain svg { width: 100%; } .chain-step { fill: #000; } .chain-line { stroke: #000; stroke-width: 1.5; marker-end: url(#arrow); }
.level { font-weight: 700; } .level-must { color: #B24000; } .level-should { color: #8a5a00; } .level-info { color: #0b5d8a; }
tr.finding[hidden] { display: none; } .known { color: var(--muted); } .warn { color: #B24000; }
.probe-case { border: 1px solid var(--grid); border-left-width: 6px; padding: 6px 10px; margin: 8px 0; break-inside: avoid; }
.probe-case.pass { border-left-color: var(--up); } .probe-case.fail { border-left-color: var(--down); } .probe-case.inconclusive { border-left-color: var(--idle); }
.nojs { color: var(--muted); }
@media print {
  #controls, .filters, #bfd-more button, #bgp-more button { display: none !important; }
  body { margin: 0; font-size: 11px; } .strip svg { cursor: default; } a { color: inherit; }
  tr.finding[hidden] { display: table-row; } h2 { break-after: avoid; }
}
"""#
}
