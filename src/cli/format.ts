/** Human-readable figures for progress lines and summaries (byte counts: util/format-bytes.ts). */

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Rate per second, for progress lines. */
export function perSecond(amount: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (amount * 1000) / elapsedMs : 0;
}
