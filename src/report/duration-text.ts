/** Durations in words a reader takes in at a glance ("1 h 05 min"); the CSVs keep exact seconds. */

/**
 * Seconds as `45 s`, `12 min 30 s` or `3 h 05 min`: the two largest units, rounded to the second
 * below an hour and to the minute above it. Not for exact figures, which stay in the CSVs and JSON.
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return String(seconds);
  if (seconds < 60) {
    // Sub-second sessions do exist (two clicks 300 ms apart); say so rather than print "0 s".
    return seconds > 0 && seconds < 1 ? `${Math.round(seconds * 10) / 10} s` : `${Math.round(seconds)} s`;
  }
  if (seconds < 3600) {
    const whole = Math.round(seconds);
    const m = Math.floor(whole / 60);
    const s = whole % 60;
    return m === 60 ? '1 h 00 min' : s === 0 ? `${m} min` : `${m} min ${String(s).padStart(2, '0')} s`;
  }
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${new Intl.NumberFormat('en-US').format(h)} h ${String(m).padStart(2, '0')} min`;
}
