/**
 * How long to wait before retrying a 429/503, from its `Retry-After` header: delay-seconds or an
 * HTTP date (RFC 9110 §10.2.3). Returns milliseconds (0 for a date in the past), or undefined when
 * the header is absent or unreadable, in which case the caller backs off exponentially.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // a bare negative or fractional number is not a date
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Exponential backoff: `base × 2^attempt` (attempt 0 first), capped. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** attempt);
}
