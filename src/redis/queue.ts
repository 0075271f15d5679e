/**
 * The one well-known BullMQ queue of Redis mode and the names in it. Long-running workers listen on
 * `<prefix>:analyze` and need no discovery; runs are told apart by their job ids.
 */
import { partitionNumber } from '../dataset/dataset-format.js';
import { UsageError } from '../errors.js';

/** The BullMQ queue every coordinator adds to and every worker takes from. */
export const QUEUE_NAME = 'analyze';

/** BullMQ key prefix (`--prefix`); every key of Redis mode starts with `<prefix>:analyze:`. */
export const DEFAULT_PREFIX = 'clickstream';

/** Default `--concurrency` of a worker process: partition jobs it runs at once. */
export const DEFAULT_CONCURRENCY = 1;

/** Default `--attempts`: how many times a partition job may run (failures and stalls). */
export const DEFAULT_ATTEMPTS = 3;

/** Default `--lock-ms`: BullMQ's lock duration, also used as the stalled-check interval. */
export const DEFAULT_LOCK_MS = 30_000;

/** Checks `--prefix`: letters, digits, `_`, `-`, `.`, and `{}` for Redis Cluster hash tags. */
export function validatePrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_.{}-]{1,64}$/.test(prefix)) {
    throw new UsageError(`--prefix may hold only letters, digits, _ - . { } (at most 64), got '${prefix}'`);
  }
  return prefix;
}

/** Checks a run id: it becomes part of job ids, which may not contain `:` (run-scratch owns the rule). */
export { validateRunId } from '../run/run-scratch.js';

/** Checks `--attempts`. */
export function validateAttempts(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
    throw new UsageError(`--attempts must be a whole number from 1 to 100, got ${attempts}`);
  }
  return attempts;
}

/**
 * Deterministic job id of a partition of a run, e.g. `3f9a1c0e5b7d-p00007`: adding it twice is a
 * no-op in BullMQ, so a restarted coordinator cannot queue a partition twice.
 */
export function partitionJobId(runId: string, partition: number): string {
  return `${runId}-p${partitionNumber(partition)}`;
}
