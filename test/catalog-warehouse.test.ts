/**
 * The catalog warehouse against a real DuckDB file and a real PostgreSQL database (one per test,
 * dropped after): exact rows after each of four crawls, written out by hand below, and identical
 * rows in both backends.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CourseRecord } from '../src/catalog/course-record.js';
import type { CatalogWarehouse, CourseVersion, CrawlRow, StoredCourse } from '../src/catalog/warehouse/catalog-warehouse.js';
import { contentHash, prepareBatch } from '../src/catalog/warehouse/content-hash.js';
import { compareCodePoints } from '../src/util/compare.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { redactTarget } from '../src/catalog/warehouse/warehouse-target.js';
import { InternalError, WarehouseError } from '../src/errors.js';
import { createTestDatabase, databaseExists, POSTGRES_SERVER, type TestDatabase } from './helpers/postgres-db.js';

const P = 'example.org';
const S = 'sitemap:https://www.example.org/sitemap.xml';
const S2 = 'sitemap:https://example.org/extra.xml';
const T1 = new Date('2026-03-01T10:00:00.000Z');
const T1B = new Date('2026-03-01T11:30:00.000Z');
const T2 = new Date('2026-03-08T10:00:00.000Z');
const T3 = new Date('2026-03-15T10:00:00.000Z');
const T4 = new Date('2026-03-22T10:00:00.000Z');
const end = (started: Date): Date => new Date(started.getTime() + 3_600_000);

const a1: CourseRecord = {
  platform: P,
  id: 'a',
  kind: 'course',
  url: 'https://www.example.org/a',
  title: 'Statistics I',
  // List items with the characters array text syntax treats specially: they must come back as they are.
  partners: ['Uni A', 'Uni "B", {x} \\ NULL'],
  instructors: ['Ann Lee', 'NULL', ''],
  language: 'en',
  level: 'beginner',
  categories: ['math', 'statistics'],
  price: 49.99,
  currency: 'USD',
  rating: 4.7,
  ratings: 1200,
  enrolments: 250000,
  hours: 12.5,
  course_ids: [],
  description: 'Intro, with "quotes" and ünïcödé',
};
/** An earlier record of `a` in the same batch as a1: the last one wins, this one leaves no trace. */
const a0: CourseRecord = { ...a1, title: 'Statistics 1 (draft)', hours: 3 };
/** a1 with its partners reordered and more hours: a change. */
const a2: CourseRecord = { ...a1, partners: [...a1.partners].reverse(), hours: 13 };
const b: CourseRecord = {
  platform: P,
  id: 'b',
  kind: 'course',
  url: null,
  title: 'Cooking',
  partners: [],
  instructors: [],
  language: null,
  level: null,
  categories: [],
  price: 0,
  currency: null,
  rating: null,
  ratings: null,
  enrolments: null,
  hours: null,
  course_ids: [],
  description: 'tab\there, NUL a\u0000b',
};
/** b as stored: PostgreSQL cannot hold U+0000, so both backends store U+FFFD. */
const bStored: CourseRecord = { ...b, description: 'tab\there, NUL a\uFFFDb' };
const c: CourseRecord = {
  platform: P,
  id: 'c',
  kind: 'program',
  url: 'https://www.example.org/c',
  title: 'Data Science Program',
  partners: ['Uni A'],
  instructors: ['Ann Lee', 'Bo Chen'],
  language: 'en',
  level: null,
  categories: ['data'],
  price: null,
  currency: null,
  rating: 4.123456789012345,
  ratings: 7,
  // Full precision both ways: a sum that is not 0.3, a tiny and a huge double.
  enrolments: 0.1 + 0.2,
  hours: 1e-300,
  course_ids: ['a', 'b'],
  description: null,
};
const d: CourseRecord = { ...b, id: 'd', title: 'Baking', price: 1.7976931348623157e308, currency: 'EUR', rating: 5e-324, hours: -0, description: null };
/** d as stored: -0 is stored as 0 (JSON, and so PostgreSQL's batch, cannot carry the sign of zero). */
const dStored: CourseRecord = { ...d, hours: 0 };
const e: CourseRecord = { ...b, id: 'e', title: 'Extra course from a second sitemap', description: null };

/** The hash written out independently of the implementation: the content columns in table order. */
function expectedHash(r: CourseRecord): string {
  const values = [
    r.kind, r.url, r.title, r.partners, r.instructors, r.language, r.level, r.categories, r.price, r.currency,
    r.rating, r.ratings, r.enrolments, r.hours, r.course_ids, r.description,
  ];
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

function stored(r: CourseRecord, source: string, first: Date, last: Date, changed: Date): StoredCourse {
  return { ...r, source, first_seen: first, last_seen: last, changed_at: changed, content_hash: expectedHash(r) };
}

function version(r: CourseRecord, from: Date, to: Date | null): CourseVersion {
  return { ...r, valid_from: from, valid_to: to, content_hash: expectedHash(r) };
}

function crawlRow(
  id: number,
  source: string,
  started: Date,
  complete: boolean,
  counts: { inserted: number; updated: number; unchanged: number; gone: number },
  errorCauses: Record<string, number> = {},
  pages = 4,
): CrawlRow {
  const errors = Object.values(errorCauses).reduce((s, n) => s + n, 0);
  return { id, source, platform: P, started, finished: end(started), complete, pages, errors, error_causes: errorCauses, ...counts };
}

const CRAWL1_ERRORS = { no_course: 2, http_404: 1 };

/** Runs the scenario's crawls 1 to `upTo` (1, 1b, 2, 3, 4), checking each batch's counts. */
async function runCrawls(w: CatalogWarehouse, upTo: 1 | 2 | 3 | 4): Promise<void> {
  const c1 = await w.beginCrawl(S, P, T1);
  expect(await w.upsert(c1, [a0, b, a1])).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
  expect(await w.upsert(c1, [c])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  await w.finishCrawl(c1, { finished: end(T1), complete: true, pages: 4, errorCauses: CRAWL1_ERRORS });
  const c1b = await w.beginCrawl(S2, P, T1B);
  expect(await w.upsert(c1b, [e])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  await w.finishCrawl(c1b, { finished: end(T1B), complete: true, pages: 4, errorCauses: {} });
  if (upTo < 2) return;
  const c2 = await w.beginCrawl(S, P, T2);
  expect(await w.upsert(c2, [b, a2])).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
  expect(await w.upsert(c2, [d])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  await w.finishCrawl(c2, { finished: end(T2), complete: true, pages: 4, errorCauses: {} });
  if (upTo < 3) return;
  const c3 = await w.beginCrawl(S, P, T3);
  expect(await w.upsert(c3, [b, a2])).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
  expect(await w.upsert(c3, [d])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  await w.finishCrawl(c3, { finished: end(T3), complete: true, pages: 4, errorCauses: {} });
  if (upTo < 4) return;
  const c4 = await w.beginCrawl(S, P, T4);
  expect(await w.upsert(c4, [b])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  await w.finishCrawl(c4, { finished: end(T4), complete: false, pages: 4, errorCauses: { interrupted: 1 } });
}

interface Snapshot {
  all: StoredCourse[];
  current: StoredCourse[];
  versions: CourseVersion[];
  crawls: CrawlRow[];
}

async function snapshot(w: CatalogWarehouse): Promise<Snapshot> {
  return { all: await w.courses('all'), current: await w.courses('current'), versions: await w.versions(), crawls: await w.crawls() };
}

// Expected state after crawl 1 (and 1b, the second source's).
const AFTER_1: Snapshot = {
  all: [stored(a1, S, T1, T1, T1), stored(bStored, S, T1, T1, T1), stored(c, S, T1, T1, T1), stored(e, S2, T1B, T1B, T1B)],
  current: [stored(a1, S, T1, T1, T1), stored(bStored, S, T1, T1, T1), stored(c, S, T1, T1, T1), stored(e, S2, T1B, T1B, T1B)],
  versions: [version(a1, T1, null), version(bStored, T1, null), version(c, T1, null), version(e, T1B, null)],
  crawls: [
    crawlRow(1, S, T1, true, { inserted: 3, updated: 0, unchanged: 0, gone: 0 }, CRAWL1_ERRORS),
    crawlRow(2, S2, T1B, true, { inserted: 1, updated: 0, unchanged: 0, gone: 0 }),
  ],
};

// Crawl 2: a changed, b unchanged, c missing (gone, kept), d new; e belongs to the other source.
const AFTER_2: Snapshot = {
  all: [
    stored(a2, S, T1, T2, T2),
    stored(bStored, S, T1, T2, T1),
    stored(c, S, T1, T1, T1),
    stored(dStored, S, T2, T2, T2),
    stored(e, S2, T1B, T1B, T1B),
  ],
  current: [stored(a2, S, T1, T2, T2), stored(bStored, S, T1, T2, T1), stored(dStored, S, T2, T2, T2), stored(e, S2, T1B, T1B, T1B)],
  versions: [
    version(a1, T1, T2),
    version(a2, T2, null),
    version(bStored, T1, null),
    version(c, T1, null),
    version(dStored, T2, null),
    version(e, T1B, null),
  ],
  crawls: [...AFTER_1.crawls, crawlRow(3, S, T2, true, { inserted: 1, updated: 1, unchanged: 1, gone: 1 })],
};

// Crawl 3 repeats crawl 2: only last_seen and crawls move; c is counted gone again.
const AFTER_3: Snapshot = {
  all: [
    stored(a2, S, T1, T3, T2),
    stored(bStored, S, T1, T3, T1),
    stored(c, S, T1, T1, T1),
    stored(dStored, S, T2, T3, T2),
    stored(e, S2, T1B, T1B, T1B),
  ],
  current: [stored(a2, S, T1, T3, T2), stored(bStored, S, T1, T3, T1), stored(dStored, S, T2, T3, T2), stored(e, S2, T1B, T1B, T1B)],
  versions: AFTER_2.versions,
  crawls: [...AFTER_2.crawls, crawlRow(4, S, T3, true, { inserted: 0, updated: 0, unchanged: 3, gone: 1 })],
};

// Crawl 4 is cut short after seeing only b: nothing gone, a and d stay current.
const AFTER_4: Snapshot = {
  all: [
    stored(a2, S, T1, T3, T2),
    stored(bStored, S, T1, T4, T1),
    stored(c, S, T1, T1, T1),
    stored(dStored, S, T2, T3, T2),
    stored(e, S2, T1B, T1B, T1B),
  ],
  current: [stored(a2, S, T1, T3, T2), stored(bStored, S, T1, T4, T1), stored(dStored, S, T2, T3, T2), stored(e, S2, T1B, T1B, T1B)],
  versions: AFTER_2.versions,
  crawls: [...AFTER_3.crawls, crawlRow(5, S, T4, false, { inserted: 0, updated: 0, unchanged: 1, gone: 0 }, { interrupted: 1 })],
};

interface Backend {
  name: 'DuckDB' | 'PostgreSQL';
  /** A fresh, empty target and how to remove it. */
  make(): Promise<{ target: string; remove(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'DuckDB',
    async make() {
      const dir = await mkdtemp(join(tmpdir(), 'catalog-wh-'));
      return { target: join(dir, 'catalog.duckdb'), remove: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async make() {
      const db = await createTestDatabase();
      return { target: db.url, remove: () => db.drop() };
    },
  },
];

describe.each(BACKENDS)('$name warehouse', (backend) => {
  let target: string;
  let remove: () => Promise<void>;
  let w: CatalogWarehouse | undefined;

  beforeEach(async () => {
    ({ target, remove } = await backend.make());
    w = await openWarehouse(target);
  });
  afterEach(async () => {
    await w?.close();
    await remove();
  });

  it('crawl 1 stores exactly the new rows (last duplicate of a batch wins), their first versions and its crawls row', async () => {
    await runCrawls(w!, 1);
    expect(await snapshot(w!)).toEqual(AFTER_1);
  });

  it('crawl 2 with changes updates, versions and counts exactly; a row missing from the complete crawl is counted gone, kept, and not current', async () => {
    await runCrawls(w!, 2);
    expect(await snapshot(w!)).toEqual(AFTER_2);
  });

  it('crawl 3, unchanged, changes nothing but last_seen and crawls, and counts the gone row again', async () => {
    await runCrawls(w!, 3);
    expect(await snapshot(w!)).toEqual(AFTER_3);
  });

  it('a crawl cut short counts nothing gone and leaves the unseen rows current', async () => {
    await runCrawls(w!, 4);
    expect(await snapshot(w!)).toEqual(AFTER_4);
  });

  it('keeps the data across close and reopen, applying no migration twice', async () => {
    await runCrawls(w!, 2);
    await w!.close();
    w = await openWarehouse(target);
    expect(await snapshot(w)).toEqual(AFTER_2);
    await w.close();
    w = undefined;
    const versions = await schemaVersions(backend.name, target);
    expect(versions).toEqual(backend.name === 'DuckDB' ? [1] : [1, 2]);
  });

  it('refuses a warehouse whose schema is newer than it knows, naming the versions', async () => {
    await w!.close();
    w = undefined;
    await execute(backend.name, target, 'INSERT INTO schema_migrations VALUES (99, $1, now())', ['from the future']);
    const known = backend.name === 'DuckDB' ? 1 : 2;
    await expect(openWarehouse(target)).rejects.toThrow(new RegExp(`has schema version 99; this clickstream knows up to ${known}$`));
    await expect(openWarehouse(target)).rejects.toBeInstanceOf(WarehouseError);
  });

  it('an upsert or finish for an unknown crawl is a WarehouseError and writes nothing', async () => {
    await expect(w!.upsert(42, [a1])).rejects.toThrow(WarehouseError);
    await expect(w!.finishCrawl(42, { finished: T1, complete: true, pages: 0, errorCauses: {} })).rejects.toThrow(WarehouseError);
    expect(await snapshot(w!)).toEqual({ all: [], current: [], versions: [], crawls: [] });
  });

  it('a batch that fails in SQL leaves nothing of itself: one transaction per batch', async () => {
    await runCrawls(w!, 1);
    await w!.close();
    w = undefined;
    // A constraint on courses makes the batch fail after its versions were written.
    await forbidTitle(backend.name, target, 'boom');
    w = await openWarehouse(target);
    const crawl = await w.beginCrawl(S, P, T2);
    await expect(w.upsert(crawl, [a2, d, { ...e, title: 'boom' }])).rejects.toThrow(WarehouseError);
    const after = await snapshot(w);
    expect(after.all).toEqual(AFTER_1.all);
    expect(after.versions).toEqual(AFTER_1.versions);
    expect(after.crawls.at(-1)).toMatchObject({ id: 3, inserted: 0, updated: 0, unchanged: 0 });
    // The warehouse stays usable.
    expect(await w.upsert(crawl, [a2, d])).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
  });

  it('an empty batch changes nothing and counts nothing', async () => {
    const crawl = await w!.beginCrawl(S, P, T1);
    expect(await w!.upsert(crawl, [])).toEqual({ inserted: 0, updated: 0, unchanged: 0 });
    expect(await w!.courses('all')).toEqual([]);
  });
});

/** Adds CHECK (title <> forbidden) to courses; DuckDB cannot add a constraint, so the table is rebuilt with it. */
async function forbidTitle(name: Backend['name'], target: string, forbidden: string): Promise<void> {
  const check = `CHECK (title IS DISTINCT FROM '${forbidden}')`;
  if (name === 'PostgreSQL') {
    await execute(name, target, `ALTER TABLE courses ADD CONSTRAINT forbidden_title ${check}`, []);
    return;
  }
  const instance = await DuckDBInstance.create(target);
  try {
    const conn = await instance.connect();
    try {
      const ddl = String((await conn.runAndReadAll(`SELECT sql FROM duckdb_tables() WHERE table_name = 'courses'`)).getRows()[0]![0]);
      await conn.run('CREATE TABLE courses_copy AS SELECT * FROM courses');
      await conn.run('DROP TABLE courses');
      await conn.run(ddl.replace(/\);?\s*$/, `, ${check});`));
      await conn.run('INSERT INTO courses SELECT * FROM courses_copy');
      await conn.run('DROP TABLE courses_copy');
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** The applied migration versions, read straight from the database. */
async function schemaVersions(name: Backend['name'], target: string): Promise<number[]> {
  const rows = await query(name, target, 'SELECT version FROM schema_migrations ORDER BY version', []);
  return rows.map((r) => Number(r[0]));
}

async function execute(name: Backend['name'], target: string, sql: string, params: string[]): Promise<void> {
  await query(name, target, sql, params);
}

async function query(name: Backend['name'], target: string, sql: string, params: string[]): Promise<unknown[][]> {
  if (name === 'PostgreSQL') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];
    } finally {
      await client.end();
    }
  }
  const instance = await DuckDBInstance.create(target);
  try {
    const conn = await instance.connect();
    try {
      return (await conn.runAndReadAll(sql, params)).getRows() as unknown[][];
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

describe('both backends', () => {
  it('hold identical rows after the same four crawls, and the test database is dropped after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-wh-'));
    const db: TestDatabase = await createTestDatabase();
    try {
      const states: Snapshot[] = [];
      for (const target of [join(dir, 'same.duckdb'), db.url]) {
        const w = await openWarehouse(target);
        try {
          await runCrawls(w, 4);
          states.push(await snapshot(w));
        } finally {
          await w.close();
        }
      }
      expect(states[1]).toEqual(states[0]);
      expect(states[0]).toEqual(AFTER_4);
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
    expect(await databaseExists(db.name)).toBe(false);
  });
});

describe('PostgreSQL with concurrent crawls', () => {
  it('two connections upserting the same new rows at once: each row inserted once, the other crawl sees it unchanged', async () => {
    const db = await createTestDatabase();
    try {
      const [w1, w2] = await Promise.all([openWarehouse(db.url), openWarehouse(db.url)]);
      try {
        const k1 = await w1.beginCrawl(S, P, T1);
        const k2 = await w2.beginCrawl(S2, P, T1);
        const [r1, r2] = await Promise.all([w1.upsert(k1, [a1, b, c]), w2.upsert(k2, [a1, b, c])]);
        // Batches are applied one at a time: whichever ran first inserted all three.
        expect([r1, r2].sort((x, y) => y.inserted - x.inserted)).toEqual([
          { inserted: 3, updated: 0, unchanged: 0 },
          { inserted: 0, updated: 0, unchanged: 3 },
        ]);
        expect((await w1.courses('all')).map((r) => r.id)).toEqual(['a', 'b', 'c']);
        expect((await w1.versions()).map((v) => [v.id, v.valid_to])).toEqual([
          ['a', null],
          ['b', null],
          ['c', null],
        ]);
      } finally {
        await Promise.all([w1.close(), w2.close()]);
      }
    } finally {
      await db.drop();
    }
  });
});

describe('opening', () => {
  it('a PostgreSQL server that does not answer is a WarehouseError (exit 5) that never shows the password', async () => {
    const url = 'postgres://root:Sup3r%24ecret@127.0.0.1:1/catalog';
    const err = await openWarehouse(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseError);
    expect((err as WarehouseError).exitCode).toBe(5);
    const text = `${(err as Error).message}\n${(err as Error).stack}`;
    expect(text).toContain('postgres://root:***@127.0.0.1:1/catalog');
    expect(text).not.toContain('Sup3r');
    expect(text).not.toContain('ecret');
  });

  it('a database that does not exist is a WarehouseError naming it, without the password', async () => {
    const server = new URL(POSTGRES_SERVER);
    server.password = 'hunter2-pw';
    const url = `${server.toString().replace(/\/$/, '')}/cstest_missing_database`;
    const err = await openWarehouse(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseError);
    expect((err as Error).message).toContain('cstest_missing_database');
    expect((err as Error).message).not.toContain('hunter2-pw');
  });

  it('a DuckDB file that cannot be created is a WarehouseError naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-wh-'));
    try {
      const path = join(dir, 'no', 'such', 'dir', 'catalog.duckdb');
      const err = await openWarehouse(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as Error).message).toContain(`cannot open the DuckDB warehouse ${path}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a DuckDB file another process holds is a WarehouseError saying it is locked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-wh-'));
    const path = join(dir, 'held.duckdb');
    // Another process opens the file and keeps it open until its stdin closes.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const instance = await DuckDBInstance.create(${JSON.stringify(path)});
         process.stdout.write('held\\n');
         process.stdin.on('end', () => { instance.closeSync(); process.exit(0); });
         process.stdin.resume();`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const [chunk] = (await once(holder.stdout!, 'data')) as [Buffer];
      expect(chunk.toString()).toBe('held\n');
      const err = await openWarehouse(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as Error).message).toMatch(/^cannot open the DuckDB warehouse .*held\.duckdb: .*lock/i);
    } finally {
      holder.stdin!.end();
      await once(holder, 'exit');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('redacts passwords in the URL and in a password query parameter; DuckDB paths stay as they are', () => {
    expect(redactTarget('postgresql://u:p%40ss@db.example:6543/cat?sslmode=require')).toBe('postgresql://u:***@db.example:6543/cat?sslmode=require');
    expect(redactTarget('postgres://u@h/db?password=secret')).toBe('postgres://u@h/db?password=***');
    expect(redactTarget('postgres://u:se cret@[bad')).toBe('postgres://u:***@[bad');
    expect(redactTarget('/data/postgres:x@y.duckdb')).toBe('/data/postgres:x@y.duckdb');
  });
});

describe('a password with a character a URL cannot hold unencoded', () => {
  it('is hidden even where the URL does not parse, in the name and in the error of opening it', async () => {
    for (const [target, shown] of [
      ['postgres://u:pa/ss@h/db', 'postgres://u:***@h/db'],
      ['postgresql://root:pa#s?s@127.0.0.1:5432/x', 'postgresql://root:***@127.0.0.1:5432/x'],
    ] as const) {
      expect(redactTarget(target)).toBe(shown);
      const err = await openWarehouse(target).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as Error).message).toBe(`cannot use the PostgreSQL warehouse ${shown}: Invalid URL`);
    }
  });
});

describe('content hash and batches', () => {
  it('is the SHA-256 of the content columns as a JSON array (values checked with sha256sum)', () => {
    const minimal: CourseRecord = {
      platform: 'p', id: 'x', kind: 'course', url: null, title: 'T', partners: [], instructors: [], language: null, level: null,
      categories: [], price: 0, currency: null, rating: null, ratings: null, enrolments: null, hours: null, course_ids: [], description: null,
    };
    expect(contentHash(minimal)).toBe('5bacf2ea6665dac77135c353b95c44161d8000528b23811ec80ec614f22a288e');
    const full: CourseRecord = {
      ...minimal, url: 'https://x.org/c', title: null, partners: ['P'], language: 'en', categories: ['a', 'b'], price: 0.1 + 0.2,
      currency: 'EUR', rating: 4.5, enrolments: 12, hours: 1e-300, description: 'd',
    };
    expect(contentHash(full)).toBe('ec30164a9670dabdd4aad1b63eb43f1ed2f0cc53e7b76b7cadc6f92040cea0ac');
    // platform and id are the key, not content
    expect(contentHash({ ...minimal, platform: 'q', id: 'y' })).toBe(contentHash(minimal));
  });

  it('keeps the last record of a platform and id within a batch', () => {
    const batch = prepareBatch([a0, b, a1, { ...a1, platform: 'other.org' }]);
    expect(batch.map((r) => [r.platform, r.id, r.title])).toEqual([
      [P, 'b', 'Cooking'],
      [P, 'a', 'Statistics I'],
      ['other.org', 'a', 'Statistics I'],
    ]);
  });

  it('refuses non-finite numbers as a bug of the source', () => {
    expect(() => prepareBatch([{ ...a1, hours: Number.NaN }])).toThrow(InternalError);
    expect(() => prepareBatch([{ ...a1, price: Number.POSITIVE_INFINITY }])).toThrow(/price is Infinity/);
  });

  it('orders by code points, as the databases do in C collation', () => {
    const words = ['b', 'B', 'a', '\u{1F600}', '\uFFFD', 'ab', ''];
    expect([...words].sort(compareCodePoints)).toEqual(['', 'B', 'a', 'ab', 'b', '\uFFFD', '\u{1F600}']);
  });
});
