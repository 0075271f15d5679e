/**
 * Events at the edges of what the staging path can carry: objects nested too deeply for
 * JSON.stringify, and lines whose re-serialised form is much longer than the input line.
 * Uses the BUILT convert (its parse threads need compiled JS).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { convert } from '../dist/src/index.js';
// @ts-ignore -- compiled output, typed only at run time
import { QuarantineWriter } from '../dist/src/convert/quarantine-writer.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function rows(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create();
  try {
    const conn = await instance.connect();
    try {
      return (await conn.runAndReadAll(sql.replace('$DATA', `read_parquet('${dir}/*.parquet')`))).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

describe('convert at the limits of re-serialisation', () => {
  it('keeps an object nested too deeply for JSON.stringify: flat fields typed, the whole line in _extra.$line', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const line = `{"username":"deep","key":"pageview","timestamp":"1371234567000","zz":${deep}}`;
    expect(() => JSON.stringify(JSON.parse(line))).toThrow(RangeError); // the case under test
    const input = join(root, 'deep.jsonl');
    writeFileSync(input, `${line}\n{"username":"flat","key":"pageview"}\n`);
    const out = join(root, 'deep-ds');
    const { manifest } = await convert({ input, out, partitions: 2 });
    expect(manifest.counts).toMatchObject({ lines: 2, events: 2, blank: 0 });
    const [row] = await rows(out, `SELECT username, "key", "timestamp", _extra FROM $DATA WHERE username = 'deep'`);
    expect(row).toMatchObject({ username: 'deep', key: 'pageview', timestamp: 1371234567000n });
    expect(JSON.parse(row!._extra as string)).toEqual({ $line: line });
  }, 60_000);

  it('accepts a line under the limit whose re-serialised form is three times longer (invalid bytes become U+FFFD)', async () => {
    const bad = Buffer.alloc(6 << 20, 0xff); // 6 MiB of invalid UTF-8 → 18 MiB of U+FFFD when staged
    const input = join(root, 'wide.jsonl');
    writeFileSync(input, Buffer.concat([Buffer.from('{"username":"wide","key":"'), bad, Buffer.from('"}\n{"username":"small"}\n')]));
    const out = join(root, 'wide-ds');
    const { manifest } = await convert({ input, out, partitions: 2, maxLineBytes: 8 << 20 });
    expect(manifest.counts).toMatchObject({ lines: 2, events: 2, blank: 0 });
    const [row] = await rows(out, `SELECT length("key") AS n, "key"[1:3] AS head FROM $DATA WHERE username = 'wide'`);
    expect(row).toEqual({ n: BigInt(6 << 20), head: '\ufffd\ufffd\ufffd' });
  }, 60_000);

  it('keeps a number beyond the range of a double: the bytes pass through, or the whole line goes to _extra.$line', async () => {
    const lines = [
      '{"username":"pass","12":1e400}',
      '{"username":"rewritten","12":[1e400],"zz":1}',
      '{"username":"ts","timestamp":1e400}',
    ];
    const input = join(root, 'huge-number.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(root, 'huge-number-ds');
    await convert({ input, out, partitions: 1 });
    const got = await rows(out, `SELECT username, "12", "timestamp", _extra FROM $DATA ORDER BY username`);
    expect(got).toEqual([
      { username: 'pass', '12': '1e400', timestamp: null, _extra: null },
      { username: 'rewritten', '12': null, timestamp: null, _extra: JSON.stringify({ $line: lines[1] }) },
      { username: 'ts', '12': null, timestamp: null, _extra: JSON.stringify({ $line: lines[2] }) },
    ]);
  }, 60_000);

  it('counts a line of only spaces and tabs as blank however long, within a read or across reads', async () => {
    const input = join(root, 'long-blank.jsonl');
    // 40 bytes fits in one read; 8 MiB spans many reads of the stream.
    writeFileSync(input, ' \t'.repeat(20) + '\n' + ' '.repeat(8 << 20) + '\r\n' + '  x  \n' + '{"username":"u"}\n');
    const { manifest } = await convert({ input, out: join(root, 'long-blank-ds'), partitions: 1, maxLineBytes: 4, acceptRejects: true }); // no event: accepted on purpose
    expect(manifest.counts).toEqual({ lines: 4, events: 0, blank: 2, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 2 } });
  }, 60_000);

  it('turns a quarantine write failure (disk full) into an error a user can act on', async () => {
    const writer = await QuarantineWriter.open('/dev/full');
    const attempt = async (): Promise<void> => {
      for (let i = 0; i < 100_000; i++) await writer.write({ line: i, reason: 'invalid_json', text: 'x'.repeat(100), bytes: 100 });
      await writer.close();
    };
    await expect(attempt()).rejects.toMatchObject({ name: 'OutputError', exitCode: 4, message: expect.stringContaining('/dev/full') });
  });
});
