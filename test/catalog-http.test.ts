/**
 * The polite fetcher: its pure parts (scheduler, Retry-After, cache key, robots rules, User-Agent)
 * directly, and its behaviour against real local HTTP servers that measure what it did.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FixtureServer, type FixtureRoute } from '../src/catalog/fixture/fixture-server.js';
import { cacheKey } from '../src/catalog/http/cache-key.js';
import { FetchError } from '../src/catalog/http/fetch-error.js';
import { HttpCache } from '../src/catalog/http/http-cache.js';
import { PolitenessScheduler } from '../src/catalog/http/politeness-scheduler.js';
import { PoliteFetcher } from '../src/catalog/http/polite-fetcher.js';
import { backoffDelay, parseRetryAfter } from '../src/catalog/http/retry-after.js';
import { RobotsRules } from '../src/catalog/http/robots-rules.js';
import { USER_AGENT_TOKEN, userAgent } from '../src/catalog/http/user-agent.js';
import { TOOL_VERSION } from '../src/version.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-catalog-http-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(routes: Record<string, FixtureRoute | string>, options: { latencyMs?: number } = {}): Promise<FixtureServer> {
  const s = await FixtureServer.start((path, count) => {
    const r = routes[path.split('?')[0]!];
    if (r === undefined) return { status: 404, body: 'nf' };
    return typeof r === 'string' ? { status: 200, headers: { 'content-type': 'text/plain' }, body: r } : r(path, count);
  }, options);
  servers.push(s);
  return s;
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FetchError) return err.reason;
    throw err;
  }
  return 'no error';
}

describe('PolitenessScheduler (pure)', () => {
  it('keeps the delay between starts and the in-flight limit per host', () => {
    const s = new PolitenessScheduler({ maxInFlight: 2, delayMs: 100 });
    expect(s.tryStart('a', 1000)).toBe(0);
    expect(s.tryStart('a', 1030)).toBe(70); // 100 ms after the last start
    expect(s.tryStart('b', 1030)).toBe(0); // another host is independent
    expect(s.tryStart('a', 1100)).toBe(0);
    expect(s.tryStart('a', 1300)).toBe(Infinity); // two in flight
    s.finish('a');
    expect(s.inFlight('a')).toBe(1);
    expect(s.tryStart('a', 1300)).toBe(0);
  });

  it('uses the Crawl-delay when larger than the delay, and holds a host until a Retry-After deadline', () => {
    const s = new PolitenessScheduler({ maxInFlight: 4, delayMs: 100 });
    s.setCrawlDelay('a', 250);
    s.setCrawlDelay('b', 50);
    expect(s.delayOf('a')).toBe(250);
    expect(s.delayOf('b')).toBe(100);
    expect(s.tryStart('a', 0)).toBe(0);
    expect(s.tryStart('a', 100)).toBe(150);
    s.holdUntil('b', 5000);
    s.holdUntil('b', 4000); // never earlier
    expect(s.tryStart('b', 1000)).toBe(4000);
    expect(s.tryStart('b', 5000)).toBe(0);
  });
});

describe('header parsing and keys (pure)', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('keys the cache by URL without fragment, with WHATWG normalisation', () => {
    expect(cacheKey('HTTP://Example.org:80/a#x')).toBe(cacheKey('http://example.org/a'));
    expect(cacheKey('http://example.org/a?b=1')).not.toBe(cacheKey('http://example.org/a?b=2'));
    expect(cacheKey('http://example.org/a')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends an honest User-Agent naming the tool, its version and the contact', () => {
    expect(USER_AGENT_TOKEN).toBe('clickstream-catalog');
    expect(userAgent('https://example.org/contact', '1.2.3')).toBe('clickstream-catalog/1.2.3 (+https://example.org/contact)');
    expect(userAgent(undefined, '1.2.3')).toBe('clickstream-catalog/1.2.3');
  });

  it('reads robots.txt for our token, else *; 4xx allows all, unreachable disallows all', () => {
    const text = [
      'User-agent: *',
      'Disallow: /',
      '',
      'User-agent: clickstream-catalog',
      'Allow: /private/open-',
      'Disallow: /private/',
      'Disallow: /*.pdf$',
      'Crawl-delay: 2.5',
    ].join('\n');
    const r = RobotsRules.parse('http://h:8080/robots.txt', text);
    expect(r.isAllowed('http://h:8080/courses/a')).toBe(true);
    expect(r.isAllowed('http://h:8080/private/a')).toBe(false);
    expect(r.isAllowed('http://h:8080/private/open-day')).toBe(true);
    expect(r.isAllowed('http://h:8080/docs/x.pdf')).toBe(false);
    expect(r.crawlDelayMs()).toBe(2500);
    const star = RobotsRules.parse('http://h/robots.txt', 'User-agent: *\nDisallow: /admin\n');
    expect(star.isAllowed('http://h/admin/x')).toBe(false);
    expect(star.isAllowed('http://h/a')).toBe(true);
    expect(star.crawlDelayMs()).toBe(0);
    expect(RobotsRules.fromStatus(404).isAllowed('http://h/anything')).toBe(true);
    expect(RobotsRules.fromStatus(503).isAllowed('http://h/anything')).toBe(false);
    expect(RobotsRules.unreachable().isAllowed('http://h/anything')).toBe(false);
  });
});

describe('HttpCache', () => {
  it('stores whole entries atomically and removes temp files of dead processes on open', async () => {
    const dir = join(root, 'cache-a');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', '99999999.deadbeef.tmp'), 'half an entry');
    writeFileSync(join(dir, 'tmp', `${process.pid}.alive.tmp`), 'being written by us');
    const cache = await HttpCache.open(dir);
    expect(readdirSync(join(dir, 'tmp')).sort()).toEqual([`${process.pid}.alive.tmp`]);
    const body = Buffer.from([0, 10, 255, 10, 1]);
    await cache.put({ url: 'http://h/a#frag', status: 200, etag: '"x"', validatedAt: 5 }, body);
    const got = await cache.get('http://h/a');
    expect(got?.meta).toEqual({ url: 'http://h/a#frag', status: 200, etag: '"x"', validatedAt: 5 });
    expect(got?.body.equals(body)).toBe(true);
    expect(await cache.get('http://h/b')).toBeUndefined();
    const key = cacheKey('http://h/a');
    writeFileSync(join(dir, key.slice(0, 2), key), 'no header line');
    expect(await cache.get('http://h/a')).toBeUndefined();
  });
});

describe('PoliteFetcher against local servers', () => {
  const quick = { delayMs: 5, allowPrivate: true };

  it('never requests a disallowed path, nor follows a redirect into one; sends the User-Agent', async () => {
    const s = await serve({
      '/robots.txt': 'User-agent: clickstream-catalog\nDisallow: /private/\n',
      '/a': 'A',
      '/to-private': () => ({ status: 301, headers: { location: '/private/x' } }),
      '/private/x': 'secret',
    });
    const f = new PoliteFetcher({ ...quick, contact: 'https://example.org/contact' });
    expect((await f.get(`${s.origin}/a`)).body.toString()).toBe('A');
    expect(await reason(f.get(`${s.origin}/private/x`))).toBe('robots_disallowed');
    expect(await reason(f.get(`${s.origin}/to-private`))).toBe('robots_disallowed');
    expect(s.count('/private/x')).toBe(0);
    expect(s.count('/robots.txt')).toBe(1);
    expect(new Set(s.requests.map((r) => r.userAgent))).toEqual(new Set([`clickstream-catalog/${TOOL_VERSION} (+https://example.org/contact)`]));
  });

  it('treats a missing robots.txt as allow-all and a failing one as disallow-all', async () => {
    const open = await serve({ '/a': 'A' });
    const failing = await serve({ '/robots.txt': () => ({ status: 500 }), '/a': 'A' });
    const f = new PoliteFetcher(quick);
    expect((await f.get(`${open.origin}/a`)).body.toString()).toBe('A');
    expect(await reason(f.get(`${failing.origin}/a`))).toBe('robots_disallowed');
    expect(failing.count('/a')).toBe(0);
    expect(failing.count('/robots.txt')).toBe(2); // one retry for a 5xx
  });

  it('follows redirects, detects loops and gives up after too many hops', async () => {
    const s = await serve({
      '/old': () => ({ status: 301, headers: { location: '/new' } }),
      '/new': 'N',
      '/l1': () => ({ status: 302, headers: { location: '/l2' } }),
      '/l2': () => ({ status: 302, headers: { location: '/l1' } }),
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/c${i}`, (() => ({ status: 307, headers: { location: `/c${i + 1}` } })) as FixtureRoute])),
    });
    const f = new PoliteFetcher(quick);
    const doc = await f.get(`${s.origin}/old`);
    expect(doc.finalUrl).toBe(`${s.origin}/new`);
    expect(doc.body.toString()).toBe('N');
    expect(await reason(f.get(`${s.origin}/l1`))).toBe('redirect_loop');
    expect(await reason(f.get(`${s.origin}/c0`))).toBe('too_many_redirects');
    expect(s.count('/c6')).toBe(0); // five hops followed: /c1 … /c5
  });

  it('a redirect to a Location that is no URL is bad_redirect, for pages and for robots.txt alike', async () => {
    const s = await serve({
      '/robots.txt': 'User-agent: *\nDisallow: /private\n',
      '/broken': () => ({ status: 302, headers: { location: 'http://[not-an-address/' } }),
    });
    const f = new PoliteFetcher(quick);
    expect(await reason(f.get(`${s.origin}/broken`))).toBe('bad_redirect');
    expect(s.count('/broken')).toBe(1);
    // robots.txt moved to nowhere: unavailable, so allowed (RFC 9309 §2.3.1.3), as after too many hops.
    const r = await serve({
      '/robots.txt': () => ({ status: 301, headers: { location: 'http://[not-an-address/' } }),
      '/page': 'P',
    });
    expect((await f.get(`${r.origin}/page`)).body.toString()).toBe('P');
    expect(r.count('/robots.txt')).toBe(1);
  });

  it('waits for Retry-After on 429, backs off on 503, retries other 5xx once, gives up in the end', async () => {
    const s = await serve({
      '/throttled': (_p, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200, body: 'T' }),
      '/busy': (_p, n) => (n < 2 ? { status: 503 } : { status: 200, body: 'B' }),
      '/always503': () => ({ status: 503 }),
      '/flaky': (_p, n) => (n === 0 ? { status: 502 } : { status: 200, body: 'F' }),
      '/broken': () => ({ status: 500 }),
      '/missing': () => ({ status: 404 }),
    });
    const f = new PoliteFetcher({ ...quick, backoffBaseMs: 10, maxThrottleRetries: 3 });
    expect((await f.get(`${s.origin}/throttled`)).body.toString()).toBe('T');
    const [first, second] = s.requests.filter((r) => r.path === '/throttled');
    expect(second!.start - first!.start).toBeGreaterThanOrEqual(1000 - 10 - s.maxLagMs);
    expect((await f.get(`${s.origin}/busy`)).body.toString()).toBe('B');
    expect(s.count('/busy')).toBe(3);
    expect(await reason(f.get(`${s.origin}/always503`))).toBe('http_503');
    expect(s.count('/always503')).toBe(4); // the first answer and three retries
    expect((await f.get(`${s.origin}/flaky`)).body.toString()).toBe('F');
    expect(await reason(f.get(`${s.origin}/broken`))).toBe('http_500');
    expect(s.count('/broken')).toBe(2);
    expect(await reason(f.get(`${s.origin}/missing`))).toBe('http_404');
    expect(s.count('/missing')).toBe(1);
  });

  it('treats a host refusing connections as unreachable (fetch_failed:ECONNREFUSED), after one retry', async () => {
    const s = await serve({});
    const origin = s.origin;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const f = new PoliteFetcher({ ...quick, backoffBaseMs: 5 });
    // robots.txt got no answer: the host is unreachable for the crawl, nothing more is sent.
    expect(await reason(f.get(`${origin}/a`))).toBe('fetch_failed:ECONNREFUSED');
    expect(f.hostStats().get(new URL(origin).host)?.requests).toBe(2);
  });

  it('fails a body over the size limit as too_large and a slow answer as fetch_failed:ETIMEDOUT (after one retry)', async () => {
    const big = await serve({ '/big': 'x'.repeat(2048), '/small': 'x'.repeat(100) });
    const f = new PoliteFetcher({ ...quick, maxBodyBytes: 1000 });
    expect(await reason(f.get(`${big.origin}/big`))).toBe('too_large');
    expect(big.count('/big')).toBe(1); // a body that is too large is not asked for again
    expect((await f.get(`${big.origin}/small`)).body.length).toBe(100);
    const slow = await serve({ '/slow': () => ({ status: 200, body: 'S', delayMs: 400 }) });
    const g = new PoliteFetcher({ ...quick, timeoutMs: 100, backoffBaseMs: 5 });
    expect(await reason(g.get(`${slow.origin}/slow`))).toBe('fetch_failed:ETIMEDOUT');
    expect(g.hostStats().get(new URL(slow.origin).host)?.requests).toBe(3); // robots.txt, /slow and its one retry
    await slow.waitFor(() => slow.count('/slow') === 2);
  });

  it('revalidates cached documents with If-None-Match and If-Modified-Since', async () => {
    const lm = new Date('2026-01-05T08:00:00Z');
    const s = await serve({
      '/etag': () => ({ status: 200, body: 'E' }),
      '/lm': () => ({ status: 200, body: 'L', etag: false, lastModified: lm }),
    });
    const dir = join(root, 'cache-b');
    const first = new PoliteFetcher({ ...quick, cache: await HttpCache.open(dir) });
    expect((await first.get(`${s.origin}/etag`)).origin).toBe('network');
    expect((await first.get(`${s.origin}/lm`)).origin).toBe('network');
    const second = new PoliteFetcher({ ...quick, cache: await HttpCache.open(dir) });
    const e = await second.get(`${s.origin}/etag`);
    const l = await second.get(`${s.origin}/lm`);
    expect([e.origin, e.body.toString(), l.origin, l.body.toString()]).toEqual(['revalidated', 'E', 'revalidated', 'L']);
    expect(s.requests.filter((r) => r.path !== '/robots.txt').map((r) => [r.path, r.status, r.conditional])).toEqual([
      ['/etag', 200, false],
      ['/lm', 200, false],
      ['/etag', 304, true],
      ['/lm', 304, true],
    ]);
    // Resume: entries validated since a time are used without a request.
    const third = new PoliteFetcher({ ...quick, cache: await HttpCache.open(dir) });
    const before = s.requests.length;
    expect((await third.get(`${s.origin}/etag`, { freshSince: 0 })).origin).toBe('cache');
    expect(s.requests.length - before).toBe(1); // only robots.txt, which every new fetcher reads
  });

  it('keeps each host within its in-flight limit and start delay, while hosts run in parallel', async () => {
    const paths = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/p${i}`, `page ${i}`]));
    const a = await serve(paths, { latencyMs: 120 });
    const b = await serve({ ...paths, '/robots.txt': 'User-agent: *\nCrawl-delay: 0.15\n' }, { latencyMs: 10 });
    const f = new PoliteFetcher({ perHost: 2, delayMs: 30, allowPrivate: true });
    await Promise.all(Object.keys(paths).flatMap((p) => [f.get(`${a.origin}${p}`), f.get(`${b.origin}${p}`)]));
    expect(a.requests.length).toBe(13);
    // Arrival times are recorded when the event loop gets to them, which it shares with the fetcher
    // here: allow 10 ms plus however long the loop was held up.
    expect(a.maxInFlight).toBe(2); // 120 ms answers, 30 ms apart: the limit is what stops a third
    expect(a.minStartGap()).toBeGreaterThanOrEqual(30 - 10 - a.maxLagMs);
    expect(b.maxInFlight).toBeLessThanOrEqual(2);
    expect(b.minStartGap()).toBeGreaterThanOrEqual(150 - 10 - b.maxLagMs); // Crawl-delay wins over --delay
    const bStarts = b.requests.map((r) => r.start);
    const overlap = a.requests.filter((r) => r.start > Math.min(...bStarts) && r.start < Math.max(...bStarts));
    expect(overlap.length).toBeGreaterThan(0);
  });

  it('rejects with the abort reason while waiting for its turn, sending nothing more', async () => {
    const s = await serve({ '/a': 'A', '/b': 'B' });
    const f = new PoliteFetcher({ delayMs: 60_000, allowPrivate: true });
    const controller = new AbortController();
    const pending = [f.get(`${s.origin}/a`, { signal: controller.signal }), f.get(`${s.origin}/b`, { signal: controller.signal })];
    await s.waitFor(() => s.count('/robots.txt') === 1);
    controller.abort(new Error('stop'));
    for (const p of pending) await expect(p).rejects.toThrow('stop');
    expect([s.count('/a'), s.count('/b')]).toEqual([0, 0]);
  });
});

it('leaves no temp files behind', () => {
  for (const d of ['cache-a', 'cache-b']) {
    const tmp = join(root, d, 'tmp');
    if (existsSync(tmp)) expect(readdirSync(tmp).filter((n) => !n.startsWith(`${process.pid}.alive`))).toEqual([]);
  }
});
