/**
 * `compare` (docs/COMPARE.md): course runs side by side from their reports' summary.json alone, no
 * dataset needed. Writes compare.csv, the overlaid charts and index.html into a directory that
 * appears only when complete.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InterruptedError, OutputError, SameInputError, UsageError } from '../errors.js';
import { toCsv } from '../report/csv.js';
import { exists, StagedOutput } from '../util/output-dir.js';
import { describeFsError } from '../util/fs-error.js';
import { findSameInput } from '../util/find-same-input.js';
import { COMPARE_CHART_FILES, renderCompareCharts } from './compare-charts.js';
import { renderCompareHtml } from './compare-html.js';
import { compareTable, type CompareTable } from './compare-table.js';
import { readReportSummary, type ReportSummary } from './read-report-summary.js';

/** Name of the table a comparison writes. */
export const COMPARE_CSV_FILE = 'compare.csv';
/** Name of the comparison's page. */
export const COMPARE_INDEX_FILE = 'index.html';
/** Fewest reports a comparison takes. */
export const MIN_COMPARE_REPORTS = 2;

/** Options of {@link compareReports}. */
export interface CompareOptions {
  /** Report directories written by `analyze` (version 2), in the order of the rows and series. At least two. */
  reports: readonly string[];
  /** Directory to create. */
  out: string;
  /** Replace `out` if it exists. Default false. */
  force?: boolean;
  /** Title of index.html. Default {@link defaultCompareTitle} of the reports' names. */
  title?: string;
  /** Shown on index.html as the generation time. Default: now, ISO 8601 UTC. */
  generatedAt?: string;
  /** Stops the comparison (nothing is left behind). Default: none. */
  signal?: AbortSignal;
}

/** What {@link compareReports} produced. */
export interface CompareResult {
  /** Absolute path of the output directory. */
  dir: string;
  /** Files written, in order. */
  files: string[];
  /** The reports read, in order. */
  reports: ReportSummary[];
  /** compare.csv as data. */
  table: CompareTable;
}

/** Whether `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Compares reports: reads and checks every summary.json first (a missing one, one that is not a
 * clickstream summary, or a version-1 one is a ReportInputError naming it, and nothing is
 * written), then writes compare.csv, the charts and index.html into a temporary sibling of `out`
 * renamed into place at the end.
 */
export async function compareReports(options: CompareOptions): Promise<CompareResult> {
  const { reports: dirs, out } = options;
  if (dirs.length < MIN_COMPARE_REPORTS) {
    throw new UsageError(`compare needs at least ${MIN_COMPARE_REPORTS} report directories, got ${dirs.length}`);
  }
  const outPath = resolve(out);
  for (const dir of dirs) {
    // With --force the output replaces what is at `out`: never a report being compared.
    if (within(resolve(dir), outPath)) throw new UsageError(`--out ${out} would replace the report ${dir}; choose another --out`);
  }

  // One report reached twice (the same folder twice, or a link to it) would be two equal rows.
  const same = await findSameInput(dirs);
  if (same !== undefined) {
    throw new SameInputError(same.first, same.second, `${same.first} and ${same.second} are the same report, given twice: give each report once`);
  }

  const reports: ReportSummary[] = [];
  for (const dir of dirs) reports.push(await readReportSummary(dir));
  const seen = new Map<string, string>();
  for (const r of reports) {
    const other = seen.get(r.name);
    // compare.csv names a report by its folder: two folders of one name would be two rows nobody can tell apart.
    if (other !== undefined && other !== r.dir) {
      throw new UsageError(`two reports are named '${r.name}' (${other} and ${r.dir}); compare.csv names rows by folder, so rename or copy one`);
    }
    if (other === r.dir) throw new UsageError(`the report ${r.dir} is given twice`);
    seen.set(r.name, r.dir);
  }

  const table = compareTable(reports);
  // --force replaces only an earlier comparison, never a report being compared nor anything else.
  const staged = await StagedOutput.create(out, { force: options.force ?? false, guard: { kind: 'comparison', inputs: reports.map((r) => r.dir) } });
  try {
    const files: string[] = [];
    const write = async (name: string, data: string | Buffer): Promise<void> => {
      if (options.signal?.aborted) throw new InterruptedError('compare interrupted; nothing was written');
      try {
        await writeFile(join(staged.tempPath, name), data);
      } catch (err) {
        throw new OutputError(`cannot write ${name} in ${out}: ${describeFsError(err)}`, { cause: err });
      }
      files.push(name);
    };
    await write(COMPARE_CSV_FILE, toCsv(table.header, table.rows));
    const charts = await renderCompareCharts(reports, table);
    for (const name of COMPARE_CHART_FILES) await write(name, charts[name]);
    const reportLinks = await Promise.all(
      reports.map(async (r) => ((await exists(join(r.dir, COMPARE_INDEX_FILE))) ? relative(outPath, join(r.dir, COMPARE_INDEX_FILE)).split(sep).join('/') : null)),
    );
    const html = renderCompareHtml(reports, table, {
      title: options.title ?? defaultCompareTitle(reports.map((r) => r.name)),
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      charts: COMPARE_CHART_FILES,
      reportLinks,
    });
    await write(COMPARE_INDEX_FILE, html);
    if (options.signal?.aborted) throw new InterruptedError('compare interrupted; nothing was written');
    await staged.commit();
    return { dir: staged.finalPath, files, reports, table };
  } catch (err) {
    await staged.discard();
    throw err;
  }
}

/** The title of a comparison's index.html when `--title` is not given: `Comparison of a, b`. */
export function defaultCompareTitle(names: readonly string[]): string {
  return `Comparison of ${names.join(', ')}`;
}
