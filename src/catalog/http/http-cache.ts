import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheKey } from './cache-key.js';

/** What the cache keeps about a response besides its body. */
export interface CachedMeta {
  url: string;
  status: number;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  /** When the body was last fetched or revalidated (ms since the epoch). */
  validatedAt: number;
}

/** One cache entry. */
export interface CachedResponse {
  meta: CachedMeta;
  body: Buffer;
}

/**
 * An on-disk HTTP cache keyed by URL ({@link cacheKey}): one file per URL holding a JSON header
 * line and the body. Entries are written to `tmp/` and renamed into place, so a reader sees a whole
 * entry or none; temp files a killed process left behind are removed by the next {@link open}.
 */
export class HttpCache {
  private constructor(readonly dir: string) {}

  /** Opens (creating) a cache directory and removes temp files of processes no longer running. */
  static async open(dir: string): Promise<HttpCache> {
    await mkdir(join(dir, 'tmp'), { recursive: true });
    for (const name of await readdir(join(dir, 'tmp'))) {
      const pid = Number(name.split('.')[0]);
      if (!Number.isInteger(pid) || !isRunning(pid)) await rm(join(dir, 'tmp', name), { force: true });
    }
    return new HttpCache(dir);
  }

  /** The entry of a URL, or undefined (also for an unreadable entry, which is then refetched). */
  async get(url: string): Promise<CachedResponse | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.pathOf(url));
    } catch {
      return undefined;
    }
    const nl = data.indexOf(10);
    if (nl < 0) return undefined;
    try {
      const meta = JSON.parse(data.subarray(0, nl).toString('utf8')) as CachedMeta;
      return { meta, body: data.subarray(nl + 1) };
    } catch {
      return undefined;
    }
  }

  /** Stores (replaces) the entry of `meta.url` atomically. */
  async put(meta: CachedMeta, body: Buffer): Promise<void> {
    const target = this.pathOf(meta.url);
    const temp = join(this.dir, 'tmp', `${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    await mkdir(join(target, '..'), { recursive: true });
    try {
      await writeFile(temp, Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8'), body]));
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** Marks an entry revalidated now (after a 304), keeping its body. */
  async touch(entry: CachedResponse, now: number, headers: { etag?: string; lastModified?: string }): Promise<void> {
    await this.put({ ...entry.meta, ...definedOnly(headers), validatedAt: now }, entry.body);
  }

  private pathOf(url: string): string {
    const key = cacheKey(url);
    return join(this.dir, key.slice(0, 2), key);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
