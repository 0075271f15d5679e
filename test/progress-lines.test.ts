/**
 * Progress that fits the terminal and tells the truth: status lines fitted to 80 and 40 columns
 * keeping the ETA; convert's share counting what was converted, not what the format sample read
 * ahead (rotated edX logs showed `100.0% … 0 lines` and an ETA climbing from 0:00); analyze's ETA
 * over the whole run.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeStatusLine } from '../src/cli/analyze-status-line.js';
import { convertStatusLine } from '../src/cli/convert-status-line.js';
import { fitStatusLine } from '../src/cli/status-line.js';
import { estimateRunRemainingMs } from '../src/analyze/estimate-run-remaining.js';
import { convertedFileBytes, estimateRemainingMs } from '../src/convert/estimate-remaining.js';
import type { ConvertProgress } from '../src/convert/convert.js';
import type { RunProgress } from '../src/analyze/executor.js';
// @ts-ignore -- compiled output, typed only at run time
import { analyze, convert } from '../dist/src/index.js';
import { prng } from './helpers/prng.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-progress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const reading: ConvertProgress = {
  phase: 'read',
  bytesRead: 25e6,
  bytesTotal: 100e6,
  bytesDecoded: 5e6,
  lines: 10_000,
  events: 9_990,
  partitions: 16,
  partitionsWritten: 0,
  bytesStaged: 0,
  bytesStagedWritten: 0,
  elapsedMs: 10_000,
  readMs: undefined,
  etaMs: 70_000,
};

describe('fitStatusLine', () => {
  const full = convertStatusLine(reading);
  it('leaves a line that fits alone, one column spare', () => {
    expect(full).toBe('convert  reading: 25.0% | 25.0 MB of 100.0 MB | 10,000 lines (1,000/s, 500.0 KB/s) | ETA 1:10');
    expect(fitStatusLine(full, 120)).toBe(full);
    expect(fitStatusLine('x'.repeat(80), 81)).toBe('x'.repeat(80));
  });
  it('drops the parts before the ETA at 80 and 40 columns, and 80 when the width is unknown', () => {
    expect(full.length).toBeGreaterThan(79);
    expect(fitStatusLine(full, 80)).toBe('convert  reading: 25.0% | 25.0 MB of 100.0 MB | ETA 1:10');
    expect(fitStatusLine(full, undefined)).toBe('convert  reading: 25.0% | 25.0 MB of 100.0 MB | ETA 1:10');
    expect(fitStatusLine(full, 40)).toBe('convert  reading: 25.0% | ETA 1:10');
  });
  it('cuts what still does not fit, ending in …', () => {
    expect(fitStatusLine(full, 20)).toBe('convert  reading: …');
    expect(fitStatusLine(full, 20)).toHaveLength(19);
  });
  it('fits every line at every width from 10 to 200 columns', () => {
    const writing = convertStatusLine({ ...reading, phase: 'write', elapsedMs: 50_000, readMs: 40_000, partitionsWritten: 4, bytesStaged: 80e6, bytesStagedWritten: 20e6, etaMs: 3_723_000 });
    for (let w = 10; w <= 200; w++) {
      for (const line of [full, writing]) expect(fitStatusLine(line, w).length).toBeLessThan(w);
    }
    expect(fitStatusLine(writing, 80)).toBe('convert  writing Parquet: 25.0% | partition 4/16 (9,990 events) | ETA 1:02:03');
  });
});

describe('convert: share and ETA from what was converted', () => {
  it('counts read bytes only in the share of their decompressed bytes already framed', () => {
    expect(convertedFileBytes(1000, 0, 0)).toBe(0);
    // The sample inflated 6,000 bytes from the 1,000 read; 1,500 of them are framed: a quarter.
    expect(convertedFileBytes(1000, 6000, 1500)).toBe(250);
    expect(convertedFileBytes(1000, 6000, 6000)).toBe(1000);
    expect(convertedFileBytes(400, 400, 100)).toBe(100); // plain: exact
  });

  it('gives an ETA that starts sensible and falls at a steady rate', () => {
    // A 120 MB gzip read ahead in full by the format sample, then converted at 1 MB (file bytes) a second.
    const etas: number[] = [];
    for (let s = 1; s <= 120; s++) {
      const bytesRead = convertedFileBytes(120e6, 720e6, 6e6 * s);
      etas.push(estimateRemainingMs({ phase: 'read', elapsedMs: s * 1000, bytesRead, bytesTotal: 120e6 })!);
    }
    // The whole reading takes 120 s, the Parquet phase as long again: 239 s left after the first.
    expect(etas[0]).toBe(239_000);
    for (let i = 1; i < etas.length; i++) expect(etas[i]!).toBeLessThan(etas[i - 1]!);
    expect(etas.at(-1)).toBe(120_000);
  });

  it('starts rotated gzip logs at the share of the first file, not 100%', async () => {
    const random = prng(18);
    const files: string[] = [];
    for (let f = 0; f < 3; f++) {
      let text = '';
      for (let i = 0; i < 4000; i++) {
        const user = Math.floor(random() * 1e9).toString(16);
        text += `${JSON.stringify({ username: `u${user}`, event_type: 'play_video', event_source: 'browser', time: `2023-05-2${f}T10:00:00.${i}Z`, event: { id: user, currentTime: random() * 100 } })}\n`;
      }
      const path = join(root, `tracking.log.${3 - f}.gz`);
      writeFileSync(path, gzipSync(text));
      files.push(path);
    }
    const seen: ConvertProgress[] = [];
    await convert({ input: files, out: join(root, 'edx-ds'), partitions: 2, onProgress: (p: ConvertProgress) => seen.push({ ...p }) });
    const read = seen.filter((p) => p.phase === 'read');
    expect(read.length).toBeGreaterThan(0);
    // The sample read all three files before the first line was parsed; the first line tells the first file at most.
    expect(read[0]!.bytesRead).toBeLessThanOrEqual(statSync(files[0]!).size);
    expect(read[0]!.bytesRead).toBeLessThan(read[0]!.bytesTotal!);
    // The share goes with the lines counted: nothing converted while no line is.
    for (const p of read) if (p.lines === 0) expect(p.bytesRead).toBe(0);
    for (let i = 1; i < read.length; i++) expect(read[i]!.bytesRead).toBeGreaterThanOrEqual(read[i - 1]!.bytesRead);
  }, 120_000);
});

describe('analyze: ETA over the whole run', () => {
  it('is the rows left at the run rate so far', () => {
    expect(estimateRunRemainingMs({ elapsedMs: 5_000, done: 0, total: 4, rowsDone: 0, rowsTotal: 1000 })).toBeUndefined();
    // 250 of 1,000 rows in 10 s: 30 s for 750 more.
    expect(estimateRunRemainingMs({ elapsedMs: 10_000, done: 1, total: 4, rowsDone: 250, rowsTotal: 1000 })).toBe(30_000);
    expect(estimateRunRemainingMs({ elapsedMs: 8_000, done: 2, total: 4, rowsDone: 0, rowsTotal: 0 })).toBe(8_000);
    expect(estimateRunRemainingMs({ elapsedMs: 40_000, done: 4, total: 4, rowsDone: 1000, rowsTotal: 1000 })).toBe(0);
  });

  it('shows partitions, rows per second and the ETA, fitted at 80 and 40 columns', () => {
    const p: RunProgress = {
      done: 3,
      total: 16,
      rowsDone: 1_500_000,
      rowsTotal: 8_000_000,
      elapsedMs: 12_000,
      etaMs: 52_000,
      workers: { 'host-a:123': { partitions: 2, rowsPerSecond: 80_000 }, 'host-b:456': { partitions: 1, rowsPerSecond: 45_000 } },
    };
    const line = analyzeStatusLine(p, 12_400);
    expect(line).toBe('analyze  3/16 partitions | 0:12 elapsed | 125,000 rows/s | host-a:123 80,000 rows/s, host-b:456 45,000 rows/s | ETA 0:52');
    expect(fitStatusLine(line, 80)).toBe('analyze  3/16 partitions | 0:12 elapsed | 125,000 rows/s | ETA 0:52');
    expect(fitStatusLine(line, 40)).toBe('analyze  3/16 partitions | ETA 0:52');
    expect(analyzeStatusLine({ done: 0, total: 16, rowsDone: 0, rowsTotal: 10, elapsedMs: 0, etaMs: undefined, workers: {} }, 0)).toBe(
      'analyze  0/16 partitions | 0:00 elapsed',
    );
  });

  it('reports rows and an ETA reaching 0 on a real run', async () => {
    const input = join(root, 'export.jsonl');
    let text = '';
    for (let i = 0; i < 3000; i++) text += `${JSON.stringify({ username: `u${i % 101}`, key: 'pageview', timestamp: 1371234567000 + i, page_url: 'https://class.coursera.org/x-001/lecture' })}\n`;
    writeFileSync(input, text);
    await convert({ input, out: join(root, 'ds'), partitions: 4 });
    const seen: RunProgress[] = [];
    await analyze({ dataset: join(root, 'ds'), out: join(root, 'report'), workers: 2, onProgress: (p: RunProgress) => seen.push(structuredClone(p)) });
    expect(seen[0]).toMatchObject({ done: 0, total: 4, rowsDone: 0, rowsTotal: 3000, etaMs: undefined });
    expect(seen.at(-1)).toMatchObject({ done: 4, rowsDone: 3000, etaMs: 0 });
    for (const p of seen.slice(1, -1)) expect(p.etaMs).toBeTypeOf('number');
  }, 120_000);
});
