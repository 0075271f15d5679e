/**
 * When a count axis goes logarithmic, and where a logarithmic axis starts and ends: on the 1-2-5
 * steps (1, 2, 5, 10, 20, 50, …) nearest the data, so the plot is not half empty past the largest
 * value as it is when an axis runs to the next power of ten.
 */

/**
 * Ratio of the largest to the smallest positive value above which a count axis is logarithmic:
 * past two decades the smallest bars of a linear axis are too short to see.
 */
export const LOG_AXIS_RATIO = 100;

/** True when the positive values span more than {@link LOG_AXIS_RATIO} (max / min positive > 100). */
export function spansDecades(values: readonly number[]): boolean {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return false;
  return Math.max(...positive) / Math.min(...positive) > LOG_AXIS_RATIO;
}

// 1-2-5 steps as integer significand and exponent, so 0.5 and 50,000 come out exact.
function step125(exponent: number, significand: 1 | 2 | 5): number {
  return exponent >= 0 ? significand * 10 ** exponent : significand / 10 ** -exponent;
}

const SIGNIFICANDS = [1, 2, 5] as const;

/** The smallest 1-2-5 step (…, 0.5, 1, 2, 5, 10, 20, …) at or above `value` (> 0): `value` itself when it is one. */
export function logAxisEnd(value: number): number {
  let exponent = Math.floor(Math.log10(value)) - 1;
  for (;;) {
    for (const s of SIGNIFICANDS) {
      const step = step125(exponent, s);
      if (step >= value) return step;
    }
    exponent++;
  }
}

/** The largest 1-2-5 step strictly below `value` (> 0): where a log bar axis starts so the smallest bar still shows. */
export function logAxisStart(value: number): number {
  let exponent = Math.ceil(Math.log10(value)) + 1;
  for (;;) {
    for (const s of [...SIGNIFICANDS].reverse()) {
      const step = step125(exponent, s);
      if (step < value) return step;
    }
    exponent--;
  }
}
