/**
 * Time left of a whole convert, both phases: reading (parse threads staging events) and writing
 * (DuckDB turning the staged events into Parquet, the larger part on gzip input).
 */

/**
 * Parquet phase time per reading phase time, before any partition has been written to measure it.
 * Measured on the 2-core project machine: 0.6 (60 MB plain, 4 partitions) to 1.6 (60 MB gzip,
 * 16 partitions); 0.65 on the 2.2 GB benchmark export (DuckDB's phase ≈ the 7.6 s baseline of 19.2 s).
 */
export const PARQUET_PER_READ_TIME = 1;

/** What the estimate is made from. */
export interface RemainingInput {
  phase: 'read' | 'write';
  elapsedMs: number;
  /** File bytes read, and the file's size (undefined for standard input: no estimate while reading). */
  bytesRead: number;
  bytesTotal: number | undefined;
  /** When reading ended (phase 'write'). */
  readMs?: number | undefined;
  /** Staged bytes DuckDB has turned into Parquet so far, of all staged bytes (phase 'write'). */
  bytesStagedWritten?: number | undefined;
  bytesStaged?: number | undefined;
}

/**
 * Milliseconds left, or undefined when nothing is known yet. While reading: the rest of the reading
 * at its measured rate, plus a Parquet phase of {@link PARQUET_PER_READ_TIME} times the whole reading.
 * While writing: the staged bytes left at the rate measured on the partitions written so far (before
 * the first one, the same prior).
 */
export function estimateRemainingMs(p: RemainingInput): number | undefined {
  if (p.phase === 'read') {
    if (p.bytesTotal === undefined || p.bytesTotal <= 0 || p.bytesRead <= 0) return undefined;
    const readTotal = p.elapsedMs / Math.min(1, p.bytesRead / p.bytesTotal);
    return Math.max(0, readTotal - p.elapsedMs) + PARQUET_PER_READ_TIME * readTotal;
  }
  const readMs = p.readMs ?? 0;
  const writing = Math.max(0, p.elapsedMs - readMs);
  const done = p.bytesStagedWritten ?? 0;
  const total = p.bytesStaged ?? 0;
  if (done >= total) return 0;
  if (done > 0 && writing > 0) return ((total - done) * writing) / done;
  return Math.max(0, PARQUET_PER_READ_TIME * readMs - writing);
}

/**
 * File bytes of one input already converted, the basis of convert's share and ETA. Reading runs
 * ahead of converting: the format sample reads the start of every input before the first line is
 * parsed (on small rotated logs, all of them), and gzip reads ahead of what it has inflated. So the
 * file bytes read count only in the proportion of the decompressed bytes handed out (`bytesOut`) that
 * have been framed into lines (`bytesConverted`): exact for a plain file, the gzip ratio so far for
 * a compressed one, and all of `bytesRead` once the input is done.
 */
export function convertedFileBytes(bytesRead: number, bytesOut: number, bytesConverted: number): number {
  if (bytesOut <= 0 || bytesConverted <= 0) return 0;
  return bytesConverted >= bytesOut ? bytesRead : Math.floor((bytesRead * bytesConverted) / bytesOut);
}
