/**
 * The chart builders as data: which characters the font can draw (from its cmap), the axes the
 * bar and CDF charts get, and how lectures are named. Pixels are looked at only to check that a
 * PNG comes out.
 */
import { describe, expect, it } from 'vitest';
import { eventTypesChartOptions, videosChartOptions } from '../src/report/analytics-charts.js';
import { barChartConfig, barChartIsLog, renderBarChart } from '../src/report/bar-chart.js';
import { cdfAxisMax } from '../src/report/cdf-chart.js';
import { groupedBarChartConfig } from '../src/report/grouped-bar-chart.js';
import { chartFontCoverage, drawableConfig } from '../src/report/chart-fonts.js';
import { renderChartsCounted } from '../src/report/charts.js';
import { drawableText, fontCoverage, missingCharacters } from '../src/report/glyph-coverage.js';
import { renderIndexHtml } from '../src/report/html.js';
import { lectureLabels, lectureParts, reportOnlyCourse, shortCourseId } from '../src/report/lecture-labels.js';
import { logAxisEnd, logAxisStart, spansDecades } from '../src/report/log-axis.js';
import { CHART_FILES } from '../src/report/report-format.js';
import { sampleReport } from './helpers/report-samples.js';

/**
 * A minimal font holding only a cmap table: a format 4 subtable (segments by delta and by glyph
 * id array, the array holding one 0 = missing glyph) and a format 12 subtable beyond the BMP.
 */
function tinyFont(): Uint8Array {
  const f4: number[] = [];
  const u16 = (a: number[], v: number) => a.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (a: number[], v: number) => a.push((v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  // Segments: 'A'–'C' by delta (glyphs 1–3); 'x'–'z' by the glyph id array (x→7, y→0, z→9); the final 0xFFFF.
  const segCount = 3;
  u16(f4, 4); // format
  u16(f4, 0); // length (unused by the reader)
  u16(f4, 0); // language
  u16(f4, segCount * 2);
  u16(f4, 0); u16(f4, 0); u16(f4, 0); // searchRange, entrySelector, rangeShift
  for (const end of [0x43, 0x7a, 0xffff]) u16(f4, end);
  u16(f4, 0); // reservedPad
  for (const start of [0x41, 0x78, 0xffff]) u16(f4, start);
  for (const delta of [(1 - 0x41) & 0xffff, 0, 1]) u16(f4, delta);
  // idRangeOffset of segment 1 points past the remaining entries (itself and one more) to the array.
  for (const offset of [0, 4, 0]) u16(f4, offset);
  for (const glyph of [7, 0, 9]) u16(f4, glyph);
  const f12: number[] = [];
  u16(f12, 12); u16(f12, 0); u32(f12, 0); u32(f12, 0); u32(f12, 1);
  u32(f12, 0x1f600); u32(f12, 0x1f601); u32(f12, 20);

  const cmap: number[] = [];
  u16(cmap, 0); u16(cmap, 3); // version, 3 subtables
  const header = 4 + 3 * 8;
  u16(cmap, 3); u16(cmap, 1); u32(cmap, header); // Windows BMP → format 4
  u16(cmap, 3); u16(cmap, 10); u32(cmap, header + f4.length); // Windows full → format 12
  u16(cmap, 1); u16(cmap, 0); u32(cmap, header); // Macintosh: ignored
  cmap.push(...f4, ...f12);

  const font: number[] = [];
  u32(font, 0x00010000); u16(font, 1); u16(font, 16); u16(font, 0); u16(font, 0);
  font.push(...'cmap'.split('').map((c) => c.charCodeAt(0)));
  u32(font, 0); u32(font, 12 + 16); u32(font, cmap.length);
  font.push(...cmap);
  return new Uint8Array(font);
}

describe('glyph coverage from the font cmap', () => {
  it('reads format 4 (by delta and by glyph id array, glyph 0 missing) and format 12', () => {
    const covered = fontCoverage(tinyFont());
    expect([...covered].sort((a, b) => a - b)).toEqual([0x41, 0x42, 0x43, 0x78, 0x7a, 0x1f600, 0x1f601]);
    expect(drawableText('AyB😀z😂', covered)).toEqual({ text: 'A?B😀z?', missing: 2 });
    // Joiners and variation selectors a font lacks are left out, not counted: they have no glyph of their own.
    expect(drawableText('A\u200dB\ufe0f', covered)).toEqual({ text: 'AB', missing: 0 });
  });

  it('DejaVu Sans lacks fullwidth A, CJK and emoji and has Latin, Greek and typographic signs', () => {
    const regular = chartFontCoverage('regular');
    expect(missingCharacters('user.reaction.Ａ 课程 👍 é Ω … —', regular)).toEqual(['Ａ', '课', '程', '👍']);
    expect(drawableText('user.reaction.Ａ', regular)).toEqual({ text: 'user.reaction.?', missing: 1 });
    // An emoji is one code point and one `?`; DejaVu maps the zero-width joiner, which stays.
    expect(drawableText('👩\u200d💻', regular)).toEqual({ text: '?\u200d?', missing: 2 });
  });

  it('makes every text of a chart configuration drawable, leaving the configuration as it was', () => {
    const config = barChartConfig({
      title: 'Events 课',
      subtitle: 'of Ａ',
      labels: ['user.reaction.Ａ', 'pageview', 'reaction.👍'],
      values: [1, 2, 3],
      valueAxisTitle: 'events',
      categoryAxisTitle: 'type Ｂ',
    });
    const { config: drawn, undrawable } = drawableConfig(config);
    expect(undrawable).toBe(5);
    expect(drawn.data.labels).toEqual(['user.reaction.?', 'pageview', 'reaction.?']);
    expect(drawn.options?.plugins?.title?.text).toBe('Events ?');
    expect(drawn.options?.plugins?.subtitle?.text).toBe('of ?');
    expect((drawn.options?.scales?.['y'] as { title: { text: string } }).title.text).toBe('type ?');
    expect(config.data.labels).toEqual(['user.reaction.Ａ', 'pageview', 'reaction.👍']);
  });

  it('counts the characters each report chart could not draw and notes them under the chart', async () => {
    const report = sampleReport();
    report.eventTypes = [
      { name: 'pageview', events: 40, users: 3 },
      { name: 'user.reaction.Ａ', events: 2, users: 1 },
      { name: '课程', events: 1, users: 1 },
    ];
    const charts = await renderChartsCounted(report);
    expect(charts.undrawable['event-types.png']).toBe(3);
    for (const file of CHART_FILES) if (file !== 'event-types.png') expect(charts.undrawable[file]).toBe(0);
    const png = charts.pngs['event-types.png'];
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const html = renderIndexHtml(report, { title: 't', generatedAt: 'now', charts: CHART_FILES, undrawable: charts.undrawable });
    const captions = html.match(/<figcaption[^>]*>[^<]*<\/figcaption>/g) ?? [];
    expect(captions).toHaveLength(1);
    expect(captions[0]).toContain('3 characters could not be drawn');
    expect(html).toMatch(/<img src="event-types\.png"[^>]*><figcaption/);
  });
});

describe('count axes', () => {
  it('are logarithmic when the positive values span more than two decades', () => {
    expect(spansDecades([100, 1])).toBe(false);
    expect(spansDecades([101, 1, 0])).toBe(true);
    expect(spansDecades([0, 0])).toBe(false);
    expect(barChartIsLog({ values: [18_928, 10_654, 112, 1] })).toBe(true);
    expect(barChartIsLog({ values: [18_928, 10_654, 112, 1], valueScale: 'linear' })).toBe(false);
  });

  it('a log bar axis runs from the 1-2-5 step below the smallest bar to the one at the largest', () => {
    const config = barChartConfig({ title: 'Events by type', labels: ['pageview', 'video', 'forum', 'Ａ'], values: [18_928, 10_654, 112, 1], valueAxisTitle: 'events' });
    const x = config.options?.scales?.['x'] as { type: string; min: number; max: number; title: { text: string } };
    expect(x.type).toBe('logarithmic');
    expect(x.min).toBe(0.5);
    expect(x.max).toBe(20_000);
    expect(x.title.text).toBe('events (log scale)');
  });

  it('event-types.png of a skewed report gets the log axis', () => {
    const report = sampleReport();
    report.eventTypes = [
      { name: 'pageview', events: 18_928, users: 3 },
      { name: 'user.video.lecture.action', events: 10_654, users: 3 },
      { name: 'user.reaction.Ａ', events: 1, users: 1 },
    ];
    const x = barChartConfig(eventTypesChartOptions(report)).options?.scales?.['x'] as { type: string; min: number; max: number };
    expect([x.type, x.min, x.max]).toEqual(['logarithmic', 0.5, 20_000]);
  });

  it('grouped bars of counts go logarithmic past two decades; shares never do', () => {
    const retention = {
      title: 'Retention',
      labels: ['week 1', 'week 2', 'week 3'],
      series: [
        { label: 'active', values: [1_000, 40, 5] },
        { label: 'retained', values: [1_000, 45, 0] },
      ],
    };
    const y = groupedBarChartConfig(retention).options?.scales?.['y'] as { type: string; min: number; max: number };
    expect([y.type, y.min, y.max]).toEqual(['logarithmic', 2, 1_000]);
    const shares = groupedBarChartConfig({ ...retention, series: [{ label: 'a', values: [0.9, 0.001, 0.5] }], fractions: true });
    expect((shares.options?.scales?.['y'] as { type: string }).type).toBe('linear');
    const close = groupedBarChartConfig({ ...retention, series: [{ label: 'a', values: [100, 1, 0] }] });
    expect((close.options?.scales?.['y'] as { type: string }).type).toBe('linear');
  });

  it('draws the same chart to the same bytes', async () => {
    const options = { title: 'T', labels: ['a', 'Ａ'], values: [1_000, 2] };
    const [first, second] = [await renderBarChart(options), await renderBarChart(options)];
    expect(first.equals(second)).toBe(true);
  });

  it('stays linear from 0 for counts within two decades, and for an empty chart', () => {
    const config = barChartConfig({ title: 'Sessions', labels: ['0', '1-5m', '2h+'], values: [53, 514, 29], horizontal: false });
    const y = config.options?.scales?.['y'] as { type: string; beginAtZero: boolean };
    expect(y.type).toBe('linear');
    expect(y.beginAtZero).toBe(true);
    const empty = barChartConfig({ title: 'none', labels: ['a'], values: [0] });
    expect((empty.options?.scales?.['x'] as { type: string }).type).toBe('linear');
  });

  it('1-2-5 steps: the end at or above a value, the start strictly below it', () => {
    expect([18_994, 20_000, 20_001, 3, 1, 0.3, 99_999, 100_001].map(logAxisEnd)).toEqual([20_000, 20_000, 50_000, 5, 1, 0.5, 100_000, 200_000]);
    expect([1, 3, 10, 0.5, 112, 5_001].map(logAxisStart)).toEqual([0.5, 2, 5, 0.2, 100, 5_000]);
  });

  it('the CDF clicks axis ends at the 1-2-5 step at the largest count, at least 10', () => {
    expect(cdfAxisMax([[{ clicks: 1, users: 1, fraction: 0.5 }, { clicks: 18_994, users: 1, fraction: 1 }]])).toBe(20_000);
    expect(cdfAxisMax([[{ clicks: 4, users: 1, fraction: 1 }], [{ clicks: 5_083, users: 1, fraction: 1 }]])).toBe(10_000);
    expect(cdfAxisMax([[{ clicks: 3, users: 1, fraction: 1 }]])).toBe(10);
    expect(cdfAxisMax([[]])).toBe(10);
  });
});

describe('lecture labels', () => {
  it('short course ids drop the organisation', () => {
    expect(shortCourseId('course-v1:edX+DemoX+T1')).toBe('DemoX/T1');
    expect(shortCourseId('edX/DemoX/Demo_Course')).toBe('DemoX/Demo_Course');
    expect(shortCourseId('psy-001')).toBe('psy-001');
  });

  it('usage keys name their course and block id', () => {
    expect(lectureParts('block-v1:MITx+6.00.1x+2T2017+type@video+block@0b9e39477cf34507a7a48f74be381fdd')).toEqual({
      course: '6.00.1x/2T2017',
      id: '0b9e39477cf34507a7a48f74be381fdd',
    });
    expect(lectureParts('i4x://HarvardX/CS50/video/abc123def456')).toEqual({ course: 'CS50', id: 'abc123def456' });
    expect(lectureParts('i4x-MITx-6_00-1x-video-c0ffee00')).toEqual({ course: '6_00-1x', id: 'c0ffee00' });
    expect(lectureParts('7')).toEqual({ course: undefined, id: '7' });
  });

  it('show the shortest tail (at least 6) that tells the lectures drawn apart, and the course', () => {
    const ids = ['0b9e39477cf34507a7a48f74be381fdd', 'ffffffffffffffffffffffff0be381fdd'.slice(1), '699598aec95800c866f17954453f4bed'];
    // The first two share their last 8 characters (…be381fdd): 9 tell them apart, for every label.
    expect(lectureLabels([...ids, 'unknown'], 'course-v1:edX+DemoX+T1')).toEqual([
      'lecture …4be381fdd (DemoX/T1)',
      'lecture …0be381fdd (DemoX/T1)',
      'lecture …4453f4bed (DemoX/T1)',
      'unknown lecture',
    ]);
    expect(lectureLabels(['c0727eb945480301cffaeecb24b346a2', '14b3cfdf5a2a0a37e673f393b98a6afc'])).toEqual(['lecture …b346a2', 'lecture …8a6afc']);
    // Coursera's short lecture numbers are shown whole; the same block in two courses keeps its short tail.
    expect(lectureLabels(['7', '12a'])).toEqual(['lecture 7', 'lecture 12a']);
    expect(
      lectureLabels(['block-v1:A+X+1+type@video+block@aaaaaa0123456789', 'block-v1:A+Y+1+type@video+block@aaaaaa0123456789']),
    ).toEqual(['lecture …456789 (X/1)', 'lecture …456789 (Y/1)']);
  });

  it('videos.png names the lectures of a one-course edX report by tail and course', () => {
    const report = sampleReport();
    const row = report.videos[0]!;
    report.videos = ['0b9e39477cf34507a7a48f74be381fdd', 'c0727eb945480301cffaeecb24b346a2', 'unknown'].map((lecture, i) => ({ ...row, lecture, viewers: 3 - i }));
    report.courses = [
      { name: 'course-v1:MITx+CS480x+2T2014', events: 12, users: 3 },
      { name: '(none)', events: 1, users: 1 },
    ];
    expect(videosChartOptions(report).labels).toEqual(['lecture …381fdd (CS480x/2T2014)', 'lecture …b346a2 (CS480x/2T2014)', 'unknown lecture']);
  });

  it('the report course is the --course one, else the only named course', () => {
    expect(reportOnlyCourse({ id: 'c1' }, [{ name: 'c1' }, { name: 'c2' }])).toBe('c1');
    expect(reportOnlyCourse(undefined, [{ name: 'c1' }, { name: '(none)' }])).toBe('c1');
    expect(reportOnlyCourse(undefined, [{ name: 'c1' }, { name: 'c2' }])).toBeUndefined();
    expect(reportOnlyCourse(undefined, undefined)).toBeUndefined();
  });
});
