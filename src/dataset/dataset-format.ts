/**
 * The dataset format: the names of the files `convert` writes and `analyze` reads, how partitions are
 * numbered in names, the most partitions, and the schema version. Every other module asks here;
 * nobody else spells one of these names, pads a partition number or repeats the limit (a run's
 * scratch names, `partition-NNNNN.json` and `.learners.parquet`, are src/run/run-scratch.ts's).
 */

/**
 * Version of the dataset layout written by `convert`. 2 added the input `format` and the per-file
 * `inputs` (several input files, Open edX logs); `analyze` reads {@link READABLE_SCHEMA_VERSIONS}.
 */
export const DATASET_SCHEMA_VERSION = 2;

/** Versions `analyze` reads: version 1 datasets (Coursera exports, one input) stay readable. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/** The manifest, written last: a directory without it is not a (complete) dataset. */
export const MANIFEST_FILE = '_manifest.json';

/** The quarantine: one JSON object per rejected line. */
export const REJECTED_FILE = '_rejected.jsonl';

/** Digits of a partition number in file names and job ids (`part-00007.parquet`, `…-p00007`). */
export const PARTITION_DIGITS = 5;

/** Most partitions a dataset may have (`--partitions`). Five digits would hold more; this bounds memory. */
export const MAX_PARTITIONS = 4096;

/** `part-NNNNN.parquet` as a pattern (five digits). */
export const PARTITION_FILE_PATTERN = /^part-(\d{5})\.parquet$/;

/** A partition number as it appears in names: `7` → `00007`. */
export function partitionNumber(id: number): string {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`a partition number must be a whole number ≥ 0, got ${id}`);
  return String(id).padStart(PARTITION_DIGITS, '0');
}

/** `part-00007.parquet` for partition 7. */
export function partitionFileName(id: number): string {
  return `part-${partitionNumber(id)}.parquet`;
}

/** The partition a `part-NNNNN.parquet` name is for, or undefined for any other name. */
export function partitionOfFileName(name: string): number | undefined {
  const m = PARTITION_FILE_PATTERN.exec(name);
  return m ? Number(m[1]) : undefined;
}
