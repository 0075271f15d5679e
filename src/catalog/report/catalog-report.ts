/**
 * `catalog report`: the current rows of a warehouse summarised into a report directory that
 * appears only when complete (written into a temporary sibling, then renamed into place).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClickstreamError, OutputError } from '../../errors.js';
import { writeCsvFile } from '../../report/csv.js';
import { describeFsError } from '../../util/fs-error.js';
import { StagedOutput } from '../../util/output-dir.js';
import type { CatalogWarehouse } from '../warehouse/catalog-warehouse.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { isPostgresTarget } from '../warehouse/warehouse-target.js';
import { CATALOG_CHART_FILES, renderCatalogCharts } from './catalog-charts.js';
import { renderCatalogIndexHtml } from './catalog-html.js';
import { catalogSummary, topEnrolments, type CatalogSummary } from './catalog-summary.js';
import { COURSE_CSV_HEADER, courseCsvRow } from './course-table.js';

/** Every file of a catalog report, in the order written (index.html last: it links to the others). */
export const CATALOG_REPORT_FILES = [
  'catalog-summary.json',
  'courses.csv',
  'top-enrolments.csv',
  ...CATALOG_CHART_FILES,
  'index.html',
] as const;

/** Options of {@link catalogReport}. */
export interface CatalogReportOptions {
  /**
   * The warehouse: a target as `--warehouse` takes it (opened and closed here; a DuckDB file must
   * exist), or an open warehouse (left open).
   */
  warehouse: string | CatalogWarehouse;
  /** The report directory to create. */
  out: string;
  /** Replace an existing `out`. Default false: an existing `out` is an OutputExistsError (exit 4). */
  force?: boolean;
  /** Write the CSVs in OWASP's spreadsheet-safe form instead of exactly (see csvField). Default false. */
  spreadsheetSafe?: boolean;
  /** Shown on index.html as the generation time. Default: now, as an ISO 8601 UTC timestamp. */
  generatedAt?: string;
}

/** What {@link catalogReport} wrote. */
export interface CatalogReportResult {
  /** Absolute path of the report directory. */
  out: string;
  /** Rows in courses.csv. */
  courses: number;
  summary: CatalogSummary;
}

/** Writes the report of the warehouse's current rows (DATA-CONTRACT §8 "Report"; docs/CATALOG.md). */
export async function catalogReport(options: CatalogReportOptions): Promise<CatalogReportResult> {
  const staged = await StagedOutput.create(options.out, {
    force: options.force ?? false,
    // Only a DuckDB file is an input on disk that --force must never replace. A PostgreSQL URL is not
    // a path, and the refusal message names its inputs: the URL's password would be in it.
    guard: { kind: 'catalog-report', inputs: typeof options.warehouse === 'string' && !isPostgresTarget(options.warehouse) ? [options.warehouse] : [] },
  });
  try {
    const owned = typeof options.warehouse === 'string';
    const warehouse = typeof options.warehouse === 'string' ? await openWarehouse(options.warehouse, { mustExist: true }) : options.warehouse;
    let rows;
    try {
      rows = await warehouse.courses('current');
    } finally {
      if (owned) await warehouse.close();
    }
    const dir = staged.tempPath;
    const summary = catalogSummary(rows);
    const top = topEnrolments(rows);
    // Numbers go out exactly: JSON.stringify writes the shortest text that reads back the same double.
    await writeFile(join(dir, 'catalog-summary.json'), JSON.stringify(summary, null, 2) + '\n', 'utf8');
    const spreadsheetSafe = options.spreadsheetSafe ?? false;
    await writeCsvFile(join(dir, 'courses.csv'), COURSE_CSV_HEADER, rows.map(courseCsvRow), { spreadsheetSafe });
    await writeCsvFile(join(dir, 'top-enrolments.csv'), COURSE_CSV_HEADER, top.map(courseCsvRow), { spreadsheetSafe });
    const charts = await renderCatalogCharts(summary, top);
    for (const name of CATALOG_CHART_FILES) await writeFile(join(dir, name), charts[name]);
    const html = renderCatalogIndexHtml({
      summary,
      top,
      courses: rows.length,
      warehouse: warehouse.displayName,
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      spreadsheetSafe,
      files: CATALOG_REPORT_FILES.filter((f) => f !== 'index.html'),
    });
    await writeFile(join(dir, 'index.html'), html, 'utf8');
    await staged.commit();
    return { out: staged.finalPath, courses: rows.length, summary };
  } catch (err) {
    await staged.discard();
    // A file system failure while writing (disk full, permissions) is an output error; anything
    // else (the warehouse, a bug) keeps its own class.
    if (!(err instanceof ClickstreamError) && isSystemError(err)) {
      throw new OutputError(`cannot write the report to ${options.out}: ${describeFsError(err)}`, { cause: err });
    }
    throw err;
  }
}

function isSystemError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall !== undefined;
}
