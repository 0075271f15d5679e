/**
 * The Open edX log generator: deterministic, rotated and gzip files, the §2 accounting it reports
 * agrees with the independent recount, its logs are recognised as Open edX, and the adapter's
 * mapping of every generated event agrees with the recount's (event types, sections, courses,
 * video actions, rates, lectures, time).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeLine } from '../src/formats/line-rules.js';
import { FormatSampler, decideFormat } from '../src/formats/detect-format.js';
import { serializeOpenEdxEvent } from '../src/formats/openedx.js';
import { openEdxModelEvent, type ModelEvent } from './helpers/openedx-model.js';
import { GENERATE_COMMAND, generateOptions } from '../src/cli/generate-command.js';
import { parseCommand } from '../src/cli/option-table.js';
import { generateOpenEdx, rotatedNames, type GenerateOpenEdxStats } from '../src/generate/openedx-generator.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINE_BYTES = 30_000;

interface Named {
  name: string;
  events: number;
  users: number;
}

function table(events: readonly ModelEvent[], name: (e: ModelEvent) => string | null): Named[] {
  const map = new Map<string, { events: number; users: Set<string> }>();
  for (const e of events) {
    const key = name(e);
    if (key === null) continue;
    const entry = map.get(key) ?? { events: 0, users: new Set<string>() };
    entry.events++;
    entry.users.add(e.username);
    map.set(key, entry);
  }
  return [...map]
    .map(([n, v]) => ({ name: n, events: v.events, users: v.users.size }))
    .sort((a, b) => b.users - a.users || b.events - a.events || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function text(path: string): Buffer {
  const raw = readFileSync(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** The adapter's model events of one file (§2 applied as the converter does; lines split on \n). */
function modelEvents(path: string): { events: ModelEvent[]; rawLines: string[] } {
  const body = text(path).toString('utf8');
  const lines = body.endsWith('\n') ? body.slice(0, -1).split('\n') : body.split('\n');
  const events: ModelEvent[] = [];
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (/^[ \t]*$/.test(line) || Buffer.byteLength(line) > MAX_LINE_BYTES) continue;
    const verdict = judgeLine(line);
    if (verdict.kind === 'event') events.push(openEdxModelEvent(JSON.parse(serializeOpenEdxEvent(verdict.value, line)) as Record<string, unknown>));
  }
  return { events, rawLines: lines };
}

describe('generate-openedx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'generate-openedx-'));
  const out = join(dir, 'tracking.log.gz');
  let stats: GenerateOpenEdxStats;
  let recount: Record<string, any>;

  beforeAll(async () => {
    stats = await generateOpenEdx({
      out,
      events: 6000,
      gzip: true,
      files: 3,
      courses: 5,
      seed: 'test-openedx',
      dirtyRate: 0.03,
      anonymousRate: 0.2,
      maxLineBytes: MAX_LINE_BYTES,
    });
    recount = await new Promise((done, fail) =>
      execFile(
        'python3',
        [join(ROOT, 'fixtures', 'recount_openedx.py'), ...stats.files.map((f) => f.path), '--max-line-bytes', String(MAX_LINE_BYTES), '--no-users'],
        { maxBuffer: 256 << 20 },
        (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(JSON.parse(stdout))),
      ),
    );
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names rotated files oldest first, keeping a .gz suffix last', () => {
    expect(rotatedNames('tracking.log.gz', 3)).toEqual(['tracking.log.2.gz', 'tracking.log.1.gz', 'tracking.log.gz']);
    expect(rotatedNames('tracking.log', 2)).toEqual(['tracking.log.1', 'tracking.log']);
    expect(rotatedNames('tracking.log', 1)).toEqual(['tracking.log']);
    expect(stats.files.map((f) => f.path)).toEqual(rotatedNames(out, 3));
    for (const f of stats.files) expect(readFileSync(f.path).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true);
  });

  it('writes exactly the events asked for, with dirty lines on top, and adds up per file', () => {
    // Long dirty lines within the line limit are events too, on top of the 6000 ordinary ones.
    expect(stats.events - stats.files.length * 0).toBeGreaterThanOrEqual(6000);
    expect(stats.events).toBeLessThan(6000 + stats.lines * 0.03);
    const r = stats.rejected;
    expect(stats.lines).toBe(stats.events + stats.blank + r.invalid_json + r.not_object + r.missing_username + r.too_long);
    expect(stats.files.reduce((s, f) => s + f.lines, 0)).toBe(stats.lines);
    expect(stats.files.every((f) => f.events > 0)).toBe(true);
    expect(r.invalid_json).toBeGreaterThan(0);
    expect(r.missing_username).toBeGreaterThan(0);
    expect(stats.blank).toBeGreaterThan(0);
  });

  it('reports the §2 accounting the independent recount finds, per file and in total', () => {
    expect(recount.input.files).toEqual(stats.files.map((f) => ({ path: f.path, lines: f.lines, events: f.events, blank: f.blank, rejected: f.rejected })));
    expect(recount.input.lines).toBe(stats.lines);
    expect(recount.input.events).toBe(stats.events);
    expect(recount.users).toBe(stats.users);
  });

  it('is deterministic for a seed', async () => {
    const again = join(dir, 'again.log');
    const opts = { out: again, events: 800, gzip: false, files: 1, courses: 3, seed: 'same', dirtyRate: 0.05, anonymousRate: 0.1, maxLineBytes: MAX_LINE_BYTES };
    await generateOpenEdx(opts);
    const first = readFileSync(again);
    await generateOpenEdx(opts);
    expect(readFileSync(again).equals(first)).toBe(true);
    await generateOpenEdx({ ...opts, seed: 'other' });
    expect(readFileSync(again).equals(first)).toBe(false);
  });

  it('is recognised as an Open edX log, file by file', () => {
    const samples = stats.files.map((f) => {
      const sampler = new FormatSampler(MAX_LINE_BYTES);
      sampler.push(text(f.path));
      return { file: f.path, sample: sampler.end() };
    });
    expect(decideFormat('auto', samples)).toBe('openedx');
    expect(() => decideFormat('coursera', samples)).toThrow(/looks? like an Open edX tracking log/);
  });

  it('holds what real logs hold: server, browser and mobile events, anonymous requests, several courses, every video type', () => {
    const lines = stats.files.flatMap((f) => modelEvents(f.path).rawLines);
    const sources = new Set<string>();
    const types = new Set<string>();
    let anonymous = 0;
    let objectEvents = 0;
    for (const line of lines) {
      const v = judgeLine(line);
      if (v.kind === 'rejected' && v.reason === 'missing_username' && line.includes('"username": ""')) anonymous++;
      if (v.kind !== 'event') continue;
      sources.add(String(v.value.event_source));
      types.add(String(v.value.event_type));
      if (typeof v.value.event === 'object') objectEvents++;
    }
    expect([...sources].sort()).toEqual(expect.arrayContaining(['browser', 'mobile', 'server']));
    expect(anonymous).toBeGreaterThan(0);
    expect(objectEvents).toBeGreaterThan(0);
    for (const t of ['play_video', 'pause_video', 'seek_video', 'speed_change_video', 'load_video', 'stop_video', 'edx.video.played', 'edx.video.paused', 'edx.video.position.changed', 'edx.video.loaded', 'edx.video.stopped', 'edx.video.speed.changed', 'problem_check', 'edx.forum.thread.created']) {
      expect(types, t).toContain(t);
    }
    expect(recount.courses.length).toBeGreaterThanOrEqual(5);
    expect(recount.sections.map((s: Named) => s.name)).toEqual(expect.arrayContaining(['courseware', 'xblock', 'dashboard', 'info', 'progress', 'discussion', 'wiki', 'unknown']));
  });

  it('maps onto the event model as the independent recount does', () => {
    const events = stats.files.flatMap((f) => modelEvents(f.path).events);
    expect(events).toHaveLength(stats.events);
    expect(table(events, (e) => e.eventType)).toEqual(recount.event_types);
    expect(table(events, (e) => e.section)).toEqual(recount.sections);
    expect(table(events, (e) => e.course)).toEqual(recount.courses);
    const video = events.filter((e) => e.video !== null);
    expect(video).toHaveLength(recount.video.events);
    expect(table(video, (e) => e.video!.action)).toEqual(recount.video.actions);
    expect(new Set(video.map((e) => e.video!.lecture).filter((l) => l !== 'unknown')).size).toBe(recount.video.lectures);
    const rates = table(video, (e) => (e.video!.rate === undefined ? null : String(e.video!.rate)))
      .map((r) => ({ rate: Number(r.name), events: r.events, users: r.users }))
      .sort((a, b) => b.users - a.users || b.events - a.events || a.rate - b.rate);
    expect(rates).toEqual(recount.video.playback_rates);
    const furthest = new Map<string, number>();
    for (const e of video) if (e.video!.position !== undefined) furthest.set(`${e.video!.lecture} ${e.username}`, Math.max(furthest.get(`${e.video!.lecture} ${e.username}`) ?? 0, e.video!.position));
    expect(furthest.size).toBeGreaterThan(0);
    const times = events.map((e) => e.timestamp).filter((t): t is number => t !== null);
    expect(events.length - times.length).toBe(recount.time.untimed);
    expect(new Date(Math.min(...times)).toISOString()).toBe(recount.time.first);
    expect(new Date(Math.max(...times)).toISOString()).toBe(recount.time.last);
    expect(table(events, (e) => (e.pageview ? 'page' : null))[0]?.events).toBe(recount.event_types.find((t: Named) => t.name === 'page').events);
  });

  it('parses its command line (clickstream generate --format openedx), refusing what it cannot do', () => {
    const options = (args: string[]) => {
      const { values, given } = parseCommand(GENERATE_COMMAND, args);
      return generateOptions(values, given);
    };
    expect(options(['--out', 'x.log', '--bytes', '3GB', '--gzip', '--files', '7', '--format', 'openedx'])).toMatchObject({
      format: 'openedx',
      out: 'x.log',
      bytes: 3e9,
      gzip: true,
      files: 7,
      courses: 4,
      seed: 'edx',
    });
    expect(() => options(['--format', 'openedx', '--bytes', '1MB'])).toThrow(/missing -o, --out/);
    expect(() => options(['--format', 'openedx', '--out', 'x', '--bytes', '1MB', '--events', '5'])).toThrow(/not both/);
    expect(() => options(['--format', 'openedx', '--out', 'x', '--files', '0'])).toThrow(/--files/);
    expect(() => options(['--out', 'x', '--files', '2'])).toThrow(/--files applies to --format openedx only/);
  });

  it('makes the folder --out names when it does not exist yet', async () => {
    const nested = join(dir, 'new', 'site', 'tracking.log');
    const s = await generateOpenEdx({ out: nested, events: 50, files: 2, courses: 1, seed: 'folder', gzip: false, dirtyRate: 0, anonymousRate: 0, maxLineBytes: MAX_LINE_BYTES });
    expect(s.files.map((f) => f.path)).toEqual([`${nested}.1`, nested]);
    expect(s.files.map((f) => readFileSync(f.path, 'utf8').split('\n').filter((l) => l !== '').length).reduce((a, b) => a + b)).toBe(s.lines);
  });
});
