/**
 * End to end on a generated export of about 20 MB: the CLI converts and analyzes it, and
 * fixtures/recount.py (an independent Python reimplementation of the contract) recounts it.
 * Every count must agree exactly.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, describeRun, named, readCsv, run, type NamedCount, type Run } from './helpers/e2e.js';

const GENERATOR = join(ROOT, 'dist', 'fixtures', 'generate.js');
const RECOUNT = join(ROOT, 'fixtures', 'recount.py');
const SEED = 'e2e-generated-1';
const MAX_LINE_BYTES = 16384; // the generator's long dirty lines (20–60 kB) are too_long under it
const TIMEOUT = 300_000;

interface Recount {
  input: { lines: number; events: number; blank: number; rejected: Record<string, number> };
  events: number;
  users: number;
  activity: { min: number; median: number; mean: number; p90: number; p99: number; max: number; cdf: Array<{ clicks: number; users: number; fraction: number }> };
  top_users: Array<{ username: string; clicks: number }>;
  users_clicks: Array<[string, number]>;
  user_agents: Array<{ user_agent: string; events: number; users: number }>;
  languages: NamedCount[];
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
}


describe('generated export: product and independent recount agree', () => {
  let tmp: string;
  let exportPath: string;
  let dataset: string;
  let report: string;
  let gen: Run;
  let convert: Run | undefined;
  let analyze: Run | undefined;
  let recount: Run | undefined;
  let stats: { lines: number; events: number; blank: number; rejected: Record<string, number>; users: number; userAgents: number };
  let rc: Recount;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let summary: any;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clickstream-e2e-generated-'));
    exportPath = join(tmp, 'psy-001_clickstream_export.gz');
    dataset = join(tmp, 'dataset');
    report = join(tmp, 'report');
    const statsPath = join(tmp, 'generate-stats.json');
    gen = await run(process.execPath, [
      GENERATOR,
      '--out', exportPath,
      '--bytes', '20MB',
      '--gzip',
      '--seed', SEED,
      '--dirty-rate', '0.01',
      '--max-line-bytes', String(MAX_LINE_BYTES),
      '--stats', statsPath,
    ]);
    if (gen.code !== 0) return;
    stats = JSON.parse(readFileSync(statsPath, 'utf8'));
    recount = await run('python3', [RECOUNT, exportPath, '--max-line-bytes', String(MAX_LINE_BYTES)]);
    convert = await cli(['convert', exportPath, '--out', dataset, '--max-line-bytes', String(MAX_LINE_BYTES), '--partitions', '8', '--quiet']);
    if (convert.code !== 0) return;
    analyze = await cli(['analyze', dataset, '--out', report, '--quiet']);
    if (analyze.code !== 0) return;
    // Recount again, now mapping each raw user agent through the product's own classification.
    recount = await run('python3', [RECOUNT, exportPath, '--max-line-bytes', String(MAX_LINE_BYTES), '--user-agents', join(report, 'user-agents.csv')]);
    if (recount.code === 0) rc = JSON.parse(recount.stdout);
    summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8'));
  }, TIMEOUT);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the generator and the recount agree on what the export holds', () => {
    expect(gen.code, describeRun('generate', gen)).toBe(0);
    expect(existsSync(exportPath)).toBe(true);
    expect(recount, 'recount ran').toBeDefined();
    expect(recount!.code, describeRun('recount', recount!)).toBe(0);
    const first = JSON.parse(recount!.stdout) as Recount;
    expect(first.input).toEqual({ lines: stats.lines, events: stats.events, blank: stats.blank, rejected: stats.rejected });
    expect(first.users).toBe(stats.users);
    expect(first.user_agents.length).toBe(stats.userAgents);
    // The export really is dirty in every way the contract names.
    for (const [reason, n] of Object.entries(stats.rejected)) expect(n, reason).toBeGreaterThan(0);
    expect(stats.blank).toBeGreaterThan(0);
  });

  it('convert and analyze exit 0', () => {
    expect(convert, 'convert ran').toBeDefined();
    expect(convert!.code, describeRun('convert', convert!)).toBe(0);
    expect(analyze!.code, describeRun('analyze', analyze!)).toBe(0);
    expect(recount!.code, describeRun('recount --user-agents', recount!)).toBe(0);
  });

  it('input counts: manifest and summary', () => {
    const m = JSON.parse(readFileSync(join(dataset, '_manifest.json'), 'utf8'));
    expect(m.counts).toEqual(rc.input);
    expect(m.input.compression).toBe('gzip');
    expect(summary.input).toEqual(rc.input);
    expect(summary.events).toBe(rc.events);
    expect(summary.users).toBe(rc.users);
    const parts = m.partitions as Array<{ rows: number }>;
    expect(parts.length).toBe(8);
    expect(parts.reduce((a, p) => a + p.rows, 0)).toBe(rc.events);
    const rejected = readFileSync(join(dataset, '_rejected.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    expect(rejected.length).toBe(Object.values(rc.input.rejected).reduce((a, b) => a + b, 0));
  });

  it('per-user clicks: users.csv, topUsers and the Parquet partitions', async () => {
    expect(readCsv(join(report, 'users.csv'))).toEqual([['username', 'clicks'], ...rc.users_clicks.map(([u, c]) => [u, String(c)])]);
    expect(summary.topUsers).toEqual(rc.top_users);

    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    try {
      const glob = join(dataset, 'part-*.parquet').replace(/'/g, "''");
      const rows = (
        await con.runAndReadAll(`SELECT username, count(DISTINCT filename) AS files, count(*) AS n FROM read_parquet('${glob}', filename = true) GROUP BY username`)
      ).getRowObjectsJS();
      const got = new Map(rows.map((r) => [r.username as string, [Number(r.files), Number(r.n)]]));
      expect(got.size).toBe(rc.users);
      for (const [u, c] of rc.users_clicks) expect(got.get(u), u).toEqual([1, c]);
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  });

  it('per user agent: user-agents.csv', () => {
    const rows = readCsv(join(report, 'user-agents.csv'));
    expect(rows[0]).toEqual(['user_agent', 'browser', 'os', 'device', 'events', 'users']);
    expect(rows.slice(1).map((r) => [r[0], r[4], r[5]])).toEqual(rc.user_agents.map((u) => [u.user_agent, String(u.events), String(u.users)]));
    const devices = new Set(['desktop', 'smartphone', 'tablet', 'console', 'tv', 'wearable', 'bot', 'other', 'unknown']);
    for (const r of rows.slice(1)) expect(devices.has(r[3] as string), `device ${r[3]}`).toBe(true);
    const missing = rows.find((r) => r[0] === '');
    expect(missing?.slice(1, 4), 'missing user agents').toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('per language: languages.csv and summary.languages', () => {
    expect(summary.languages).toEqual(rc.languages);
    expect(readCsv(join(report, 'languages.csv'))).toEqual([['name', 'events', 'users'], ...named(rc.languages)]);
  });

  it('browsers, OS and devices, aggregated from the per-user-agent classification', () => {
    expect(summary.browsers).toEqual(rc.browsers);
    expect(summary.os).toEqual(rc.os);
    expect(summary.devices).toEqual(rc.devices);
    expect(readCsv(join(report, 'browsers.csv'))).toEqual([['name', 'events', 'users'], ...named(rc.browsers)]);
    expect(readCsv(join(report, 'os.csv'))).toEqual([['name', 'events', 'users'], ...named(rc.os)]);
    expect(readCsv(join(report, 'devices.csv'))).toEqual([['name', 'events', 'users'], ...named(rc.devices)]);
  });

  it('activity: nearest-rank statistics and the CDF', () => {
    const a = summary.activity;
    for (const k of ['min', 'median', 'p90', 'p99', 'max'] as const) expect(a[k], k).toBe(rc.activity[k]);
    expect(Math.abs(a.mean - rc.activity.mean) / rc.activity.mean).toBeLessThan(1e-12);
    expect(a.cdf).toEqual(rc.activity.cdf);
    expect(readCsv(join(report, 'activity-cdf.csv'))).toEqual([
      ['clicks', 'users', 'fraction'],
      ...rc.activity.cdf.map((p) => [String(p.clicks), String(p.users), String(p.fraction)]),
    ]);
  });
});

describe('the generator', () => {
  it(
    'is deterministic for a seed, and --gzip compresses the same text',
    async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'clickstream-generate-'));
      try {
        const make = async (name: string, seed: string, extra: string[] = []) => {
          const out = join(tmp, name);
          const r = await run(process.execPath, [GENERATOR, '--out', out, '--events', '3000', '--seed', seed, '--dirty-rate', '0.05', '--quiet', ...extra]);
          expect(r.code, describeRun(`generate ${name}`, r)).toBe(0);
          return readFileSync(out);
        };
        const a = await make('a.jsonl', 's1');
        const b = await make('b.jsonl', 's1');
        const c = await make('c.jsonl', 's2');
        const z = await make('z.export', 's1', ['--gzip']);
        expect(a.equals(b)).toBe(true);
        expect(a.equals(c)).toBe(false);
        expect(z.subarray(0, 2).toString('hex')).toBe('1f8b');
        expect(gunzipSync(z).equals(a)).toBe(true);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
