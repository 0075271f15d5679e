import type { RunProgress } from '../analyze/executor.js';
import { formatCount, formatDuration, perSecond } from './format.js';

/**
 * analyze's progress line: partitions done, time so far, the run's rows per second (all workers),
 * each worker's own rate, and an ETA for the whole run once a partition has finished. The workers'
 * rates come before the ETA, so a narrow terminal drops them first (see fitStatusLine).
 */
export function analyzeStatusLine(p: RunProgress, elapsedMs: number): string {
  const parts = [`analyze  ${p.done}/${p.total} partitions`, `${formatDuration(elapsedMs)} elapsed`];
  if (p.rowsDone > 0) parts.push(`${formatCount(perSecond(p.rowsDone, p.elapsedMs))} rows/s`);
  const workers = Object.entries(p.workers).map(([w, s]) => `${w} ${formatCount(s.rowsPerSecond)} rows/s`);
  if (workers.length > 0) parts.push(workers.join(', '));
  if (p.etaMs !== undefined) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  return parts.join(' | ');
}
