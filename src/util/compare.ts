/**
 * String order by Unicode code point.
 *
 * JavaScript's `<` and the default `Array.prototype.sort` compare UTF-16 code units, which puts
 * astral characters (U+10000 and up, stored as surrogate pairs D800–DFFF) *before* U+E000–U+FFFF.
 * Code point order equals UTF-8 byte order, which is what DuckDB's `ORDER BY` uses on VARCHAR, so
 * every tie-break in the report uses this comparator to agree with the SQL side byte for byte.
 */

/**
 * Compares two strings by Unicode code point (equivalently by their UTF-8 bytes, for well-formed
 * strings). Returns a negative number, zero or a positive number, like `Array.prototype.sort`
 * expects.
 *
 * Works on code units, with a remap only where UTF-16 and code point order disagree: at the first
 * differing code unit, if both units are ≥ 0xD800, surrogates (D800–DFFF, which stand for code
 * points ≥ U+10000) are moved above E000–FFFF. Below 0xD800 both orders agree, and two surrogates
 * compare correctly as they are (the earlier units are equal, so both sit at the same position of
 * a pair). Lone surrogates are ordered as their code unit values.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // D800–DFFF → F800–FFFF; E000–FFFF → D800–F7FF. Order within each range is kept.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Compares two strings by UTF-16 code unit, as JavaScript's `<` does: the order of the learning
 * analytics' named lists (docs/DATA-CONTRACT.md §6.4), which the browser lists' code point order
 * ({@link compareCodePoints}) predates.
 */
export function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Any UTF-16 surrogate code unit (no `u` flag: the class is over code units). */
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Sorts `strings` in place in code point order ({@link compareCodePoints}) and returns it.
 *
 * Faster than `strings.sort(compareCodePoints)` in the common case: when no string contains a
 * surrogate, UTF-16 code unit order *is* code point order, so the engine's native string sort
 * (several times faster than any JS comparator) gives the same result. One linear scan decides.
 */
export function sortCodePoints(strings: string[]): string[] {
  for (const text of strings) {
    if (SURROGATE.test(text)) return strings.sort(compareCodePoints);
  }
  return strings.sort();
}
