/**
 * `clickstream catalog crawl` against hostile and broken sites (docs/CATALOG-crawl.md "Hostile numbers and
 * hosts", "Network failures"): numbers beyond a double's range or negative, ids that JSON numbers
 * would round, sitemaps and redirects pointing at internal addresses, a Crawl-delay of a month, a
 * host refusing connections. Real local HTTP servers, the built CLI, real DuckDB and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixtureServer, type FixtureRoute } from '../src/catalog/fixture/fixture-server.js';
import type { CourseRecord } from '../src/catalog/course-record.js';
import { isPrivateAddress, literalAddress } from '../src/catalog/http/private-address.js';
import { dropOutOfRange } from '../src/catalog/numeric-range.js';
import { parseJsonLd } from '../src/catalog/sources/parse-json-ld.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import type { CrawlRow } from '../src/catalog/warehouse/catalog-warehouse.js';
import { cli, describeRun } from './helpers/e2e.js';
import { createTestDatabase } from './helpers/postgres-db.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-catalog-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): { wh: string; cache: string } => {
  n++;
  return { wh: join(root, `w${n}.duckdb`), cache: join(root, `cache${n}`) };
};

const page = (ld: string): string => `<!doctype html><html><head><script type="application/ld+json">${ld}</script></head><body></body></html>`;
const urlset = (urls: string[]): string =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.map((u) => `<url><loc>${u}</loc></url>`).join('')}</urlset>`;

async function serve(routes: Record<string, FixtureRoute | string>): Promise<FixtureServer> {
  return FixtureServer.start((path, count) => {
    const r = routes[path];
    if (r === undefined) return { status: 404, body: 'nf' };
    return typeof r === 'string' ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: r } : r(path, count);
  });
}

async function stored(target: string): Promise<{ courses: CourseRecord[]; crawls: CrawlRow[] }> {
  const wh = await openWarehouse(target);
  try {
    return { courses: await wh.courses('all'), crawls: await wh.crawls() };
  } finally {
    await wh.close();
  }
}

const NINES = '9'.repeat(400);

describe('pure parts', () => {
  it('reads numeric hosts as the URL parser does and knows the internal ranges', () => {
    const hostOf = (u: string) => literalAddress(new URL(u));
    expect(['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://0177.0.0.1/'].map(hostOf)).toEqual(Array(4).fill('127.0.0.1'));
    expect(hostOf('http://[::1]:8080/')).toBe('::1');
    expect(hostOf('http://example.org/')).toBeUndefined();
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.31.0.1', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '::1', '::', 'fd00:ec2::254', 'fe80::1', '::ffff:7f00:1', '::ffff:10.0.0.1']) {
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, true]);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:5db8:d822']) {
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, false]);
    }
  });

  it('nulls numbers that are not finite or negative, and keeps a numeric courseCode literal', () => {
    const base = { platform: 'p', id: 'i', kind: 'course', url: null, title: null, partners: [], instructors: [], language: null, level: null, categories: [], currency: null, course_ids: [], description: null };
    const { record, causes } = dropOutOfRange({ ...base, price: Infinity, rating: -0.5, ratings: 0, enrolments: 10, hours: -Infinity });
    expect([record.price, record.rating, record.ratings, record.enrolments, record.hours]).toEqual([null, null, 0, 10, null]);
    expect(causes).toEqual(['out_of_range:price', 'out_of_range:rating', 'out_of_range:hours']);
    expect(parseJsonLd('{"a":"\\"courseCode\\":1", "courseCode" : 12345678901234567890, "n": 12345678901234567890}')).toEqual({
      a: '"courseCode":1',
      courseCode: '12345678901234567890',
      n: 12345678901234567000,
    });
  });
});

/** Four pages: three hostile, one good. */
function hostileSite(): Record<string, FixtureRoute | string> {
  return {
    '/a.html': page('{"@type":"Course","name":"Huge price","courseCode":12345678901234567890,"offers":{"@type":"Offer","price":"1e400","priceCurrency":"USD"}}'),
    '/b.html': page(`{"@type":"Course","name":"Huge counts","courseCode":"B","aggregateRating":{"ratingValue":4.5,"ratingCount":${NINES}},"timeRequired":"PT${NINES}H"}`),
    '/c.html': page('{"@type":"Course","name":"Negative","courseCode":"C","offers":{"price":-5,"priceCurrency":"USD"},"aggregateRating":{"ratingValue":"-1","ratingCount":3},"timeRequired":"PT2H"}'),
    '/d.html': page('{"@type":"Course","name":"Good","courseCode":"D","offers":{"price":"49.99","priceCurrency":"USD"},"aggregateRating":{"ratingValue":4.7,"ratingCount":120},"timeRequired":"PT12H30M"}'),
  };
}

describe('hostile numbers', () => {
  for (const backend of ['duckdb', 'postgres'] as const) {
    it(`are null and counted out_of_range:*, never stop the crawl; a numeric courseCode keeps its digits (${backend})`, async () => {
      const routes = hostileSite();
      const site = await serve(routes);
      const db = backend === 'postgres' ? await createTestDatabase() : undefined;
      try {
        routes['/sitemap.xml'] = urlset(['a', 'b', 'c', 'd'].map((p) => `${site.origin}/${p}.html`));
        const { wh, cache } = fresh();
        const target = db?.url ?? wh;
        const r = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', target, '--cache-dir', cache, '--delay', '0']);
        expect(r.code, describeRun('crawl', r)).toBe(0);
        expect(r.stdout).toMatch(/: complete; 5 pages; inserted 4, updated 0, unchanged 0, gone 0;/);
        const { courses, crawls } = await stored(target);
        const pick = (c: CourseRecord) => [c.id, c.price, c.rating, c.ratings, c.hours];
        expect(courses.map(pick)).toEqual([
          ['12345678901234567890', null, null, null, null],
          ['B', null, 4.5, null, null],
          ['C', null, null, 3, 2],
          ['D', 49.99, 4.7, 120, 12.5],
        ]);
        expect(crawls).toHaveLength(1);
        expect(crawls[0]!.finished).not.toBeNull();
        expect(crawls[0]!.complete).toBe(true);
        expect(crawls[0]!.pages).toBe(5);
        expect(crawls[0]!.error_causes).toMatchObject({ 'out_of_range:price': 2, 'out_of_range:ratings': 1, 'out_of_range:hours': 1, 'out_of_range:rating': 1 });
      } finally {
        await site.close();
        await db?.drop();
      }
    });
  }
});

/** An HTTP server that counts requests: stands for an internal service (an admin page, Redis' port). */
async function internalService(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }).end('secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, connections: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('private addresses', () => {
  it('are never requested from a sitemap or a redirect, in any spelling, unless --allow-private', async () => {
    const internal = await internalService();
    const p = internal.port;
    // Distinct paths: the numeric spellings all normalise to 127.0.0.1, so they would be one URL.
    const targets = [
      `http://127.0.0.1:${p}/admin0`,
      `http://[::1]:${p}/admin1`,
      `http://2130706433:${p}/admin2`,
      `http://0x7f.1:${p}/admin3`,
      `http://127.1:${p}/admin4`,
      `http://[::ffff:127.0.0.1]:${p}/admin5`,
      `http://localhost:${p}/admin6`, // a DNS name that resolves to loopback
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
    ];
    const routes: Record<string, FixtureRoute | string> = {
      '/good.html': page('{"@type":"Course","name":"Good","courseCode":"G"}'),
      '/to-internal': () => ({ status: 302, headers: { location: `http://127.0.0.1:${p}/admin` } }),
    };
    const site = await serve(routes);
    try {
      routes['/sitemap.xml'] = urlset([`${site.origin}/good.html`, `${site.origin}/to-internal`, ...targets]);
      const { wh, cache } = fresh();
      const r = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', wh, '--cache-dir', cache, '--delay', '0']);
      expect(r.code, describeRun('crawl', r)).toBe(0);
      expect(internal.connections()).toBe(0);
      const { courses, crawls } = await stored(wh);
      expect(courses.map((c) => c.id)).toEqual(['G']);
      // Nine refused outright, and the redirect's second hop.
      const pageCauses = Object.entries(crawls[0]!.error_causes).filter(([c]) => !c.startsWith('missing:'));
      expect(pageCauses).toEqual([['private_address', 10]]);
      // The sitemap, good.html and the redirect's first hop.
      expect(crawls[0]!.pages).toBe(3);

      // Told to, the crawler reaches the internal service (only loopback now: nothing slow to time out).
      routes['/sitemap.xml'] = urlset([`${site.origin}/good.html`, ...targets.slice(0, 5)]);
      const allowed = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', join(root, 'allowed.duckdb'), '--cache-dir', cache, '--delay', '0', '--allow-private']);
      expect(allowed.code, describeRun('crawl --allow-private', allowed)).toBe(0);
      expect(internal.connections()).toBeGreaterThan(0);
    } finally {
      await site.close();
      await internal.close();
    }
  });
});

describe('unreachable hosts', () => {
  it('a Crawl-delay above --max-crawl-delay makes the host unreachable (crawl_delay_too_long), not an endless wait', async () => {
    const site = await serve({ '/robots.txt': 'User-agent: *\nCrawl-delay: 3000000\n', '/sitemap.xml': urlset([]) });
    try {
      const { wh, cache } = fresh();
      const r = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', wh, '--cache-dir', cache, '--delay', '0']);
      expect(r.code, describeRun('crawl', r)).toBe(3);
      expect(r.stderr).toContain('its root cannot be fetched (crawl_delay_too_long)');
      expect(r.stderr).not.toContain('TimeoutOverflowWarning');
      expect(site.count('/sitemap.xml')).toBe(0);
      const { crawls } = await stored(wh);
      expect(crawls[0]!.error_causes).toEqual({ crawl_delay_too_long: 1 });
      expect(crawls[0]!.pages).toBe(0);
    } finally {
      await site.close();
    }
  });

  it('a host refusing connections is fetch_failed:ECONNREFUSED for its pages, never robots_disallowed', async () => {
    const gone = await serve({});
    const goneOrigin = gone.origin;
    await gone.close();
    const routes: Record<string, FixtureRoute | string> = { '/ok.html': page('{"@type":"Course","name":"Ok","courseCode":"OK"}') };
    const site = await serve(routes);
    try {
      routes['/sitemap.xml'] = urlset([`${site.origin}/ok.html`, `${goneOrigin}/a.html`, `${goneOrigin}/b.html`]);
      const { wh, cache } = fresh();
      const r = await cli(['catalog', 'crawl', `sitemap:${site.origin}/sitemap.xml`, '--warehouse', wh, '--cache-dir', cache, '--delay', '0', '--allow-private']);
      expect(r.code, describeRun('crawl', r)).toBe(0);
      expect(r.stdout).toContain('fetch_failed:ECONNREFUSED 2');
      const { crawls } = await stored(wh);
      expect(crawls[0]!.error_causes['fetch_failed:ECONNREFUSED']).toBe(2);
      expect(crawls[0]!.error_causes.robots_disallowed).toBeUndefined();
      expect(crawls[0]!.pages).toBe(2); // the sitemap and ok.html
    } finally {
      await site.close();
    }
  });
});
