import { estimateRunRemainingMs } from './estimate-run-remaining.js';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AggregatePartitionPayload, AggregatePartitionResult } from './partition-job.js';
import { resolveAnalysisSettings, type AnalysisOptions, type AnalysisSettings } from '../analytics/analysis-settings.js';
import { InternalError, InterruptedError, UsageError } from '../errors.js';
import { newRunId, readResult, removeRunDirectory, resultDirectory, validateRunId } from '../run/run-scratch.js';
import type { Summary } from '../report/report-types.js';
import type { PartialResult } from '../run/partial-result.js';
import { mapDiskFull } from '../util/disk-full.js';
import { sortCodePoints } from '../util/compare.js';
import { StagedOutput } from '../util/output-dir.js';
import { openDataset, type Dataset } from '../dataset/open-dataset.js';
import { datasetFormat } from '../dataset/manifest.js';
import { eventFormat, listFormats } from '../formats/format-registry.js';
import type { PartitionExecutor, RunProgress } from './executor.js';
import { unionLearnersParquet } from './learners-parquet.js';
import { LocalPool } from './local-pool.js';
import { LEARNERS_PARQUET } from '../report/report-format.js';
import { reducePartials } from './reduce.js';

/** Options of {@link analyze}; the learning analytics' own (zone, filter, session gap) are {@link AnalysisOptions}. */
export interface AnalyzeOptions extends AnalysisOptions {
  /** Dataset directory written by `convert`. */
  dataset: string;
  /** Report directory to create. */
  out: string;
  /** Title of `index.html`. Default: the dataset directory's name. */
  title?: string;
  /** Local worker threads. Default: the number of cores. Ignored when `executor` is given. */
  workers?: number;
  /** Size of `topUsers` in summary.json. Default 20. */
  top?: number;
  /** Replace `out` if it exists. Default false. */
  force?: boolean;
  /**
   * Run identity: names the scratch directory of partial results (and, in Redis mode, the queue), so
   * that a restarted coordinator with the same id resumes. Default: a fresh random id.
   */
  runId?: string;
  /** Where partition jobs run. Default: a {@link LocalPool} of `workers` threads. */
  executor?: PartitionExecutor;
  /**
   * Write the CSVs in OWASP's spreadsheet-safe form: a text starting with `=`, `+`, `-`, `@`, a tab or
   * a CR gets a leading `'`. Default false: the CSVs are exact.
   */
  spreadsheetSafe?: boolean;
  /** Told, one line each, about what analyze did besides analyzing (stale temporaries removed). Default: nothing is told. */
  onNotice?: (line: string) => void;
  /** Called as partitions finish. */
  onProgress?: (progress: RunProgress) => void;
  /** Aborting stops the run and rejects with InterruptedError. */
  signal?: AbortSignal;
}

export interface AnalyzeResult {
  dir: string;
  runId: string;
  summary: Summary;
  files: string[];
}

export const DEFAULT_TOP = 20;

/**
 * Analyzes a dataset: one job per partition (local threads or a queue), then an exact reduce and the
 * report files. The report directory appears only when complete.
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const top = options.top ?? DEFAULT_TOP;
  if (!Number.isInteger(top) || top < 0) throw new UsageError(`--top must be a whole number ≥ 0, got ${top}`);
  const workers = options.workers ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new UsageError(`--workers must be a whole number from 1 to 256, got ${workers}`);
  }
  const runId = validateRunId(options.runId ?? newRunId());
  resolveAnalysisSettings(options); // a bad option is a usage error before the dataset is opened

  if (options.signal?.aborted) throw new InterruptedError('analyze interrupted; no report was written');
  const dataset = await openDataset(options.dataset);
  // The dataset says its format; the analysis reads it through that format's adapter only.
  const format = datasetFormat(dataset.manifest);
  const settings = resolveAnalysisSettings(options, format);
  if (settings.course !== undefined && eventFormat(format)?.hasCourses !== true) {
    throw new UsageError(`--course: ${options.dataset} is a ${format} dataset, whose events name no course; --course applies to ${listFormats((f) => f.label, 'and', (f) => f.hasCourses)} datasets`);
  }
  const output = await StagedOutput.create(options.out, {
    force: options.force ?? false,
    guard: { kind: 'report', inputs: [options.dataset] },
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  const executor = options.executor ?? new LocalPool({ workers });
  // A run that cannot resume keeps its scratch inside the report's temporary directory (as if the
  // report were written there): a killed run's is removed with it by the next run to the same place.
  const runHome = executor.resumable ? options.out : join(output.tempPath, basename(output.finalPath));
  const resultDir = resultDirectory(runHome, runId);
  let doing = 'writing partial results'; // for a full disk's message
  const interruptedMessage = executor.resumable ? `analyze interrupted; rerun with --run-id ${runId} to resume` : 'analyze interrupted; no report was written';
  const onAbort = (): void => void executor.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort(); // aborted before the listener was there
  try {
    const payloads = planJobs(dataset, resultDir, settings);
    // The report modules (Chart.js, canvas) load while the partitions are aggregated elsewhere.
    const reportWriter = import('../report/write-report.js');
    reportWriter.catch(() => undefined);
    const results = await runJobs(executor, payloads, options.onProgress);
    if (options.signal?.aborted) throw new InterruptedError(interruptedMessage);
    const partials = await loadPartials(results, payloads, resultDir);
    if (settings.course !== undefined) refuseEmptyCourse(settings.course, partials, options.dataset);
    const report = reducePartials(partials, dataset.manifest.counts, { top, settings });
    const leftOut = partials.reduce((sum, p) => sum + p.leftOut, 0);
    const otherCourses = report.summary.course?.otherEvents ?? 0;
    if (report.summary.events + leftOut + otherCourses !== dataset.manifest.counts.events) {
      throw new InternalError(
        `the partitions hold ${report.summary.events} events (and ${leftOut} left out, ${otherCourses} of other courses) but the manifest counts ` +
          `${dataset.manifest.counts.events}`,
      );
    }
    const { writeReport } = await reportWriter;
    doing = 'writing the report';
    // learners.parquet first: it is the union of the partitions' learner rows, which lie beside
    // their results in the run's scratch. A local run's scratch can go right after (its partial
    // results are in memory now), leaving the room it took to the rest of the report.
    await unionLearnersParquet(
      partials.map((p) => join(resultDir, p.analytics.learnersFile)),
      join(output.tempPath, LEARNERS_PARQUET),
    );
    if (!executor.resumable) await removeRunDirectory(runHome, runId); // not to be moved into the report
    const files = await writeReport(report, output.tempPath, {
      title: options.title ?? basename(dataset.dir),
      spreadsheetSafe: options.spreadsheetSafe ?? false,
      extraFiles: [{ file: LEARNERS_PARQUET, description: 'learners.csv as Parquet, typed (timestamps, integers)' }],
    });
    files.push(LEARNERS_PARQUET);
    if (options.signal?.aborted) throw new InterruptedError(interruptedMessage);
    await output.commit();
    await removeRunDirectory(runHome, runId);
    return { dir: output.finalPath, runId, summary: report.summary, files };
  } catch (err) {
    await output.discard();
    const interrupted = options.signal?.aborted || err instanceof InterruptedError;
    // A run that can resume (a queue run: its jobs stay in Redis and workers may still be writing
    // results) keeps its scratch whatever went wrong, even a refused --run-id, which may be another
    // run's. Local threads start afresh, so their scratch goes.
    if (!executor.resumable) await removeRunDirectory(runHome, runId);
    if (interrupted && !(err instanceof InterruptedError)) {
      throw new InterruptedError(interruptedMessage, { cause: err });
    }
    throw mapDiskFull(err, dirname(output.finalPath), doing, 'no report was written');
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await executor.close();
  }
}

/** Most course ids a refusal of `--course` lists. */
const COURSES_LISTED = 20;

/**
 * Refuses (UsageError, exit 2) a `--course` no event of the dataset belongs to, listing the
 * courses the dataset holds: a typo must not give an empty report.
 */
function refuseEmptyCourse(course: string, partials: readonly PartialResult[], dataset: string): void {
  let rows = 0;
  let outside = 0;
  const names = new Set<string>();
  for (const p of partials) {
    rows += p.events + p.leftOut + (p.outsideCourse ?? 0);
    outside += p.outsideCourse ?? 0;
    for (const name of p.otherCourses ?? []) names.add(name);
  }
  if (rows - outside > 0) return;
  const sorted = sortCodePoints([...names]);
  const shown = sorted.slice(0, COURSES_LISTED).join(', ');
  const more = sorted.length > COURSES_LISTED ? ` and ${sorted.length - COURSES_LISTED} more` : '';
  throw new UsageError(
    `--course: no event of ${dataset} belongs to ${JSON.stringify(course)}; ` +
      (sorted.length === 0 ? 'the dataset holds no event' : `its courses are ${shown}${more}`) +
      '; no report was written',
  );
}

/** One job per partition, naming it by reference; every job gets the run's analysis settings. */
export function planJobs(dataset: Dataset, resultDir: string, settings: AnalysisSettings = resolveAnalysisSettings({})): AggregatePartitionPayload[] {
  return dataset.manifest.partitions.map((p) => ({
    dataset: dataset.dir,
    partition: p.id,
    file: p.file,
    rows: p.rows,
    resultDir,
    settings,
  }));
}

async function runJobs(
  executor: PartitionExecutor,
  payloads: AggregatePartitionPayload[],
  onProgress: AnalyzeOptions['onProgress'],
): Promise<AggregatePartitionResult[]> {
  const rowsOf = new Map(payloads.map((p) => [p.partition, p.rows]));
  const rowsTotal = payloads.reduce((sum, p) => sum + p.rows, 0);
  const progress: RunProgress = { done: 0, total: payloads.length, workers: {}, rowsDone: 0, rowsTotal, elapsedMs: 0, etaMs: undefined };
  const started = Date.now();
  const rowsByWorker = new Map<string, number>();
  onProgress?.(progress);
  return executor.run(payloads, (result, worker) => {
    progress.done++;
    progress.rowsDone += rowsOf.get(result.partition) ?? 0;
    progress.elapsedMs = Date.now() - started;
    progress.etaMs = estimateRunRemainingMs(progress);
    rowsByWorker.set(worker, (rowsByWorker.get(worker) ?? 0) + result.events);
    const w = (progress.workers[worker] ??= { partitions: 0, rowsPerSecond: 0 });
    w.partitions++;
    w.rowsPerSecond = Math.round((rowsByWorker.get(worker)! * 1000) / Math.max(1, Date.now() - started));
    onProgress?.(progress);
  });
}

/** Reads each partition's result once, from where it must be: the reduce sees every partition exactly once. */
async function loadPartials(
  results: AggregatePartitionResult[],
  payloads: AggregatePartitionPayload[],
  resultDir: string,
): Promise<PartialResult[]> {
  const byPartition = new Map<number, AggregatePartitionResult>();
  for (const r of results) byPartition.set(r.partition, r);
  const missing = payloads.filter((p) => !byPartition.has(p.partition)).map((p) => p.partition);
  if (missing.length > 0 || byPartition.size !== payloads.length) {
    throw new InternalError(`results are missing for partition(s) ${missing.join(', ')}`);
  }
  return Promise.all(payloads.map((p) => readResult(resultDir, p.partition, p.rows)));
}
