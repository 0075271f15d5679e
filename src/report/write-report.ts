/**
 * Writes a complete report directory: summary.json, the CSV tables, the charts and index.html.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './report-types.js';
import { renderChartsCounted } from './charts.js';
import { writeCsvFile } from './csv.js';
import { renderIndexHtml, type ExtraReportFile } from './html.js';
import { COURSES_CSV, CHART_FILES, CSV_FILES, INDEX_FILE, SUMMARY_FILE } from './report-format.js';
import { coursesTable, reportTables } from './tables.js';

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Title of index.html. */
  title: string;
  /** Shown on index.html as the generation time. Default: now, as an ISO 8601 UTC timestamp. */
  generatedAt?: string;
  /** Write the CSVs in OWASP's spreadsheet-safe form instead of exactly (see csvField). Default false. */
  spreadsheetSafe?: boolean;
  /**
   * Files the caller writes into the same directory itself (e.g. `learners.parquet`), for
   * index.html to link to. Default: none.
   */
  extraFiles?: readonly ExtraReportFile[];
}

/**
 * Writes every report file into `dir`, which must already exist (the caller owns creating it and
 * moving it into place atomically); existing files of the same names are replaced.
 * Resolves with the names of the files written, in the order written: summary.json, the CSVs,
 * the PNG charts, then index.html last, since it links to all the others.
 */
export async function writeReport(report: Report, dir: string, opts: WriteReportOptions): Promise<string[]> {
  const written: string[] = [];

  // Numbers go out exactly as computed: JSON.stringify writes the shortest round-tripping form.
  await writeFile(join(dir, SUMMARY_FILE), JSON.stringify(report.summary, null, 2) + '\n', 'utf8');
  written.push(SUMMARY_FILE);

  const tables = reportTables(report);
  for (const name of CSV_FILES) {
    // Streamed: users.csv and user-agents.csv can have millions of rows.
    await writeCsvFile(join(dir, name), tables[name].header, tables[name].rows, { spreadsheetSafe: opts.spreadsheetSafe ?? false });
    written.push(name);
  }
  // Only for formats whose events name their course (Open edX); a Coursera export is one course.
  const extraFiles = [...(opts.extraFiles ?? [])];
  if (report.courses !== undefined) {
    const table = coursesTable(report.courses);
    await writeCsvFile(join(dir, COURSES_CSV), table.header, table.rows, { spreadsheetSafe: opts.spreadsheetSafe ?? false });
    written.push(COURSES_CSV);
    extraFiles.unshift({ file: COURSES_CSV, description: 'events and learners per course' });
  }

  const charts = await renderChartsCounted(report);
  for (const name of CHART_FILES) {
    await writeFile(join(dir, name), charts.pngs[name]);
    written.push(name);
  }

  const html = renderIndexHtml(report, {
    title: opts.title,
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    charts: CHART_FILES,
    spreadsheetSafe: opts.spreadsheetSafe ?? false,
    extraFiles,
    undrawable: charts.undrawable,
  });
  await writeFile(join(dir, INDEX_FILE), html, 'utf8');
  written.push(INDEX_FILE);

  return written;
}
