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
});
