/**
 * `index.html` of a catalog report: one self-contained page (no scripts, no external URLs, links
 * only to the report's own files) with the summary tables, both charts and the top rows.
 */
import { csvFormNote } from '../../report/csv-form-note.js';
import { escapeHtml, pageStart } from '../../report/html-parts.js';
import { REPORT_STYLE } from '../../report/report-style.js';
import type { StoredCourse } from '../warehouse/catalog-warehouse.js';
import type { CatalogChartFileName } from './catalog-charts.js';
import { SUMMARY_FIELDS, type CatalogSummary } from './catalog-summary.js';
import type { FieldStats } from './describe.js';

/** Options of {@link renderCatalogIndexHtml}. */
export interface CatalogIndexHtmlOptions {
  summary: CatalogSummary;
  /** The rows of top-enrolments.csv. */
  top: readonly StoredCourse[];
  /** Rows in courses.csv. */
  courses: number;
  /** The warehouse, as safe to show (password redacted). */
  warehouse: string;
  /** When the report was made, shown as given. */
  generatedAt: string;
  /** The CSVs were written spreadsheet-safe (the page says which form they are in). Default false. */
  spreadsheetSafe?: boolean;
  /** Every file of the report directory, for the list of files. */
  files: readonly string[];
}

const STATS_KEYS = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'] as const satisfies readonly (keyof FieldStats)[];

// The clickstream report's stylesheet, plus what this page adds: sub-headings and long URLs.
const STYLE = `${REPORT_STYLE}
h3 { font-size: 1.1em; margin: 20px 0 4px; }
td.url { word-break: break-all; font-size: 0.85em; }
`;

const CHART_ALT: Record<CatalogChartFileName, string> = {
  'boxplots.png': 'Box plots of enrolments, hours, price and rating for each platform and kind',
  'top-enrolments.png': 'Horizontal bar chart: the rows with the most enrolments',
};

const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function num(value: number | null): string {
  return value === null ? '<span class="muted">–</span>' : decimal.format(value);
}

function text(value: string | null): string {
  return value === null || value === '' ? '<span class="muted">–</span>' : escapeHtml(value);
}

function fieldTable(summary: CatalogSummary, field: (typeof SUMMARY_FIELDS)[number]): string {
  const head = ['platform', 'kind', ...STATS_KEYS].map((h, i) => `<th scope="col"${i >= 2 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const rows = summary.groups
    .map((g) => {
      const s = g.stats[field];
      const cells = STATS_KEYS.map((k) => `<td class="num">${k === 'count' ? integer.format(s.count) : num(s[k])}</td>`).join('');
      return `<tr><td>${text(g.platform)}</td><td>${text(g.kind)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<h3>${escapeHtml(field)}</h3>\n<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** The whole page. */
export function renderCatalogIndexHtml(o: CatalogIndexHtmlOptions): string {
  const groupRows = o.summary.groups
    .map((g) => `<tr><td>${text(g.platform)}</td><td>${text(g.kind)}</td><td class="num">${integer.format(g.count)}</td></tr>`)
    .join('\n');
  const topRows = o.top
    .map(
      (c, i) =>
        `<tr><td class="num">${i + 1}</td><td>${text(c.title)}</td><td>${text(c.platform)}</td><td>${text(c.kind)}</td>` +
        `<td class="num">${num(c.enrolments)}</td><td class="num">${num(c.rating)}</td><td class="url">${text(c.url)}</td></tr>`,
    )
    .join('\n');
  const figures = (['boxplots.png', 'top-enrolments.png'] as const)
    .map((f) => `<figure><img src="${f}" alt="${escapeHtml(CHART_ALT[f])}"></figure>`)
    .join('\n');
  const files = o.files.map((f) => `<li><a href="${escapeHtml(f)}">${escapeHtml(f)}</a></li>`).join('\n');
  return `${pageStart('Course catalog report', STYLE)}<h1>Course catalog report</h1>
<p class="muted">Warehouse ${escapeHtml(o.warehouse)} · generated ${escapeHtml(o.generatedAt)} · ${integer.format(o.courses)} current rows (seen in their source’s latest complete crawl)</p>

<h2>Rows by platform and kind</h2>
<table><thead><tr><th scope="col">platform</th><th scope="col">kind</th><th scope="col" class="num">rows</th></tr></thead><tbody>
${groupRows}
</tbody></table>

<h2>Statistics</h2>
<p class="note">count: rows with a value; std: sample standard deviation; quartiles interpolated linearly. Exact values are in catalog-summary.json.</p>
${SUMMARY_FIELDS.map((f) => fieldTable(o.summary, f)).join('\n')}

<h2>Charts</h2>
${figures}

<h2>Most enrolments</h2>
<table><thead><tr><th scope="col" class="num">#</th><th scope="col">title</th><th scope="col">platform</th><th scope="col">kind</th><th scope="col" class="num">enrolments</th><th scope="col" class="num">rating</th><th scope="col">url</th></tr></thead><tbody>
${topRows}
</tbody></table>

<h2>Files</h2>
<p class="note">${csvFormNote(o.spreadsheetSafe ?? false, 'catalog report', 'Course titles, names and descriptions are written by the sites crawled')}</p>
<ul>
${files}
</ul>
</body>
</html>
`;
}
