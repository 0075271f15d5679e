/**
 * `catalogReport` on real warehouses (a DuckDB file, a PostgreSQL database per test): every file
 * checked exactly against values written out by hand, gone rows left out, identical files from both
 * backends, and an output directory that appears only when complete.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourseRecord } from '../src/catalog/course-record.js';
import { CATALOG_REPORT_FILES, catalogReport } from '../src/catalog/report/catalog-report.js';
import type { CatalogWarehouse } from '../src/catalog/warehouse/catalog-warehouse.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { OutputError, OutputExistsError, WarehouseError } from '../src/errors.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres-db.js';

const T1 = new Date('2026-02-01T00:00:00.000Z');
const T2 = new Date('2026-02-08T00:00:00.000Z');
const TU = new Date('2026-02-09T12:00:00.000Z');
const COURSERA = 'coursera';
const UDEMY_SOURCE = 'sitemap:https://www.udemy.com/sitemap.xml';

function record(platform: string, id: string, kind: string, fields: Partial<CourseRecord>): CourseRecord {
  return {
    platform, id, kind, url: null, title: null, partners: [], instructors: [], language: null, level: null, categories: [],
    price: null, currency: null, rating: null, ratings: null, enrolments: null, hours: null, course_ids: [], description: null,
    ...fields,
  };
}

const c1 = record('coursera', 'c1', 'course', {
  url: 'https://www.coursera.org/learn/machine-learning',
  title: 'Machine Learning, "the" course',
  partners: ['Stanford University'],
  instructors: ['Andrew Ng'],
  language: 'en',
  level: 'BEGINNER',
  categories: ['ml', 'ai'],
  price: 49,
  currency: 'USD',
  rating: 4.9,
  ratings: 200000,
  enrolments: 5000000,
  hours: 60.5,
  description: 'Line 1\nLine 2',
});
const c2 = record('coursera', 'c2', 'course', { title: '<script>alert(1)</script>', price: 0, currency: 'USD', enrolments: 1000 });
const s1 = record('coursera', 's1', 'specialization', { title: 'Deep Learning', course_ids: ['c1', 'c2'], enrolments: 20000, hours: 120, rating: 4.5 });
/** Seen only by the first complete crawl: gone, so left out although it has the most enrolments. */
const old = record('coursera', 'old', 'course', { title: 'Retired', enrolments: 9e9 });
/** From a source whose only crawl was cut short: no complete crawl, so current. */
const u1 = record('udemy.com', 'u1', 'course', { title: 'Excel, quickly', price: 19.99, currency: 'EUR', hours: 2.25 });

async function fill(w: CatalogWarehouse): Promise<void> {
  const k1 = await w.beginCrawl(COURSERA, 'coursera', T1);
  await w.upsert(k1, [c1, c2, s1, old]);
  await w.finishCrawl(k1, { finished: T1, complete: true, pages: 3, errorCauses: {} });
  const k2 = await w.beginCrawl(COURSERA, 'coursera', T2);
  await w.upsert(k2, [c1, c2, s1]);
  await w.finishCrawl(k2, { finished: T2, complete: true, pages: 3, errorCauses: {} });
  const ku = await w.beginCrawl(UDEMY_SOURCE, 'udemy.com', TU);
  await w.upsert(ku, [u1]);
  await w.finishCrawl(ku, { finished: TU, complete: false, pages: 1, errorCauses: { interrupted: 1 } });
}

/** The content hash written out independently: sha256 of the JSON array of the content columns. */
function hash(r: CourseRecord): string {
  const values = [
    r.kind, r.url, r.title, r.partners, r.instructors, r.language, r.level, r.categories, r.price, r.currency,
    r.rating, r.ratings, r.enrolments, r.hours, r.course_ids, r.description,
  ];
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

const HEADER =
  'platform,id,kind,url,title,partners,instructors,language,level,categories,price,currency,rating,ratings,enrolments,hours,course_ids,description,first_seen,last_seen,changed_at,content_hash,source\r\n';
const C1_LINE =
  'coursera,c1,course,https://www.coursera.org/learn/machine-learning,"Machine Learning, ""the"" course","[""Stanford University""]","[""Andrew Ng""]",en,BEGINNER,' +
  `"[""ml"",""ai""]",49,USD,4.9,200000,5000000,60.5,[],"Line 1\nLine 2",2026-02-01T00:00:00.000Z,2026-02-08T00:00:00.000Z,2026-02-01T00:00:00.000Z,${hash(c1)},coursera\r\n`;
const C2_LINE = `coursera,c2,course,,<script>alert(1)</script>,[],[],,,[],0,USD,,,1000,,[],,2026-02-01T00:00:00.000Z,2026-02-08T00:00:00.000Z,2026-02-01T00:00:00.000Z,${hash(c2)},coursera\r\n`;
const S1_LINE = `coursera,s1,specialization,,Deep Learning,[],[],,,[],,,4.5,,20000,120,"[""c1"",""c2""]",,2026-02-01T00:00:00.000Z,2026-02-08T00:00:00.000Z,2026-02-01T00:00:00.000Z,${hash(s1)},coursera\r\n`;
const U1_LINE = `udemy.com,u1,course,,"Excel, quickly",[],[],,,[],19.99,EUR,,,,2.25,[],,2026-02-09T12:00:00.000Z,2026-02-09T12:00:00.000Z,2026-02-09T12:00:00.000Z,${hash(u1)},${UDEMY_SOURCE}\r\n`;

const NONE = { count: 0, mean: null, std: null, min: null, '25%': null, '50%': null, '75%': null, max: null };
const one = (v: number) => ({ count: 1, mean: v, std: null, min: v, '25%': v, '50%': v, '75%': v, max: v });

const EXPECTED_SUMMARY = {
  groups: [
    {
      platform: 'coursera',
      kind: 'course',
      count: 2,
      stats: {
        // [1000, 5000000]: deviations ±2499500 → 2 · 2499500² = 12495000500000 over n − 1 = 1;
        // ranks 0.25, 0.5, 0.75 of a span of 4999000
        enrolments: { count: 2, mean: 2500500, std: Math.sqrt(12495000500000), min: 1000, '25%': 1250750, '50%': 2500500, '75%': 3750250, max: 5000000 },
        hours: one(60.5),
        // [0, 49]: 2 · 24.5² = 1200.5
        price: { count: 2, mean: 24.5, std: Math.sqrt(1200.5), min: 0, '25%': 12.25, '50%': 24.5, '75%': 36.75, max: 49 },
        rating: one(4.9),
      },
    },
    { platform: 'coursera', kind: 'specialization', count: 1, stats: { enrolments: one(20000), hours: one(120), price: NONE, rating: one(4.5) } },
    { platform: 'udemy.com', kind: 'course', count: 1, stats: { enrolments: NONE, hours: one(2.25), price: one(19.99), rating: NONE } },
  ],
};

interface Target {
  name: string;
  make(): Promise<{ target: string; remove(): Promise<void> }>;
}

const TARGETS: Target[] = [
  {
    name: 'DuckDB',
    async make() {
      const dir = await mkdtemp(join(tmpdir(), 'catalog-rep-db-'));
      return { target: join(dir, 'w.duckdb'), remove: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async make() {
      const db: TestDatabase = await createTestDatabase();
      // Trust authentication ignores the password; it is there to prove the page never shows it.
      return { target: db.url.replace('postgres://root@', 'postgres://root:report-secret-pw@'), remove: () => db.drop() };
    },
  },
];

let outRoot: string;
beforeEach(async () => {
  outRoot = await mkdtemp(join(tmpdir(), 'catalog-rep-out-'));
});
afterEach(async () => {
  await rm(outRoot, { recursive: true, force: true });
});

describe.each(TARGETS)('catalog report from $name', (t) => {
  it('writes every file exactly, over the rows not gone', async () => {
    const { target, remove } = await t.make();
    try {
      const w = await openWarehouse(target);
      try {
        await fill(w);
      } finally {
        await w.close();
      }
      const out = join(outRoot, 'report');
      const result = await catalogReport({ warehouse: target, out, generatedAt: '2026-02-10T00:00:00Z' });
      expect(result.courses).toBe(4);
      expect((await readdir(out)).sort()).toEqual([...CATALOG_REPORT_FILES].sort());
      // Nothing else beside it: the temporary directory was renamed into place.
      expect(await readdir(outRoot)).toEqual(['report']);

      expect(JSON.parse(await readFile(join(out, 'catalog-summary.json'), 'utf8'))).toEqual(EXPECTED_SUMMARY);
      expect(await readFile(join(out, 'courses.csv'), 'utf8')).toBe(HEADER + C1_LINE + C2_LINE + S1_LINE + U1_LINE);
      expect(await readFile(join(out, 'top-enrolments.csv'), 'utf8')).toBe(HEADER + C1_LINE + S1_LINE + C2_LINE);

      const box = await loadImage(await readFile(join(out, 'boxplots.png')));
      // four panels of 320 px (three groups each) with three 24 px gaps
      expect([box.width, box.height]).toEqual([1200, 4 * 320 + 3 * 24]);
      const bars = await loadImage(await readFile(join(out, 'top-enrolments.png')));
      expect([bars.width, bars.height]).toEqual([1200, 700]);

      const html = await readFile(join(out, 'index.html'), 'utf8');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('Retired');
      expect(html).not.toContain('report-secret-pw');
      expect(html).toContain(t.name === 'DuckDB' ? `Warehouse ${target} ` : `Warehouse ${target.replace(/:[^:@/]+@/, ':***@')} `);
      for (const file of CATALOG_REPORT_FILES.filter((f) => f !== 'index.html')) expect(html).toContain(`href="${file}"`);
      expect(html).toContain('<img src="boxplots.png"');
      expect(html).toContain('<img src="top-enrolments.png"');
    } finally {
      await remove();
    }
  });
});

describe('catalog report', () => {
  it('gives byte-identical JSON and CSV files from DuckDB and PostgreSQL', async () => {
    const texts: string[][] = [];
    for (const t of TARGETS) {
      const { target, remove } = await t.make();
      try {
        const w = await openWarehouse(target);
        try {
          await fill(w);
        } finally {
          await w.close();
        }
        const out = join(outRoot, t.name);
        await catalogReport({ warehouse: target, out });
        texts.push(await Promise.all(['catalog-summary.json', 'courses.csv', 'top-enrolments.csv'].map((f) => readFile(join(out, f), 'utf8'))));
      } finally {
        await remove();
      }
    }
    expect(texts[1]).toEqual(texts[0]);
  });

  it('keeps the 15 most enrolled rows, ties by platform then id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-rep-db-'));
    const w = await openWarehouse(join(dir, 'w.duckdb'));
    try {
      const crawl = await w.beginCrawl('s', 'p', T1);
      // r10…r19 have 990…981 enrolments; r00…r09 tie at 10, so r00…r04 make the cut.
      const rows = Array.from({ length: 20 }, (_, i) =>
        record('p', `r${String(i).padStart(2, '0')}`, 'course', { enrolments: i < 10 ? 10 : 1000 - i }),
      );
      await w.upsert(crawl, rows.reverse());
      const out = join(outRoot, 'top');
      await catalogReport({ warehouse: w, out });
      const lines = (await readFile(join(out, 'top-enrolments.csv'), 'utf8')).split('\r\n');
      expect(lines.slice(1, -1).map((l) => l.split(',')[1])).toEqual([
        'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'r16', 'r17', 'r18', 'r19', 'r00', 'r01', 'r02', 'r03', 'r04',
      ]);
      expect(lines.at(-1)).toBe('');
    } finally {
      await w.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an existing output without force, replaces only a catalog report with force, and leaves no temporary directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-rep-db-'));
    const w = await openWarehouse(join(dir, 'w.duckdb'));
    try {
      await fill(w);
      const foreign = join(outRoot, 'foreign');
      await mkdir(foreign);
      await writeFile(join(foreign, 'keep.txt'), 'mine');
      for (const force of [false, true]) {
        const err = await catalogReport({ warehouse: w, out: foreign, force }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OutputError);
        expect((err as Error).message).toContain('not a clickstream catalog report');
      }
      expect(await readdir(foreign)).toEqual(['keep.txt']);
      const out = join(outRoot, 'existing');
      await catalogReport({ warehouse: w, out });
      await expect(catalogReport({ warehouse: w, out })).rejects.toBeInstanceOf(OutputExistsError);
      await catalogReport({ warehouse: w, out, force: true });
      expect((await readdir(out)).sort()).toEqual([...CATALOG_REPORT_FILES].sort());
      expect((await readdir(outRoot)).sort()).toEqual(['existing', 'foreign']);
    } finally {
      await w.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refusing an output never shows the password of a PostgreSQL warehouse URL', async () => {
    // The working directory exists and may never be replaced; a URL read as a path lies inside it,
    // so the refusal used to name the URL, password and all, as an input it holds.
    const url = 'postgres://root:s3cr3t-pw@127.0.0.1:5432/catalog_never_opened';
    for (const force of [false, true]) {
      const err = await catalogReport({ warehouse: url, out: process.cwd(), force }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutputError);
      expect((err as Error).message).toContain('it is the working directory or one of its parents');
      expect((err as Error).message).not.toContain('s3cr3t-pw');
    }
    expect(await readdir(outRoot)).toEqual([]);
  });

  it('a DuckDB path with no file is a WarehouseError, creates nothing and leaves no output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-rep-db-'));
    try {
      const missing = join(dir, 'typo.duckdb');
      const err = await catalogReport({ warehouse: missing, out: join(outRoot, 'r') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as Error).message).toBe(`there is no DuckDB warehouse at ${missing}: the file does not exist`);
      expect(await readdir(dir)).toEqual([]);
      expect(await readdir(outRoot)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an empty warehouse gives empty groups, header-only CSVs and "no data" charts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-rep-db-'));
    try {
      const out = join(outRoot, 'empty');
      await (await openWarehouse(join(dir, 'w.duckdb'))).close();
      const result = await catalogReport({ warehouse: join(dir, 'w.duckdb'), out });
      expect(result.courses).toBe(0);
      expect(await readFile(join(out, 'catalog-summary.json'), 'utf8')).toBe('{\n  "groups": []\n}\n');
      expect(await readFile(join(out, 'courses.csv'), 'utf8')).toBe(HEADER);
      expect(await readFile(join(out, 'top-enrolments.csv'), 'utf8')).toBe(HEADER);
      expect((await loadImage(await readFile(join(out, 'boxplots.png')))).width).toBe(1200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
