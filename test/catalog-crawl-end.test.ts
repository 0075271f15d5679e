/**
 * Every crawl ends recorded (docs/CATALOG-crawl.md): a full disk under --cache-dir stops the crawl with exit 4
 * and one line, the records already extracted are stored and the `crawls` row is finished, not
 * complete; so does a warehouse that refuses a batch (exit 5). Real: a small tmpfs (needs root and mount, as test/disk-full.test.ts; skipped, saying
 * why, elsewhere), a local HTTP server, the built CLI and DuckDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { FixtureServer } from '../src/catalog/fixture/fixture-server.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { cli, describeRun } from './helpers/e2e.js';
import { createTestDatabase } from './helpers/postgres-db.js';
import { mountTmpfs, type Tmpfs } from './helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-catalog-end-'));
const mnt = join(root, 'mnt');
let tmpfs: Tmpfs | undefined;

beforeAll(() => {
  tmpfs = mountTmpfs(mnt, '512k');
});

afterAll(() => {
  tmpfs?.unmount();
  rmSync(root, { recursive: true, force: true });
});

const PAGES = 40;

describe('a crawl stopped by a full disk', () => {
  it('exits 4 with one line, keeps the records extracted and finishes its crawls row not complete', async (ctx) => {
    if (!tmpfs?.mounted) {
      console.warn(`skipped: ${tmpfs?.whyNot ?? 'no tmpfs'}`);
      ctx.skip();
    }
    // 40 pages of 60 kB each: the 512 kB cache fills after a few of them.
    const padding = `<p>${'x'.repeat(60_000)}</p>`;
    const site = await FixtureServer.start((path) => {
      if (path === '/sitemap.xml') {
        const urls = Array.from({ length: PAGES }, (_, i) => `<url><loc>${site.origin}/c${i}.html</loc></url>`).join('');
        return { status: 200, body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>` };
      }
      const m = /^\/c(\d+)\.html$/.exec(path);
      if (!m) return { status: 404, body: 'nf' };
      const ld = JSON.stringify({ '@type': 'Course', name: `Course ${m[1]}`, courseCode: `C${m[1]}` });
      return { status: 200, headers: { 'content-type': 'text/html' }, body: `<html><head><script type="application/ld+json">${ld}</script></head><body>${padding}</body></html>` };
    });
    try {
      const wh = join(root, 'w.duckdb');
      const cache = join(mnt, 'cache');
      const r = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', wh, '--cache-dir', cache, '--delay', '0', '--per-host', '1']);
      expect(r.code, describeRun('crawl', r)).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`^clickstream: no space left on ${cache} while caching pages; `, 'm'));
      expect(r.stderr).not.toContain('    at ');
      const w = await openWarehouse(wh);
      try {
        const courses = await w.courses('all');
        const [crawl, ...more] = await w.crawls();
        expect(more).toEqual([]);
        expect(crawl!.finished).not.toBeNull();
        expect(crawl!.complete).toBe(false);
        // The pages cached before the disk filled were extracted and are stored.
        expect(courses.length).toBeGreaterThan(0);
        expect(courses.length).toBeLessThan(PAGES);
        expect(crawl!.inserted).toBe(courses.length);
        expect(crawl!.pages).toBeGreaterThan(courses.length); // the sitemap too
      } finally {
        await w.close();
      }
    } finally {
      await site.close();
    }
  });
});

describe('a crawl stopped by a warehouse failure', () => {
  it('exits 5 with one line and still finishes its crawls row, not complete', async () => {
    const db = await createTestDatabase();
    const page = (title: string, code: string): string =>
      `<html><head><script type="application/ld+json">${JSON.stringify({ '@type': 'Course', name: title, courseCode: code })}</script></head></html>`;
    const site = await FixtureServer.start((path) => {
      if (path === '/sitemap.xml') {
        return { status: 200, body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.origin}/good.html</loc></url><url><loc>${site.origin}/bad.html</loc></url></urlset>` };
      }
      if (path === '/good.html') return { status: 200, headers: { 'content-type': 'text/html' }, body: page('Good', 'G') };
      if (path === '/bad.html') return { status: 200, headers: { 'content-type': 'text/html' }, body: page('Bad', 'B') };
      return { status: 404, body: 'nf' };
    });
    try {
      // Create the tables, then make PostgreSQL refuse one record: its batch fails, the connection lives on.
      await (await openWarehouse(db.url)).close();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(`ALTER TABLE courses ADD CONSTRAINT refuse_bad CHECK (title IS DISTINCT FROM 'Bad') NOT VALID`);
      } finally {
        await client.end();
      }
      const r = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', db.url, '--cache-dir', join(root, 'cache-wh'), '--delay', '0']);
      expect(r.code, describeRun('crawl', r)).toBe(5);
      expect(r.stderr).toMatch(/^clickstream: .*refuse_bad/m);
      expect(r.stderr).not.toContain('    at ');
      const w = await openWarehouse(db.url);
      try {
        const [crawl, ...more] = await w.crawls();
        expect(more).toEqual([]);
        expect(crawl!.finished).not.toBeNull();
        expect(crawl!.complete).toBe(false);
        expect(crawl!.pages).toBe(3);
      } finally {
        await w.close();
      }
    } finally {
      await site.close();
      await db.drop();
    }
  });
});
