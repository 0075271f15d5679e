/**
 * The end-to-end crawl behaviours of DATA-CONTRACT §8, run against one warehouse backend: the DuckDB and
 * PostgreSQL test files call {@link catalogCrawlSuite} with a way to make a fresh warehouse.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_CONTENT_COLUMNS, type CourseRecord } from '../../src/catalog/course-record.js';
import { crawlCatalog, type CrawlCatalogOptions, type CrawlOutcome } from '../../src/catalog/crawl-catalog.js';
import { CatalogFixtures } from '../../src/catalog/fixture/catalog-fixtures.js';
import { CourseraSource } from '../../src/catalog/sources/coursera-source.js';
import { SitemapSource } from '../../src/catalog/sources/sitemap-source.js';
import type { CatalogWarehouse } from '../../src/catalog/warehouse/catalog-warehouse.js';
import { openWarehouse } from '../../src/catalog/warehouse/open-warehouse.js';
import {
  COURSERA_PAGES_V1,
  SITE_PAGES,
  expectedCourseraCauses,
  expectedCourseraV1,
  expectedCourseraV2,
  expectedSiteCauses,
  expectedSiteV1,
  expectedSiteV2,
  sortRecords,
} from './catalog-expected.js';

/** A fresh, empty warehouse target and how to remove it. */
export interface TestTarget {
  target: string;
  drop(): Promise<void>;
}

/** Politeness small enough for tests; the fixture site's Crawl-delay (100 ms) still applies to it. */
const HTTP = { perHost: 2, delayMs: 20 };

function content(rows: readonly CourseRecord[]): CourseRecord[] {
  return sortRecords(
    rows.map((r) => {
      const out = { platform: r.platform, id: r.id } as Record<string, unknown>;
      for (const c of COURSE_CONTENT_COLUMNS) out[c] = r[c];
      return out as unknown as CourseRecord;
    }),
  );
}

export function catalogCrawlSuite(backend: string, newTarget: () => Promise<TestTarget>): void {
  describe(`catalog crawl into ${backend}`, () => {
    const root = mkdtempSync(join(tmpdir(), `clickstream-catalog-crawl-${backend}-`));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    let n = 0;

    /** Fixtures, a fresh warehouse and a cache directory for one test; always cleaned up. */
    async function withSetup(fn: (s: { fx: CatalogFixtures; wh: CatalogWarehouse; cacheDir: string; target: string }) => Promise<void>, latencyMs = 0): Promise<void> {
      const fx = await CatalogFixtures.start({ latencyMs });
      const t = await newTarget();
      let wh: CatalogWarehouse | undefined;
      try {
        wh = await openWarehouse(t.target);
        await fn({ fx, wh, cacheDir: join(root, `cache-${++n}`), target: t.target });
      } finally {
        await wh?.close();
        await fx.close();
        await t.drop();
      }
    }

    function crawl(fx: CatalogFixtures, wh: CatalogWarehouse, cacheDir: string, extra: Partial<CrawlCatalogOptions> = {}): Promise<CrawlOutcome> {
      return crawlCatalog({
        sources: [new SitemapSource(fx.sitemapUrl), new CourseraSource({ api: fx.courseraApi, algolia: fx.algoliaUrl })],
        warehouse: wh,
        http: HTTP,
        cacheDir,
        ...extra,
      });
    }

    it('stores exactly the expected rows, counts every error by cause, never asks for a disallowed path', async () => {
      await withSetup(async ({ fx, wh, cacheDir }) => {
        const out = await crawl(fx, wh, cacheDir);
        const o = fx.site.origin;
        expect(content(await wh.courses('all'))).toEqual(sortRecords([...expectedSiteV1(o), ...expectedCourseraV1()]));
        const [site, coursera] = out.sources;
        expect(site!.row).toMatchObject({ complete: true, pages: SITE_PAGES, inserted: 10, updated: 0, unchanged: 0, gone: 0, error_causes: expectedSiteCauses(1) });
        expect(coursera!.row).toMatchObject({ complete: true, pages: COURSERA_PAGES_V1, inserted: 7, updated: 0, unchanged: 0, gone: 0, error_causes: expectedCourseraCauses(1) });
        expect((await wh.versions()).length).toBe(17);
        // Politeness that does not depend on timing (the timings are measured with the crawler in its
        // own process, by test/catalog-cli.test.ts, so that the servers' clocks are not held up by it).
        expect(fx.site.count('/private/secret.html')).toBe(0);
        expect(fx.site.count('/robots.txt')).toBe(1);
        expect(fx.coursera.count('/robots.txt')).toBe(1);
        expect(fx.site.requests.filter((r) => r.path === '/courses/throttled.html').map((r) => r.status)).toEqual([429, 200]);
        expect(fx.site.count('/courses/error')).toBe(2);
      });
    });

    it('updates, versions and counts exactly after the site changes; an unchanged crawl then changes nothing, mostly by 304s', async () => {
      await withSetup(async ({ fx, wh, cacheDir }) => {
        const o = fx.site.origin;
        const first = await crawl(fx, wh, cacheDir);
        fx.setVersion(2);
        const second = await crawl(fx, wh, cacheDir);
        expect(second.sources.map((s) => s.row)).toMatchObject([
          { complete: true, pages: SITE_PAGES, inserted: 1, updated: 1, unchanged: 8, gone: 1, error_causes: expectedSiteCauses(2) },
          { complete: true, pages: COURSERA_PAGES_V1, inserted: 0, updated: 2, unchanged: 4, gone: 1, error_causes: expectedCourseraCauses(2) },
        ]);
        const afterSecond = await wh.courses('all');
        // Rows gone from the source stay, with their old content and last_seen.
        const gone = [expectedSiteV1(o).find((r) => r.id === `${o}/courses/free-ml.html`)!, expectedCourseraV1().find((r) => r.kind === 'degree')!];
        expect(content(afterSecond)).toEqual(sortRecords([...expectedSiteV2(o), ...expectedCourseraV2(), ...gone]));
        expect(content(await wh.courses('current'))).toEqual(sortRecords([...expectedSiteV2(o), ...expectedCourseraV2()]));
        const started1 = first.sources[0]!.row.started.getTime();
        const started2 = second.sources[0]!.row.started.getTime();
        for (const g of gone) expect(afterSecond.find((r) => r.id === g.id)!.last_seen.getTime()).toBe(g.platform === 'coursera' ? first.sources[1]!.row.started.getTime() : started1);
        // Versions: 17 first ones, a new one for each of the 3 changed rows, 1 for the new row.
        const versions = await wh.versions();
        expect(versions.length).toBe(21);
        const closed = versions.filter((v) => v.valid_to !== null).map((v) => [v.platform, v.id, v.price, v.rating]);
        expect(closed.sort()).toEqual(
          [
            ['127.0.0.1', 'PY101', 49.99, 4.7],
            ['coursera', 'Gtv4Xb1-EeS-ViIACwYKVQ', 39, 4.9],
            ['coursera', 'L6hC5O2qEeWLqxIEbXpAhA', null, 4.5],
          ].sort(),
        );
        expect(versions.find((v) => v.id === 'PY101' && v.valid_to !== null)!.valid_to!.getTime()).toBe(started2);

        // Third crawl, nothing changed.
        fx.site.resetStats();
        const third = await crawl(fx, wh, cacheDir);
        expect(third.sources.map((s) => s.row)).toMatchObject([
          { complete: true, inserted: 0, updated: 0, unchanged: 10, gone: 1 },
          { complete: true, inserted: 0, updated: 0, unchanged: 6, gone: 1 },
        ]);
        const afterThird = await wh.courses('all');
        expect(content(afterThird)).toEqual(content(afterSecond));
        expect((await wh.versions()).length).toBe(21);
        for (const r of afterThird) {
          const before = afterSecond.find((b) => b.platform === r.platform && b.id === r.id)!;
          expect([r.first_seen.getTime(), r.changed_at.getTime(), r.content_hash]).toEqual([before.first_seen.getTime(), before.changed_at.getTime(), before.content_hash]);
        }
        const statuses = fx.site.requests.map((r) => r.status);
        const notModified = statuses.filter((s) => s === 304).length;
        expect(statuses.filter((s) => s === 200).length).toBe(0);
        expect(notModified).toBeGreaterThan(statuses.length / 2);
        // Every 200 of the site was revalidated: robots.txt, the index, 2 sitemaps and 12 pages.
        expect(notModified).toBe(16);
      });
    });

    it('Ctrl-C and a rerun end in the same state as one uninterrupted crawl, without fetching again', async () => {
      await withSetup(async ({ fx, wh, cacheDir }) => {
        const o = fx.site.origin;
        const controller = new AbortController();
        // The site only: its Crawl-delay makes it slow enough to interrupt at a known point.
        const siteOnly = (extra: Partial<CrawlCatalogOptions> = {}): Promise<CrawlOutcome> =>
          crawl(fx, wh, cacheDir, { sources: [new SitemapSource(fx.sitemapUrl)], ...extra });
        const running = siteOnly({ signal: controller.signal, batchSize: 2 });
        await fx.site.waitFor(() => fx.site.requests.filter((r) => r.path.startsWith('/courses/') && r.status === 200).length >= 4);
        controller.abort();
        const interrupted = await running;
        expect(interrupted.interrupted).toBe(true);
        expect(interrupted.sources[0]!.row).toMatchObject({ complete: false, gone: 0 });
        expect(interrupted.sources[0]!.row.inserted).toBeGreaterThanOrEqual(2);
        const fetchedBefore = new Set(fx.site.requests.filter((r) => r.status === 200 && r.path !== '/robots.txt').map((r) => r.path));
        fx.site.resetStats();
        const rerun = await siteOnly();
        expect(rerun.interrupted).toBe(false);
        expect(rerun.sources.map((s) => [s.resumed, s.row.complete])).toEqual([[true, true]]);
        expect(content(await wh.courses('all'))).toEqual(sortRecords(expectedSiteV1(o)));
        expect((await wh.versions()).length).toBe(10);
        const crawls = await wh.crawls();
        expect(crawls.map((c) => [c.complete, c.finished !== null, c.gone])).toEqual([
          [false, true, 0],
          [true, true, 0],
        ]);
        expect(crawls[0]!.inserted + crawls[1]!.inserted).toBe(10);
        // Nothing the interrupted crawl downloaded was asked for again, except what was in flight
        // when it stopped (at most --per-host requests: their bodies were never read and cached).
        const again = fx.site.requests.filter((r) => fetchedBefore.has(r.path)).length;
        expect(again).toBeLessThanOrEqual(HTTP.perHost);
        const reused = [...rerun.hosts.values()].reduce((n, h) => n + h.fromCache, 0);
        expect(reused).toBe(fetchedBefore.size - again);
        expect(rerun.sources[0]!.row.error_causes).toEqual(expectedSiteCauses(1));
        // A complete crawl ends the resume: the next one revalidates.
        fx.site.resetStats();
        const next = await siteOnly();
        expect(next.sources.map((s) => s.resumed)).toEqual([false]);
        expect(fx.site.requests.filter((r) => r.status === 304).length).toBe(16);
      });
    });

    it('a crawl cut short by --max-pages is not complete and counts nothing gone', async () => {
      await withSetup(async ({ fx, wh, cacheDir }) => {
        await crawl(fx, wh, cacheDir);
        fx.setVersion(2);
        const cut = await crawl(fx, wh, cacheDir, { maxPages: 5 });
        for (const s of cut.sources) expect(s.row).toMatchObject({ complete: false, pages: 5, gone: 0 });
        expect(fx.site.count('/courses/new-course.html')).toBe(0);
      });
    });

    it('counts broken sitemaps by cause and leaves the crawl not complete; an unreachable root fails only its source', async () => {
      await withSetup(async ({ fx, wh, cacheDir }) => {
        const o = fx.site.origin;
        const out = await crawlCatalog({
          sources: [new SitemapSource(fx.brokenSitemapUrl), new SitemapSource(`${o}/no-such-sitemap.xml`), new CourseraSource({ api: fx.courseraApi, algolia: `${fx.coursera.origin}/algolia/1/indexes/products?x-algolia-application-id=WRONG` })],
          warehouse: wh,
          http: HTTP,
          cacheDir,
        });
        const [broken, missing, coursera] = out.sources;
        expect(broken!.row.complete).toBe(false);
        expect(broken!.row.error_causes).toMatchObject({ bad_xml: 2, http_404: 1, bad_gzip: 1 });
        expect(broken!.row.inserted).toBe(2); // the two pages of the one good sitemap
        expect(broken!.incomplete.length).toBe(4);
        expect([missing!.unreachable, missing!.row.complete, missing!.row.error_causes]).toEqual(['http_404', false, { http_404: 1 }]);
        expect([coursera!.unreachable, coursera!.row.complete]).toEqual(['http_403', false]);
        expect(content(await wh.courses('all')).map((r) => r.id)).toEqual(['A11Y-1', `${o}/programs/data-engineering`]);
      });
    });

    it('pages the search API from page 0 until a short page', async () => {
      await withSetup(async ({ fx, wh, cacheDir }) => {
        await crawlCatalog({ sources: [new CourseraSource({ api: fx.courseraApi, algolia: fx.algoliaUrl, hitsPerPage: 3 })], warehouse: wh, http: HTTP, cacheDir });
        const pages = fx.coursera.requests.filter((r) => r.path.startsWith('/algolia/')).map((r) => new URL(r.path, 'http://x').searchParams);
        expect(pages.map((q) => [q.get('page'), q.get('hitsPerPage'), q.get('query')])).toEqual([
          ['0', '3', ''],
          ['1', '3', ''],
          ['2', '3', ''],
        ]);
        expect((await wh.courses('all')).length).toBe(7);
      });
    });
  });
}
