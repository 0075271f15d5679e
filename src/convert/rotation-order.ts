/**
 * The order in which the files of a folder given to `convert` are read: rotated logs oldest first,
 * as the site wrote them, so that line numbers, the quarantine and the manifest follow time. Pure.
 */
import { compareCodePoints } from '../util/compare.js';

/** Where a file name sits in its log's rotation. */
interface RotationKey {
  /** The live log's name the file rotates from (`tracking.log`), or the name itself. */
  base: string;
  /** 0: date-suffixed (`-YYYYMMDD`), 1: numbered (`.N`), 2: the live log (no suffix). */
  kind: 0 | 1 | 2;
  /** The date (YYYYMMDD, then any further digits) or N. */
  rank: string | number;
}

// logrotate's `dateext` (`-%Y%m%d`, optionally followed by `-%s` or another counter).
const DATED = /^(.+)-(\d{8})(?:[-_.](\d+))?$/;
const NUMBERED = /^(.+)\.(\d+)$/;

function rotationKey(name: string): RotationKey {
  const bare = name.endsWith('.gz') ? name.slice(0, -3) : name;
  const dated = DATED.exec(bare);
  if (dated) return { base: dated[1]!, kind: 0, rank: `${dated[2]}-${(dated[3] ?? '').padStart(20, '0')}` };
  const numbered = NUMBERED.exec(bare);
  if (numbered) return { base: numbered[1]!, kind: 1, rank: Number(numbered[2]) };
  return { base: bare, kind: 2, rank: 0 };
}

/**
 * File names in reading order. The files of one log (same name once `.gz`, a `.N` counter or a
 * `-YYYYMMDD` date is taken off) go together, oldest first: dated files by date ascending, then
 * numbered ones from the highest N (`tracking.log.9.gz` before `tracking.log.10.gz` is wrong:
 * 10 is older), then the live log itself. Different logs, and files of no rotation such as Coursera's
 * `<course>-<NNN>_clickstream_export.gz`, go by name (code point order, the same on every machine).
 */
export function rotationOrder(names: readonly string[]): string[] {
  const keyed = names.map((name) => ({ name, key: rotationKey(name) }));
  keyed.sort((a, b) => {
    const byBase = compareCodePoints(a.key.base, b.key.base);
    if (byBase !== 0) return byBase;
    if (a.key.kind !== b.key.kind) return a.key.kind - b.key.kind;
    if (a.key.kind === 1 && a.key.rank !== b.key.rank) return (b.key.rank as number) - (a.key.rank as number);
    if (a.key.kind === 0 && a.key.rank !== b.key.rank) return compareCodePoints(a.key.rank as string, b.key.rank as string);
    return compareCodePoints(a.name, b.name);
  });
  return keyed.map((k) => k.name);
}

/** Names shown at each end of a long list in {@link describeOrder}. */
export const ORDER_SHOWN_EACH_END = 3;

/**
 * The reading order in one line: every name when there are few, else the first and last
 * {@link ORDER_SHOWN_EACH_END} around a count of those left out.
 */
export function describeOrder(names: readonly string[]): string {
  if (names.length <= 2 * ORDER_SHOWN_EACH_END + 1) return names.join(', ');
  const left = names.length - 2 * ORDER_SHOWN_EACH_END;
  return [...names.slice(0, ORDER_SHOWN_EACH_END), `… ${left} more …`, ...names.slice(-ORDER_SHOWN_EACH_END)].join(', ');
}
