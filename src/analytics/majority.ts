/** The value on most of a learner's events (learners.csv's browser, os, device, language). */

/**
 * The key with the largest count; on a tie the key first in ascending order by UTF-16 code units
 * (JavaScript's `<`). `unknown` for an empty map (a learner always has at least one event).
 */
export function majority(counts: ReadonlyMap<string, number>): string {
  let best: string | undefined;
  let bestCount = -1;
  for (const [name, count] of counts) {
    if (count > bestCount || (count === bestCount && name < (best as string))) {
      best = name;
      bestCount = count;
    }
  }
  return best ?? 'unknown';
}
