/**
 * The pieces index.html pages are built of: escaping, number formats, links, tables of figures and
 * of named counts, chart figures. Every string that comes from the data goes through
 * {@link escapeHtml} or {@link dataText} here, so the pages only assemble already-safe HTML.
 */
import type { NamedCount } from './report-types.js';

const LOCALE = 'en-US';
const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
// Means and quantiles may be fractional; two decimals is plenty to read, the JSON keeps them exact.
const decimalFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A whole number with thousands separators. */
export const int = (n: number): string => integerFormat.format(n);
/** A number with at most two decimals. */
export const dec = (n: number): string => decimalFormat.format(n);
/** `part` as a percentage of `whole` (one decimal), or an en dash when `whole` is 0. */
export const share = (part: number, whole: number): string => (whole > 0 ? percentFormat.format(part / whole) : '–');
/** A fraction 0–1 as a percentage with one decimal. */
export const percent = (fraction: number): string => percentFormat.format(fraction);

/** Data text, escaped; an empty value is shown as "(empty)", since an empty cell would look like a rendering bug. */
export function dataText(text: string): string {
  return text === '' ? '<span class="muted">(empty)</span>' : escapeHtml(text);
}

/** A link to a file next to the page, showing its name. */
export function link(file: string): string {
  const f = escapeHtml(file);
  return `<a href="${f}">${f}</a>`;
}

/** Rows of a two-column table of figures; labels and values must already be HTML. */
export function figureRows(rows: readonly (readonly [string, string])[]): string {
  return rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td class="num">${v}</td></tr>`).join('\n');
}

/** A captioned table of figures; `caption` is plain text, rows as for {@link figureRows}. */
export function figureTable(caption: string, rows: readonly (readonly [string, string])[]): string {
  return `<table>
<caption class="muted">${escapeHtml(caption)}</caption>
<tbody>
${figureRows(rows)}
</tbody>
</table>`;
}

/** A "showing N of M" note pointing to the CSV, or '' when the table is complete. */
export function truncationNote(shown: number, total: number, csv: string): string {
  return shown < total
    ? `<p class="note">Showing the first ${int(shown)} of ${int(total)} rows; all of them are in ${link(csv)}.</p>`
    : '';
}

/** The "Download: file.csv" line under a table. */
export function downloadNote(...files: string[]): string {
  return `<p class="note">Download: ${files.map(link).join(', ')}</p>`;
}

/** A column of a data table: its header (plain text) and whether it holds numbers (right-aligned). */
export interface HtmlColumn {
  header: string;
  /** Right-aligned, tabular figures. Default false. */
  numeric?: boolean;
  /** Class of the column's body cells (e.g. `ua` for raw user agents). Default: none. */
  className?: string;
}

function cellClass(column: HtmlColumn | undefined): string {
  const classes = [column?.numeric ? 'num' : '', column?.className ?? ''].filter(Boolean).join(' ');
  return classes ? ` class="${classes}"` : '';
}

/**
 * A table of rows whose cells are already HTML, with "none" when there are no rows, and an optional
 * plain-text caption. Only the rows given are shown; the caller slices and adds the {@link truncationNote}.
 */
export function dataTable(columns: readonly HtmlColumn[], rows: readonly (readonly string[])[], className = '', caption = ''): string {
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`)
    .join('');
  const body =
    rows.length === 0
      ? `<tr><td colspan="${columns.length}" class="muted">none</td></tr>`
      : rows
          .map((cells) => `<tr>${cells.map((cell, i) => `<td${cellClass(columns[i])}>${cell}</td>`).join('')}</tr>`)
          .join('\n');
  return `<table${className ? ` class="${className}"` : ''}>${caption ? `\n<caption class="muted">${escapeHtml(caption)}</caption>` : ''}
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

/** Rows of a named-count table: name, events, learners, % of learners. */
export function namedCountRows(counts: readonly NamedCount[], learners: number): string[][] {
  return counts.map((c) => [dataText(c.name), int(c.events), int(c.users), share(c.users, learners)]);
}

/** Columns of {@link namedCountRows}, the first headed `nameHeader`. */
export function namedCountColumns(nameHeader: string): HtmlColumn[] {
  return [{ header: nameHeader }, { header: 'events', numeric: true }, { header: 'learners', numeric: true }, { header: '% of learners', numeric: true }];
}

/**
 * A chart image at its natural size (scaled down by CSS on narrow screens). `undrawable` > 0 adds
 * a caption saying how many characters the chart shows as `?` because its font lacks them.
 */
export function chartFigure(file: string, alt: string, width: number, height: number, undrawable = 0): string {
  const img = `<img src="${escapeHtml(file)}" alt="${escapeHtml(alt)}" width="${width}" height="${height}">`;
  return undrawable > 0 ? `<figure>${img}<figcaption class="note">${undrawableNote(undrawable)}</figcaption></figure>` : `<figure>${img}</figure>`;
}

/** The caption of a chart that drew `count` (> 0) characters as `?`. */
export function undrawableNote(count: number): string {
  const n = new Intl.NumberFormat('en-US').format(count);
  return `${n} character${count === 1 ? '' : 's'} could not be drawn: the chart font lacks ${count === 1 ? 'it' : 'them'}, so the chart shows ? instead; the table and CSV have the names exactly.`;
}

/** The start of a report page, through `<body>`: the same head for every page this tool writes. */
export function pageStart(title: string, style: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
`;
}
