/**
 * The ETA covers the whole convert: while reading it includes the Parquet phase still to come, and
 * the Parquet phase has one too, from the rate measured on the partitions written so far.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { convert, type ConvertProgress } from '../dist/src/index.js';
// @ts-ignore -- compiled output, typed only at run time
import { estimateRemainingMs, PARQUET_PER_READ_TIME } from '../dist/src/convert/estimate-remaining.js';
// @ts-ignore -- compiled output, typed only at run time
import { convertStatusLine } from '../dist/src/cli/convert-status-line.js';
import { ROOT, describeRun, run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-eta-'));
let input: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  input = join(root, 'export.jsonl');
  const r = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', input, '--bytes', '20MB', '--seed', 'eta']);
  expect(r.code, describeRun('generate', r)).toBe(0);
}, 120_000);

describe('estimateRemainingMs', () => {
  const k = PARQUET_PER_READ_TIME;
  it('while reading: the rest of the reading plus a Parquet phase in proportion to the whole reading', () => {
    // Half the file in 10 s: 10 s more of reading, then k × 20 s of Parquet.
    expect(estimateRemainingMs({ phase: 'read', elapsedMs: 10_000, bytesRead: 50, bytesTotal: 100 })).toBe(10_000 + k * 20_000);
    // All read: the Parquet phase is still ahead, never 0.
    expect(estimateRemainingMs({ phase: 'read', elapsedMs: 20_000, bytesRead: 100, bytesTotal: 100 })).toBe(k * 20_000);
    // Nothing known yet, and standard input (no size).
    expect(estimateRemainingMs({ phase: 'read', elapsedMs: 5, bytesRead: 0, bytesTotal: 100 })).toBeUndefined();
    expect(estimateRemainingMs({ phase: 'read', elapsedMs: 5_000, bytesRead: 50, bytesTotal: undefined })).toBeUndefined();
  });

  it('while writing: the staged bytes left at the measured rate; the prior before the first partition', () => {
    // Reading took 20 s; 30 of 120 staged bytes written in 6 s: 90 more take 18 s.
    expect(estimateRemainingMs({ phase: 'write', elapsedMs: 26_000, bytesRead: 1, bytesTotal: 1, readMs: 20_000, bytesStaged: 120, bytesStagedWritten: 30 })).toBe(18_000);
    // No partition written yet, 2 s into the phase.
    expect(estimateRemainingMs({ phase: 'write', elapsedMs: 22_000, bytesRead: 1, bytesTotal: 1, readMs: 20_000, bytesStaged: 120, bytesStagedWritten: 0 })).toBe(
      Math.max(0, k * 20_000 - 2_000),
    );
    expect(estimateRemainingMs({ phase: 'write', elapsedMs: 40_000, bytesRead: 1, bytesTotal: 1, readMs: 20_000, bytesStaged: 120, bytesStagedWritten: 120 })).toBe(0);
    // Standard input: known once writing.
    expect(estimateRemainingMs({ phase: 'write', elapsedMs: 26_000, bytesRead: 9, bytesTotal: undefined, readMs: 20_000, bytesStaged: 120, bytesStagedWritten: 60 })).toBe(6_000);
  });
});

describe('a real convert', () => {
  it('reports an ETA at every update of both phases, and the Parquet phase while reading', async () => {
    const seen: ConvertProgress[] = [];
    await convert({ input, out: join(root, 'ds'), partitions: 6, onProgress: (p) => seen.push({ ...p }) });
    const read = seen.filter((p) => p.phase === 'read');
    const write = seen.filter((p) => p.phase === 'write');
    expect(read.length).toBeGreaterThan(0);
    expect(write.length).toBeGreaterThan(1);
    for (const p of seen) {
      if (p.bytesRead === 0) continue;
      expect(p.etaMs, JSON.stringify(p)).toBeTypeOf('number');
      expect(Number.isFinite(p.etaMs)).toBe(true);
      expect(p.etaMs as number).toBeGreaterThanOrEqual(0);
    }
    // While reading, the ETA always holds at least the Parquet phase's prior share of the reading so far.
    for (const p of read.filter((q) => (q.bytesRead as number) > 0)) {
      expect(p.etaMs as number).toBeGreaterThanOrEqual(PARQUET_PER_READ_TIME * (p.elapsedMs as number));
    }
    // Writing: staged bytes go from 0 to all, the ETA ends at 0.
    expect(write[0]!.bytesStagedWritten).toBe(0);
    expect(write[0]!.bytesStaged as number).toBeGreaterThan(0);
    expect(write.at(-1)!.bytesStagedWritten).toBe(write.at(-1)!.bytesStaged);
    expect(write.at(-1)!.etaMs).toBe(0);
    expect(write.every((p) => p.readMs === write[0]!.readMs && typeof p.readMs === 'number')).toBe(true);
  }, 120_000);
});

describe('the progress line', () => {
  const base = { bytesDecoded: 5e6, lines: 10_000, events: 9_990, partitions: 16, partitionsWritten: 0, bytesStaged: 0, bytesStagedWritten: 0, readMs: undefined };
  it('shows the share and the ETA while reading a file, and while writing Parquet', () => {
    expect(convertStatusLine({ ...base, phase: 'read', bytesRead: 25e6, bytesTotal: 100e6, elapsedMs: 10_000, etaMs: 70_000 })).toBe(
      'convert  reading: 25.0% | 25.0 MB of 100.0 MB | 10,000 lines (1,000/s, 500.0 KB/s) | ETA 1:10',
    );
    expect(
      convertStatusLine({ ...base, phase: 'write', bytesRead: 1, bytesTotal: 1, elapsedMs: 50_000, readMs: 40_000, partitionsWritten: 4, bytesStaged: 80e6, bytesStagedWritten: 20e6, etaMs: 30_000 }),
    ).toBe('convert  writing Parquet: 25.0% | partition 4/16 (9,990 events) | 0:50 elapsed | ETA 0:30');
  });

  it('shows bytes and lines without a share or an ETA for standard input', () => {
    const line = convertStatusLine({ ...base, phase: 'read', bytesRead: 25e6, bytesTotal: undefined, elapsedMs: 10_000, etaMs: undefined });
    expect(line).toBe('convert  25.0 MB read | 10,000 lines (1,000/s, 500.0 KB/s) | 0:10 elapsed');
  });
});
