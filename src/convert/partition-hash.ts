import { toWellFormed } from '../formats/line-rules.js';

/**
 * Which partition a learner's events go to: FNV-1a (32 bit) over the UTF-16 code units of the
 * username, modulo the number of partitions. Any deterministic function would keep each learner in
 * one partition; this one is cheap on a JS string and stable across versions and machines.
 *
 * It hashes the username as the dataset stores it: a lone surrogate (from a `\uD800`-style escape)
 * counts as the U+FFFD the column holds, so "x\uD800", "x\uDFFF" and "x\uFFFD" (one learner in
 * the dataset) share a partition.
 */
export function partitionOf(username: string, partitions: number): number {
  const name = toWellFormed(username);
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
