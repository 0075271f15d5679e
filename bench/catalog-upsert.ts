/**
 * `npm run bench:catalog`: upsert throughput (rows/s) of the catalog warehouse, DuckDB and
 * PostgreSQL, on synthetic courses: a first load, an unchanged re-run, then a re-run with 10% of the
 * rows changed. Each phase is one crawl of batches as the crawler sends them; times cover the
 * upserts (each batch one transaction) and, separately, finishing the crawl (counting gone rows).
 * Prints a Markdown table.
 *
 * Environment:
 *   BENCH_CATALOG_ROWS   synthetic courses (default 100000)
 *   BENCH_CATALOG_BATCH  records per upsert batch (default 1000)
 *   BENCH_POSTGRES_URL   PostgreSQL server, no database (default postgres://root@127.0.0.1:5432);
 *                        a database bench_catalog_<random> is created there and dropped after
 *   BENCH_CATALOG_ONLY   `duckdb` or `postgres` to run one backend only
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { CourseRecord } from '../src/catalog/course-record.js';
import type { CatalogWarehouse } from '../src/catalog/warehouse/catalog-warehouse.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { TOOL_VERSION } from '../src/version.js';
// The tests' PRNG (mulberry32): tsc compiles it along with this import, and the same seed gives the same synthetic catalog on every run.
import { prng } from '../test/helpers/prng.js';

const ROWS = Number(process.env.BENCH_CATALOG_ROWS ?? 100_000);
const BATCH = Number(process.env.BENCH_CATALOG_BATCH ?? 1000);
const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432';
const ONLY = process.env.BENCH_CATALOG_ONLY;

const WORDS = ['data', 'machine', 'learning', 'python', 'finance', 'design', 'health', 'writing', 'cloud', 'music', 'history', 'law'];

/** `n` courses of the size sources produce (a few hundred bytes of description, short lists). */
function syntheticCatalog(n: number): CourseRecord[] {
  const rnd = prng(2026);
  const word = (): string => WORDS[Math.floor(rnd() * WORDS.length)]!;
  const rows: CourseRecord[] = [];
  for (let i = 0; i < n; i++) {
    const bundle = rnd() < 0.08;
    rows.push({
      platform: i % 5 === 0 ? 'example.org' : 'coursera',
      id: `course-${i}`,
      kind: bundle ? 'specialization' : 'course',
      url: `https://www.example.org/learn/course-${i}`,
      title: `${word()} ${word()} for ${word()} ${i}`,
      partners: [`University ${i % 300}`],
      instructors: [`Instructor ${i % 1000}`, `Instructor ${(i * 7) % 1000}`],
      language: 'en',
      level: ['BEGINNER', 'INTERMEDIATE', 'ADVANCED'][i % 3]!,
      categories: [word(), word(), word()],
      price: bundle ? null : Math.round(rnd() * 10000) / 100,
      currency: bundle ? null : 'USD',
      rating: 3 + rnd() * 2,
      ratings: Math.floor(rnd() * 50000),
      enrolments: Math.floor(10 ** (1 + rnd() * 5)),
      hours: rnd() * 80,
      course_ids: bundle ? [`course-${i + 1}`, `course-${i + 2}`, `course-${i + 3}`] : [],
      description: `A course about ${word()} and ${word()}. `.repeat(8),
    });
  }
  return rows;
}

interface Phase {
  name: string;
  upsertSeconds: number;
  finishSeconds: number;
  counts: { inserted: number; updated: number; unchanged: number; gone: number };
}

async function crawl(w: CatalogWarehouse, name: string, rows: readonly CourseRecord[], started: Date): Promise<Phase> {
  const id = await w.beginCrawl('bench', 'coursera', started);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await w.upsert(id, rows.slice(i, i + BATCH));
  const t1 = performance.now();
  const row = await w.finishCrawl(id, { finished: new Date(started.getTime() + 1000), complete: true, pages: 0, errorCauses: {} });
  const t2 = performance.now();
  return {
    name,
    upsertSeconds: (t1 - t0) / 1000,
    finishSeconds: (t2 - t1) / 1000,
    counts: { inserted: row.inserted, updated: row.updated, unchanged: row.unchanged, gone: row.gone },
  };
}

async function runPhases(target: string): Promise<Phase[]> {
  const rows = syntheticCatalog(ROWS);
  const changed = rows.map((r, i) => (i % 10 === 0 ? { ...r, enrolments: (r.enrolments ?? 0) + 1, title: `${r.title} (updated)` } : r));
  const w = await openWarehouse(target);
  try {
    return [
      await crawl(w, 'first load', rows, new Date('2026-01-01T00:00:00Z')),
      await crawl(w, 'unchanged re-run', rows, new Date('2026-01-02T00:00:00Z')),
      await crawl(w, '10% changed', changed, new Date('2026-01-03T00:00:00Z')),
    ];
  } finally {
    await w.close();
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const sec = (s: number): string => `${s.toFixed(2)} s`;

async function main(): Promise<void> {
  const results: { backend: string; phases: Phase[] }[] = [];
  if (ONLY !== 'postgres') {
    const dir = await mkdtemp(join(tmpdir(), 'bench-catalog-'));
    try {
      results.push({ backend: 'DuckDB', phases: await runPhases(join(dir, 'catalog.duckdb')) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (ONLY !== 'duckdb') {
    const db = `bench_catalog_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE ${db}`);
    try {
      results.push({ backend: 'PostgreSQL', phases: await runPhases(`${SERVER}/${db}`) });
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
  }
  console.log(`Catalog upsert, ${fmt.format(ROWS)} synthetic courses in batches of ${fmt.format(BATCH)}; ${new Date().toISOString()}`);
  console.log(`CPU: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; memory ${(totalmem() / 1e9).toFixed(2)} GB; Node ${process.version}; clickstream ${TOOL_VERSION}`);
  console.log('');
  console.log('| backend | phase | upserts | rows/s | finish (gone count) | inserted | updated | unchanged | gone |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { backend, phases } of results) {
    for (const p of phases) {
      console.log(
        `| ${backend} | ${p.name} | ${sec(p.upsertSeconds)} | ${fmt.format(ROWS / p.upsertSeconds)} | ${sec(p.finishSeconds)} | ` +
          `${fmt.format(p.counts.inserted)} | ${fmt.format(p.counts.updated)} | ${fmt.format(p.counts.unchanged)} | ${fmt.format(p.counts.gone)} |`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
