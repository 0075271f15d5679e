/**
 * The contract between analyze and whatever runs its partitions (local threads, Redis workers):
 * what a job names and what it returns. jobs/aggregate-partition.ts does the work.
 */
import type { AnalysisSettings } from '../analytics/analysis-settings.js';

/** What a job names: a partition by reference, never its rows. */
export interface AggregatePartitionPayload {
  /** Absolute path of the dataset directory, as the workers see it (shared storage in Redis mode). */
  dataset: string;
  /** Partition number. */
  partition: number;
  /** The partition's Parquet file, relative to `dataset`; must stay inside it. */
  file: string;
  /** Rows the manifest promises for this partition; a mismatch fails the job. */
  rows: number;
  /** Absolute directory that receives the partial result file. */
  resultDir: string;
  /** What to compute: format, time zone, filter, session gap (DATA-CONTRACT §6.3); the same for every job of a run. */
  settings: AnalysisSettings;
}

/** What a job returns: small, with the partial result itself in a file. */
export interface AggregatePartitionResult {
  partition: number;
  /** Absolute path of the partial result (JSON of `PartialResult`). */
  resultFile: string;
  events: number;
  users: number;
  durationMs: number;
}
