import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { csvField, toCsv, writeCsvFile } from '../src/report/csv.js';
import {
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_WIDTH,
  renderBarChart,
  renderCdfChart,
  renderCharts,
  usersSeries,
} from '../src/report/charts.js';
import { escapeHtml, renderIndexHtml } from '../src/report/html.js';
import { CHART_FILES } from '../src/report/report-format.js';
import { writeReport } from '../src/report/write-report.js';
import { emptyReport, REPORT_FILES, reportCsvs, sampleReport } from './helpers/report-samples.js';

interface PngStats {
  width: number;
  height: number;
  nonWhite: number;
  colours: number;
  /** Near-black pixels in the top 45 rows, where the title is: text was drawn with a real font. */
  titleInk: number;
}

async function pngStats(png: Buffer): Promise<PngStats> {
  // A PNG starts with its signature and then the IHDR chunk.
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  let nonWhite = 0;
  let titleInk = 0;
  let transparent = 0;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const a = data[i + 3]!;
    if (a !== 255) transparent++;
    colours.add((r << 16) | (g << 8) | b);
    if (r < 250 || g < 250 || b < 250) nonWhite++;
    if (i / 4 < image.width * 45 && r < 100 && g < 100 && b < 100) titleInk++;
  }
  // The white background plugin leaves no transparent pixel.
  expect(transparent).toBe(0);
  return { width: image.width, height: image.height, nonWhite, colours: colours.size, titleInk };
}

describe('csv', () => {
  it('quotes only fields with a comma, a quote, CR or LF, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('')).toBe('');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('"')).toBe('""""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('crlf\r\n')).toBe('"crlf\r\n"');
    expect(csvField('héllo ✓ 日本')).toBe('héllo ✓ 日本');
  });

  it('writes numbers with String(n), unrounded', () => {
    expect(csvField(0)).toBe('0');
    expect(csvField(1 / 3)).toBe('0.3333333333333333');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvField(123456789012)).toBe('123456789012');
    expect(csvField(-2.5)).toBe('-2.5');
  });

  it('ends every record, the header included, with CRLF', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
    expect(toCsv(['a', 'b'], [['x', 1], ['y,z', 2]])).toBe('a,b\r\nx,1\r\n"y,z",2\r\n');
  });

  it('builds a million rows', () => {
    const rows: [string, number][] = [];
    for (let i = 0; i < 1_000_000; i++) rows.push([`user${i}`, i]);
    const text = toCsv(['username', 'clicks'], rows);
    expect(text.startsWith('username,clicks\r\nuser0,0\r\nuser1,1\r\n')).toBe(true);
    expect(text.endsWith('user999999,999999\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(1_000_002);
  });

  describe('writeCsvFile', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'clickstream-csv-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('writes the same bytes as toCsv, across many chunks', async () => {
      const rows: (string | number)[][] = [];
      for (let i = 0; i < 5000; i++) rows.push([`u,${i}`, `ä"${i}\n`, i / 7]);
      const path = join(dir, 'chunks.csv');
      await writeCsvFile(path, ['a', 'b', 'c'], rows, { chunkChars: 100 });
      expect(await readFile(path, 'utf8')).toBe(toCsv(['a', 'b', 'c'], rows));
    });

    it('writes UTF-8 without a byte order mark', async () => {
      const path = join(dir, 'utf8.csv');
      await writeCsvFile(path, ['name'], [['é']]);
      expect(await readFile(path)).toEqual(Buffer.from('name\r\n\xc3\xa9\r\n', 'latin1'));
    });
  });
});

describe('tables', () => {
  const report = sampleReport();

  it('browsers.csv', () => {
    expect(reportCsvs(report)['browsers.csv']).toBe('name,events,users\r\nChrome,10,2\r\n"Weird, ""Browser""",2,1\r\nFirefox,1,1\r\n');
  });

  it('os.csv', () => {
    expect(reportCsvs(report)['os.csv']).toBe('name,events,users\r\nWindows,8,2\r\nLinux,5,2\r\n');
  });

  it('devices.csv', () => {
    expect(reportCsvs(report)['devices.csv']).toBe('name,events,users\r\ndesktop,11,3\r\nsmartphone,2,1\r\n');
  });

  it('languages.csv keeps an empty name as an empty field', () => {
    expect(reportCsvs(report)['languages.csv']).toBe('name,events,users\r\nen-US,9,3\r\n,4,1\r\n');
  });

  it('users.csv quotes a username with a newline', () => {
    expect(reportCsvs(report)['users.csv']).toBe('username,clicks\r\nalice,8\r\n"bob\nsmith",4\r\n<b>carol</b>,1\r\n');
  });

  it('activity-cdf.csv writes fractions unrounded', () => {
    expect(reportCsvs(report)['activity-cdf.csv']).toBe('clicks,users,fraction\r\n1,1,0.3333333333333333\r\n4,1,0.6666666666666666\r\n8,1,1\r\n');
  });

  it('user-agents.csv, a missing user agent as an empty field', () => {
    expect(reportCsvs(report)['user-agents.csv']).toBe(
      'user_agent,browser,os,device,events,users\r\n' +
        '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",Chrome,Windows,desktop,8,2\r\n' +
        '<script>alert(1)</script>,"Weird, ""Browser""",Linux,smartphone,2,1\r\n' +
        ',unknown,unknown,unknown,3,1\r\n',
    );
  });

  it('an empty report has header-only tables', () => {
    const csvs = reportCsvs(emptyReport());
    expect(csvs).toEqual({
      'browsers.csv': 'name,events,users\r\n',
      'os.csv': 'name,events,users\r\n',
      'devices.csv': 'name,events,users\r\n',
      'languages.csv': 'name,events,users\r\n',
      'users.csv': 'username,clicks\r\n',
      'activity-cdf.csv': 'clicks,users,fraction\r\n',
      'user-agents.csv': 'user_agent,browser,os,device,events,users\r\n',
      'event-types.csv': 'name,events,users\r\n',
      'sections.csv': 'name,events,users\r\n',
      'referrers.csv': 'name,events,users\r\n',
      'daily.csv': 'date,events,learners,new_learners\r\n',
      // LA decision 1: all 168 cells even with nothing timed, and the eight buckets.
      'hour-of-week.csv': csvs['hour-of-week.csv'],
      'retention.csv': 'week,start,active,new,retained\r\n',
      'session-durations.csv': 'bucket,sessions\r\n0,0\r\n0-1m,0\r\n1-5m,0\r\n5-15m,0\r\n15-30m,0\r\n30-60m,0\r\n1-2h,0\r\n2h+,0\r\n',
      'videos.csv': 'lecture,events,viewers,play,pause,seeked,ratechange,other,median_furthest_s\r\n',
      'learners.csv':
        'username,events,first_event,last_event,active_days,sessions,time_on_task_s,pageviews,video_events,lectures,browser,os,device,language\r\n',
    });
    const cells = csvs['hour-of-week.csv'].split('\r\n');
    expect(cells).toHaveLength(1 + 168 + 1);
    expect(cells[0]).toBe('weekday,hour,events,learners');
    expect(cells[1]).toBe('1,0,0,0');
    expect(cells[168]).toBe('7,23,0,0');
  });
});

describe('usersSeries', () => {
  const counts = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `b${i}`, events: 100, users: 100 - i }));

  it('keeps the top 15 by users and sums the rest into one bar', () => {
    const s = usersSeries(counts(20));
    expect(s.labels).toHaveLength(16);
    expect(s.labels[0]).toBe('b0');
    expect(s.labels[15]).toBe('other (5 more)');
    expect(s.values[15]).toBe(85 + 84 + 83 + 82 + 81);
    expect(s.folded).toBe(5);
  });

  it('shows a single leftover as itself rather than as "other (1 more)"', () => {
    const s = usersSeries(counts(16));
    expect(s.labels).toHaveLength(16);
    expect(s.labels.at(-1)).toBe('b15');
    expect(s.folded).toBe(0);
  });

  it('orders by users, then name, whatever the input order', () => {
    const s = usersSeries([
      { name: 'b', events: 1, users: 1 },
      { name: 'a', events: 1, users: 1 },
      { name: 'c', events: 9, users: 5 },
    ]);
    expect(s.labels).toEqual(['c', 'a', 'b']);
  });
});

describe('charts', () => {
  it('renders every chart at the fixed size, with ink and text', async () => {
    const charts = await renderCharts(sampleReport());
    expect(Object.keys(charts).sort()).toEqual([...CHART_FILES].sort());
    expect(GlobalFonts.has(CHART_FONT_FAMILY)).toBe(true);
    for (const name of CHART_FILES) {
      const stats = await pngStats(charts[name]);
      expect(stats.width, name).toBe(CHART_WIDTH);
      expect(stats.height, name).toBe(CHART_HEIGHT);
      expect(stats.nonWhite, name).toBeGreaterThan(5000);
      expect(stats.colours, name).toBeGreaterThan(20);
      expect(stats.titleInk, name).toBeGreaterThan(300);
    }
  });

  it('draws the bars: a chart with bars has far more ink than one without', async () => {
    const withBars = await pngStats(await renderBarChart({ title: 'T', labels: ['a', 'b'], values: [10, 5] }));
    const without = await pngStats(await renderBarChart({ title: 'T', labels: ['a', 'b'], values: [0, 0] }));
    expect(withBars.nonWhite).toBeGreaterThan(without.nonWhite + 50_000);
  });

  it('renders "no data" charts for a report without events', async () => {
    const charts = await renderCharts(emptyReport());
    for (const name of CHART_FILES) {
      const stats = await pngStats(charts[name]);
      expect(stats.width, name).toBe(CHART_WIDTH);
      expect(stats.height, name).toBe(CHART_HEIGHT);
      expect(stats.titleInk, name).toBeGreaterThan(300);
      expect(stats.nonWhite, name).toBeGreaterThan(1000);
    }
  });

  it('copes with hostile labels and a CDF whose points include zero clicks', async () => {
    const bar = await renderBarChart({
      title: 'Long',
      labels: ['x'.repeat(500), '<script>', '\u{1F600}'.repeat(60), ''],
      values: [3, 2, 1, 0],
      width: 600,
      height: 400,
    });
    expect((await pngStats(bar)).width).toBe(600);
    const cdf = await renderCdfChart({
      points: [
        { clicks: 0, users: 1, fraction: 0.5 },
        { clicks: 3, users: 1, fraction: 1 },
      ],
      markers: [{ label: 'median 1.5', value: 1.5 }],
    });
    expect((await pngStats(cdf)).height).toBe(CHART_HEIGHT);
  });
});

describe('index.html', () => {
  const html = renderIndexHtml(sampleReport(), {
    title: 'Course <X> & "friends"',
    generatedAt: '2024-05-01T12:00:00.000Z',
    charts: [...CHART_FILES],
  });

  it('escapes every text from the data and the options', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;b&gt;carol&lt;/b&gt;');
    expect(html).not.toContain('<b>carol');
    expect(html).toContain('Weird, &quot;Browser&quot;');
    expect(html).toContain('<title>Course &lt;X&gt; &amp; &quot;friends&quot;</title>');
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });

  it('is self-contained: no scripts, no external URLs', () => {
    expect(html).not.toMatch(/<script|https?:|\/\/[a-z]|<link|@import|url\(/i);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('shows the key figures', () => {
    const figure = (label: string, value: string) => `<th scope="row">${label}</th><td class="num">${value}</td>`;
    expect(html).toContain(figure('events', '13'));
    expect(html).toContain(figure('learners', '3'));
    expect(html).toContain(figure('input lines', '20'));
    expect(html).toContain(figure('blank lines', '2'));
    expect(html).toContain(figure('rejected lines', '5'));
    expect(html).toContain(figure('&nbsp;&nbsp;invalid JSON', '3'));
    expect(html).toContain(figure('&nbsp;&nbsp;line too long', '0'));
    expect(html).toContain(figure('minimum', '1'));
    expect(html).toContain(figure('median', '4'));
    expect(html).toContain(figure('mean', '4.33'));
    expect(html).toContain(figure('90th percentile', '8'));
    expect(html).toContain(figure('99th percentile', '8'));
    expect(html).toContain(figure('maximum', '8'));
    expect(html).toContain('Generated 2024-05-01T12:00:00.000Z');
  });

  it('shows the charts with alt text and links every file', () => {
    for (const chart of CHART_FILES) expect(html).toMatch(new RegExp(`<img src="${chart}" alt="[^"]+"`));
    for (const file of ['summary.json', 'browsers.csv', 'os.csv', 'devices.csv', 'languages.csv', 'users.csv', 'activity-cdf.csv', 'user-agents.csv']) {
      expect(html).toContain(`<a href="${file}">${file}</a>`);
    }
  });

  it('shows table rows, with an empty name made visible', () => {
    expect(html).toContain('<tr><td>Chrome</td><td class="num">10</td><td class="num">2</td><td class="num">66.7%</td></tr>');
    expect(html).toContain('<tr><td><span class="muted">(empty)</span></td><td class="num">4</td>');
    expect(html).toContain('<span class="muted">(missing)</span>');
  });

  it('says when a table is cut short and where the rest is', () => {
    const short = renderIndexHtml(sampleReport(), { title: 't', generatedAt: 'now', charts: [], maxRows: 1 });
    expect(short).toContain('Showing the first 1 of 3 rows; all of them are in <a href="browsers.csv">browsers.csv</a>.');
    expect(short).toContain('Showing the first 1 of 3 rows; all of them are in <a href="users.csv">users.csv</a>.');
    expect(short).not.toContain('Firefox');
  });
});

describe('writeReport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clickstream-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expectedFiles = REPORT_FILES;

  it('writes every file and returns their names', async () => {
    const report = sampleReport();
    const out = join(dir, 'full');
    await mkdir(out);
    const written = await writeReport(report, out, { title: 'Sample', generatedAt: '2024-05-01T00:00:00Z' });
    expect(written).toEqual(expectedFiles);
    expect((await readdir(out)).sort()).toEqual([...expectedFiles].sort());

    const summaryText = await readFile(join(out, 'summary.json'), 'utf8');
    expect(summaryText).toBe(JSON.stringify(report.summary, null, 2) + '\n');
    expect(JSON.parse(summaryText)).toEqual(report.summary);
    expect(summaryText).toContain('"mean": 4.333333333333333');

    const csvs = reportCsvs(report);
    for (const [name, text] of Object.entries(csvs)) expect(await readFile(join(out, name), 'utf8'), name).toBe(text);

    for (const name of CHART_FILES) {
      const stats = await pngStats(await readFile(join(out, name)));
      expect([stats.width, stats.height], name).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    }
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h1>Sample</h1>');
    expect(html).toContain('Generated 2024-05-01T00:00:00Z');
  });

  it('writes a report without events', async () => {
    const out = join(dir, 'empty');
    await mkdir(out);
    const written = await writeReport(emptyReport(), out, { title: 'Empty' });
    expect(written).toEqual(expectedFiles);
    expect(await readFile(join(out, 'users.csv'), 'utf8')).toBe('username,clicks\r\n');
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/Generated \d{4}-\d\d-\d\dT/);
    expect(html).toContain('<td colspan="4" class="muted">none</td>');
  });

  it('fails when the directory does not exist', async () => {
    await expect(writeReport(sampleReport(), join(dir, 'missing'), { title: 'x' })).rejects.toThrow(/ENOENT/);
  });
});
