/**
 * Finds an input given twice to one command: the same path twice, a link to another input, or
 * (for files) a copy with the same bytes. Cheap first: file identity (device and inode) costs a
 * stat; bytes are compared only between regular files of equal size, by their first 64 KiB, and
 * hashed whole (SHA-256) only when those are equal too. Rotated logs differ in size, so a normal
 * convert reads nothing twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Two inputs that are one. */
export interface SameInput {
  /** The earlier of the two, as given. */
  first: string;
  /** The later one, as given. */
  second: string;
  /** `file`: one file (or folder) reached twice; `content`: two files with the same SHA-256. */
  how: 'file' | 'content';
}

/** Options of {@link findSameInput}. */
export interface FindSameInputOptions {
  /** Also compare the bytes of regular files (copies count as the same input). Default false. */
  content?: boolean;
  /** Paths that are not files (standard input's `-`), never compared. Default none. */
  skip?: readonly string[];
}

const HEAD_BYTES = 64 * 1024;

/**
 * The first pair of `paths` (in the order given) that are the same input, or undefined. Paths that
 * cannot be stat'ed are left alone: the command reports them when it opens them.
 */
export async function findSameInput(paths: readonly string[], options: FindSameInputOptions = {}): Promise<SameInput | undefined> {
  const files: { path: string; size: number }[] = [];
  const byIdentity = new Map<string, string>();
  for (const path of paths) {
    if (options.skip?.includes(path)) continue;
    const st = await stat(path).catch(() => undefined);
    if (st === undefined) continue;
    const identity = `${st.dev}:${st.ino}`;
    const first = byIdentity.get(identity);
    if (first !== undefined) return { first, second: path, how: 'file' };
    byIdentity.set(identity, path);
    if (st.isFile()) files.push({ path, size: st.size });
  }
  if (options.content !== true) return undefined;
  const bySize = new Map<number, string[]>();
  for (const f of files) bySize.set(f.size, [...(bySize.get(f.size) ?? []), f.path]);
  let found: SameInput | undefined;
  const order = (path: string): number => paths.indexOf(path);
  for (const group of bySize.values()) {
    if (group.length < 2) continue;
    const pair = await samePair(group, head);
    if (pair === undefined) continue;
    const whole = await samePair(pair.candidates, sha256);
    if (whole === undefined) continue;
    // Of several pairs, the one the user meets first in the command line.
    const candidate: SameInput = { first: whole.first, second: whole.second, how: 'content' };
    if (found === undefined || order(candidate.second) < order(found.second)) found = candidate;
  }
  return found;
}

/**
 * Groups `paths` by `digest`; the first pair found in one group, and every path of the groups of
 * two or more (the candidates the next, costlier digest must confirm).
 */
async function samePair(
  paths: readonly string[],
  digest: (path: string) => Promise<string>,
): Promise<{ first: string; second: string; candidates: string[] } | undefined> {
  const seen = new Map<string, string[]>();
  for (const path of paths) {
    const d = await digest(path).catch(() => undefined);
    if (d === undefined) continue;
    seen.set(d, [...(seen.get(d) ?? []), path]);
  }
  const groups = [...seen.values()].filter((g) => g.length > 1);
  if (groups.length === 0) return undefined;
  return { first: groups[0]![0]!, second: groups[0]![1]!, candidates: groups.flat() };
}

async function head(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('base64');
  } finally {
    await handle.close();
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
