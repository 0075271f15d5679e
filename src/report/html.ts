/**
 * `index.html`: one self-contained page summarising a report. No scripts and no external URLs, so
 * it opens the same from a file share, an archive or an air-gapped machine; it only links to the
 * report's own files, which sit next to it.
 */
import { REJECT_REASONS, type NamedCount, type Report, type RejectReason } from '../types.js';
import type { ChartFileName } from './charts.js';
import { CSV_FILES, type CsvFileName } from './tables.js';

/** Options of {@link renderIndexHtml}. */
export interface IndexHtmlOptions {
  /** Page title and heading. */
  title: string;
  /** When the report was made, shown as given (e.g. an ISO 8601 timestamp). */
  generatedAt: string;
  /** Chart file names to show, in order (e.g. `'browser.png'`); they must sit next to the page. */
  charts: readonly string[];
  /** Rows shown per table before pointing to the CSV. Default {@link HTML_TABLE_ROWS}. */
  maxRows?: number;
}

/** Default number of rows of each table on the page; the CSVs always have them all. */
export const HTML_TABLE_ROWS = 50;

const LOCALE = 'en-US';
const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
// Means and quantiles may be fractional; two decimals is plenty to read, the JSON keeps them exact.
const decimalFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

const CHART_ALT: Partial<Record<ChartFileName, string>> = {
  'browser.png': 'Bar chart: learners by browser',
  'device.png': 'Bar chart: learners by device type',
  'language.png': 'Bar chart: learners by language',
  'activity-cdf.png': 'Line chart: cumulative distribution of clicks per learner, logarithmic clicks axis',
};

const REJECT_LABELS: Record<RejectReason, string> = {
  invalid_json: 'invalid JSON',
  not_object: 'not a JSON object',
  missing_username: 'missing username',
  too_long: 'line too long',
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const int = (n: number): string => integerFormat.format(n);
const dec = (n: number): string => decimalFormat.format(n);
const share = (part: number, whole: number): string => (whole > 0 ? percentFormat.format(part / whole) : '–');

// Data values are untrusted and may be empty; an empty cell would look like a rendering bug.
function dataText(text: string): string {
  return text === '' ? '<span class="muted">(empty)</span>' : escapeHtml(text);
}

function link(file: string): string {
  const f = escapeHtml(file);
  return `<a href="${f}">${f}</a>`;
}

function figureRows(rows: readonly [string, string][]): string {
  return rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td class="num">${v}</td></tr>`).join('\n');
}

/** A "showing N of M" note pointing to the CSV, or '' when the table is complete. */
function truncationNote(shown: number, total: number, csv: CsvFileName): string {
  return shown < total
    ? `<p class="note">Showing the first ${int(shown)} of ${int(total)} rows; all of them are in ${link(csv)}.</p>`
    : '';
}

function namedCountSection(
  heading: string,
  nameHeader: string,
  counts: readonly NamedCount[],
  learners: number,
  csv: CsvFileName,
  maxRows: number,
): string {
  const shown = counts.slice(0, maxRows);
  const body =
    shown.length === 0
      ? '<tr><td colspan="4" class="muted">none</td></tr>'
      : shown
          .map(
            (c) =>
              `<tr><td>${dataText(c.name)}</td><td class="num">${int(c.events)}</td><td class="num">${int(c.users)}</td><td class="num">${share(c.users, learners)}</td></tr>`,
          )
          .join('\n');
  return `<section>
<h2>${escapeHtml(heading)}</h2>
<table>
<thead><tr><th scope="col">${escapeHtml(nameHeader)}</th><th scope="col" class="num">events</th><th scope="col" class="num">learners</th><th scope="col" class="num">% of learners</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
${truncationNote(shown.length, counts.length, csv)}<p class="note">Download: ${link(csv)}</p>
</section>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222; background: #fff; margin: 0 auto; max-width: 1240px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.8em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.muted, .note { color: #666; }
.note { font-size: 0.9em; margin: 6px 0; }
.figures { display: flex; flex-wrap: wrap; gap: 24px; }
.figures table { min-width: 320px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.95em; }
th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #eee; vertical-align: top; }
thead th { border-bottom: 2px solid #ccc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ua { word-break: break-all; max-width: 640px; font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.85em; }
figure { margin: 16px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
ul.files { columns: 2; }
`;

/**
 * The report's `index.html`. Every string that comes from the data (names, usernames, user
 * agents) and from the options is HTML-escaped.
 */
export function renderIndexHtml(report: Report, opts: IndexHtmlOptions): string {
  const { summary } = report;
  const maxRows = opts.maxRows ?? HTML_TABLE_ROWS;
  const { input, activity } = summary;
  const rejectedTotal = REJECT_REASONS.reduce((sum, r) => sum + input.rejected[r], 0);

  const inputFigures = figureRows([
    ['events', int(summary.events)],
    ['learners', int(summary.users)],
    ['input lines', int(input.lines)],
    ['blank lines', int(input.blank)],
    ['rejected lines', int(rejectedTotal)],
    ...REJECT_REASONS.map((r): [string, string] => [`&nbsp;&nbsp;${escapeHtml(REJECT_LABELS[r])}`, int(input.rejected[r])]),
  ]);
  const activityFigures = figureRows([
    ['minimum', dec(activity.min)],
    ['median', dec(activity.median)],
    ['mean', dec(activity.mean)],
    ['90th percentile', dec(activity.p90)],
    ['99th percentile', dec(activity.p99)],
    ['maximum', dec(activity.max)],
  ]);

  const charts = opts.charts
    .map((file) => {
      const alt = CHART_ALT[file as ChartFileName] ?? file;
      return `<figure><img src="${escapeHtml(file)}" alt="${escapeHtml(alt)}" width="1200" height="700"></figure>`;
    })
    .join('\n');

  const topUsers = summary.topUsers.slice(0, maxRows);
  const topUsersBody =
    topUsers.length === 0
      ? '<tr><td colspan="3" class="muted">none</td></tr>'
      : topUsers
          .map((u, i) => `<tr><td class="num">${i + 1}</td><td>${dataText(u.username)}</td><td class="num">${int(u.clicks)}</td></tr>`)
          .join('\n');

  const agents = report.userAgents.slice(0, maxRows);
  const agentsBody =
    agents.length === 0
      ? '<tr><td colspan="6" class="muted">none</td></tr>'
      : agents
          .map(
            (a) =>
              `<tr><td class="ua">${a.userAgent === '' ? '<span class="muted">(missing)</span>' : escapeHtml(a.userAgent)}</td><td>${dataText(a.browser)}</td><td>${dataText(a.os)}</td><td>${dataText(a.device)}</td><td class="num">${int(a.events)}</td><td class="num">${int(a.users)}</td></tr>`,
          )
          .join('\n');

  const files = ['summary.json', ...CSV_FILES, ...opts.charts];
  const descriptions: Record<string, string> = {
    'summary.json': 'every figure on this page, exact',
    'browsers.csv': 'events and learners per browser',
    'os.csv': 'events and learners per operating system',
    'devices.csv': 'events and learners per device type',
    'languages.csv': 'events and learners per language',
    'users.csv': 'clicks of every learner',
    'activity-cdf.csv': 'cumulative distribution of clicks per learner',
    'user-agents.csv': 'every distinct user agent and how it was classified',
  };

  const title = escapeHtml(opts.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="muted">Generated ${escapeHtml(opts.generatedAt)}</p>
</header>

<section>
<h2>Key figures</h2>
<div class="figures">
<table>
<caption class="muted">Input</caption>
<tbody>
${inputFigures}
</tbody>
</table>
<table>
<caption class="muted">Clicks per learner</caption>
<tbody>
${activityFigures}
</tbody>
</table>
</div>
</section>

<section>
<h2>Charts</h2>
${charts || '<p class="muted">No charts.</p>'}
</section>

${namedCountSection('Browsers', 'browser', summary.browsers, summary.users, 'browsers.csv', maxRows)}

${namedCountSection('Operating systems', 'operating system', summary.os, summary.users, 'os.csv', maxRows)}

${namedCountSection('Devices', 'device type', summary.devices, summary.users, 'devices.csv', maxRows)}

${namedCountSection('Languages', 'language', summary.languages, summary.users, 'languages.csv', maxRows)}

<section>
<h2>Most active learners</h2>
<table>
<thead><tr><th scope="col" class="num">#</th><th scope="col">username</th><th scope="col" class="num">clicks</th></tr></thead>
<tbody>
${topUsersBody}
</tbody>
</table>
${truncationNote(topUsers.length, report.users.length, 'users.csv')}<p class="note">Download: ${link('users.csv')}</p>
</section>

<section>
<h2>User agents</h2>
<table>
<thead><tr><th scope="col">user agent</th><th scope="col">browser</th><th scope="col">OS</th><th scope="col">device</th><th scope="col" class="num">events</th><th scope="col" class="num">learners</th></tr></thead>
<tbody>
${agentsBody}
</tbody>
</table>
${truncationNote(agents.length, report.userAgents.length, 'user-agents.csv')}<p class="note">Download: ${link('user-agents.csv')}</p>
</section>

<section>
<h2>Files</h2>
<ul class="files">
${files.map((f) => `<li>${link(f)}${descriptions[f] ? ` <span class="muted">— ${escapeHtml(descriptions[f])}</span>` : ''}</li>`).join('\n')}
</ul>
</section>
</body>
</html>
`;
}
