/**
 * End to end on the committed quirk fixtures: the CLI is run as a child process, exactly as a user
 * runs it, and every output file is compared with fixtures/expected/quirks.json, which was written
 * by hand (see fixtures/expected/README.md), never computed by the product.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_SCHEMA_VERSION } from '../src/dataset/dataset-format.js';
import { ROOT, cli, describeRun, named, readCsv, type NamedCount, type Run } from './helpers/e2e.js';

const FIXTURES = join(ROOT, 'fixtures');
const PLAIN = join(FIXTURES, 'quirks.jsonl');
const GZ = join(FIXTURES, 'quirks.jsonl.gz');
const GZ_NO_EXT = join(FIXTURES, 'gzip-without-extension.export');
const TRUNCATED = join(FIXTURES, 'truncated.jsonl.gz');
const TIMEOUT = 120_000;

interface Expected {
  options: { maxLineBytes: number; partitions: number; top: number };
  input: { lines: number; events: number; blank: number; rejected: Record<string, number> };
  blankLines: number[];
  rejected: Array<{ line: number; reason: string; bytes: number; text?: string }>;
  summary: {
    events: number;
    users: number;
    input: unknown;
    browsers: NamedCount[];
    os: NamedCount[];
    devices: NamedCount[];
    languages: NamedCount[];
    activity: { cdf: Array<{ clicks: number; users: number; fraction: number }> } & Record<string, unknown>;
    topUsers: Array<{ username: string; clicks: number }>;
  };
  users: Array<{ username: string; clicks: number }>;
  userAgents: Array<{ user_agent: string; browser: string; os: string; device: string; events: number; users: number }>;
  rows: Record<string, Record<string, unknown>>;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected', 'quirks.json'), 'utf8')) as Expected;
const CONVERT_OPTS = ['--max-line-bytes', String(expected.options.maxLineBytes), '--partitions', String(expected.options.partitions)];
const ANALYZE_OPTS = ['--top', String(expected.options.top)];



/** The fixture's lines as bytes, line ending (LF, and one CR before it) removed, BOM removed. */
function fixtureLines(): Buffer[] {
  let bytes = readFileSync(PLAIN);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (i === bytes.length && start === bytes.length) break;
      let end = i;
      if (end > start && bytes[end - 1] === 0x0d) end--;
      lines.push(bytes.subarray(start, end));
      start = i + 1;
    }
  }
  return lines;
}

async function query(sql: string, params: string[] = []): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const con = await instance.connect();
    try {
      const reader = await con.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
    } finally {
      con.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

// ---------------------------------------------------------------------------------------------

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'clickstream-e2e-fixtures-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('quirks.jsonl: convert + analyze', () => {
  let dataset: string;
  let report: string;
  let convert: Run;
  let analyze: Run;

  beforeAll(async () => {
    dataset = join(tmp, 'plain-dataset');
    report = join(tmp, 'plain-report');
    convert = await cli(['convert', PLAIN, '--out', dataset, ...CONVERT_OPTS, '--quiet']);
    analyze = convert.code === 0 ? await cli(['analyze', dataset, '--out', report, ...ANALYZE_OPTS, '--quiet']) : convert;
  }, TIMEOUT);

  it('convert and analyze exit 0', () => {
    expect(convert.code, describeRun('convert', convert)).toBe(0);
    expect(analyze.code, describeRun('analyze', analyze)).toBe(0);
  });

  it('_manifest.json records the input, the counts, the options and the partitions', () => {
    const m = JSON.parse(readFileSync(join(dataset, '_manifest.json'), 'utf8'));
    expect(m.schemaVersion).toBe(DATASET_SCHEMA_VERSION);
    expect(m.counts).toEqual(expected.input);
    const { lines, events, blank, rejected } = m.counts as Expected['input'];
    expect(lines).toBe(events + blank + Object.values(rejected).reduce((a, b) => a + b, 0));
    expect(m.options).toEqual({ partitions: expected.options.partitions, maxLineBytes: expected.options.maxLineBytes });
    const bytes = readFileSync(PLAIN);
    expect(m.input.compression).toBe('none');
    expect(m.input.bytes).toBe(bytes.length);
    expect(m.input.decompressedBytes).toBe(bytes.length);
    expect(m.input.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    const parts = m.partitions as Array<{ id: number; file: string; rows: number; bytes: number }>;
    expect(parts.map((p) => p.id)).toEqual([0, 1, 2, 3]);
    expect(parts.map((p) => p.file)).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet', 'part-00003.parquet']);
    expect(parts.reduce((a, p) => a + p.rows, 0)).toBe(expected.input.events);
    for (const p of parts) expect(statSync(join(dataset, p.file)).size, p.file).toBe(p.bytes);
    const onDisk = readdirSync(dataset).filter((f) => f.endsWith('.parquet')).sort();
    expect(onDisk).toEqual(parts.map((p) => p.file));

    const columns = Object.fromEntries((m.columns as Array<{ name: string; type: string }>).map((c) => [c.name, c.type]));
    for (const c of ['key', 'value', 'username', 'page_url', 'client', 'session', 'language', 'from', 'user_ip', 'user_agent']) {
      expect(columns[c], c).toBe('VARCHAR');
    }
    expect(columns.timestamp).toBe('BIGINT');
    for (const c of ['12', '13', '14', '30', '_extra']) expect(['VARCHAR', 'JSON'], c).toContain(columns[c]);
  });

  it('_rejected.jsonl keeps every rejected line with its number, reason, text and length', () => {
    const text = readFileSync(join(dataset, '_rejected.jsonl'), 'utf8');
    const records = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { line: number; reason: string; text: string; bytes: number; error?: string });
    expect(records.map((r) => [r.line, r.reason])).toEqual(expected.rejected.map((r) => [r.line, r.reason]));
    const lines = fixtureLines();
    expect(lines.length).toBe(expected.input.lines);
    const decoder = new TextDecoder('utf-8');
    for (const [i, r] of records.entries()) {
      const want = expected.rejected[i] as Expected['rejected'][number];
      const raw = lines[r.line - 1] as Buffer;
      expect(r.bytes, `line ${r.line} bytes`).toBe(want.bytes);
      expect(raw.length, `line ${r.line} (fixture)`).toBe(want.bytes);
      if (r.reason === 'too_long') {
        expect(r.text, `line ${r.line} text`).toBe(decoder.decode(raw.subarray(0, 1024)));
      } else {
        expect(r.text, `line ${r.line} text`).toBe(decoder.decode(raw));
        if (want.text !== undefined) expect(r.text).toBe(want.text);
      }
      if (r.reason === 'invalid_json') expect(typeof r.error === 'string' && r.error.length > 0, `line ${r.line} error`).toBe(true);
    }
    // The truncated line with a raw 0xE9 byte keeps it as U+FFFD.
    expect(records.find((r) => r.line === 66)?.text.endsWith('caf\uFFFD')).toBe(true);
  });

  it('Parquet: every learner lives in exactly one partition, with all their events', async () => {
    const glob = sqlString(join(dataset, 'part-*.parquet'));
    const rows = await query(
      `SELECT username, count(DISTINCT filename) AS files, count(*) AS n FROM read_parquet(${glob}, filename = true) GROUP BY username`,
    );
    const got = new Map(rows.map((r) => [r.username as string, { files: num(r.files), n: num(r.n) }]));
    expect([...got.keys()].sort()).toEqual(expected.users.map((u) => u.username).sort());
    for (const u of expected.users) expect(got.get(u.username), u.username).toEqual({ files: 1, n: u.clicks });

    const m = JSON.parse(readFileSync(join(dataset, '_manifest.json'), 'utf8'));
    for (const p of m.partitions as Array<{ file: string; rows: number }>) {
      const [r] = await query(`SELECT count(*) AS n FROM read_parquet(${sqlString(join(dataset, p.file))})`);
      expect(num(r?.n), p.file).toBe(p.rows);
    }

    const types = await query(`DESCRIBE SELECT * FROM read_parquet(${glob})`);
    const byName = Object.fromEntries(types.map((t) => [t.column_name as string, t.column_type as string]));
    for (const c of ['key', 'value', 'username', 'page_url', 'client', 'session', 'language', 'from', 'user_ip', 'user_agent']) {
      expect(byName[c], c).toBe('VARCHAR');
    }
    expect(byName.timestamp).toBe('BIGINT');
    for (const c of ['12', '13', '14', '30', '_extra']) expect(['VARCHAR', 'JSON'], c).toContain(byName[c]);
  });

  it('Parquet: field values are kept as the contract says', async () => {
    const glob = sqlString(join(dataset, 'part-*.parquet'));
    const row = async (pageUrl: string) => {
      const rows = await query(`SELECT * FROM read_parquet(${glob}) WHERE page_url = $1`, [pageUrl]);
      expect(rows.length, pageUrl).toBe(1);
      return rows[0] as Record<string, unknown>;
    };
    const extra = (r: Record<string, unknown>) => (r._extra === null ? null : (JSON.parse(r._extra as string) as Record<string, unknown>));
    const rows = expected.rows as Record<string, Record<string, unknown>>;

    const r1 = await row(rows.line1!.page_url as string);
    expect(num(r1.timestamp)).toBe(rows.line1!.timestamp);
    expect(r1._extra).toBeNull();
    expect(r1.key).toBe('pageview');
    expect(r1.value).toBe('');
    expect(r1.client).toBe('spark');
    expect(JSON.parse(r1['12'] as string)).toEqual(['{"height":720,"width":1280}']);
    expect(JSON.parse(r1['13'] as string)).toEqual([]);

    // Invalid UTF-8 decodes to U+FFFD and the line is still an event; value null stays null.
    const r9 = await row(rows.line9!.page_url as string);
    expect(r9.page_url).toBe('https://class.coursera.org/psy-001/wiki/view?page=caf\uFFFD');
    expect(r9.value).toBeNull();
    expect(r9.username).toBe('3f9a1c0e5b7d2468ace013579bdf2468ace01357');

    const r22 = await row(rows.line22!.page_url as string);
    expect(r22.user_agent).toBeNull();
    expect(r22.language).toBeNull();
    expect(extra(r22)).toEqual(rows.line22!.extra);

    const r23 = await row(rows.line23!.page_url as string);
    expect(r23.user_agent).toBe('');
    expect(r23.language).toBeNull();

    const r24 = await row(rows.line24!.page_url as string);
    expect(r24.user_agent).toBeNull();
    expect(r24.language).toBeNull();

    expect(num((await row(rows.line27!.page_url as string)).timestamp)).toBe(rows.line27!.timestamp);
    const t28 = num((await row(rows.line28!.page_url as string)).timestamp) as number;
    expect(Number.isInteger(t28)).toBe(true);
    expect(Math.abs(t28 - (rows.line28!.timestampAbout as number))).toBeLessThan(1);
    expect((await row(rows.line29!.page_url as string)).timestamp).toBeNull();

    const r30 = await row(rows.line30!.page_url as string);
    expect(r30.username).toBe(rows.line30!.username);
    expect(r30.user_agent).toBe(rows.line30!.user_agent);
    expect(r30.language).toBe(rows.line30!.language);

    for (const name of ['line32', 'line41', 'line61', 'line62']) {
      const want = rows[name] as Record<string, unknown>;
      const r = await row(want.page_url as string);
      const x = extra(r);
      expect(x, `${name} _extra`).not.toBeNull();
      for (const [k, v] of Object.entries(want.extraHas as Record<string, unknown>)) expect(x?.[k], `${name} _extra.${k}`).toEqual(v);
      if ('col13' in want) expect(JSON.parse(r['13'] as string)).toEqual(want.col13);
      if ('key' in want) expect(r.key).toBe(want.key);
      if ('value' in want) expect(r.value).toBe(want.value);
      if ('session' in want) expect(r.session).toBe(want.session);
    }

    // Line 60 has no page_url at all: it is there with page_url NULL.
    const missing = await query(`SELECT count(*) AS n FROM read_parquet(${glob}) WHERE page_url IS NULL`);
    expect(num(missing[0]?.n)).toBe(1);
  });

  it('summary.json holds the hand-derived figures', () => {
    const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8'));
    for (const key of Object.keys(expected.summary) as Array<keyof Expected['summary']>) {
      expect(summary[key], `summary.${key}`).toEqual(expected.summary[key]);
    }
  });

  it('the CSV tables hold the same figures, RFC 4180 with CRLF', () => {
    const s = expected.summary;
    const header = ['name', 'events', 'users'];
    expect(readCsv(join(report, 'browsers.csv'))).toEqual([header, ...named(s.browsers)]);
    expect(readCsv(join(report, 'os.csv'))).toEqual([header, ...named(s.os)]);
    expect(readCsv(join(report, 'devices.csv'))).toEqual([header, ...named(s.devices)]);
    expect(readCsv(join(report, 'languages.csv'))).toEqual([header, ...named(s.languages)]);
    expect(readCsv(join(report, 'users.csv'))).toEqual([['username', 'clicks'], ...expected.users.map((u) => [u.username, String(u.clicks)])]);
    expect(readCsv(join(report, 'activity-cdf.csv'))).toEqual([
      ['clicks', 'users', 'fraction'],
      ...s.activity.cdf.map((p) => [String(p.clicks), String(p.users), String(p.fraction)]),
    ]);
    expect(readCsv(join(report, 'user-agents.csv'))).toEqual([
      ['user_agent', 'browser', 'os', 'device', 'events', 'users'],
      ...expected.userAgents.map((u) => [u.user_agent, u.browser, u.os, u.device, String(u.events), String(u.users)]),
    ]);
    // The user agent with a comma and double quotes is quoted, its quotes doubled.
    expect(readFileSync(join(report, 'user-agents.csv'), 'utf8')).toContain(
      '"Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; ""Campus, Lab"")"',
    );
  });

  it('writes the four charts and index.html', () => {
    for (const png of ['browser.png', 'device.png', 'language.png', 'activity-cdf.png']) {
      const bytes = readFileSync(join(report, png));
      expect(bytes.subarray(0, 8).toString('hex'), png).toBe('89504e470d0a1a0a');
      expect(bytes.length, png).toBeGreaterThan(1000);
    }
    const html = readFileSync(join(report, 'index.html'), 'utf8');
    expect(html.toLowerCase()).toContain('<html');
    const embedded = (html.match(/data:image\/png;base64,/g) ?? []).length;
    for (const png of ['browser.png', 'device.png', 'language.png', 'activity-cdf.png']) {
      expect(html.includes(png) || embedded >= 4, `index.html shows ${png}`).toBe(true);
    }
    expect(html).toContain(String(expected.summary.events));
  });
});

describe('gzip is detected by its magic bytes', () => {
  it(
    'quirks.jsonl.gz, the extension-less gzip and a plain file named .gz give the same summary.json',
    async () => {
      const base = join(tmp, 'gzip');
      const plainDs = join(base, 'plain-ds');
      const plainRep = join(base, 'plain-rep');
      let r = await cli(['convert', PLAIN, '--out', plainDs, ...CONVERT_OPTS, '--quiet']);
      expect(r.code, describeRun('convert plain', r)).toBe(0);
      r = await cli(['analyze', plainDs, '--out', plainRep, ...ANALYZE_OPTS, '--quiet']);
      expect(r.code, describeRun('analyze plain', r)).toBe(0);
      const want = JSON.parse(readFileSync(join(plainRep, 'summary.json'), 'utf8'));

      // A plain file whose name ends in .gz must be read as plain text.
      const plainNamedGz = join(base, 'plain-named.jsonl.gz');
      copyFileSync(PLAIN, plainNamedGz);

      const plainSize = statSync(PLAIN).size;
      for (const [input, compression] of [
        [GZ, 'gzip'],
        [GZ_NO_EXT, 'gzip'],
        [plainNamedGz, 'none'],
      ] as const) {
        const name = input.split('/').pop() as string;
        const ds = join(base, `${name}-ds`);
        const rep = join(base, `${name}-rep`);
        r = await cli(['convert', input, '--out', ds, ...CONVERT_OPTS, '--quiet']);
        expect(r.code, describeRun(`convert ${name}`, r)).toBe(0);
        const m = JSON.parse(readFileSync(join(ds, '_manifest.json'), 'utf8'));
        expect(m.input.compression, name).toBe(compression);
        expect(m.input.bytes, name).toBe(statSync(input).size);
        expect(m.input.decompressedBytes, name).toBe(plainSize);
        expect(m.counts, name).toEqual(expected.input);
        r = await cli(['analyze', ds, '--out', rep, ...ANALYZE_OPTS, '--quiet']);
        expect(r.code, describeRun(`analyze ${name}`, r)).toBe(0);
        expect(JSON.parse(readFileSync(join(rep, 'summary.json'), 'utf8')), name).toEqual(want);
      }
    },
    TIMEOUT * 2,
  );
});

describe('bad input and existing output', () => {
  it(
    'a truncated gzip fails with a message naming the file and leaves no dataset',
    async () => {
      const mk = mkdtempSync(join(tmp, 'truncated-'));
      const outIn = join(mk, 'dataset');
      const r = await cli(['convert', TRUNCATED, '--out', outIn, '--quiet']);
      expect(r.code, describeRun('convert truncated', r)).not.toBe(0);
      expect(r.code, describeRun('convert truncated (InputError is exit 3)', r)).toBe(3);
      expect(r.stderr).toContain('truncated.jsonl.gz');
      expect(r.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
      expect(existsSync(outIn)).toBe(false);
      expect(readdirSync(mk), 'nothing left beside the output either').toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'a missing input file fails with a message naming it',
    async () => {
      const mk = mkdtempSync(join(tmp, 'missing-'));
      const r = await cli(['convert', join(mk, 'no-such-export.gz'), '--out', join(mk, 'ds'), '--quiet']);
      expect(r.code, describeRun('convert missing', r)).not.toBe(0);
      expect(r.stderr).toContain('no-such-export.gz');
      expect(existsSync(join(mk, 'ds'))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'convert onto an existing dataset fails with exit 4 without --force and replaces it with --force',
    async () => {
      const mk = mkdtempSync(join(tmp, 'force-'));
      const ds = join(mk, 'ds');
      let r = await cli(['convert', PLAIN, '--out', ds, ...CONVERT_OPTS, '--quiet']);
      expect(r.code, describeRun('first convert', r)).toBe(0);
      const manifest = readFileSync(join(ds, '_manifest.json'), 'utf8');

      r = await cli(['convert', GZ, '--out', ds, '--max-line-bytes', '2048', '--partitions', '2', '--quiet']);
      expect(r.code, describeRun('convert without --force', r)).toBe(4);
      expect(r.stderr).toContain(ds);
      expect(readFileSync(join(ds, '_manifest.json'), 'utf8'), 'the existing dataset is untouched').toBe(manifest);

      r = await cli(['convert', GZ, '--out', ds, '--max-line-bytes', '2048', '--partitions', '2', '--force', '--quiet']);
      expect(r.code, describeRun('convert --force', r)).toBe(0);
      const m = JSON.parse(readFileSync(join(ds, '_manifest.json'), 'utf8'));
      expect(m.input.compression).toBe('gzip');
      expect(m.options.partitions).toBe(2);
      expect(m.counts).toEqual(expected.input);
      // Nothing of the replaced dataset is left behind.
      expect(readdirSync(ds).filter((f) => f.endsWith('.parquet')).sort()).toEqual(['part-00000.parquet', 'part-00001.parquet']);

      const rep = join(mk, 'rep');
      r = await cli(['analyze', ds, '--out', rep, '--quiet']);
      expect(r.code, describeRun('analyze', r)).toBe(0);
      r = await cli(['analyze', ds, '--out', rep, '--quiet']);
      expect(r.code, describeRun('analyze without --force', r)).toBe(4);
      r = await cli(['analyze', ds, '--out', rep, '--force', '--quiet']);
      expect(r.code, describeRun('analyze --force', r)).toBe(0);
      const summary = JSON.parse(readFileSync(join(rep, 'summary.json'), 'utf8'));
      expect(summary.events).toBe(expected.summary.events);
      expect(summary.users).toBe(expected.summary.users);
    },
    TIMEOUT * 2,
  );
});
