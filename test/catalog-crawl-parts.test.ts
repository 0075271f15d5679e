/** Small parts of the crawl: the task pool's limit and failure handling, and the resume journal. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crawlCatalog } from '../src/catalog/crawl-catalog.js';
import { FixtureServer } from '../src/catalog/fixture/fixture-server.js';
import { RESUME_WINDOW_MS, ResumeJournal } from '../src/catalog/resume-journal.js';
import { CourseraSource } from '../src/catalog/sources/coursera-source.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { TaskPool } from '../src/catalog/task-pool.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-catalog-parts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('TaskPool', () => {
  it('runs at most its concurrency at once and waits for all on drain', async () => {
    const pool = new TaskPool(3);
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const done: number[] = [];
    const producer = (async () => {
      for (let i = 0; i < 10; i++) {
        await pool.add(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise<void>((r) => gates.push(r));
          running--;
          done.push(i);
        });
      }
    })();
    // Release tasks one by one as they wait: the producer can only add when a slot frees.
    while (done.length < 10) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await producer;
    await pool.drain();
    expect(most).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps the first failure: later adds and drain reject with it', async () => {
    const pool = new TaskPool(2);
    await pool.add(async () => {
      throw new Error('first');
    });
    // The failure is known before the next add: the producer stops there.
    await expect(
      pool.add(async () => {
        throw new Error('second');
      }),
    ).rejects.toThrow('first');
    await expect(pool.drain()).rejects.toThrow('first');
    await expect(pool.add(async () => undefined)).rejects.toThrow('first');
  });
});

describe('ResumeJournal', () => {
  it('resumes from the first unfinished crawl within the window, and forgets it when finished', async () => {
    const dir = join(root, 'cache');
    const first = await ResumeJournal.open(dir, 'sitemap:https://a.example/s.xml', 1_000_000);
    expect([first.resuming, first.since]).toEqual([false, 1_000_000]);
    const again = await ResumeJournal.open(dir, 'sitemap:https://a.example/s.xml', 1_500_000);
    expect([again.resuming, again.since]).toEqual([true, 1_000_000]);
    const other = await ResumeJournal.open(dir, 'coursera', 1_500_000);
    expect(other.resuming).toBe(false);
    const late = await ResumeJournal.open(dir, 'sitemap:https://a.example/s.xml', 1_000_000 + RESUME_WINDOW_MS + 1);
    expect([late.resuming, late.since]).toEqual([false, 1_000_000 + RESUME_WINDOW_MS + 1]);
    await late.finish();
    const fresh = await ResumeJournal.open(dir, 'sitemap:https://a.example/s.xml', 2_000_000_000);
    expect(fresh.resuming).toBe(false);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('starts afresh from an unreadable journal', async () => {
    const dir = join(root, 'cache2');
    const j = await ResumeJournal.open(dir, 'coursera', 5);
    await j.finish();
    const files = (): string[] => (existsSync(join(dir, 'resume')) ? readdirSync(join(dir, 'resume')) : []);
    expect(files()).toEqual([]);
    await ResumeJournal.open(dir, 'coursera', 5);
    writeFileSync(join(dir, 'resume', files()[0]!), '{ not json');
    expect((await ResumeJournal.open(dir, 'coursera', 6)).resuming).toBe(false);
  });
});

describe('Coursera search paging', () => {
  it('stops at a full page that repeats earlier hits, and the crawl is not complete', async () => {
    const hit = (id: string) => ({ objectID: `course~${id}`, entityType: 'Course', name: id, objectUrl: `/learn/${id}` });
    // A broken (or hostile) search endpoint: the same full page whatever page is asked for.
    const server = await FixtureServer.start((path) =>
      path.startsWith('/search')
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hits: [hit('a'), hit('b')], nbHits: 1000, hitsPerPage: 2 }) }
        : { status: 404, body: 'nf' },
    );
    const warehouse = await openWarehouse(join(root, 'paging.duckdb'));
    try {
      const source = new CourseraSource({ algolia: `${server.origin}/search`, api: `${server.origin}/api`, hitsPerPage: 2 });
      const outcome = await crawlCatalog({ sources: [source], warehouse, maxPages: 100, http: { delayMs: 0 } });
      expect(server.count('/search')).toBe(2);
      expect(outcome.sources[0]!.incomplete).toEqual(['search page 1: repeats earlier hits']);
      expect(outcome.sources[0]!.row.complete).toBe(false);
      expect(outcome.sources[0]!.row.inserted).toBe(2);
      expect(outcome.sources[0]!.row.error_causes.duplicate_id).toBe(2); // the repeated page's two hits
    } finally {
      await warehouse.close();
      await server.close();
    }
  });
});
