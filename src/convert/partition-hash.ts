/**
 * Which partition a learner's events go to: FNV-1a (32 bit) over the UTF-16 code units of the
 * username, modulo the number of partitions. Any deterministic function would keep each learner in
 * one partition; this one is cheap on a JS string and stable across versions and machines.
 */
export function partitionOf(username: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) {
    h ^= username.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
