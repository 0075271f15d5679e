/**
 * What is not an export is refused, never turned into a dataset of nothing: zip, bzip2, xz, zstd
 * and UTF-16 by their first bytes, saying what they are; anything else when no event is found or
 * more than half of the first 10,000 non-blank lines are rejected (exit 3, first rejected line
 * shown), unless --accept-rejects. And `-` reads standard input.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { convert, InputError } from '../dist/src/index.js';
// @ts-ignore -- compiled output, typed only at run time
import type { BlockResult } from '../dist/src/convert/block-processor.js';
import { RejectGate } from '../dist/src/convert/reject-gate.js';
import { CLI, ROOT, cli, describeRun, type Run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-input-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const QUIRKS = join(ROOT, 'fixtures', 'quirks.jsonl');
const event = (i: number): string => JSON.stringify({ username: `u${i % 97}`, key: 'pageview', timestamp: 1371234567000 + i });

function file(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** Nothing but the inputs is in `root`: no dataset, no temporary. */
function expectNothingWritten(): void {
  expect(readdirSync(root).filter((f) => f.startsWith('.') || f.startsWith('out'))).toEqual([]);
}

function expectRefused(r: Run, what: string, message: RegExp): void {
  expect(r.code, describeRun(what, r)).toBe(3);
  expect(r.stderr, what).toMatch(message);
  expect(r.stderr.trim().split('\n'), `${what}: one line`).toHaveLength(1);
  expect(r.stderr).toContain('no dataset was written');
  expect(r.stderr).not.toContain('    at ');
  expectNothingWritten();
}

describe('inputs that are not exports', () => {
  const utf16 = Buffer.from(readFileSync(QUIRKS, 'utf8').slice(0, 2000), 'utf16le');
  const cases: [string, Buffer, RegExp][] = [
    ['a zip archive', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), /is a zip archive, not an export.*unzip -p/],
    ['bzip2', Buffer.from('BZh91AY&SY\x01\x02\x03', 'latin1'), /is bzip2-compressed data.*bzcat/],
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6]), /is xz-compressed data.*xzcat/],
    ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x05, 0x29]), /is zstd-compressed data.*zstdcat/],
    ['UTF-16 with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]), /is UTF-16 text \(little-endian\).*iconv -f UTF-16 -t UTF-8/],
    ['UTF-16 without one', utf16, /is UTF-16 text \(little-endian\)/],
    ['UTF-16 big-endian', Buffer.from(utf16).swap16(), /is UTF-16 text \(big-endian\)/],
    ['a zip inside gzip', gzipSync(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)])), /is gzip holding a zip archive/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}, saying what it is (exit 3)`, async () => {
      const input = file(`in-${what.replace(/\W+/g, '-')}`, bytes);
      expectRefused(await cli(['convert', input, '--out', join(root, 'out'), '--quiet']), what, message);
      rmSync(input);
    });
  }

  it('refuses random bytes, a CSV, an empty file and blank lines, showing the first rejected line', async () => {
    let seed = 7;
    const random = Buffer.alloc(200_000, 0).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff);
    const inputs: [string, Buffer | string, RegExp][] = [
      ['random bytes', Buffer.from(random), /: \d+ of \d+ non-blank lines were rejected; the first, line 1, is invalid_json \(.+\): ".+"; is it a clickstream export/],
      ['a CSV', 'user,key,time\nu1,pageview,1\nu2,pageview,2\n', /: 3 of 3 non-blank lines were rejected; the first, line 1, is invalid_json \(.*\): "user,key,time"; is it a clickstream export/],
      ['an empty file', '', /is empty: no event found; is it a clickstream export.*--accept-rejects converts it anyway/],
      ['blank lines only', '\n  \n\t\n', /: no event found in 3 lines \(all blank\)/],
      // Objects of neither format's shape, and not §2 events either: refused by the format check (DATA-CONTRACT §7).
      ['JSON without usernames', '{"a":1}\n\n{"a":2}\n{"a":3}\n', /input is not in a format clickstream reads: expected a Coursera clickstream export .* or an Open edX tracking log .*, but of its first 3 lines 0 look like/],
    ];
    for (const [what, content, message] of inputs) {
      const input = file('input', content);
      expectRefused(await cli(['convert', input, '--out', join(root, 'out'), '--quiet']), what, message);
    }
  });

  it('--accept-rejects converts them anyway', async () => {
    const input = file('input', 'user,key,time\nu1,pageview,1\n');
    const r = await cli(['convert', input, '--out', join(root, 'out-accepted'), '--quiet', '--accept-rejects', '--partitions', '2']);
    expect(r.code, describeRun('convert --accept-rejects', r)).toBe(0);
    const m = JSON.parse(readFileSync(join(root, 'out-accepted', '_manifest.json'), 'utf8'));
    expect(m.counts).toEqual({ lines: 2, events: 0, blank: 0, rejected: { invalid_json: 2, not_object: 0, missing_username: 0, too_long: 0 } });
    const empty = file('empty', '');
    const e = await cli(['convert', empty, '--out', join(root, 'out-empty'), '--quiet', '--accept-rejects', '--partitions', '2']);
    expect(e.code, describeRun('convert empty --accept-rejects', e)).toBe(0);
    rmSync(join(root, 'out-accepted'), { recursive: true });
    rmSync(join(root, 'out-empty'), { recursive: true });
    rmSync(empty);
  });
});

describe('the half-rejected rule counts the first 10,000 non-blank lines exactly', () => {
  // Blank lines between the others: they count neither way. Rejected lines come first.
  const build = (rejected: number, good: number, tail: string[] = []): string => {
    const lines: string[] = [];
    for (let i = 0; i < rejected + good; i++) {
      lines.push(i < rejected ? `not json ${i}` : event(i));
      if (i % 3 === 0) lines.push('', '   ');
    }
    return [...lines, ...tail].join('\n') + '\n';
  };
  const outcome = async (content: string): Promise<string> => {
    const input = file('sample.jsonl', content);
    try {
      const { manifest } = await convert({ input, out: join(root, 'out-sample'), partitions: 2, threads: 2 });
      rmSync(join(root, 'out-sample'), { recursive: true });
      return `ok ${manifest.counts.events}`;
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expectNothingWritten();
      return (err as Error).message;
    }
  };

  it('5,000 of 10,000 rejected is accepted; 5,001 is refused', async () => {
    expect(await outcome(build(5000, 5000))).toBe('ok 5000');
    const refused = await outcome(build(5001, 4999));
    expect(refused).toMatch(/: 5001 of the first 10000 non-blank lines were rejected; the first, line 1, is invalid_json \(.+\): "not json 0"/);
  });

  it('only the first 10,000 count: rejects after them never refuse a file with events', async () => {
    const tail = Array.from({ length: 30_000 }, (_, i) => `bad ${i}`);
    expect(await outcome(build(5000, 5000, tail))).toBe('ok 5000');
  });

  it('a short file is judged on all its lines', async () => {
    expect(await outcome(`${event(1)}\nbad\n`)).toBe('ok 1');
    expect(await outcome(`${event(1)}\nbad\nworse\n`)).toMatch(/: 2 of 3 non-blank lines were rejected; the first, line 2, is invalid_json/);
  });

  it('the gate finds its sample inside blocks, across block boundaries', () => {
    const rejects = (indexes: number[]): BlockResult['rejects'] => indexes.map((index) => ({ index, reason: 'invalid_json', text: `l${index}`, bytes: 2 }));
    const block = (lines: number, blankAt: number[], rejected: number[]): BlockResult => ({
      lines,
      events: lines - blankAt.length - rejected.length,
      blank: blankAt.length,
      rejected: { invalid_json: rejected.length, not_object: 0, missing_username: 0, too_long: 0 },
      rejects: rejects(rejected),
      blankAt,
    });
    // A sample of 4 non-blank lines: block 1 holds 2 of them (and a blank), block 2 the other 2.
    const gate = new RejectGate('x', 4);
    gate.add(block(3, [1], [0]), 1);
    gate.check(false); // sample not complete: no verdict yet
    gate.add(block(4, [], [0, 2, 3]), 4); // lines 4 and 5 are in the sample (4 rejected); 6 and 7 are not
    expect(() => gate.check(false)).not.toThrow(); // 2 of 4: not more than half
    const gate2 = new RejectGate('x', 4);
    gate2.add(block(3, [1], [0]), 1);
    gate2.add(block(4, [], [0, 1]), 4);
    expect(() => gate2.check(false)).toThrow(/x: 3 of the first 4 non-blank lines were rejected; the first, line 1, is invalid_json: "l0"/);
  });
});

describe('standard input', () => {
  it('`convert -` reads a pipe, gzip or plain, to the same dataset as the file', async () => {
    const byFile = await cli(['convert', QUIRKS, '--out', join(root, 'out-file'), '--quiet', '--partitions', '3', '--max-line-bytes', '2048']);
    expect(byFile.code, describeRun('convert file', byFile)).toBe(0);
    const gz = file('q.gz', gzipSync(readFileSync(QUIRKS)));
    for (const [name, source, arg] of [
      ['out-stdin-gz', gz, '-'],
      ['out-stdin-plain', QUIRKS, '-'],
      ['out-dev-stdin', gz, '/dev/stdin'],
    ] as const) {
      const child = spawn(process.execPath, [CLI, 'convert', arg, '--out', join(root, name), '--partitions', '3', '--max-line-bytes', '2048'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      createReadStream(source).pipe(child.stdin);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, `${arg} < ${source}: ${stderr}`).toBe(0);
      if (arg === '-') expect(stdout).toMatch(/^converted standard input -> /);
      const m = JSON.parse(readFileSync(join(root, name, '_manifest.json'), 'utf8'));
      const f = JSON.parse(readFileSync(join(root, 'out-file', '_manifest.json'), 'utf8'));
      expect(m.counts).toEqual(f.counts);
      expect(m.partitions.map((p: { rows: number }) => p.rows)).toEqual(f.partitions.map((p: { rows: number }) => p.rows));
      expect(m.input.path).toBe(arg);
      expect(m.input.bytes).toBe(readFileSync(source).length);
      expect(m.input.compression).toBe(source === gz ? 'gzip' : 'none');
      // The same quarantine, but for the file it names (the input as given).
      const quarantine = (dir: string): Record<string, unknown>[] =>
        readFileSync(join(root, dir, '_rejected.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const fromPipe = quarantine(name);
      expect(fromPipe.length).toBeGreaterThan(0);
      expect(fromPipe.every((r) => r.file === arg)).toBe(true);
      expect(fromPipe.map((r) => ({ ...r, file: undefined }))).toEqual(quarantine('out-file').map((r) => ({ ...r, file: undefined })));
      rmSync(join(root, name), { recursive: true });
    }
    rmSync(join(root, 'out-file'), { recursive: true });
    rmSync(gz);
  });

  it('says in one line that it cannot size the partitions of standard input unless told', async () => {
    const child = spawn(process.execPath, [CLI, 'convert', '-', '--out', join(root, 'out-stdin-default'), '--quiet', '--max-line-bytes', '2048'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createReadStream(QUIRKS).pipe(child.stdin);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toBe(
      'clickstream: the size of standard input is unknown: 16 partitions; for an export over 2 GiB uncompressed, pass --partitions (one per 128 MiB keeps memory flat)\n',
    );
    expect(JSON.parse(readFileSync(join(root, 'out-stdin-default', '_manifest.json'), 'utf8')).partitions).toHaveLength(16);
    rmSync(join(root, 'out-stdin-default'), { recursive: true });
  });
});
