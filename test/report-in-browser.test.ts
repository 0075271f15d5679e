/**
 * The pages, in a real browser: headless chromium opens each index.html over HTTP from a local
 * server (127.0.0.1) — reports of the Coursera and Open edX fixtures, their comparison, a catalog
 * report and the two reports of `clickstream demo` — and the page must render (title, headings), log no error, request nothing that fails,
 * show every image (loaded, naturalWidth > 0) and link only files that exist (every CSV answers
 * 200). Each page leaves a PNG screenshot; with UPDATE_SCREENSHOT=1 the Coursera report's becomes
 * docs/report-screenshot.png, the README's picture (never otherwise, so CI never rewrites it).
 *
 * Needs chromium (Debian: `apt-get install -y chromium`; .ci/run installs it): without it every test
 * here fails saying so, rather than skipping.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourseRecord } from '../src/catalog/course-record.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { cli, describeRun, ROOT, run } from './helpers/e2e.js';
import { HeadlessChromium, type PageVisit } from './helpers/headless-chromium.js';
import { progressing } from './helpers/progress.js';
import { serveDirectory, type StaticServer } from './helpers/static-server.js';

let dir: string;
let reports: string;
let server: StaticServer | undefined;
let browser: HeadlessChromium | undefined;

async function ok(args: string[]): Promise<void> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(describeRun(`clickstream ${args.join(' ')}`, r));
}

function course(platform: string, id: string, fields: Partial<CourseRecord>): CourseRecord {
  return {
    platform, id, kind: 'course', url: null, title: null, partners: [], instructors: [], language: null, level: null, categories: [],
    price: null, currency: null, rating: null, ratings: null, enrolments: null, hours: null, course_ids: [], description: null,
    ...fields,
  };
}

/** A small warehouse with two platforms, one title that is markup, and a catalog report of it. */
async function catalogReportOf(out: string): Promise<void> {
  const warehouse = join(dir, 'catalog.duckdb');
  const w = await openWarehouse(warehouse);
  try {
    const at = new Date('2026-02-01T00:00:00.000Z');
    const k = await w.beginCrawl('coursera', 'coursera', at);
    await w.upsert(k, [
      course('coursera', 'ml', { title: 'Machine Learning', price: 49, currency: 'USD', rating: 4.9, enrolments: 5_000_000, hours: 60 }),
      course('coursera', 'xss', { title: '<img src=x onerror=alert(1)>', price: 0, currency: 'USD', rating: 4.1, enrolments: 1_200, hours: 3 }),
      course('coursera', 'py', { title: 'Python for Everybody', price: 39, currency: 'USD', rating: 4.8, enrolments: 2_000_000, hours: 20 }),
    ]);
    await w.finishCrawl(k, { finished: at, complete: true, pages: 3, errorCauses: {} });
    const u = await w.beginCrawl('sitemap:https://www.udemy.com/sitemap.xml', 'udemy.com', at);
    await w.upsert(u, [course('udemy.com', 'xl', { title: 'Excel, quickly', price: 19.99, currency: 'EUR', rating: 4.2, enrolments: 30_000, hours: 2.5 })]);
    await w.finishCrawl(u, { finished: at, complete: true, pages: 1, errorCauses: {} });
  } finally {
    await w.close();
  }
  await ok(['catalog', 'report', '--warehouse', warehouse, '--out', out, '--quiet']);
}

beforeAll(progressing(async () => {
  // The browser first: without chromium, fail at once with how to install it.
  browser = await HeadlessChromium.launch();
  dir = await mkdtemp(join(tmpdir(), 'cs-browser-'));
  reports = join(dir, 'reports');
  await mkdir(reports);
  await Promise.all([
    (async () => {
      await ok(['convert', join(ROOT, 'fixtures', 'analytics.jsonl'), '--out', join(dir, 'data', 'analytics'), '--quiet']);
      await ok(['analyze', join(dir, 'data', 'analytics'), '--out', join(reports, 'analytics'), '--quiet']);
    })(),
    (async () => {
      const logs = ['tracking.log.1.gz', 'tracking.log'].map((f) => join(ROOT, 'fixtures', 'openedx', f));
      await ok(['convert', ...logs, '--out', join(dir, 'data', 'lms'), '--quiet']);
      await ok(['analyze', join(dir, 'data', 'lms'), '--out', join(reports, 'lms'), '--quiet']);
    })(),
    catalogReportOf(join(reports, 'catalog')),
  ]);
  await ok(['compare', join(reports, 'analytics'), join(reports, 'lms'), '--out', join(reports, 'compare'), '--quiet']);
  server = await serveDirectory(reports);
}, 'making the reports'), 0); // minutes on a loaded machine: bounded by progress, not a clock

afterAll(async () => {
  await browser?.close().catch(() => browser?.kill());
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/**
 * The browser asks the site root for /favicon.ico by itself when a page names no icon (these pages
 * do not): that request is the browser's, not the page's, and a report served from a folder of any
 * web server gets the same 404. Everything else counts.
 */
const notFavicon = (line: string): boolean => !/\/favicon\.ico\b/.test(line);

/** Opens a page and checks what every page must do; returns the visit for page-specific checks. */
async function check(page: string): Promise<PageVisit> {
  const before = server!.requests.length;
  const visit = await browser!.visit(`${server!.origin}/${page}/index.html`);
  expect(visit.errors.filter(notFavicon), 'console errors').toEqual([]);
  expect(visit.failedRequests.filter(notFavicon), 'failed requests').toEqual([]);
  // Every request the page made was answered 200 (the server's side of the same check).
  expect(server!.requests.slice(before).filter((r) => !r.startsWith('200 ') && notFavicon(r))).toEqual([]);

  // Every <img> of the file was laid out and decoded.
  const html = await readFile(join(reports, page, 'index.html'), 'utf8');
  expect(visit.images).toHaveLength((html.match(/<img\s/g) ?? []).length);
  for (const img of visit.images) expect(img.complete && img.naturalWidth > 0 && img.naturalHeight > 0, img.src).toBe(true);

  // Every link to a file resolves, over HTTP as a reader's click would.
  const local = visit.links.filter((l) => l.startsWith(`${server!.origin}/`));
  for (const link of local) expect(`${(await fetch(link, { method: 'HEAD' })).status} ${link}`).toBe(`200 ${link}`);

  const [width, height] = pngSize(visit.screenshot);
  expect(width).toBe(1280);
  expect(height).toBeGreaterThan(300);
  await writeFile(join(dir, `${page.replaceAll('/', '-')}.png`), visit.screenshot);
  return visit;
}

const csvLinks = (v: PageVisit): string[] => v.links.filter((l) => new URL(l).pathname.endsWith('.csv'));

describe('index.html in headless chromium', () => {
  it('the Coursera fixture report renders, every chart loads and every CSV link answers', progressing(async () => {
    const v = await check('analytics');
    expect(v.title).toBe('analytics');
    expect(v.headings.h1).toEqual([expect.stringMatching(/^analytics/)]);
    expect(v.headings.h2).toEqual(expect.arrayContaining(['At a glance', 'Key figures', 'Activity per day', 'Retention', 'Files']));
    expect(v.images.length).toBeGreaterThanOrEqual(8);
    expect(csvLinks(v).length).toBeGreaterThanOrEqual(10);
  }), 0);

  it('the same report opened from the disk (file://), as most readers do, shows every image without an error', progressing(async () => {
    const v = await browser!.visit(pathToFileURL(join(reports, 'analytics', 'index.html')).href);
    expect(v.errors).toEqual([]);
    expect(v.failedRequests).toEqual([]);
    expect(v.images.length).toBeGreaterThanOrEqual(8);
    for (const img of v.images) expect(img.complete && img.naturalWidth > 0, img.src).toBe(true);
    expect(v.links.filter((l) => !l.startsWith('file://'))).toEqual([]);
  }), 0);

  it('the Open edX fixture report renders, with its courses table', progressing(async () => {
    const v = await check('lms');
    expect(v.title).toBe('lms');
    expect(v.headings.h2).toEqual(expect.arrayContaining(['At a glance', 'Courses', 'Files']));
    expect(csvLinks(v).map((l) => new URL(l).pathname)).toContain('/lms/courses.csv');
  }), 0);

  it('the comparison renders and its links to both reports resolve', progressing(async () => {
    const v = await check('compare');
    expect(v.title).toBe('Comparison of analytics, lms');
    expect(v.headings.h2).toEqual(expect.arrayContaining(['Side by side', 'Charts', 'Files']));
    const paths = v.links.map((l) => new URL(l).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/analytics/index.html', '/lms/index.html', '/compare/compare.csv']));
  }), 0);

  it('the catalog report renders, and a title that is markup stays text', progressing(async () => {
    const v = await check('catalog');
    expect(v.headings.h1.length).toBe(1);
    expect(v.images.length).toBeGreaterThanOrEqual(2);
    expect(csvLinks(v).map((l) => new URL(l).pathname).sort()).toEqual(['/catalog/courses.csv', '/catalog/top-enrolments.csv']);
    // Had the title been markup, its <img src=x> would have failed to load and been counted above.
    expect(v.images.every((i) => !i.src.endsWith('/x'))).toBe(true);
  }), 0);

  it('the two reports of `clickstream demo` render, as a new user first sees them', progressing(async () => {
    // The README's first block is `npm ci && npx clickstream demo`: its pages are the front door.
    await ok(['demo', '--out', join(reports, 'demo'), '--bytes', '300KB', '--quiet']);
    for (const [page, title] of [['demo/coursera/report', 'clickstream demo: Coursera'], ['demo/openedx/report', 'clickstream demo: Open edX']] as const) {
      const v = await check(page);
      expect(v.title).toBe(title);
      expect(v.headings.h2).toEqual(expect.arrayContaining(['At a glance', 'Key figures', 'Activity per day', 'Retention', 'Files']));
      expect(v.images.length).toBeGreaterThanOrEqual(8);
      expect(csvLinks(v).length).toBeGreaterThanOrEqual(10);
    }
  }), 0);

  it("the README's screenshot is this test's picture of a report (UPDATE_SCREENSHOT=1 remakes it)", progressing(async () => {
    const readme = join(ROOT, 'docs', 'report-screenshot.png');
    if (process.env.UPDATE_SCREENSHOT !== '1') {
      // Not remade (CI never does): it is still what the test takes, the top of a page 1280 px wide.
      const [width, height] = pngSize(await readFile(readme));
      expect(width).toBe(1280);
      expect(height).toBeGreaterThan(300);
      return;
    }
    // A realistic course from the generator (ten weeks, hundreds of learners) rather than the small
    // fixture: the README shows what a report looks like, checked like every page above.
    const name = 'psy-001';
    await ok(['convert', await generated(name), '--out', join(dir, 'data', name), '--quiet']);
    await ok(['analyze', join(dir, 'data', name), '--out', join(reports, name), '--quiet']);
    const v = await check(name);
    expect(v.title).toBe(name);
    await copyFile(join(dir, `${name}.png`), readme);
  }), 0);
});

/** A generated export of about 66,000 events (seed 1); returns its path. */
async function generated(name: string): Promise<string> {
  const path = join(dir, `${name}.jsonl.gz`);
  const r = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', path, '--events', '66000', '--gzip', '--seed', '1', '--quiet']);
  if (r.code !== 0) throw new Error(describeRun('generate', r));
  return path;
}
