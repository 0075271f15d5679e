import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An interrupted crawl older than this is not resumed: its cached pages are revalidated instead. */
export const RESUME_WINDOW_MS = 24 * 3600_000;

/**
 * Remembers, in the cache directory, that a source's crawl started and has not completed. While it
 * exists, reruns of the source use every cached document fetched since that start without a request
 * (PoliteFetcher `freshSince`), so an interrupted crawl resumes where it stopped instead of asking
 * the servers again. A complete crawl removes it.
 */
export class ResumeJournal {
  private constructor(
    private readonly path: string,
    /** Start (ms since the epoch) of the earliest unfinished crawl being resumed, or of this one. */
    readonly since: number,
    /** Whether an interrupted crawl is being resumed. */
    readonly resuming: boolean,
  ) {}

  /** Reads the source's journal, or starts one at `now`. */
  static async open(cacheDir: string, source: string, now: number): Promise<ResumeJournal> {
    const dir = join(cacheDir, 'resume');
    const path = join(dir, `${createHash('sha256').update(source).digest('hex').slice(0, 32)}.json`);
    try {
      const j = JSON.parse(await readFile(path, 'utf8')) as { source?: unknown; since?: unknown };
      if (j.source === source && typeof j.since === 'number' && j.since <= now && now - j.since <= RESUME_WINDOW_MS) {
        return new ResumeJournal(path, j.since, true);
      }
    } catch {
      // none, or unreadable: start afresh
    }
    await mkdir(dir, { recursive: true });
    // Beside the HTTP cache's temp files, which HttpCache.open sweeps after a kill.
    await mkdir(join(cacheDir, 'tmp'), { recursive: true });
    const temp = join(cacheDir, 'tmp', `${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, JSON.stringify({ source, since: now }));
    await rename(temp, path);
    return new ResumeJournal(path, now, false);
  }

  /** The crawl completed (or has nothing to resume): forget it. */
  async finish(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
