/**
 * `clickstream compare` (docs/COMPARE.md): compare.csv from hand-made summary.json files whose expected
 * table is worked out by hand below; the refusal of version-1 and foreign summaries; the output
 * directory's all-or-nothing appearance; the CLI's help and exit codes (built CLI, as a user runs it).
 * (test/compare.test.ts is about src/util/compare.ts, string ordering.)
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadImage } from '@napi-rs/canvas';
import { COMPARE_COMMAND } from '../src/cli/compare-command.js';
import { COMPARE_CHART_FILES } from '../src/compare/compare-charts.js';
import { compareReports } from '../src/compare/compare-reports.js';
import { compareTable, topNames } from '../src/compare/compare-table.js';
import { checkReportSummary } from '../src/compare/read-report-summary.js';
import { ReportInputError, UsageError } from '../src/errors.js';
import type { NamedCount, Summary } from '../src/report/report-types.js';
import { cli, describeRun, parseCsv } from './helpers/e2e.js';
import { emptyReport } from './helpers/report-samples.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-compare-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const nc = (name: string, events: number, users: number): NamedCount => ({ name, events, users });

/** A version-2 summary: empty §6 figures, then the fields compare reads. */
function summary(fields: {
  events: number;
  users: number;
  median: number;
  p90: number;
  sessions: number;
  timeOnTaskMedian: number;
  viewers: number;
  devices: NamedCount[];
  languages: NamedCount[];
}): Summary {
  const s = emptyReport().summary;
  return {
    ...s,
    events: fields.events,
    users: fields.users,
    devices: fields.devices,
    languages: fields.languages,
    activity: {
      ...s.activity,
      median: fields.median,
      p90: fields.p90,
      cdf: [
        { clicks: 1, users: 1, fraction: 0.25 },
        { clicks: fields.median, users: 1, fraction: 0.5 },
        { clicks: fields.p90, users: 2, fraction: 1 },
      ],
    },
    sessions: { ...s.sessions, count: fields.sessions },
    timeOnTaskSeconds: { ...s.timeOnTaskSeconds, median: fields.timeOnTaskMedian },
    video: { ...s.video, viewers: fields.viewers },
  };
}

// run-a's top 5 devices: desktop 8, smartphone 3, then the one-learner classes by events (tablet 5,
// tv 3) and, tied at 1 event, by name: console before wearable, which is left out.
const RUN_A = summary({
  events: 100,
  users: 10,
  median: 7,
  p90: 20,
  sessions: 31,
  timeOnTaskMedian: 61.5,
  viewers: 6,
  devices: [nc('desktop', 80, 8), nc('smartphone', 10, 3), nc('tablet', 5, 1), nc('tv', 3, 1), nc('wearable', 1, 1), nc('console', 1, 1)],
  languages: [nc('en', 60, 6), nc('fr', 30, 3), nc('de', 10, 1), nc('zz,"q"', 2, 1)],
});
const RUN_B = summary({
  events: 40,
  users: 4,
  median: 3,
  p90: 12,
  sessions: 9,
  timeOnTaskMedian: 0,
  viewers: 0,
  devices: [nc('smartphone', 30, 3), nc('desktop', 9, 2), nc('bot', 1, 1)],
  languages: [nc('es', 25, 2), nc('fr', 15, 2), nc('', 1, 1)],
});

// Columns by summed share, largest first, ties by name:
//   devices   desktop .8+.5, smartphone .3+.75, bot 0+.25, then console, tablet, tv at .1+0
//   languages fr .3+.5, en .6, es .5, '' .25, then de and 'zz,"q"' at .1
const EXPECTED_CSV =
  'report,events,learners,median_clicks,p90_clicks,sessions,median_time_on_task_s,video_viewers,' +
  'device:desktop,device:smartphone,device:bot,device:console,device:tablet,device:tv,' +
  'language:fr,language:en,language:es,language:,language:de,"language:zz,""q"""\r\n' +
  'run-a,100,10,7,20,31,61.5,6,0.8,0.3,0,0.1,0.1,0.1,0.3,0.6,0,0,0.1,0.1\r\n' +
  'run-b,40,4,3,12,9,0,0,0.5,0.75,0.25,0,0,0,0.5,0,0.5,0.25,0,0\r\n';

async function reportDir(name: string, content: unknown, raw = false): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'summary.json'), raw ? String(content) : JSON.stringify(content, null, 2));
  return dir;
}

function v1Summary(): Record<string, unknown> {
  const { time, eventTypes, sections, referrers, sessions, timeOnTaskSeconds, video, retention, ...v1 } = RUN_A;
  void [time, eventTypes, sections, referrers, sessions, timeOnTaskSeconds, video, retention];
  return v1;
}

describe('compareTable', () => {
  it('builds the exact rows and columns of compare.csv', () => {
    const table = compareTable([
      { name: 'run-a', summary: RUN_A },
      { name: 'run-b', summary: RUN_B },
    ]);
    expect(table.devices).toEqual(['desktop', 'smartphone', 'bot', 'console', 'tablet', 'tv']);
    expect(table.languages).toEqual(['fr', 'en', 'es', '', 'de', 'zz,"q"']);
    expect(table.rows[1]).toEqual(['run-b', 40, 4, 3, 12, 9, 0, 0, 0.5, 0.75, 0.25, 0, 0, 0, 0.5, 0, 0.5, 0.25, 0, 0]);
  });

  it("chooses each report's top 5 by learners, then events, then name, whatever the file's order", () => {
    expect(topNames([nc('b', 1, 1), nc('a', 1, 1), nc('c', 9, 1), nc('d', 0, 4), nc('e', 0, 2), nc('f', 0, 2)])).toEqual(['d', 'e', 'f', 'c', 'a']);
    // Ties by code point, as summary.json orders devices and languages: U+FFFD before U+1F600,
    // which JavaScript's `<` (UTF-16 code units) would put first.
    expect(topNames([nc('\u{1F600}', 1, 1), nc('\uFFFD', 1, 1)], 1)).toEqual(['\uFFFD']);
  });

  it('gives shares of 0 for a report without learners', () => {
    const none = summary({ events: 0, users: 0, median: 0, p90: 0, sessions: 0, timeOnTaskMedian: 0, viewers: 0, devices: [nc('desktop', 0, 0)], languages: [] });
    const table = compareTable([
      { name: 'none', summary: none },
      { name: 'run-b', summary: RUN_B },
    ]);
    // Columns: desktop, smartphone, bot (devices), es, fr, '' (languages): all 0 for 'none'.
    expect(table.header).toHaveLength(8 + 3 + 3);
    expect(table.rows[0]).toEqual(['none', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('checkReportSummary', () => {
  it('accepts a version-2 summary as it is', () => {
    expect(checkReportSummary(RUN_A, 'a/summary.json')).toBe(RUN_A);
  });

  it('tells a version-1 summary apart and says to re-run analyze', () => {
    expect(() => checkReportSummary(v1Summary(), 'old/summary.json')).toThrow(ReportInputError);
    expect(() => checkReportSummary(v1Summary(), 'old/summary.json')).toThrow(
      /^old\/summary\.json is a version 1 summary, .*re-run 'clickstream analyze'/,
    );
  });

  it('refuses a summary with only some of the version-2 keys, naming the missing ones', () => {
    const partial: Record<string, unknown> = { ...RUN_A };
    delete partial['video'];
    delete partial['retention'];
    expect(() => checkReportSummary(partial, 'p/summary.json')).toThrow(/p\/summary\.json is a summary of another version \(no 'video', 'retention'\)/);
  });

  it('refuses what is not a clickstream summary', () => {
    for (const [value, why] of [
      [[1, 2], /not a JSON object/],
      [{ hello: 'world' }, /no 'events', 'users'/],
      [{ ...RUN_A, users: '10' }, /'users' is not a number/],
      [{ ...RUN_A, devices: [{ name: 'desktop' }] }, /'devices' holds an entry/],
      [{ ...RUN_A, activity: { ...RUN_A.activity, cdf: 'x' } }, /'activity\.cdf' is not a list/],
    ] as const) {
      expect(() => checkReportSummary(value, 'x/summary.json')).toThrow(why);
      expect(() => checkReportSummary(value, 'x/summary.json')).toThrow(/^x\/summary\.json is not a clickstream summary/);
    }
  });
});

describe('compareReports', () => {
  it('writes compare.csv, the three charts and index.html, and nothing else', async () => {
    const a = await reportDir('run-a', RUN_A);
    const b = await reportDir('run-b', RUN_B);
    const out = join(root, 'out-1');
    const result = await compareReports({ reports: [a, b], out, generatedAt: '2024-05-01T00:00:00Z' });
    expect(result.dir).toBe(out);
    expect(result.files).toEqual(['compare.csv', ...COMPARE_CHART_FILES, 'index.html']);
    expect(readdirSync(out).sort()).toEqual([...result.files].sort());
    expect(await readFile(join(out, 'compare.csv'), 'utf8')).toBe(EXPECTED_CSV);
    for (const chart of COMPARE_CHART_FILES) {
      const image = await loadImage(await readFile(join(out, chart)));
      expect([image.width, image.height], chart).toEqual([1200, 700]);
    }
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<title>Comparison of run-a, run-b</title>');
    expect(html).toContain('<a href="compare.csv">compare.csv</a>');
    for (const chart of COMPARE_CHART_FILES) expect(html).toMatch(new RegExp(`<img src="${chart}" alt="[^"]+"`));
    // Every compare.csv column is named on the page, with each report's figure.
    const header = parseCsv(EXPECTED_CSV).rows[0]!;
    expect(header).toHaveLength(20);
    for (const column of header.slice(1)) expect(html, column).toContain(`<code>${column.replace(/"/g, '&quot;')}</code>`);
    expect(html).toContain('<th scope="row">desktop</th><td><code>device:desktop</code></td><td class="num">80.0%</td><td class="num">50.0%</td>');
    expect(html).toContain('<td><code>median_time_on_task_s</code></td><td class="num">1 min 02 s</td><td class="num">0 s</td>');
    expect(html).not.toMatch(/<script|https?:|<link|@import|url\(/i);
    // No temporary sibling is left next to the output.
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('escapes report names on the page and links each report that has an index.html', async () => {
    const a = await reportDir('<b>&run', RUN_A);
    await writeFile(join(a, 'index.html'), '<!DOCTYPE html>');
    const b = await reportDir('run-b', RUN_B);
    const out = join(root, 'out-escape');
    await compareReports({ reports: [a, b], out });
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).not.toContain('<b>&run');
    expect(html).toContain('<th scope="col" class="num"><a href="../&lt;b&gt;&amp;run/index.html">&lt;b&gt;&amp;run</a></th><th scope="col" class="num">run-b</th>');
    expect((await readFile(join(out, 'compare.csv'), 'utf8')).split('\r\n')[1]).toMatch(/^<b>&run,100,/);
  });

  it('refuses a version-1 summary before writing anything', async () => {
    const a = await reportDir('run-a', RUN_A);
    const old = await reportDir('old-run', v1Summary());
    const out = join(root, 'out-v1');
    const err = await compareReports({ reports: [a, old], out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportInputError);
    expect((err as ReportInputError).exitCode).toBe(3);
    expect((err as Error).message).toContain(join(old, 'summary.json'));
    expect(existsSync(out)).toBe(false);
  });

  it('refuses duplicate folder names, an output that would replace a report, and a single report', async () => {
    const a = await reportDir('run-a', RUN_A);
    const other = await reportDir(join('elsewhere', 'run-a'), RUN_B);
    await expect(compareReports({ reports: [a, other], out: join(root, 'out-dup') })).rejects.toThrow(/two reports are named 'run-a'/);
    await expect(compareReports({ reports: [a, a], out: join(root, 'out-dup') })).rejects.toThrow(/given twice/);
    await expect(compareReports({ reports: [a, other], out: root, force: true })).rejects.toThrow(UsageError);
    await expect(compareReports({ reports: [a, other], out: a, force: true })).rejects.toThrow(/would replace the report/);
    await expect(compareReports({ reports: [a], out: join(root, 'out-one') })).rejects.toThrow(/at least 2/);
    expect(existsSync(join(a, 'summary.json'))).toBe(true);
    expect(existsSync(join(root, 'out-dup'))).toBe(false);
  });

  it('keeps an existing output unless forced; --force replaces only an earlier comparison, whole', async () => {
    const a = await reportDir('run-a', RUN_A);
    const b = await reportDir('run-b', RUN_B);
    const foreign = join(root, 'out-foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'old.txt'), 'old');
    for (const force of [false, true]) {
      await expect(compareReports({ reports: [a, b], out: foreign, force })).rejects.toMatchObject({ exitCode: 4 });
    }
    expect(readdirSync(foreign)).toEqual(['old.txt']);
    const out = join(root, 'out-force');
    await compareReports({ reports: [a, b], out });
    await writeFile(join(out, 'old.txt'), 'old');
    await expect(compareReports({ reports: [a, b], out })).rejects.toMatchObject({ exitCode: 4 });
    await compareReports({ reports: [a, b], out, force: true });
    expect(readdirSync(out)).not.toContain('old.txt');
    expect(await readFile(join(out, 'compare.csv'), 'utf8')).toBe(EXPECTED_CSV);
  });
});

describe('clickstream compare (CLI)', () => {
  it('--help lists every option of the table and exits 0; the main help lists compare', async () => {
    const r = await cli(['compare', '--help']);
    expect(r.code, describeRun('compare --help', r)).toBe(0);
    expect(r.stdout).toContain('Usage: clickstream compare <report-dir> <report-dir>… --out <dir>');
    for (const o of COMPARE_COMMAND.options) {
      expect(r.stdout, o.name).toContain(`--${o.name}`);
      if ('short' in o) expect(r.stdout, o.name).toContain(`-${o.short}, --${o.name}`);
    }
    for (const option of ['--out', '--title', '--force', '--quiet', '--help']) expect(r.stdout).toContain(option);
    const main = await cli(['--help']);
    expect(main.stdout).toMatch(/\n {2}compare {3}put reports side by side/);
  });

  it('compares two reports and says where the result is', async () => {
    const a = await reportDir('run-a', RUN_A);
    const b = await reportDir('run-b', RUN_B);
    const out = join(root, 'out-cli');
    const r = await cli(['compare', a, b, '--out', out, '--title', 'Two runs']);
    expect(r.code, describeRun('compare', r)).toBe(0);
    expect(r.stdout).toContain(`compared 2 reports -> ${out}: compare.csv (6 device types, 6 languages), 5 files`);
    expect(await readFile(join(out, 'compare.csv'), 'utf8')).toBe(EXPECTED_CSV);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('<h1>Two runs</h1>');
  });

  it('exits 3 naming the file for a version-1 summary, for a missing one, for one that is not JSON', async () => {
    const a = await reportDir('run-a', RUN_A);
    const cases: [string, RegExp][] = [
      [await reportDir('old-run', v1Summary()), /old-run\/summary\.json is a version 1 summary, .*re-run 'clickstream analyze'/],
      [join(root, 'no-such-report'), /cannot read .*no-such-report\/summary\.json: no such file; is .* a report directory/],
      [await reportDir('broken', '{"events": 1,', true), /broken\/summary\.json is not valid JSON/],
      [await reportDir('foreign', { name: 'something else' }), /foreign\/summary\.json is not a clickstream summary/],
    ];
    for (const [dir, message] of cases) {
      const out = join(root, 'out-bad');
      const r = await cli(['compare', a, dir, '--out', out]);
      expect(r.code, describeRun(`compare ${dir}`, r)).toBe(3);
      expect(r.stderr).toMatch(/^clickstream: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('    at ');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('exits 2 on bad usage', async () => {
    const a = await reportDir('run-a', RUN_A);
    const b = await reportDir('run-b', RUN_B);
    for (const args of [
      ['compare', a, b],
      ['compare', a, '--out', join(root, 'out-usage')],
      ['compare', a, b, '--out', join(root, 'out-usage'), '--bogus'],
    ]) {
      const r = await cli(args);
      expect(r.code, describeRun(args.join(' '), r)).toBe(2);
      expect(r.stderr).toMatch(/^clickstream: /);
    }
    expect(existsSync(join(root, 'out-usage'))).toBe(false);
  });
});
