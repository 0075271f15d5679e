import type { ConvertProgress } from '../convert/convert.js';
import { formatBytes } from '../util/format-bytes.js';
import { formatCount, formatDuration, perSecond } from './format.js';

/**
 * convert's progress line. The ETA covers the whole convert, the Parquet phase included; standard
 * input (no size) shows bytes and lines without a share, and no ETA until the Parquet phase.
 */
export function convertStatusLine(p: ConvertProgress): string {
  const eta = p.etaMs === undefined ? '' : ` | ETA ${formatDuration(p.etaMs)}`;
  if (p.phase === 'write') {
    const share = p.bytesStaged > 0 ? ` ${((100 * p.bytesStagedWritten) / p.bytesStaged).toFixed(1)}% |` : '';
    return (
      `convert  writing Parquet:${share} partition ${p.partitionsWritten}/${p.partitions} (${formatCount(p.events)} events)` +
      ` | ${formatDuration(p.elapsedMs)} elapsed${eta}`
    );
  }
  const rates = `${formatCount(p.lines)} lines (${formatCount(perSecond(p.lines, p.elapsedMs))}/s, ${formatBytes(perSecond(p.bytesDecoded, p.elapsedMs))}/s)`;
  if (p.bytesTotal === undefined) return `convert  ${formatBytes(p.bytesRead)} read | ${rates} | ${formatDuration(p.elapsedMs)} elapsed`;
  const share = p.bytesTotal > 0 ? (100 * p.bytesRead) / p.bytesTotal : 0;
  return `convert  reading: ${share.toFixed(1)}% | ${formatBytes(p.bytesRead)} of ${formatBytes(p.bytesTotal)} | ${rates}${eta}`;
}
