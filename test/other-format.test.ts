/**
 * DATA-CONTRACT §2: a line of the other format anywhere in a file, after the format is decided (here after
 * the 1,000 objects that decide it), is rejected as `other_format` and kept in the quarantine,
 * never read as an event of the wrong shape. Exact fixtures: every line's fate is known by
 * construction.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { processBlock, type StagingSink } from '../src/convert/block-processor.js';
import { judgeLine } from '../src/formats/line-rules.js';
// @ts-ignore -- compiled output, typed only at run time
import { analyze, convert } from '../dist/src/index.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-other-format-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const edx = (i: number, username = `u${i % 7}`): string =>
  JSON.stringify({ username, event_type: 'play_video', event_source: 'browser', time: `2023-05-23T10:00:00.${String(i % 1000).padStart(3, '0')}Z`, context: { course_id: 'course-v1:A+B+C' } });
const coursera = (i: number, username = `c${i % 5}`): string =>
  JSON.stringify({ username, key: 'pageview', timestamp: 1371234567000 + i, page_url: 'https://class.coursera.org/x-001/lecture' });

const sink: StagingSink = { writeRaw: () => undefined, writeText: () => undefined };

describe('the line rule', () => {
  it('rejects an object of the other format, anonymous or not, before the username rule', () => {
    const isCoursera = (v: Readonly<Record<string, unknown>>): boolean => typeof v.key === 'string';
    expect(judgeLine(coursera(1), isCoursera)).toEqual({ kind: 'rejected', reason: 'other_format' });
    expect(judgeLine(coursera(1, ''), isCoursera)).toEqual({ kind: 'rejected', reason: 'other_format' });
    expect(judgeLine(edx(1), isCoursera).kind).toBe('event');
    expect(judgeLine(coursera(1)).kind).toBe('event'); // no format given: §2 alone
  });

  it('counts other_format in a block of each format, and only when there is one', () => {
    const block = Buffer.from([edx(1), coursera(2), edx(3, ''), coursera(4, ''), '{"username":"x","both":1}', '  '].join('\n'));
    const asEdx = processBlock([block], { maxLineBytes: 1 << 20, partitions: 2, format: 'openedx' }, sink);
    expect(asEdx).toMatchObject({ lines: 6, events: 2, blank: 1, rejected: { invalid_json: 0, not_object: 0, missing_username: 1, too_long: 0, other_format: 2 } });
    expect(asEdx.rejects.map((r) => [r.index, r.reason])).toEqual([
      [1, 'other_format'],
      [2, 'missing_username'],
      [3, 'other_format'],
    ]);
    const asCoursera = processBlock([block], { maxLineBytes: 1 << 20, partitions: 2, format: 'coursera' }, sink);
    expect(asCoursera.rejected).toEqual({ invalid_json: 0, not_object: 0, missing_username: 1, too_long: 0, other_format: 2 });
    const clean = processBlock([Buffer.from(`${edx(1)}\n${edx(2)}\n`)], { maxLineBytes: 1 << 20, partitions: 2, format: 'openedx' }, sink);
    expect(clean.rejected).toEqual({ invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 });
  });
});

describe('convert', () => {
  it('quarantines Coursera lines after the first 1,000 objects of an Open edX log, with their line numbers', async () => {
    // Lines 1–1,000 edX (they decide), then 1,001 Coursera, 1,002 edX, 1,003 anonymous Coursera,
    // 1,004–1,500 edX, 1,501 Coursera: 1,498 edX events and 3 other_format lines.
    const lines: string[] = [];
    for (let i = 1; i <= 1000; i++) lines.push(edx(i));
    lines.push(coursera(1001), edx(1002), coursera(1003, ''));
    for (let i = 1004; i <= 1500; i++) lines.push(edx(i));
    lines.push(coursera(1501));
    const input = join(root, 'tracking.log.gz');
    writeFileSync(input, gzipSync(`${lines.join('\n')}\n`));
    const out = join(root, 'edx-ds');
    const { manifest } = await convert({ input, out, partitions: 3 });
    expect(manifest.format).toBe('openedx');
    expect(manifest.counts).toEqual({ lines: 1501, events: 1498, blank: 0, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0, other_format: 3 } });
    expect(manifest.inputs![0]!.counts).toEqual(manifest.counts);
    const quarantine = readFileSync(join(out, '_rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantine.map((r: { line: number; reason: string; text: string }) => [r.line, r.reason, r.text])).toEqual([
      [1001, 'other_format', coursera(1001)],
      [1003, 'other_format', coursera(1003, '')],
      [1501, 'other_format', coursera(1501)],
    ]);
    const rows = manifest.partitions.reduce((sum: number, p: { rows: number }) => sum + p.rows, 0);
    expect(rows).toBe(1498);
    // analyze reads the manifest, and its report accounts for the lines too.
    await analyze({ dataset: out, out: join(root, 'edx-report'), workers: 1 });
    const summary = JSON.parse(readFileSync(join(root, 'edx-report', 'summary.json'), 'utf8'));
    expect(summary.input).toEqual(manifest.counts);
    expect(readFileSync(join(root, 'edx-report', 'index.html'), 'utf8')).toContain('of the other format');
  }, 120_000);

  it('quarantines an Open edX line after the first 1,000 objects of a Coursera export; a clean export keeps its counts', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 1200; i++) lines.push(i === 1100 ? edx(i) : coursera(i));
    const input = join(root, 'export.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const { manifest } = await convert({ input, out: join(root, 'coursera-ds'), partitions: 2 });
    expect(manifest.format).toBe('coursera');
    expect(manifest.counts).toEqual({ lines: 1200, events: 1199, blank: 0, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0, other_format: 1 } });
    const clean = join(root, 'clean.jsonl');
    writeFileSync(clean, `${coursera(1)}\n${coursera(2)}\n`);
    const r = await convert({ input: clean, out: join(root, 'clean-ds'), partitions: 1 });
    expect(r.manifest.counts.rejected).toEqual({ invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 });
  }, 120_000);
});
