/**
 * `--start` values: a calendar date.
 */
/** A `YYYY-MM-DD` date as its UTC midnight, ms since the epoch. */
export function parseStart(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text) throw new Error(`not a date (YYYY-MM-DD): ${text}`);
  return t;
}
