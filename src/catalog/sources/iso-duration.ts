const DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration as hours (`PT12H30M` → 12.5, `P1DT2H` → 26, `P2W` → 336), or undefined
 * when the text is not one. Years and months have no fixed length in hours, so a duration with a
 * non-zero year or month part is refused rather than guessed. Decimal fractions (`PT1.5H`, also
 * with a comma) are accepted on any part. Computed from whole seconds so `PT1H20M` is 4800 / 3600.
 */
export function isoDurationHours(text: string): number | undefined {
  const m = DURATION.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const [, y, mo, w, d, h, mi, s] = m;
  if (text.trim().toUpperCase().endsWith('T')) return undefined;
  const parts = [y, mo, w, d, h, mi, s];
  if (parts.every((p) => p === undefined)) return undefined;
  const n = (p: string | undefined): number => (p === undefined ? 0 : Number(p.replace(',', '.')));
  if (n(y) !== 0 || n(mo) !== 0) return undefined;
  const seconds = ((n(w) * 7 + n(d)) * 24 + n(h)) * 3600 + n(mi) * 60 + n(s);
  return seconds / 3600;
}
