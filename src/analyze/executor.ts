import type { AggregatePartitionPayload, AggregatePartitionResult } from './partition-job.js';

/** Progress of a run, reported as partitions finish. */
export interface RunProgress {
  done: number;
  total: number;
  /** Rows aggregated per second by each worker so far, keyed by worker name. */
  workers: Record<string, { partitions: number; rowsPerSecond: number }>;
  /** Rows (events) of the finished partitions, and of all of them (from the manifest). */
  rowsDone: number;
  rowsTotal: number;
  /** Since the jobs were handed to the executor. */
  elapsedMs: number;
  /** Time left of the whole run (see estimateRunRemainingMs); undefined before a partition finishes. */
  etaMs: number | undefined;
}

/**
 * Runs partition jobs somewhere (local threads, BullMQ workers) and returns one result per
 * payload, in any order, each partition exactly once.
 */
export interface PartitionExecutor {
  /**
   * True when a run interrupted or failed here can be resumed with the same run id (its jobs live on
   * elsewhere, e.g. in Redis, and may still write results): its scratch directory is then kept.
   */
  readonly resumable: boolean;
  run(payloads: AggregatePartitionPayload[], onResult: (result: AggregatePartitionResult, worker: string) => void): Promise<AggregatePartitionResult[]>;
  close(): Promise<void>;
}
