/**
 * `clickstream catalog` as a user runs it: help, usage errors, exit codes, politeness measured by
 * the fixture servers while the crawler runs in its own process, Ctrl-C and resume, the report,
 * and serve-fixture's printed command. Runs the built CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { progressLine } from '../src/cli/catalog-command.js';
import { CatalogFixtures } from '../src/catalog/fixture/catalog-fixtures.js';
import { TOOL_VERSION } from '../src/version.js';
import { CLI, ROOT, cli, describeRun, type Run } from './helpers/e2e.js';
import { createTestDatabase } from './helpers/postgres-db.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-catalog-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): { wh: string; cache: string } => {
  n++;
  return { wh: join(root, `w${n}.duckdb`), cache: join(root, `cache${n}`) };
};

function crawlArgs(fx: CatalogFixtures, wh: string, cache: string, extra: string[] = []): string[] {
  return ['catalog', 'crawl', `sitemap:${fx.sitemapUrl}`, 'coursera', '--coursera-api', fx.courseraApi, '--algolia', fx.algoliaUrl, '--warehouse', wh, '--cache-dir', cache, ...extra];
}

/** Starts the CLI; `done` resolves with its outcome. */
function start(args: string[]): { child: ChildProcess; done: Promise<Run>; stdout: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

describe('clickstream catalog', () => {
  it('prints help listing every option; no subcommand is a usage error', async () => {
    for (const [sub, options] of [
      ['crawl', ['--warehouse', '--cache-dir', '--per-host', '--delay', '--contact', '--max-pages', '--coursera-api', '--algolia', '--currency', '--country', '--quiet']],
      ['report', ['--warehouse', '--out', '--force', '--quiet']],
      ['serve-fixture', ['--site-port', '--coursera-port', '--version']],
    ] as const) {
      const r = await cli(['catalog', sub, '--help']);
      expect(r.code, describeRun(`catalog ${sub} --help`, r)).toBe(0);
      for (const o of options) expect(r.stdout, `${sub} --help lists ${o}`).toContain(o);
    }
    const crawlHelp = (await cli(['catalog', 'crawl', '--help'])).stdout;
    expect(crawlHelp).toContain('(default 2)');
    expect(crawlHelp).toContain('(default 1000)');
    expect(crawlHelp).toContain('x-algolia-application-id=LUA9B20G37');
    expect((await cli(['--help'])).stdout).toContain('catalog');
    expect((await cli(['catalog'])).code).toBe(2);
  });

  it('exits 2 with a one-line message on bad usage', async () => {
    const wh = join(root, 'never.duckdb');
    for (const args of [
      ['catalog', 'crawl', '--warehouse', wh],
      ['catalog', 'crawl', 'coursera'],
      ['catalog', 'crawl', 'udemy', '--warehouse', wh],
      ['catalog', 'crawl', 'sitemap:ftp://x/s.xml', '--warehouse', wh],
      ['catalog', 'crawl', 'coursera', 'coursera', '--warehouse', wh],
      ['catalog', 'crawl', 'coursera', '--warehouse', wh, '--per-host', '0'],
      ['catalog', 'crawl', 'coursera', '--warehouse', wh, '--delay', 'soon'],
      ['catalog', 'crawl', 'coursera', '--warehouse', wh, '--algolia', 'not-a-url'],
      ['catalog', 'report', '--warehouse', wh],
      ['catalog', 'frobnicate'],
    ]) {
      const r = await cli(args);
      expect(r.code, describeRun(args.join(' '), r)).toBe(2);
      expect(r.stderr).toMatch(/^clickstream: /);
      expect(r.stderr).not.toContain('    at ');
    }
    expect(existsSync(wh)).toBe(false);
  });

  it('keeps each host polite, as the servers measure with the crawler in its own process', async () => {
    const fx = await CatalogFixtures.start({ latencyMs: 150 });
    try {
      const { wh, cache } = fresh();
      const r = await cli(crawlArgs(fx, wh, cache, ['--per-host', '2', '--delay', '60', '--contact', 'https://example.org/crawler', '--quiet']));
      expect(r.code, describeRun('crawl', r)).toBe(0);
      expect(r.stdout).toBe('');
      // Arrival times are recorded when the servers' event loop gets to them: allow 10 ms, plus
      // however long the loop was held up (the machine may be busy with other tests).
      const slack = (s: { maxLagMs: number }): number => 10 + s.maxLagMs;
      expect(fx.coursera.maxInFlight).toBe(2); // 150 ms answers 60 ms apart: only the limit stops a third
      expect(fx.coursera.minStartGap()).toBeGreaterThanOrEqual(60 - slack(fx.coursera));
      expect(fx.site.maxInFlight).toBeLessThanOrEqual(2);
      expect(fx.site.minStartGap()).toBeGreaterThanOrEqual(100 - slack(fx.site)); // Crawl-delay 0.1 s beats --delay 60
      // Over the whole crawl lateness cannot add up: the mean gap keeps the delay, less one slack
      // shared by all the gaps.
      const meanGapHolds = (s: CatalogFixtures['site'], delay: number): void => {
        const starts = s.requests.map((q) => q.start).sort((a, b) => a - b);
        const gaps = starts.length - 1;
        expect((starts[gaps]! - starts[0]!) / gaps).toBeGreaterThanOrEqual(delay - slack(s) / gaps);
      };
      meanGapHolds(fx.site, 100);
      meanGapHolds(fx.coursera, 60);
      expect(fx.site.count('/private/secret.html')).toBe(0);
      const ua = new Set([...fx.site.requests, ...fx.coursera.requests].map((q) => q.userAgent));
      expect(ua).toEqual(new Set([`clickstream-catalog/${TOOL_VERSION} (+https://example.org/crawler)`]));
      const siteStarts = fx.site.requests.map((q) => q.start);
      expect(fx.coursera.requests.some((q) => q.start > Math.min(...siteStarts) && q.start < Math.max(...siteStarts))).toBe(true);
    } finally {
      await fx.close();
    }
  });

  it('exits 3 when a source root cannot be fetched (the others still crawl) and 5 when the warehouse cannot be opened', async () => {
    const fx = await CatalogFixtures.start();
    try {
      const { wh, cache } = fresh();
      const r = await cli([
        'catalog', 'crawl', `sitemap:${fx.site.origin}/no-such-sitemap.xml`, 'coursera', '--coursera-api', fx.courseraApi, '--algolia', fx.algoliaUrl,
        '--warehouse', wh, '--cache-dir', cache, '--delay', '20',
      ]);
      expect(r.code, describeRun('crawl', r)).toBe(3);
      expect(r.stderr).toContain(`clickstream: sitemap:${fx.site.origin}/no-such-sitemap.xml: its root cannot be fetched (http_404)`);
      expect(r.stdout).toMatch(/^coursera: complete; 8 pages; inserted 7, updated 0, unchanged 0, gone 0;/m);
      const bad = await cli(['catalog', 'crawl', 'coursera', '--warehouse', join(root, 'no-such-dir', 'x.duckdb'), '--cache-dir', cache]);
      expect(bad.code, describeRun('crawl into a missing directory', bad)).toBe(5);
      expect(bad.stderr).not.toContain('    at ');
    } finally {
      await fx.close();
    }
  });

  it('Ctrl-C exits 130 keeping what was stored; the rerun resumes and completes; report writes the summary', async () => {
    const fx = await CatalogFixtures.start();
    try {
      const { wh, cache } = fresh();
      const run = start(crawlArgs(fx, wh, cache, ['--delay', '20']));
      await fx.site.waitFor(() => fx.site.requests.filter((q) => q.path.startsWith('/courses/') && q.status === 200).length >= 3);
      run.child.kill('SIGINT');
      const interrupted = await run.done;
      expect(interrupted.code, describeRun('interrupted crawl', interrupted)).toBe(130);
      expect(interrupted.stderr).toContain('SIGINT received');
      expect(interrupted.stdout).toMatch(/^sitemap:\S+: not complete: interrupted; /m);
      const rerun = await cli(crawlArgs(fx, wh, cache, ['--delay', '20']));
      expect(rerun.code, describeRun('rerun', rerun)).toBe(0);
      // Pages are what servers answered: the rerun reuses what the interrupted crawl fetched (at least
      // the index, a sitemap and three course pages) without asking again, so fewer than a full 19.
      const resumedPages = Number(/^sitemap:\S+: complete \(resumed\); (\d+) pages;/m.exec(rerun.stdout)?.[1]);
      expect(resumedPages).toBeGreaterThan(0);
      expect(resumedPages).toBeLessThanOrEqual(19 - 5);
      expect(rerun.stdout).toMatch(/ gone 0; 52 errors: 8 page errors \(no_course 2, robots_disallowed 2, bad_json_ld 1, http_404 1, http_500 1, redirect_loop 1\), 44 null fields/);
      const out = join(root, 'report');
      const report = await cli(['catalog', 'report', '--warehouse', wh, '--out', out]);
      expect(report.code, describeRun('report', report)).toBe(0);
      expect(report.stdout).toContain('17 current courses');
      const summary = JSON.parse(readFileSync(join(out, 'catalog-summary.json'), 'utf8')) as { groups: { platform: string; kind: string; count: number }[] };
      expect(summary.groups.map((g) => [g.platform, g.kind, g.count])).toEqual(
        expect.arrayContaining([
          ['127.0.0.1', 'course', 9],
          ['127.0.0.1', 'program', 1],
          ['coursera', 'course', 4],
          ['coursera', 'specialization', 1],
          ['coursera', 'professional-certificate', 1],
          ['coursera', 'degree', 1],
        ]),
      );
      expect(summary.groups.length).toBe(6);
    } finally {
      await fx.close();
    }
  });

  it('crawls into PostgreSQL and reports from it as from DuckDB; an unknown database exits 5', async () => {
    const fx = await CatalogFixtures.start();
    const db = await createTestDatabase();
    try {
      const { cache } = fresh();
      const r = await cli(crawlArgs(fx, db.url, cache, ['--delay', '20']));
      expect(r.code, describeRun('crawl into PostgreSQL', r)).toBe(0);
      expect(r.stdout).toMatch(/^sitemap:\S+: complete; 19 pages; inserted 10, updated 0, unchanged 0, gone 0;/m);
      expect(r.stdout).toMatch(/^coursera: complete; 8 pages; inserted 7, updated 0, unchanged 0, gone 0;/m);
      const out = join(root, 'report-pg');
      const report = await cli(['catalog', 'report', '--warehouse', db.url, '--out', out]);
      expect(report.code, describeRun('report from PostgreSQL', report)).toBe(0);
      expect(report.stdout).toContain('17 current courses in 6 platform/kind groups');
      const missing = await cli(['catalog', 'crawl', 'coursera', '--warehouse', `${db.url}_does_not_exist`, '--cache-dir', cache]);
      expect(missing.code, describeRun('crawl into a missing database', missing)).toBe(5);
    } finally {
      await db.drop();
      await fx.close();
    }
  });

  it("prints the README walk-through's summaries: the base site, its version 2, then a crawl that changes nothing", async () => {
    // The numbers README.md shows for the three crawls; the stdout lines are the user's evidence.
    const fx = await CatalogFixtures.start();
    try {
      const { wh, cache } = fresh();
      const args = crawlArgs(fx, wh, cache, ['--delay', '0']);
      const first = await cli(args);
      expect(first.code, describeRun('first crawl', first)).toBe(0);
      expect(first.stdout).toMatch(/^sitemap:\S+: complete; 19 pages; inserted 10, updated 0, unchanged 0, gone 0; 52 errors: 8 page errors .*, 44 null fields/m);
      expect(first.stdout).toMatch(/^coursera: complete; 8 pages; inserted 7, updated 0, unchanged 0, gone 0; 16 errors: 1 page errors \(http_500 1\), 15 null fields/m);
      expect(first.stdout).toMatch(/^34 requests to 2 host\(s\), 0 answered 304 Not Modified/m);
      fx.setVersion(2);
      const second = await cli(args);
      expect(second.code, describeRun('second crawl', second)).toBe(0);
      expect(second.stdout).toMatch(/^sitemap:\S+: complete; 19 pages; inserted 1, updated 1, unchanged 8, gone 1; 50 errors: 8 page errors .*, 42 null fields/m);
      expect(second.stdout).toMatch(/^coursera: complete; 8 pages; inserted 0, updated 2, unchanged 4, gone 1; 10 errors: 1 page errors \(http_500 1\), 9 null fields/m);
      // The total differs by one from a restarted serve-fixture (the README's 34); the 304s do not.
      expect(second.stdout).toMatch(/^3[34] requests to 2 host\(s\), 17 answered 304 Not Modified/m);
      const third = await cli(args);
      expect(third.code, describeRun('third crawl', third)).toBe(0);
      expect(third.stdout).toMatch(/^sitemap:\S+: complete; \d+ pages; inserted 0, updated 0,/m);
      expect(third.stdout).toMatch(/^coursera: complete; \d+ pages; inserted 0, updated 0,/m);
      expect(third.stdout).toMatch(/^33 requests to 2 host\(s\), 23 answered 304 Not Modified/m);
    } finally {
      await fx.close();
    }
  });

  it('serve-fixture prints a crawl command that works without the internet, and stops on Ctrl-C', async () => {
    const serve = start(['catalog', 'serve-fixture']);
    try {
      await new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (serve.stdout().includes('Serving until Ctrl-C.')) resolve();
        };
        serve.child.stdout!.on('data', check);
        serve.child.on('close', () => reject(new Error(`serve-fixture ended: ${serve.stdout()}`)));
        check();
      });
      const line = serve.stdout().split('\n').find((l) => l.trim().startsWith('clickstream catalog crawl'))!;
      const { wh, cache } = fresh();
      const args = shellWords(line.trim()).slice(1).map((a) => (a === 'catalog.duckdb' ? wh : a === '.catalog-cache' ? cache : a));
      const r = await cli(args);
      expect(r.code, describeRun(line, r)).toBe(0);
      expect(r.stdout).toMatch(/^sitemap:\S+: complete; 19 pages; inserted 10,/m);
      expect(r.stdout).toMatch(/^coursera: complete; 8 pages; inserted 7,/m);
    } finally {
      serve.child.kill('SIGINT');
    }
    const done = await serve.done;
    expect(done.code, describeRun('serve-fixture', done)).toBe(0);
  });
});

describe('progressLine', () => {
  it('shows pages, queue, records, page errors by cause, hosts and an ETA once every total is known', () => {
    const hosts = new Map([
      ['127.0.0.1:8080', { requests: 40, notModified: 10, fromCache: 0, inFlight: 2, waiting: 14 }],
      ['127.0.0.1:8081', { requests: 9, notModified: 0, fromCache: 0, inFlight: 0, waiting: 0 }],
    ]);
    const base = { elapsedMs: 10_000, errorCauses: { http_404: 3, no_course: 5, 'missing:price': 9, redirect_loop: 1, bad_xml: 1 }, hosts };
    const s = { source: 'sitemap:x', pages: 40, done: 25, total: 100 as number | undefined, queued: 60, records: 20, errors: 19 };
    expect(progressLine({ ...base, sources: [s] })).toBe(
      'catalog  40 pages (4/s), ETA 0:30 | 60 queued | 20 records | 10 errors: no_course 5, http_404 3, bad_xml 1 | 127.0.0.1:8080 2 active 14 waiting, 127.0.0.1:8081 idle',
    );
    expect(progressLine({ ...base, sources: [{ ...s, total: undefined }] })).not.toContain('ETA');
  });
});

/** Splits a shell command line (single quotes only, as serve-fixture prints). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2]!);
  return words;
}
