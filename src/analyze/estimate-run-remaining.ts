/** Time left of an analysis run, from the partitions finished so far. Pure. */

/** What the estimate is made from. */
export interface RunRemainingInput {
  elapsedMs: number;
  /** Partitions finished, of all. */
  done: number;
  total: number;
  /** Rows (events) of the finished partitions, of all partitions' rows. */
  rowsDone: number;
  rowsTotal: number;
}

/**
 * Milliseconds left, or undefined before the first partition finishes. The rows left at the rate of
 * the whole run so far (all workers together): partitions differ in size, rows measure the work.
 * A dataset without rows goes by partitions instead.
 */
export function estimateRunRemainingMs(p: RunRemainingInput): number | undefined {
  if (p.done >= p.total) return 0;
  if (p.done === 0 || p.elapsedMs <= 0) return undefined;
  if (p.rowsDone > 0 && p.rowsTotal > 0) return Math.round((p.elapsedMs * Math.max(0, p.rowsTotal - p.rowsDone)) / p.rowsDone);
  return Math.round((p.elapsedMs * (p.total - p.done)) / p.done);
}
