/**
 * Which files one convert reads: a folder stands for its files in rotation order (oldest first),
 * and the same file given twice (same path, a link, a copy) is refused before anything is written.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOrder, rotationOrder } from '../src/convert/rotation-order.js';
import { cli, describeRun } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-input-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One edX event per line; `n` events whose time says which file they came from. */
function edxLines(tag: number, n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    text += `${JSON.stringify({ username: `u${i}`, event_type: 'play_video', event_source: 'browser', time: `2023-05-${String(10 + tag).padStart(2, '0')}T10:00:0${i}Z`, context: { course_id: 'course-v1:A+B+C' } })}\n`;
  }
  return text;
}

describe('rotationOrder', () => {
  it('puts an Open edX log oldest first: highest N first, then .1, then the live log, gzip or not', () => {
    expect(rotationOrder(['tracking.log', 'tracking.log.1', 'tracking.log.10.gz', 'tracking.log.2.gz', 'tracking.log.9.gz'])).toEqual([
      'tracking.log.10.gz',
      'tracking.log.9.gz',
      'tracking.log.2.gz',
      'tracking.log.1',
      'tracking.log',
    ]);
  });
  it('puts date-suffixed files by date ascending, before the live log', () => {
    expect(rotationOrder(['tracking.log', 'tracking.log-20230601.gz', 'tracking.log-20230523.gz', 'tracking.log-20230524'])).toEqual([
      'tracking.log-20230523.gz',
      'tracking.log-20230524',
      'tracking.log-20230601.gz',
      'tracking.log',
    ]);
  });
  it('orders different logs and Coursera exports by name', () => {
    expect(rotationOrder(['psy-002_clickstream_export.gz', 'b.log.1', 'psy-001_clickstream_export.gz', 'a.log', 'b.log', 'a.log.1.gz'])).toEqual([
      'a.log.1.gz',
      'a.log',
      'b.log.1',
      'b.log',
      'psy-001_clickstream_export.gz',
      'psy-002_clickstream_export.gz',
    ]);
  });
  it('describes a long order by its ends', () => {
    expect(describeOrder(['a', 'b'])).toBe('a, b');
    const many = Array.from({ length: 12 }, (_, i) => `t.${12 - i}`);
    expect(describeOrder(many)).toBe('t.12, t.11, t.10, … 6 more …, t.3, t.2, t.1');
  });
});

describe('convert <folder>', () => {
  it('reads the folder in rotation order, skipping hidden files and sub-folders, and says so', async () => {
    const dir = join(root, 'edx');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tracking.log'), edxLines(4, 1));
    writeFileSync(join(dir, 'tracking.log.1'), edxLines(3, 2));
    writeFileSync(join(dir, 'tracking.log.2.gz'), gzipSync(edxLines(2, 3)));
    writeFileSync(join(dir, 'tracking.log.10.gz'), gzipSync(edxLines(1, 4)));
    writeFileSync(join(dir, '.tracking.log.swp'), 'not a log');
    writeFileSync(join(dir, 'sub', 'tracking.log'), edxLines(9, 5));
    const out = join(root, 'edx-ds');
    const r = await cli(['convert', dir, '--out', out]);
    expect(r.code, describeRun('convert', r)).toBe(0);
    const order = ['tracking.log.10.gz', 'tracking.log.2.gz', 'tracking.log.1', 'tracking.log'];
    expect(r.stderr).toContain(`reading 4 files of ${dir} in rotation order (oldest first): ${order.join(', ')}`);
    const manifest = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8'));
    expect(manifest.inputs.map((i: { path: string }) => i.path)).toEqual(order.map((n) => join(dir, n)));
    expect(manifest.inputs.map((i: { counts: { events: number } }) => i.counts.events)).toEqual([4, 3, 2, 1]);
    expect(manifest.counts.events).toBe(10);
  });

  it('refuses a folder with no file to read (exit 3), naming it', async () => {
    const dir = join(root, 'empty');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, '.hidden'), edxLines(1, 1));
    const r = await cli(['convert', dir, '--out', join(root, 'empty-ds')]);
    expect(r.code, describeRun('convert', r)).toBe(3);
    expect(r.stderr).toContain(`the folder ${dir} holds no file to convert`);
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(root, 'empty-ds'))).toBe(false);
  });
});

describe('the same input twice', () => {
  const dir = join(root, 'twice');
  mkdirSync(dir);
  const a = join(dir, 'tracking.log.1');
  const b = join(dir, 'tracking.log');
  writeFileSync(a, edxLines(1, 3));
  writeFileSync(b, edxLines(2, 3)); // the same size as `a`, other bytes: two files
  const link = join(root, 'link.log');
  symlinkSync(a, link);
  const copy = join(root, 'copy.log');
  copyFileSync(a, copy);
  const out = join(root, 'twice-ds');

  const cases: [string, string[], string, string][] = [
    ['the same path twice', [a, b, a], a, a],
    ['a link to another input', [a, b, link], a, link],
    ['a copy of another input', [copy, b, a], copy, a],
    ['a folder and a file in it', [dir, b], b, b],
  ];
  for (const [what, inputs, first, second] of cases) {
    it(`refuses ${what} (exit 2), naming both paths, writing nothing`, async () => {
      const r = await cli(['convert', ...inputs, '--out', out, '--quiet']);
      expect(r.code, describeRun(what, r)).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and ${second.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (are the same file|have the same content)`));
      expect(r.stderr).not.toContain('    at ');
      expect(readdirSync(root).filter((f) => f.startsWith('twice-ds') || f.startsWith('.'))).toEqual([]);
    });
  }

  it('converts two files of equal size and different bytes', async () => {
    const r = await cli(['convert', a, b, '--out', out, '--quiet']);
    expect(r.code, describeRun('convert', r)).toBe(0);
    expect(JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8')).counts.events).toBe(6);
    rmSync(out, { recursive: true });
  });
});
