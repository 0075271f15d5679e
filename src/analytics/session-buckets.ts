/** The session-duration buckets of `session-durations.csv` (DATA-CONTRACT §6.4). */

/** Bucket names, in the contract's order. */
export const SESSION_BUCKETS = ['0', '0-1m', '1-5m', '5-15m', '15-30m', '30-60m', '1-2h', '2h+'] as const;

// Upper bounds (inclusive), in ms, of the buckets after `0`: (0, 60 s], (60 s, 300 s], …
const UPPER_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000];

/** Index in {@link SESSION_BUCKETS} of a session lasting `ms` (an integer ≥ 0). */
export function sessionBucket(ms: number): number {
  if (ms === 0) return 0;
  for (let i = 0; i < UPPER_MS.length; i++) if (ms <= (UPPER_MS[i] as number)) return i + 1;
  return SESSION_BUCKETS.length - 1;
}
