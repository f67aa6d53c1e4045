/** The report's only stylesheet, inlined into report.html (system fonts, no external resources). */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f4; color: #1d1d1f; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 64px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header .meta { margin: 0; color: #555; }
nav { margin: 14px 0 8px; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 14px; }
nav a { color: #1f5f99; text-decoration: none; }
nav a:hover { text-decoration: underline; }
section { background: #fff; border: 1px solid #e2e2de; border-radius: 8px; padding: 16px 20px 20px; margin-top: 18px; }
section h2 { margin: 0 0 10px; font-size: 19px; display: flex; align-items: center; gap: 10px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.badge { color: #fff; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; }
.notes { list-style: none; padding: 0; margin: 14px 0 0; }
.notes li { padding: 8px 12px; border-radius: 6px; margin-top: 6px; border-left: 4px solid; }
.notes li.warning { background: #fff6e0; border-color: #e0a100; }
.notes li.note { background: #eef4fb; border-color: #5b8fc7; }
table.data { border-collapse: collapse; font-size: 14px; margin: 6px 0 10px; }
table.data th, table.data td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
table.data th { background: #f2f2ef; font-weight: 600; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #f4f4f2; padding: 10px; border-radius: 6px; overflow: auto; max-height: 420px; }
details summary { cursor: pointer; color: #1f5f99; margin-top: 8px; }
.figure-wide svg { width: 100%; height: auto; display: block; margin: 8px 0 4px; }
.figure-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; align-items: start; }
.figure-grid svg { width: 100%; height: auto; display: block; }
.latent { border-top: 1px solid #ececec; margin-top: 14px; padding-top: 6px; }
.caption { color: #555; font-size: 14px; margin: 4px 0 8px; }
svg.brain-map path[data-region]:hover { stroke: #000; stroke-width: 1.6; }
svg.chart circle.point:hover { stroke: #000; stroke-width: 1.5; }
svg.chart rect.bar:hover, svg.chart rect.bin:hover { opacity: 0.75; }
footer { margin-top: 24px; color: #777; font-size: 13px; }
`;
