/**
 * End-to-end: adversarial exports through the BUILT convert (its parse threads need compiled JS; run
 * `npm run build` first), read back with DuckDB, checked line by line against JSON.parse (DATA-CONTRACT §1–§3).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { convert, InputError, OutputExistsError } from '../dist/src/index.js';
import { prng } from './helpers/prng.js';

const STRING_FIELDS = ['key', 'value', 'username', 'page_url', 'client', 'session', 'language', 'from', 'user_ip', 'user_agent'];
const JSON_FIELDS = ['12', '13', '14', '30'];
const COLUMNS = [...STRING_FIELDS, 'timestamp', ...JSON_FIELDS, '_extra'];
const MAX_LINE = 4096;
const HEAD = 1024;
const PARTITIONS = 5;

type Reason = 'invalid_json' | 'not_object' | 'missing_username' | 'too_long';
type Judged =
  | { line: number; kind: 'blank' }
  | { line: number; kind: 'rejected'; reason: Reason; text: string; bytes: number }
  | { line: number; kind: 'event'; value: Record<string, unknown>; text: string };

// ---------------------------------------------------------------------------------------------
// The reference: DATA-CONTRACT §2 and §3 written as plainly as possible, independent of src/.

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true }); // U+FFFD for bad bytes, keeps a BOM
const wf = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed();

function referenceLines(file: Buffer): Buffer[] {
  let data = file;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
  const lines: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let nl = data.indexOf(0x0a, start);
    if (nl === -1) nl = data.length;
    let line = data.subarray(start, nl);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    lines.push(line);
    start = nl + 1;
  }
  return lines;
}

function judge(content: Buffer, line: number): Judged {
  // Blank is decided before length (DATA-CONTRACT §2 rule 4 before rule 5).
  if (/^[ \t]*$/.test(content.toString('latin1'))) return { line, kind: 'blank' };
  if (content.length > MAX_LINE) {
    return { line, kind: 'rejected', reason: 'too_long', text: utf8.decode(content.subarray(0, HEAD)), bytes: content.length };
  }
  const text = utf8.decode(content);
  const rejected = (reason: Reason): Judged => ({ line, kind: 'rejected', reason, text, bytes: content.length });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return rejected('invalid_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return rejected('not_object');
  const username = (value as Record<string, unknown>).username;
  if (typeof username !== 'string' || username === '') return rejected('missing_username');
  return { line, kind: 'event', value: value as Record<string, unknown>, text };
}

function refTimestamp(v: unknown): number | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?\s*$/.test(v)) n = Number(v);
  else return null;
  if (!Number.isFinite(n)) return null;
  const r = Math.round(n);
  return Number.isSafeInteger(r) ? r + 0 : null;
}

/** Strings (and keys) as a UTF-8 column can hold them: lone surrogates become U+FFFD. */
function wfDeep(v: unknown): unknown {
  if (typeof v === 'string') return wf(v);
  if (Array.isArray(v)) return v.map(wfDeep);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(v)) out[wf(k)] = wfDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A canonical JSON text: keys sorted, so that equal JSON values give equal texts (-0 is 0, ±Infinity null). */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** The row DATA-CONTRACT §3 asks for, as canonical texts per column (null for SQL NULL). */
function expectedRow(value: Record<string, unknown>): Record<string, string | null> {
  const row: Record<string, string | null> = {};
  const extra: Record<string, unknown> = Object.create(null);
  let hasExtra = false;
  for (const k of Object.keys(value)) {
    const v = value[k];
    const known = STRING_FIELDS.includes(k) ? v === null || typeof v === 'string' : k === 'timestamp' ? v === null || Number.isSafeInteger(v) : JSON_FIELDS.includes(k);
    if (!known) {
      extra[k] = v;
      hasExtra = true;
    }
  }
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(value, k) ? value[k] : undefined);
  for (const f of STRING_FIELDS) {
    const v = own(f);
    row[f] = typeof v === 'string' ? wf(v) : null;
  }
  const ts = refTimestamp(own('timestamp'));
  row.timestamp = ts === null ? null : String(ts);
  for (const f of JSON_FIELDS) {
    const v = own(f);
    // A string keeps its text; any other value is kept as its JSON text (compared canonically).
    // JSON null, and numbers JSON cannot hold (1e400 parses to Infinity), may be stored as NULL.
    const json = canon(wfDeep(v));
    row[f] = v === undefined || json === 'null' ? null : typeof v === 'string' ? wf(v) : `json:${json}`;
  }
  row._extra = hasExtra ? `json:${canon(extra)}` : null;
  return row;
}

function hasNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasNonFinite);
  return false;
}

/** The row of an event kept as flat fields plus its whole line (DATA-CONTRACT §3, lossless fallback). */
function lineRow(value: Record<string, unknown>, text: string): Record<string, string | null> {
  const row: Record<string, string | null> = {};
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(value, k) ? value[k] : undefined);
  for (const f of STRING_FIELDS) {
    const v = own(f);
    row[f] = typeof v === 'string' ? wf(v) : null;
  }
  const ts = refTimestamp(own('timestamp'));
  row.timestamp = ts === null ? null : String(ts);
  for (const f of JSON_FIELDS) row[f] = null;
  row._extra = `json:${canon({ $line: text })}`;
  return row;
}

/** What a Parquet row holds, in the same canonical form. */
function actualRow(r: Record<string, unknown>, value: Record<string, unknown>): Record<string, string | null> {
  const row: Record<string, string | null> = {};
  for (const f of STRING_FIELDS) row[f] = (r[f] as string | null) ?? null;
  row.timestamp = r.timestamp === null || r.timestamp === undefined ? null : String(r.timestamp);
  for (const f of JSON_FIELDS) {
    const v = r[f] as string | null;
    const orig = Object.prototype.hasOwnProperty.call(value, f) ? value[f] : undefined;
    if (v === null || v === undefined) row[f] = null;
    else if (typeof orig === 'string') row[f] = v;
    else {
      const json = canonText(v);
      row[f] = json === 'null' ? null : `json:${json}`;
    }
  }
  row._extra = r._extra === null || r._extra === undefined ? null : `json:${canonText(r._extra as string)}`;
  return row;
}

function canonText(text: string): string {
  try {
    return canon(JSON.parse(text));
  } catch {
    return `NOT JSON: ${text}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The adversarial export.


/** Private-use characters that stand for invalid UTF-8 byte sequences; emitted raw, never escaped. */
const BAD_BYTES: Record<string, number[]> = {
  '\uF8F0': [0xff],
  '\uF8F1': [0xc3], // a lead byte without its continuation
  '\uF8F2': [0xed, 0xa0, 0x80], // an encoded surrogate
  '\uF8F3': [0xc0, 0xaf], // overlong
  '\uF8F4': [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  '\uF8F5': [0x80], // a lone continuation byte
};

function encode(s: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  for (const ch of s) {
    const bad = BAD_BYTES[ch];
    if (bad) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from(bad));
      run = '';
    } else run += ch;
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

class Gen {
  readonly rnd: () => number;
  constructor(
    seed: number,
    /** Duplicate keys (top level and nested) allowed. */
    readonly duplicates: boolean,
  ) {
    this.rnd = prng(seed);
  }

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }

  static readonly CHARS = [
    ...'abcxyzABC019 -_.,;:/?&=',
    '"', '\\', '/', '\u0000', '\n', '\r', '\t', '\b', '\f', '\u001f', '\u007f', '\u0080', '\u009f',
    'é', 'ß', 'Ω', '中', '€', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ufffe', '\uffff',
    '😀', '𝄞', '\u{10ffff}', '\ud800', '\udfff', '\udbff', '\udc00',
  ];

  text(maxLen = 20, bad = true): string {
    let s = '';
    const n = this.int(maxLen + 1);
    for (let i = 0; i < n; i++) {
      s += bad && this.chance(0.03) ? this.pick(Object.keys(BAD_BYTES)) : this.pick(Gen.CHARS);
    }
    return s;
  }

  hex4(code: number): string {
    const h = code.toString(16).padStart(4, '0');
    return this.chance(0.5) ? h : h.toUpperCase();
  }

  /** Raw JSON text of a string, escapes chosen at random wherever JSON allows a choice. */
  str(s: string): string {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const ch = s[i]!;
      if (BAD_BYTES[ch]) {
        out += ch;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
        const low = s.charCodeAt(i + 1);
        out += this.chance(0.5) ? ch + s[i + 1] : `\\u${this.hex4(c)}\\u${this.hex4(low)}`;
        i++;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        out += `\\u${this.hex4(c)}`; // a lone surrogate only exists as an escape
      } else if (ch === '"') {
        out += this.chance(0.8) ? '\\"' : '\\u0022';
      } else if (ch === '\\') {
        out += this.chance(0.8) ? '\\\\' : '\\u005c';
      } else if (c < 0x20) {
        const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
        out += short[ch] && this.chance(0.7) ? short[ch] : `\\u${this.hex4(c)}`;
      } else if (ch === '/') {
        out += this.chance(0.5) ? '/' : '\\/';
      } else {
        out += this.chance(0.1) ? `\\u${this.hex4(c)}` : ch;
      }
    }
    return out + '"';
  }

  ws(): string {
    const r = this.rnd();
    if (r < 0.85) return '';
    if (r < 0.97) return this.pick([' ', '\t', '  ', ' \t']);
    return this.pick(['\r', ' \r ']); // a CR inside a line is JSON whitespace too
  }

  number(): string {
    return this.pick([
      '0', '-0', '1', '-1', '42', '1.5', '-2.25', '1e3', '1E+3', '2.5e-3', '1e400', '-1e400', '1e-400',
      '123456789012345678901234567890', '9007199254740993', '18446744073709551615', '0.1', '1e21', '1e20',
    ]);
  }

  /** Any JSON value, as raw text. */
  value(depth = 0): string {
    const r = this.rnd();
    if (r < 0.3) return this.str(this.text(12));
    if (r < 0.45) return this.number();
    if (r < 0.55) return this.pick(['true', 'false', 'null']);
    if (depth >= 3) return '[]';
    if (r < 0.78) {
      const n = this.int(4);
      return `[${this.ws()}${Array.from({ length: n }, () => this.value(depth + 1)).join(`${this.ws()},${this.ws()}`)}${this.ws()}]`;
    }
    const n = this.int(4);
    const keys = Array.from({ length: n }, () => this.str(this.chance(0.2) ? this.pick(['__proto__', 'a', '', 'k\\']) : this.text(6)));
    if (this.duplicates && n > 0 && this.chance(0.3)) keys.push(keys[0]!); // a nested duplicate
    return `{${this.ws()}${keys.map((k) => `${k}${this.ws()}:${this.ws()}${this.value(depth + 1)}`).join(`${this.ws()},${this.ws()}`)}${this.ws()}}`;
  }

  timestamp(): string {
    return this.pick([
      '1371234567000', '1371234567000', '1371234567000', '0', '-1', '1e3', '1E+3', '-0', '0.0', '1.5', '-1.5',
      '1371234567000.4', '"1371234567000"', '" 12 "', '"1e3"', '"0x10"', '"abc"', '""', '"Infinity"', '1e400',
      '-1e400', '12345678901234567890', '9007199254740993', '9007199254740991', '-9007199254740991', '1e-400',
      'true', 'null', '[]', '{"t":1}', '100000000000000000000000000000e-15', '1.0000000000000002',
    ]);
  }

  stringField(): string {
    const r = this.rnd();
    if (r < 0.75) return this.str(this.text());
    if (r < 0.85) return 'null';
    return this.value(1);
  }

  jsonField(): string {
    if (this.chance(0.2)) return this.value(1);
    return this.pick([
      '["{\\"height\\":720,\\"width\\":1280}"]', '[]', '[]', '"text"', '""', 'null', '1', '1e400', '[1e400]', '-0',
      '123456789012345678901234567890', '{"a":1}', '[[[[[]]]]]', '["\\ud800"]', '"\\udfff"', '[{"k\\\\":1}]',
      ...(this.duplicates ? ['{"a":1,"a":2}', '[{"k\\\\":1,"k\\\\":2}]'] : []),
    ]);
  }

  unknownKey(): string {
    return this.chance(0.6)
      ? this.pick(['zz', 'Username', 'KEY', 'Key', '', '__proto__', '_extra', 'constructor', 'toString', '12 ', '15', 'a\\', 'é', '😀', '\ud800', 'user\u0000name', 'timestamp ', 'hasOwnProperty'])
      : this.text(8);
  }

  /** One event line (without line ending) whose session is `id`. */
  event(id: string, username: string): string {
    const entries: [string, string][] = [];
    for (const f of STRING_FIELDS) {
      if (f === 'username' || f === 'session') continue;
      if (this.chance(0.85)) entries.push([f, this.stringField()]);
    }
    if (this.chance(0.9)) entries.push(['timestamp', this.timestamp()]);
    for (const f of JSON_FIELDS) if (this.chance(0.7)) entries.push([f, this.jsonField()]);
    const unknown = this.chance(0.3) ? 1 + this.int(3) : 0;
    for (let i = 0; i < unknown; i++) entries.push([this.unknownKey(), this.value(1)]);
    // Shuffle, then place username and session anywhere.
    for (let i = entries.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    entries.splice(this.int(entries.length + 1), 0, ['username', this.str(username)]);
    entries.splice(this.int(entries.length + 1), 0, ['session', this.str(id)]);
    // Duplicates: an earlier occurrence of a key with another value (JSON.parse keeps the last).
    if (this.duplicates && this.chance(0.08)) {
      const at = this.int(entries.length);
      const [k] = entries[at]!;
      entries.splice(this.int(at + 1), 0, [k, this.value(1)]);
    }
    const body = entries.map(([k, v]) => `${this.str(k)}${this.ws()}:${this.ws()}${v}`).join(`${this.ws()},${this.ws()}`);
    return `${this.chance(0.05) ? this.pick([' ', '\t']) : ''}{${this.ws()}${body}${this.ws()}}${this.chance(0.05) ? this.pick([' ', '\t', '\r']) : ''}`;
  }

  rejected(): string {
    const kind = this.int(3);
    if (kind === 0) {
      return this.pick([
        'NaN', '{"username":"x",}', "{'username':'x'}", '{"username":"x"} x', '{"a":1}{"b":2}', '{"username":"a\tb"}',
        '{"username":"\\x"}', '{"username":"x"', '\ufeff{"username":"bom-mid-file"}', '\u00a0{"username":"x"}',
        '{"username":"\uF8F0', '\uF8F0\uF8F1', '}', '[1,]', '{"username":"x","timestamp":01}', 'undefined',
      ]);
    }
    if (kind === 1) return this.pick(['[]', '[{"username":"x"}]', '42', '"s"', 'null', 'true', '-0', '1e400', ' [ ] ', '"\uF8F0"']);
    return this.pick([
      '{}', '{"username":""}', '{"username":42}', '{"username":null}', '{"username":[]}', '{"username":{}}', '{"key":"pageview"}',
      '{"username":"x","username":""}', '{"Username":"x"}', '{"username":true,"session":"id-none"}',
    ]);
  }
}

interface Corpus {
  file: Buffer;
  judged: Judged[];
}

function makeCorpus(seed: number, options: { duplicates: boolean; bom: boolean; finalNewline: boolean; hugeLine: boolean; count: number }): Corpus {
  const g = new Gen(seed, options.duplicates);
  const usernames = Array.from({ length: 150 }, (_, i) => {
    const base = g.text(10, true);
    return i % 3 === 0 ? `user-${i}` : base.length === 0 ? `u${i}` : base;
  });
  const lines: string[] = [];
  let id = 0;
  const pad = (line: string, target: number): string => {
    // Insert `"pad":"ppp…",` after the `{` so that the line is exactly `target` bytes.
    const base = Buffer.byteLength(line.replace('{', '{"pad":"",'));
    return line.replace('{', `{"pad":"${'p'.repeat(Math.max(0, target - base))}",`);
  };
  for (let i = 0; i < options.count; i++) {
    const r = g.rnd();
    let line: string;
    if (r < 0.86) {
      line = g.event(`id-${id++}`, g.pick(usernames));
    } else if (r < 0.96) {
      line = g.rejected();
    } else if (r < 0.985) {
      line = g.pick(['', ' ', '\t', ' \t ']);
    } else {
      // Exactly at the limit (an event), or one byte over (too_long), with and without CRLF.
      const at = g.chance(0.5) ? MAX_LINE : MAX_LINE + 1;
      line = pad(`{"username":${g.str(g.pick(usernames))},"session":"id-${id++}"}`, at);
      expect(Buffer.byteLength(line)).toBe(at);
    }
    lines.push(line);
  }
  if (options.hugeLine) {
    // 5 MB: spans the 4 MiB reads of a plain file and the 1 MiB reads of gunzip.
    lines.splice(lines.length >> 1, 0, `{"username":"huge","session":"id-huge","x":"${'h'.repeat(5_000_000)}"}`);
  }
  const parts: Buffer[] = options.bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  lines.forEach((l, i) => {
    parts.push(encode(l));
    const last = i === lines.length - 1;
    if (!last || options.finalNewline) parts.push(Buffer.from(g.chance(0.2) ? '\r\n' : '\n'));
  });
  const file = Buffer.concat(parts);
  const judged = referenceLines(file).map((content, i) => judge(content, i + 1));
  return { file, judged };
}

// ---------------------------------------------------------------------------------------------

let root: string;
let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clickstream-roundtrip-'));
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
  if (root) rmSync(root, { recursive: true, force: true });
});

const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;

async function readRows(dir: string): Promise<Record<string, unknown>[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort();
  const list = `[${files.map((f) => lit(join(dir, f))).join(', ')}]`;
  // @duckdb/node-api decodes VARCHARs with a default TextDecoder, which drops a leading U+FEFF:
  // prefix every text with 'S' in SQL and take it off here, so the values arrive exactly.
  const select = COLUMNS.map((c) => (c === 'timestamp' ? quote(c) : `'S' || ${quote(c)} AS ${quote(c)}`)).join(', ');
  const reader = await conn.runAndReadAll(`SELECT ${select}, filename FROM read_parquet(${list}, filename = true)`);
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  for (const r of rows) {
    for (const c of COLUMNS) if (typeof r[c] === 'string') r[c] = (r[c] as string).slice(1);
  }
  return rows;
}

function leftovers(parent: string, name: string): string[] {
  return readdirSync(parent).filter((f) => f.startsWith(`.${name}.tmp-`));
}

interface Checked {
  manifest: Record<string, any>;
  rows: Record<string, unknown>[];
  rejected: string;
}

async function convertAndCheck(corpus: Corpus, inputPath: string, out: string): Promise<Checked> {
  const result = await convert({ input: inputPath, out, partitions: PARTITIONS, maxLineBytes: MAX_LINE, threads: 2 });
  expect(result.dir).toBe(out);
  const manifest = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8'));
  expect(manifest).toEqual(JSON.parse(JSON.stringify(result.manifest)));

  // Counts: lines = events + blank + rejected, each as the reference reads the bytes.
  const counts = { lines: corpus.judged.length, events: 0, blank: 0, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 } };
  for (const j of corpus.judged) {
    if (j.kind === 'event') counts.events++;
    else if (j.kind === 'blank') counts.blank++;
    else counts.rejected[j.reason]++;
  }
  expect(manifest.counts).toEqual(counts);
  const c = manifest.counts;
  expect(c.lines).toBe(c.events + c.blank + Object.values(c.rejected as Record<string, number>).reduce((a, b) => a + b, 0));

  const fileBytes = readFileSync(inputPath);
  expect(manifest.input.bytes).toBe(fileBytes.length);
  expect(manifest.input.sha256).toBe(createHash('sha256').update(fileBytes).digest('hex'));
  expect(manifest.input.decompressedBytes).toBe(corpus.file.length);
  expect(manifest.options).toEqual({ partitions: PARTITIONS, maxLineBytes: MAX_LINE });
  expect(manifest.partitions).toHaveLength(PARTITIONS);
  expect(manifest.partitions.reduce((s: number, p: { rows: number }) => s + p.rows, 0)).toBe(counts.events);
  for (const p of manifest.partitions) expect(statSync(join(out, p.file)).size).toBe(p.bytes);

  // The quarantine: every rejected line, in order, with its number, reason, text and length.
  const rejectedText = readFileSync(join(out, '_rejected.jsonl'), 'utf8');
  const quarantined = rejectedText
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  const expectedRejects = corpus.judged.filter((j): j is Extract<Judged, { kind: 'rejected' }> => j.kind === 'rejected');
  expect(quarantined.map((q) => ({ line: q.line, reason: q.reason, text: q.text, bytes: q.bytes }))).toEqual(
    expectedRejects.map((j) => ({ line: j.line, reason: j.reason, text: j.text, bytes: j.bytes })),
  );
  for (const q of quarantined) {
    if (q.reason === 'invalid_json') expect(typeof q.error).toBe('string');
    else expect(q.error).toBeUndefined();
  }

  // Every event, row by row.
  const rows = await readRows(out);
  expect(rows).toHaveLength(counts.events);
  const bySession = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    expect(typeof r.session).toBe('string');
    expect(bySession.has(r.session as string), `session ${String(r.session)} twice`).toBe(false);
    bySession.set(r.session as string, r);
  }
  const mismatches: unknown[] = [];
  for (const j of corpus.judged) {
    if (j.kind !== 'event') continue;
    const session = j.value.session;
    expect(typeof session, `line ${j.line}: the generator always sets session`).toBe('string');
    const r = bySession.get(session as string);
    if (!r) {
      mismatches.push({ line: j.line, missing: session });
      continue;
    }
    const want = expectedRow(j.value);
    const got = actualRow(r, j.value);
    // A number beyond a double's range (1e400) cannot be re-serialised: unless the line's bytes
    // pass through, it keeps its flat fields and the whole line in _extra.$line (lossless).
    const alternative = hasNonFinite(j.value) ? lineRow(j.value, j.text) : undefined;
    if (JSON.stringify(got) !== JSON.stringify(want) && JSON.stringify(got) !== JSON.stringify(alternative)) {
      mismatches.push({ line: j.line, got, want });
    }
  }
  expect(mismatches.slice(0, 5)).toEqual([]);

  // Each username in exactly one partition file.
  const fileOf = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = fileOf.get(r.username as string) ?? new Set<string>();
    set.add(basename(r.filename as string));
    fileOf.set(r.username as string, set);
  }
  for (const [u, files] of fileOf) expect(files.size, `username ${JSON.stringify(u)}`).toBe(1);
  if (fileOf.size >= 20) expect(new Set(rows.map((r) => basename(r.filename as string))).size).toBeGreaterThan(1);

  expect(readdirSync(out).sort()).toEqual(['_manifest.json', '_rejected.jsonl', ...manifest.partitions.map((p: { file: string }) => p.file)].sort());
  expect(leftovers(root, basename(out))).toEqual([]);
  return { manifest, rows, rejected: rejectedText };
}

/** Rows and manifest without what legitimately differs between a plain and a gzip input. */
function comparable(c: Checked): unknown {
  // Row order inside a partition depends on which parse thread staged which block, so the Parquet
  // bytes may differ between runs; the rows may not.
  const { createdAt, durationMs, input, inputs, partitions, ...rest } = c.manifest;
  const rows = c.rows
    .map((r) => JSON.stringify({ ...r, filename: basename(r.filename as string) }, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
    .sort();
  return {
    manifest: {
      ...rest,
      input: { decompressedBytes: input.decompressedBytes },
      inputs: inputs.map((i: { decompressedBytes: number; counts: unknown }) => ({ decompressedBytes: i.decompressedBytes, counts: i.counts })),
      partitions: partitions.map((p: { id: number; file: string; rows: number }) => [p.id, p.file, p.rows]),
    },
    rows,
    // The quarantine names the input file, which differs; everything else may not.
    rejected: c.rejected.split('\n').map((l) => (l === '' ? l : JSON.stringify({ ...JSON.parse(l), file: undefined }))),
  };
}

describe('convert round trip', () => {
  for (const variant of [
    { name: 'with duplicate keys, BOM, no final newline, a 5 MB line', seed: 11, duplicates: true, bom: true, finalNewline: false, hugeLine: true },
    { name: 'without duplicate keys (pass-through path only), final CRLF', seed: 22, duplicates: false, bom: false, finalNewline: true, hugeLine: false },
  ]) {
    it(`keeps every event exactly, plain and gzip alike: ${variant.name}`, async () => {
      const corpus = makeCorpus(variant.seed, { ...variant, count: 3000 });
      const kinds = corpus.judged.map((j) => (j.kind === 'rejected' ? j.reason : j.kind));
      for (const k of ['event', 'blank', 'invalid_json', 'not_object', 'missing_username', 'too_long']) expect(kinds).toContain(k);
      const dir = join(root, `v${variant.seed}`);
      mkdirSync(dir);
      const plain = join(dir, 'export.jsonl');
      const gz = join(dir, 'export-gz.bin'); // gzip is recognised by its bytes, not its name
      writeFileSync(plain, corpus.file);
      writeFileSync(gz, gzipSync(corpus.file));
      const a = await convertAndCheck(corpus, plain, join(root, `out-plain-${variant.seed}`));
      const b = await convertAndCheck(corpus, gz, join(root, `out-gzip-${variant.seed}`));
      expect(a.manifest.input.compression).toBe('none');
      expect(b.manifest.input.compression).toBe('gzip');
      expect(comparable(b)).toEqual(comparable(a));
    }, 60_000);
  }
});

/** A corpus of the given lines (JS strings; BAD_BYTES placeholders become invalid UTF-8), `\n`-terminated. */
function corpusOf(lines: string[]): Corpus {
  const file = Buffer.concat(lines.map((l) => Buffer.concat([encode(l), Buffer.from('\n')])));
  return { file, judged: referenceLines(file).map((content, i) => judge(content, i + 1)) };
}

/** Ordinary lines around the case under test, so that it is not alone in its partition. */
const filler = (n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, k) => k + from).map((i) => `{"key":"pageview","username":"filler-${i % 23}","session":"f-${i}","timestamp":${1371234567000 + i},"12":[],"13":[]}`);

describe('convert round trip, one quirk per export', () => {
  // Each quirk alone in its export, so that a retry or a re-serialisation meant for another line
  // cannot hide it: JSON.parse keeps the last of duplicate keys, DuckDB must store the same.
  const cases: Record<string, string[]> = {
    'duplicate documented key': ['{"session":"s1","username":"a","session":"d-1"}'],
    'duplicate key, the second spelled with an escape': ['{"username":"a","user\\u006eame":"b","session":"d-2"}', '{"key":"k1","k\\u0065y":"k2","username":"a","session":"d-3"}'],
    'duplicate timestamp': ['{"username":"a","timestamp":1,"timestamp":2,"session":"d-4"}'],
    'duplicate with null first and last': ['{"username":"a","key":null,"key":"k","session":"d-5"}', '{"username":"a","key":"k","key":null,"session":"d-6"}'],
    'duplicate key nested in "12"': ['{"username":"a","12":{"x":1,"x":2},"session":"d-7"}', '{"username":"a","13":[{"k\\\\":1,"k\\\\":2}],"session":"d-8"}'],
    'keys differing only in case': ['{"username":"a","KEY":"k","key":"k2","session":"d-9"}', '{"username":"a","key":"k","Key":"K","session":"d-10"}'],
    'a CR inside the line, CRLF after it': ['{"username":"a",\r"key":"k",\t"session":"d-11"\r}\r'],
    'a U+FEFF opening a string and a line': ['{"username":"\ufeffa","key":"\ufeffk","session":"d-12"}', '\ufeff{"username":"a","session":"d-13"}'],
    'usernames that differ only where a column cannot hold them (lone surrogates, invalid bytes)': [
      '{"username":"x\\ud800","session":"d-14"}',
      '{"username":"x\\udfff","session":"d-15"}',
      '{"username":"x\\udbff","session":"d-16"}',
      '{"username":"x\ufffd","session":"d-17"}',
      '{"username":"x\uF8F0","session":"d-18"}',
      '{"username":"x\\ufffd","session":"d-19"}',
    ],
  };
  let n = 0;
  for (const [name, lines] of Object.entries(cases)) {
    it(name, async () => {
      const corpus = corpusOf([...filler(30), ...lines, ...filler(10, 30)]);
      const input = join(root, `quirk-${++n}.jsonl`);
      writeFileSync(input, corpus.file);
      await convertAndCheck(corpus, input, join(root, `quirk-out-${n}`));
    }, 20_000);
  }
});

describe('convert failures leave nothing behind', () => {
  const small = Buffer.from(
    Array.from({ length: 2000 }, (_, i) => JSON.stringify({ username: `u${i % 37}`, session: `s${i}`, timestamp: 1371234567000 + i, key: 'pageview' })).join('\n') + '\n',
  );

  it('a truncated gzip is an InputError: no output directory and no temporary directory', async () => {
    const dir = join(root, 'trunc');
    mkdirSync(dir);
    const gz = gzipSync(small);
    const input = join(dir, 'cut.gz');
    writeFileSync(input, gz.subarray(0, gz.length >> 1));
    const out = join(dir, 'ds');
    await expect(convert({ input, out, partitions: 2, threads: 2 })).rejects.toBeInstanceOf(InputError);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['cut.gz']);
  });

  it('an existing output is refused without force and replaced with it', async () => {
    const dir = join(root, 'exists');
    mkdirSync(dir);
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, small);
    const out = join(dir, 'ds');
    await convert({ input, out, partitions: 3, threads: 2 }); // --force replaces only a dataset
    writeFileSync(join(out, 'old-marker'), 'x');
    const before = readdirSync(out).sort();
    await expect(convert({ input, out, partitions: 2, threads: 2 })).rejects.toBeInstanceOf(OutputExistsError);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['ds', 'in.jsonl']);

    const { manifest } = await convert({ input, out, partitions: 2, threads: 2, force: true });
    expect(manifest.counts.events).toBe(2000);
    expect(existsSync(join(out, 'old-marker'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['_manifest.json', '_rejected.jsonl', 'part-00000.parquet', 'part-00001.parquet']);
    expect(readdirSync(dir).sort()).toEqual(['ds', 'in.jsonl']);
    const [[n] = [0]] = (await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${lit(join(out, '*.parquet'))})`)).getRows();
    expect(Number(n)).toBe(2000);
  });
});
