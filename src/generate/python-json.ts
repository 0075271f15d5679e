/**
 * Python-style JSON and times, as edX's tracking logger writes them.
 */
/** `value` as Python's json.dumps writes it: `", "` and `": "` separators, keys in insertion order. */
export function py(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  let s = '{';
  let first = true;
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    s += (first ? '' : ', ') + JSON.stringify(key) + ': ' + py(v);
    first = false;
  }
  return s + '}';
}

/** Python's datetime.isoformat() of a UTC instant in µs: microseconds, or none when they are 0. */
export function isoformat(us: number): string {
  const seconds = Math.floor(us / 1e6);
  const micro = us - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro === 0 ? `${base}+00:00` : `${base}.${String(micro).padStart(6, '0')}+00:00`;
}
