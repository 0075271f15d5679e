/**
 * The home of a run of `analyze`: its scratch directory beside the report, the partial result file of
 * each partition in it, writing a result (atomically) and reading one back (checked), and removing the
 * scratch only when nothing can resume it. Local threads and Redis workers use the same functions, so
 * the two executors cannot disagree about where a result is or what it must hold.
 *
 * ```
 * <report-parent>/.<report-name>.run-<runId>/partials/partition-00007.json
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { partitionNumber } from '../dataset/dataset-format.js';
import { DatasetError, InternalError, UsageError } from '../errors.js';
import type { PartialResult } from './partial-result.js';

/** Name of the directory of partial results inside a run directory. */
export const RESULTS_DIR_NAME = 'partials';

/** Run ids: letters, digits, `-` and `_` (they become part of directory names and BullMQ job ids). */
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks a run id (`--run-id`). */
export function validateRunId(runId: string): string {
  if (!RUN_ID.test(runId)) throw new UsageError(`--run-id may hold only letters, digits, - and _ (at most 64), got ${runId}`);
  return runId;
}

/** A fresh random run id: 12 hex digits. */
export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/** Scratch directory of a run: beside the report, so it is on the same (shared) storage. */
export function runDirectory(out: string, runId: string): string {
  const full = resolve(out);
  return join(dirname(full), `.${basename(full)}.run-${validateRunId(runId)}`);
}

/** Directory of a run's partial results. */
export function resultDirectory(out: string, runId: string): string {
  return join(runDirectory(out, runId), RESULTS_DIR_NAME);
}

/**
 * True when `dir` (absolute) has the shape of a run's result directory, `…/.<name>.run-<id>/partials`:
 * the only kind of directory a job may write into.
 */
export function isResultDirectory(dir: string): boolean {
  return basename(dir) === RESULTS_DIR_NAME && /^\..+\.run-[A-Za-z0-9_-]{1,64}$/.test(basename(dirname(dir)));
}

/** `partition-00007.learners.parquet`: partition 7's rows of learners.parquet, beside its result file. */
export function learnersFileName(partition: number): string {
  return `partition-${partitionNumber(partition)}.learners.parquet`;
}

/** `partition-00007.json` for partition 7. */
export function resultFileName(partition: number): string {
  return `partition-${partitionNumber(partition)}.json`;
}

/** The one path where the result of `partition` is, in result directory `resultDir`. */
export function resultFilePath(resultDir: string, partition: number): string {
  return join(resultDir, resultFileName(partition));
}

/**
 * Writes a partition's partial result atomically (temporary file, then rename): two runs of the same
 * job write the same bytes, and a reader sees one whole file or none. Returns its path.
 */
export async function writeResult(resultDir: string, partial: PartialResult): Promise<string> {
  await mkdir(resultDir, { recursive: true });
  const file = resultFilePath(resultDir, partial.partition);
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, JSON.stringify(partial));
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return file;
}

/**
 * Reads the result of a completed partition job from where it must be, and checks that it is that
 * partition's, with the rows the manifest promises. A file that does not match was written by
 * something else (or the dataset changed): a DatasetError, never a silent mix.
 */
export async function readResult(resultDir: string, partition: number, rows: number): Promise<PartialResult> {
  const file = resultFilePath(resultDir, partition);
  let partial: PartialResult;
  try {
    partial = JSON.parse(await readFile(file, 'utf8')) as PartialResult;
  } catch (err) {
    throw new InternalError(`cannot read the result of partition ${partition} (${file}): ${(err as Error).message}`, { cause: err });
  }
  // A filter (DATA-CONTRACT §6.3) leaves events out: kept + left out are the partition's rows. The learners'
  // Parquet rows must lie beside the result, under a plain file name.
  const learnersFile = (partial as Partial<PartialResult> | null)?.analytics?.learnersFile;
  if (
    typeof partial !== 'object' ||
    partial === null ||
    partial.partition !== partition ||
    partial.events + partial.leftOut + (partial.outsideCourse ?? 0) !== rows ||
    typeof learnersFile !== 'string' ||
    basename(learnersFile) !== learnersFile
  ) {
    throw new DatasetError(
      `the result ${file} is not partition ${partition}'s with ${rows} rows; was the dataset replaced during the run? ` +
        'rerun with another --run-id',
    );
  }
  return partial;
}

/**
 * Removes a run's scratch directory. Workers of a queue may still be writing into it (a duplicate run
 * of a stalled job), so a directory that refills is retried; a failure to remove scratch never fails
 * an analysis whose report is written. Returns false when the directory could not be removed.
 */
export async function removeRunDirectory(out: string, runId: string): Promise<boolean> {
  try {
    await rm(runDirectory(out, runId), { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    return true;
  } catch {
    return false;
  }
}
