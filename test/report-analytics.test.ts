/**
 * The report writers of the learning analytics (DATA-CONTRACT §6.4), on hand-made Reports: the new CSV
 * tables byte for byte, the six charts (size, ink, the heat map's cells, "no data"), and the
 * index.html sections with their tables, links and escaping.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { hourOfWeekMatrix, renderAnalyticsCharts } from '../src/report/analytics-charts.js';
import { topSeries } from '../src/report/bar-series.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../src/report/chart-base.js';
import { ANALYTICS_CHART_FILES, CHART_FILES, CSV_FILES } from '../src/report/report-format.js';
import { renderDailyActivityChart } from '../src/report/daily-activity-chart.js';
import { formatSeconds } from '../src/report/duration-text.js';
import { HEAT_MAP_COLORS, heatColor, renderHeatMapChart } from '../src/report/heat-map-chart.js';
import { renderIndexHtml } from '../src/report/html.js';
import type { Report } from '../src/report/report-types.js';
import { writeReport } from '../src/report/write-report.js';
import { courseReport, emptyReport, hourOfWeekRows, reportCsvs, sampleReport } from './helpers/report-samples.js';

interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

async function pixels(png: Buffer): Promise<Pixels> {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: ctx.getImageData(0, 0, image.width, image.height).data };
}

/** Pixels matching `test`, optionally only within rows [top, bottom). */
function count(p: Pixels, test: (r: number, g: number, b: number) => boolean, top = 0, bottom = p.height): number {
  let n = 0;
  for (let i = top * p.width * 4; i < bottom * p.width * 4; i += 4) if (test(p.data[i]!, p.data[i + 1]!, p.data[i + 2]!)) n++;
  return n;
}
const nonWhite = (r: number, g: number, b: number): boolean => r < 250 || g < 250 || b < 250;
const dark = (r: number, g: number, b: number): boolean => r < 100 && g < 100 && b < 100;
const exactly = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return (r: number, g: number, b: number): boolean => r === n >> 16 && g === ((n >> 8) & 255) && b === (n & 255);
};

describe('CSV tables of §6.4', () => {
  const csvs = reportCsvs(sampleReport());

  it('lists the new files after version 1’s', () => {
    expect(CSV_FILES.slice(7)).toEqual([
      'event-types.csv',
      'sections.csv',
      'referrers.csv',
      'daily.csv',
      'hour-of-week.csv',
      'retention.csv',
      'session-durations.csv',
      'videos.csv',
      'learners.csv',
    ]);
  });

  it('event-types.csv, sections.csv and referrers.csv: name,events,users, every value, quoted as needed', () => {
    expect(csvs['event-types.csv']).toBe('name,events,users\r\npageview,7,3\r\nuser.video.lecture.action,5,2\r\n"<i>odd</i>, ""type""",1,1\r\n');
    expect(csvs['sections.csv']).toBe('name,events,users\r\nlecture,9,3\r\nquiz,3,1\r\nunknown,1,1\r\n');
    expect(csvs['referrers.csv']).toBe('name,events,users\r\n(direct),10,3\r\nwww.google.com,3,1\r\n');
  });

  it('referrers.csv holds every referrer, not only the summary’s top 20', () => {
    const report = sampleReport();
    report.referrers = Array.from({ length: 25 }, (_, i) => ({ name: `h${i}.example`, events: 30 - i, users: 1 }));
    report.summary.referrers = report.referrers.slice(0, 20);
    const lines = reportCsvs(report)['referrers.csv'].split('\r\n');
    expect(lines).toHaveLength(1 + 25 + 1);
    expect(lines[25]).toBe('h24.example,6,1');
  });

  it('daily.csv: date,events,learners,new_learners, zero days included', () => {
    expect(csvs['daily.csv']).toBe(
      'date,events,learners,new_learners\r\n' +
        '2013-07-01,6,2,2\r\n2013-07-02,4,2,0\r\n' +
        '2013-07-03,0,0,0\r\n2013-07-04,0,0,0\r\n2013-07-05,0,0,0\r\n2013-07-06,0,0,0\r\n2013-07-07,0,0,0\r\n2013-07-08,0,0,0\r\n2013-07-09,0,0,0\r\n' +
        '2013-07-10,2,1,1\r\n',
    );
  });

  it('hour-of-week.csv: weekday,hour,events,learners, all 168 in order', () => {
    const lines = csvs['hour-of-week.csv'].split('\r\n');
    expect(lines).toHaveLength(170);
    expect(lines[0]).toBe('weekday,hour,events,learners');
    expect(lines[1]).toBe('1,0,0,0');
    expect(lines[10]).toBe('1,9,6,2');
    expect(lines[24 + 15]).toBe('2,14,4,2');
    expect(lines[48 + 24]).toBe('3,23,2,1');
    expect(lines[168]).toBe('7,23,0,0');
    expect(lines[169]).toBe('');
  });

  it('retention.csv: week,start,active,new,retained', () => {
    expect(csvs['retention.csv']).toBe('week,start,active,new,retained\r\n0,2013-07-01,2,2,2\r\n1,2013-07-08,1,1,1\r\n');
  });

  it('session-durations.csv: the eight buckets in contract order', () => {
    expect(csvs['session-durations.csv']).toBe('bucket,sessions\r\n0,1\r\n0-1m,2\r\n1-5m,0\r\n5-15m,0\r\n15-30m,1\r\n30-60m,0\r\n1-2h,1\r\n2h+,0\r\n');
  });

  it('videos.csv: no median position is an empty cell', () => {
    expect(csvs['videos.csv']).toBe(
      'lecture,events,viewers,play,pause,seeked,ratechange,other,median_furthest_s\r\n' +
        '12,3,2,2,1,0,0,0,61.5\r\n' +
        '7,1,1,1,0,0,0,0,\r\n' +
        'unknown,1,1,0,1,0,0,0,3\r\n',
    );
    // A median of 0 is a number, not a missing one; a lecture id keeps its leading zeros.
    const report = sampleReport();
    report.videos = [{ lecture: '007', events: 1, viewers: 1, play: 0, pause: 0, seeked: 0, ratechange: 0, other: 1, medianFurthestSeconds: 0 }];
    expect(reportCsvs(report)['videos.csv'].split('\r\n')[1]).toBe('007,1,1,0,0,0,0,1,0');
  });

  it('learners.csv: the §6.4 columns, untimed learners with empty times, text quoted as needed', () => {
    expect(csvs['learners.csv']).toBe(
      'username,events,first_event,last_event,active_days,sessions,time_on_task_s,pageviews,video_events,lectures,browser,os,device,language\r\n' +
        'alice,8,2013-07-01T07:05:00.000Z,2013-07-02T12:00:00.000Z,2,2,6450.5,4,4,2,Chrome,Windows,desktop,en-US\r\n' +
        '"bob\nsmith",4,2013-07-01T08:00:00.000Z,2013-07-10T21:30:00.500Z,2,2,60,2,1,1,"Weird, ""Browser""",Linux,smartphone,\r\n' +
        '<b>carol</b>,1,,,0,0,0,1,0,0,Firefox,Linux,desktop,en-US\r\n',
    );
  });
});

describe('chart data', () => {
  it('places hour-of-week cells by weekday and hour, whatever the row order', () => {
    const rows = hourOfWeekRows((d, h) => [d * 100 + h, d]).reverse();
    const m = hourOfWeekMatrix(rows, 'events');
    expect(m).toHaveLength(7);
    expect(m[0]![0]).toBe(100);
    expect(m[6]![23]).toBe(723);
    expect(hourOfWeekMatrix(rows, 'learners')[3]![5]).toBe(4);
  });

  it('ranks event types by events for their chart, the rest summed', () => {
    const s = topSeries(
      [
        { name: 'a', events: 1, users: 9 },
        { name: 'b', events: 5, users: 1 },
        { name: 'c', events: 5, users: 2 },
      ],
      'events',
      1,
    );
    expect(s.labels).toEqual(['c', 'other (2 more)']);
    expect(s.values).toEqual([5, 6]);
  });

  it('interpolates the heat map colours from the lightest to the darkest stop', () => {
    expect(heatColor(0)).toBe('rgb(255, 255, 217)');
    expect(heatColor(1)).toBe('rgb(8, 29, 88)');
    expect(heatColor(Number.NaN)).toBe('rgb(255, 255, 217)');
    expect(heatColor(2)).toBe('rgb(8, 29, 88)');
  });

  it('writes durations in words', () => {
    expect([0, 0.25, 42, 60, 61.5, 742, 3599.6, 3600, 9000, 400_000].map(formatSeconds)).toEqual([
      '0 s',
      '0.3 s',
      '42 s',
      '1 min',
      '1 min 02 s',
      '12 min 22 s',
      '1 h 00 min',
      '1 h 00 min',
      '2 h 30 min',
      '111 h 07 min',
    ]);
  });
});

describe('charts of §6.4', () => {
  it('adds the six charts after version 1’s, in order', () => {
    expect(CHART_FILES.slice(4)).toEqual([...ANALYTICS_CHART_FILES]);
    expect(ANALYTICS_CHART_FILES).toEqual(['event-types.png', 'daily-activity.png', 'hour-of-week.png', 'retention.png', 'session-durations.png', 'videos.png']);
  });

  it('renders each as a PNG of the fixed size with a titled, inked plot', async () => {
    for (const report of [sampleReport(), courseReport()]) {
      const charts = await renderAnalyticsCharts(report);
      expect(Object.keys(charts)).toEqual([...ANALYTICS_CHART_FILES]);
      for (const name of ANALYTICS_CHART_FILES) {
        const p = await pixels(charts[name]);
        expect([p.width, p.height], name).toEqual([CHART_WIDTH, CHART_HEIGHT]);
        expect(count(p, dark, 0, 45), `${name} title`).toBeGreaterThan(300);
        expect(count(p, nonWhite), name).toBeGreaterThan(15_000);
      }
    }
  });

  it('paints the heat map’s busiest cell in the darkest colour and an empty one in the lightest', async () => {
    const p = await pixels((await renderAnalyticsCharts(sampleReport()))['hour-of-week.png']);
    // One cell of about 41 × 79 pixels holds the maximum (Monday 9h): thousands of darkest pixels,
    // where the colour bar alone has a few dozen.
    expect(count(p, exactly(HEAT_MAP_COLORS[8]))).toBeGreaterThan(1500);
    expect(count(p, exactly(HEAT_MAP_COLORS[0]))).toBeGreaterThan(100_000);
    const empty = await pixels((await renderAnalyticsCharts(emptyReport()))['hour-of-week.png']);
    expect(count(empty, exactly(HEAT_MAP_COLORS[8]))).toBeLessThan(200);
  });

  it('renders every chart of a report with nothing timed and no videos as "no data", without failing', async () => {
    const charts = await renderAnalyticsCharts(emptyReport());
    for (const name of ANALYTICS_CHART_FILES) {
      const p = await pixels(charts[name]);
      expect([p.width, p.height], name).toEqual([CHART_WIDTH, CHART_HEIGHT]);
      expect(count(p, dark, 0, 45), `${name} title`).toBeGreaterThan(300);
    }
    const withDays = await pixels(await renderDailyActivityChart({ days: sampleReport().daily }));
    const withoutDays = await pixels(await renderDailyActivityChart({ days: [] }));
    expect(count(withDays, nonWhite)).toBeGreaterThan(count(withoutDays, nonWhite) + 20_000);
  });

  it('copes with a flat heat map and with rows missing cells', async () => {
    const flat = await renderHeatMapChart({ title: 'flat', rowLabels: ['a', 'b'], columnLabels: ['1', '2'], values: [[5, 5], [5, 5]] });
    expect((await pixels(flat)).width).toBe(CHART_WIDTH);
    const ragged = await renderHeatMapChart({ title: 'ragged', rowLabels: ['a', 'b', 'c'], columnLabels: ['1'], values: [[1]], width: 400, height: 300 });
    expect((await pixels(ragged)).height).toBe(300);
  });
});

describe('index.html sections of §6.4', () => {
  const options = { title: 'Course <X>', generatedAt: '2024-05-01T12:00:00.000Z', charts: [...CHART_FILES] };
  const html = renderIndexHtml(sampleReport(), options);

  it('has a section per question, each chart with alt text, each new CSV linked', () => {
    for (const id of ['glance', 'figures', 'daily', 'hours', 'retention', 'sessions', 'event-types', 'sections', 'videos', 'referrers', 'learners', 'files']) {
      expect(html, id).toContain(`<section id="${id}">`);
      expect(html, id).toContain(`<a href="#${id}">`);
    }
    for (const chart of ANALYTICS_CHART_FILES) expect(html).toMatch(new RegExp(`<img src="${chart}" alt="[^"]+" width="1200" height="700">`));
    for (const csv of CSV_FILES) expect(html, csv).toContain(`<a href="${csv}">${csv}</a>`);
  });

  it('puts each chart in its own section, with its table and a link to its CSV', () => {
    const sectionOf = (id: string): string => {
      const start = html.indexOf(`<section id="${id}">`);
      return html.slice(start, html.indexOf('</section>', start));
    };
    const expectations: [string, string, string][] = [
      ['daily', 'daily-activity.png', 'daily.csv'],
      ['hours', 'hour-of-week.png', 'hour-of-week.csv'],
      ['retention', 'retention.png', 'retention.csv'],
      ['sessions', 'session-durations.png', 'session-durations.csv'],
      ['event-types', 'event-types.png', 'event-types.csv'],
      ['videos', 'videos.png', 'videos.csv'],
    ];
    for (const [id, chart, csv] of expectations) {
      const s = sectionOf(id);
      expect(s, id).toContain(`<img src="${chart}"`);
      expect(s, id).toContain('<table');
      expect(s, id).toContain(`Download: <a href="${csv}">${csv}</a>`);
    }
    expect(sectionOf('daily')).toContain('<tr><td>2013-07-10</td><td class="num">2</td><td class="num">1</td><td class="num">1</td></tr>');
    expect(sectionOf('hours')).toContain('<tr><td>Mon</td><td class="num">0</td>');
    expect(sectionOf('retention')).toContain(
      '<tr><td>1</td><td>2013-07-08</td><td class="num">1</td><td class="num">1</td><td class="num">1</td><td class="num">50.0%</td></tr>',
    );
    expect(sectionOf('sessions')).toContain('<tr><td>0-1m</td><td class="num">2</td><td class="num">40.0%</td></tr>');
    expect(sectionOf('videos')).toContain(
      '<tr><td>12</td><td class="num">3</td><td class="num">2</td><td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">1 min 02 s</td></tr>',
    );
    expect(sectionOf('videos')).toContain('<td class="num">0</td><td class="num">–</td></tr>');
    expect(sectionOf('learners')).toContain('<span class="muted">untimed</span>');
    // The grid has one row per weekday and the busiest cell's count.
    const hours = sectionOf('hours');
    expect(hours.match(/<tr><td>(Mon|Tue|Wed|Thu|Fri|Sat|Sun)<\/td>/g)).toHaveLength(7);
    expect(hours).toMatch(/<tr><td>Mon<\/td>(<td class="num">0<\/td>){9}<td class="num">6<\/td>/);
  });

  it('opens with the figures at a glance', () => {
    const glance = html.slice(html.indexOf('<section id="glance">'), html.indexOf('<section id="figures">'));
    const card = (value: string, label: string) => `<div class="value">${value}</div><div class="label">${label}</div>`;
    expect(glance).toContain(card('3', 'learners'));
    expect(glance).toContain(card('13', 'events'));
    expect(glance).toContain(card('3', 'active days'));
    expect(glance).toContain('of 10 days, <span class="nowrap">2013-07-01</span> to <span class="nowrap">2013-07-10</span>');
    expect(glance).toContain(card('1 min', 'median time on task'));
    expect(glance).toContain(card('2', 'video viewers'));
    expect(glance).toContain('66.7% of learners; 2 lectures');
    expect(glance).toContain(card('2 → 1', 'week 0 → week 1 retention'));
    // It names the weeks it compares and the course start they count from.
    expect(glance).toContain('learners active in course week 0 and in week 1, 50.0% of week 0; course weeks from <span class="nowrap">2013-07-01</span>');
    const empty = renderIndexHtml(emptyReport(), options);
    expect(empty).toContain(card('–', 'retention'));
    expect(empty).toContain('No event has a time stamp.');
  });

  it('cuts long tables to maxRows and says where the rest is', () => {
    const short = renderIndexHtml(sampleReport(), { ...options, maxRows: 3 });
    expect(short).toContain('Showing the first 3 of 10 rows; all of them are in <a href="daily.csv">daily.csv</a>.');
    expect(short).not.toContain('<td>2013-07-10</td>');
    const course = renderIndexHtml(courseReport(), options);
    expect(course).toContain('Showing the first 25 of 70 rows; all of them are in <a href="daily.csv">daily.csv</a>.');
    expect(course).toContain('Showing the first 25 of 48 rows; all of them are in <a href="videos.csv">videos.csv</a>.');
  });

  it('escapes hostile names everywhere they appear', () => {
    const report: Report = sampleReport();
    report.videos[0] = { ...report.videos[0]!, lecture: '<img src=x onerror=alert(1)>' };
    report.sections[0] = { ...report.sections[0]!, name: '"><script>alert(2)</script>' };
    report.referrers[1] = { ...report.referrers[1]!, name: "evil.example'><b>" };
    report.summary.time.timezone = 'Zone/<i>';
    report.summary.video.playbackRates = [{ rate: 1.25, events: 1, users: 1 }];
    const page = renderIndexHtml(report, { ...options, extraFiles: [{ file: 'learners.parquet', description: 'learners as <Parquet>' }] });
    expect(page).not.toMatch(/<script|<img src=x|<i>|'><b>/);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).toContain('evil.example&#39;&gt;&lt;b&gt;');
    expect(page).toContain('Zone/&lt;i&gt;');
    expect(page).toContain('&lt;i&gt;odd&lt;/i&gt;, &quot;type&quot;');
    expect(page).toContain('<a href="learners.parquet">learners.parquet</a> <span class="muted">— learners as &lt;Parquet&gt;</span>');
    expect(page).toContain('Download: <a href="learners.csv">learners.csv</a>, <a href="learners.parquet">learners.parquet</a>');
    expect(page).not.toMatch(/https?:|<link|@import|url\(/i);
  });

  it('says how the report was filtered', () => {
    const report = sampleReport();
    report.summary.filter = { from: '2013-07-01T00:00:00.000Z', to: null, excludeBots: true, events: 42 };
    expect(renderIndexHtml(report, options)).toContain('Filtered (events from 2013-07-01T00:00:00.000Z, bots excluded): 42 events left out.');
  });

  it('writeReport links the files its caller adds beside the report, such as learners.parquet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clickstream-report-analytics-'));
    try {
      const written = await writeReport(sampleReport(), dir, {
        title: 't',
        generatedAt: 'now',
        extraFiles: [{ file: 'learners.parquet', description: 'learners.csv as Parquet' }],
      });
      expect(written).not.toContain('learners.parquet');
      expect((await readdir(dir)).sort()).toEqual([...written].sort());
      const page = await readFile(join(dir, 'index.html'), 'utf8');
      expect(page).toContain('<li><a href="learners.parquet">learners.parquet</a> <span class="muted">— learners.csv as Parquet</span></li>');
      expect(page).toContain('Download: <a href="learners.csv">learners.csv</a>, <a href="learners.parquet">learners.parquet</a>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
