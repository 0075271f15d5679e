/**
 * The comparison's `index.html`: compare.csv's table and the overlaid charts, self-contained like
 * a report's page (no scripts, no external URLs; links only to files beside it and to the reports).
 */
import { CHART_HEIGHT, CHART_WIDTH } from '../report/chart-base.js';
import { formatSeconds } from '../report/duration-text.js';
import { chartFigure, dec, downloadNote, escapeHtml, int, link, pageStart, percent } from '../report/html-parts.js';
import { REPORT_STYLE } from '../report/report-style.js';
import type { CompareChartFileName } from './compare-charts.js';
import type { CompareTable, NamedSummary } from './compare-table.js';

/** Options of {@link renderCompareHtml}. */
export interface CompareHtmlOptions {
  /** Page title and heading. */
  title: string;
  /** When the comparison was made, shown as given. */
  generatedAt: string;
  /** Chart files beside the page, in order. */
  charts: readonly CompareChartFileName[];
  /**
   * Per report (in order), a relative link to its own index.html, or null for none.
   * Default: no links.
   */
  reportLinks?: readonly (string | null)[];
}

const CHART_ALT: Record<CompareChartFileName, string> = {
  'activity-cdf.png': 'Line chart: the cumulative distributions of clicks per learner of every report, one line each, logarithmic clicks axis',
  'devices.png': 'Grouped bar chart: share of learners by device type, one bar per report',
  'languages.png': 'Grouped bar chart: share of learners by language, one bar per report',
};

// The report pages' stylesheet, plus the rules of this page's one table (report rows grouped).
const STYLE = `${REPORT_STYLE}
tbody th { font-weight: normal; }
tr.group th { font-weight: bold; padding-top: 14px; }
code { color: #666; font-size: 0.85em; }
`;

/** A row of the page's table: its label (HTML), compare.csv's column, and a cell per report. */
interface FigureRow {
  label: string;
  column: string;
  cells: string[];
}

/**
 * The page. Reports are the table's columns (compare.csv has them as rows) so that any number of
 * device and language columns stays readable; each row names the compare.csv column it shows.
 */
export function renderCompareHtml(reports: readonly NamedSummary[], table: CompareTable, opts: CompareHtmlOptions): string {
  const row = (label: string, column: string, cell: (r: NamedSummary, i: number) => string): FigureRow => ({
    label: escapeHtml(label),
    column,
    cells: reports.map(cell),
  });
  const main: FigureRow[] = [
    row('events', 'events', (r) => int(r.summary.events)),
    row('learners', 'learners', (r) => int(r.summary.users)),
    row('median clicks per learner', 'median_clicks', (r) => dec(r.summary.activity.median)),
    row('90th percentile of clicks', 'p90_clicks', (r) => dec(r.summary.activity.p90)),
    row('sessions', 'sessions', (r) => int(r.summary.sessions.count)),
    row('median time on task', 'median_time_on_task_s', (r) => escapeHtml(formatSeconds(r.summary.timeOnTaskSeconds.median))),
    row('video viewers', 'video_viewers', (r) => int(r.summary.video.viewers)),
  ];
  const shareRows = (names: readonly string[], shares: readonly number[][], prefix: string): FigureRow[] =>
    names.map((name, j) => ({
      label: name === '' ? '<span class="muted">(empty)</span>' : escapeHtml(name),
      column: `${prefix}:${name}`,
      cells: reports.map((_, i) => percent(shares[i]![j]!)),
    }));
  const group = (heading: string): string =>
    `<tr class="group"><th scope="rowgroup" colspan="${reports.length + 2}">${escapeHtml(heading)}</th></tr>`;
  const render = (rows: readonly FigureRow[]): string =>
    rows
      .map((r) => `<tr><th scope="row">${r.label}</th><td><code>${escapeHtml(r.column)}</code></td>${r.cells.map((c) => `<td class="num">${c}</td>`).join('')}</tr>`)
      .join('\n');
  const heads = reports
    .map((r, i) => {
      const href = opts.reportLinks?.[i];
      const name = escapeHtml(r.name);
      return `<th scope="col" class="num">${href ? `<a href="${escapeHtml(href)}">${name}</a>` : name}</th>`;
    })
    .join('');

  const title = escapeHtml(opts.title);
  return `${pageStart(opts.title, STYLE)}<header>
<h1>${title}</h1>
<p class="muted">Generated ${escapeHtml(opts.generatedAt)} from the summary.json of ${int(reports.length)} reports. Shares are of each report’s own learners; a learner seen on two devices or with two languages counts in both.</p>
</header>

<section id="table">
<h2>Side by side</h2>
<table>
<thead><tr><th scope="col">figure</th><th scope="col">compare.csv column</th>${heads}</tr></thead>
<tbody>
${render(main)}
${group('Share of learners by device type (each report’s top 5)')}
${render(shareRows(table.devices, table.deviceShares, 'device'))}
${group('Share of learners by language (each report’s top 5)')}
${render(shareRows(table.languages, table.languageShares, 'language'))}
</tbody>
</table>
${downloadNote('compare.csv')}
</section>

<section id="charts">
<h2>Charts</h2>
${opts.charts.map((f) => chartFigure(f, CHART_ALT[f], CHART_WIDTH, CHART_HEIGHT)).join('\n')}
</section>

<section id="files">
<h2>Files</h2>
<ul>
<li>${link('compare.csv')} <span class="muted">— one row per report, exact figures</span></li>
${opts.charts.map((f) => `<li>${link(f)}</li>`).join('\n')}
</ul>
</section>
</body>
</html>
`;
}
