import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { AggregatePartitionPayload, AggregatePartitionResult } from '../../jobs/aggregate-partition.js';
import { resolveAnalysisSettings, type AnalysisOptions, type AnalysisSettings } from '../analytics/analysis-settings.js';
import { InternalError, InterruptedError, RedisUnavailableError, UsageError } from '../errors.js';
import type { PartialResult, Summary } from '../types.js';
import { StagedOutput } from '../util/output-dir.js';
import { openDataset, type Dataset } from './dataset.js';
import type { PartitionExecutor, RunProgress } from './executor.js';
import { LEARNERS_PARQUET, unionLearnersParquet } from './learners-parquet.js';
import { LocalPool } from './local-pool.js';
import { reducePartials } from './reduce.js';

/** Options of {@link analyze}; the learning analytics' own (zone, filter, session gap) are {@link AnalysisOptions}. */
export interface AnalyzeOptions extends AnalysisOptions {
  /** Dataset directory written by `convert`. */
  dataset: string;
  /** Report directory to create. */
  out: string;
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

/** Scratch directory of a run's partial results: beside the report, so it is on the same storage. */
export function runDirectory(out: string, runId: string): string {
  const full = resolve(out);
  return join(dirname(full), `.${basename(full)}.run-${runId}`);
}

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
  const runId = options.runId ?? randomBytes(6).toString('hex');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw new UsageError(`--run-id may hold only letters, digits, - and _ (at most 64), got ${runId}`);

  const settings = resolveAnalysisSettings(options);

  const dataset = await openDataset(options.dataset);
  const output = await StagedOutput.create(options.out, options.force ?? false);
  const runDir = runDirectory(options.out, runId);
  const resultDir = join(runDir, 'partials');
  const executor = options.executor ?? new LocalPool({ workers });
  const onAbort = (): void => void executor.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const payloads = planJobs(dataset, resultDir, settings);
    // The report modules (Chart.js, canvas) load while the partitions are aggregated elsewhere.
    const reportWriter = import('../report/write-report.js');
    reportWriter.catch(() => undefined);
    const results = await runJobs(executor, payloads, options.onProgress);
    if (options.signal?.aborted) throw new InterruptedError(`analyze interrupted; rerun with --run-id ${runId} to resume`);
    const { partials, learnerFiles } = await loadPartials(results, payloads);
    const report = reducePartials(partials, dataset.manifest.counts, { top, settings });
    const leftOut = report.summary.filter?.events ?? 0;
    if (report.summary.events + leftOut !== dataset.manifest.counts.events) {
      throw new InternalError(
        `the partitions hold ${report.summary.events} events (and ${leftOut} left out) but the manifest counts ${dataset.manifest.counts.events}`,
      );
    }
    const { writeReport } = await reportWriter;
    const files = await writeReport(report, output.tempPath, { title: basename(dataset.dir) });
    await unionLearnersParquet(learnerFiles, join(output.tempPath, LEARNERS_PARQUET));
    files.push(LEARNERS_PARQUET);
    if (options.signal?.aborted) throw new InterruptedError(`analyze interrupted; rerun with --run-id ${runId} to resume`);
    await output.commit();
    await rm(runDir, { recursive: true, force: true });
    return { dir: output.finalPath, runId, summary: report.summary, files };
  } catch (err) {
    await output.discard();
    const interrupted = options.signal?.aborted || err instanceof InterruptedError;
    // Finished partitions of an interrupted queue run, or of one that lost Redis, are worth keeping:
    // the same --run-id resumes. Local threads start afresh, and a failed run has nothing to resume.
    const resumable = options.executor && (interrupted || err instanceof RedisUnavailableError);
    if (!resumable) await rm(runDir, { recursive: true, force: true });
    if (interrupted && !(err instanceof InterruptedError)) {
      throw new InterruptedError(`analyze interrupted; rerun with --run-id ${runId} to resume`, { cause: err });
    }
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await executor.close();
  }
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
  const progress: RunProgress = { done: 0, total: payloads.length, workers: {} };
  const started = Date.now();
  const rowsByWorker = new Map<string, number>();
  onProgress?.(progress);
  return executor.run(payloads, (result, worker) => {
    progress.done++;
    rowsByWorker.set(worker, (rowsByWorker.get(worker) ?? 0) + result.events);
    const w = (progress.workers[worker] ??= { partitions: 0, rowsPerSecond: 0 });
    w.partitions++;
    w.rowsPerSecond = Math.round((rowsByWorker.get(worker)! * 1000) / Math.max(1, Date.now() - started));
    onProgress?.(progress);
  });
}

/**
 * Reads each partition's result once: the reduce sees every partition exactly once. Also gives the
 * partitions' learners Parquet files, which lie beside their results.
 */
async function loadPartials(
  results: AggregatePartitionResult[],
  payloads: AggregatePartitionPayload[],
): Promise<{ partials: PartialResult[]; learnerFiles: string[] }> {
  const byPartition = new Map<number, AggregatePartitionResult>();
  for (const r of results) byPartition.set(r.partition, r);
  const missing = payloads.filter((p) => !byPartition.has(p.partition)).map((p) => p.partition);
  if (missing.length > 0 || byPartition.size !== payloads.length) {
    throw new InternalError(`results are missing for partition(s) ${missing.join(', ')}`);
  }
  const learnerFiles: string[] = [];
  const partials = await Promise.all(
    payloads.map(async (p, i) => {
      const file = byPartition.get(p.partition)!.resultFile;
      const partial = JSON.parse(await readFile(file, 'utf8')) as PartialResult;
      const learnersFile = partial.analytics?.learnersFile;
      if (
        partial.partition !== p.partition ||
        partial.events + partial.leftOut !== p.rows ||
        typeof learnersFile !== 'string' ||
        basename(learnersFile) !== learnersFile
      ) {
        throw new InternalError(`partial result ${file} does not match partition ${p.partition}`);
      }
      learnerFiles[i] = join(dirname(file), learnersFile);
      return partial;
    }),
  );
  return { partials, learnerFiles };
}
