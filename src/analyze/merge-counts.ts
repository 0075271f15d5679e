/** The exact merge of counted rows that every partial result's lists share. */

/**
 * Merges counted rows by a key, summing events and users (exact: partitions are user-disjoint),
 * and returns them sorted by `order`. The inputs are not modified.
 */
export function mergeCounts<T extends { events: number; users: number }>(
  lists: Iterable<readonly T[]>,
  keyOf: (row: T) => string | number,
  order: (a: T, b: T) => number,
): T[] {
  const byKey = new Map<string | number, T>();
  for (const list of lists) {
    for (const row of list) {
      const key = keyOf(row);
      const merged = byKey.get(key);
      if (merged === undefined) byKey.set(key, { ...row });
      else {
        merged.events += row.events;
        merged.users += row.users;
      }
    }
  }
  return [...byKey.values()].sort(order);
}
