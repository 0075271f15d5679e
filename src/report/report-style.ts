/** The stylesheet of the report pages (also the catalog report's and the comparison's, which add their own rules). */
export const REPORT_STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222; background: #fff; margin: 0 auto; max-width: 1240px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.8em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.muted, .note { color: #666; }
.note { font-size: 0.9em; margin: 6px 0; }
.lead { margin: 4px 0 12px; max-width: 60em; }
nav.toc { font-size: 0.92em; margin: 12px 0 0; }
nav.toc a { margin-right: 14px; white-space: nowrap; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin: 8px 0; }
.card { border: 1px solid #dde3ea; border-radius: 6px; padding: 12px 14px; background: #f7f9fb; }
.card .value { font-size: 1.5em; font-weight: bold; font-variant-numeric: tabular-nums; }
.card .label { font-weight: bold; margin-top: 2px; }
.card .sub { color: #555; font-size: 0.86em; margin-top: 2px; }
.figures { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.figures table { min-width: 280px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.95em; }
caption { text-align: left; font-weight: bold; padding-bottom: 2px; }
th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #eee; vertical-align: top; }
thead th { border-bottom: 2px solid #ccc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { word-break: break-all; font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.8em; }
.nowrap { white-space: nowrap; }
td.ua { word-break: break-all; max-width: 640px; font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.85em; }
table.grid { font-size: 0.78em; }
table.grid th, table.grid td { padding: 3px 6px 3px 0; }
.side { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
figure { margin: 16px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
ul.files { columns: 2; }
`;
