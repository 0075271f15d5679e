/**
 * `analyze --course-start` (DATA-CONTRACT §6.3): how the option is read and checked (also in a job payload),
 * course weeks around the start, and what index.html says about the weeks it compares. The reports
 * it gives on a real dataset are checked in e2e-analytics.test.ts (hand-derived runs of
 * fixtures/expected/analytics.json).
 */
import { describe, expect, it } from 'vitest';
import { parseCourseStart, resolveAnalysisSettings, validateSettings } from '../src/analytics/analysis-settings.js';
import { courseWeekOf, courseWeeks } from '../src/analyze/reduce-analytics.js';
import { InvalidPayloadError, UsageError } from '../src/errors.js';
import { renderIndexHtml } from '../src/report/html.js';
import { CHART_FILES } from '../src/report/report-format.js';
import type { Report } from '../src/report/report-types.js';
import { sampleReport } from './helpers/report-samples.js';

// Day numbers (days since 1970-01-01) by hand: 2013-10-24 is 43 years and 296 days after
// 1970-01-01, with 11 leap days (1972 … 2012): 43 × 365 + 11 + 296 = 16002.
const OCT_24_2013 = 16_002;

describe('--course-start', () => {
  it('is a YYYY-MM-DD date: its day number', () => {
    expect(parseCourseStart('2013-10-24')).toBe(OCT_24_2013);
    expect(resolveAnalysisSettings({ courseStart: '2013-10-24' }).courseStartDay).toBe(OCT_24_2013);
    expect(resolveAnalysisSettings({})).not.toHaveProperty('courseStartDay');
  });

  it('refuses what is not a real date of the plausible years, naming the option', () => {
    for (const text of ['2013-02-30', '2013-10-24T00:00:00Z', '24/10/2013', '', '1989-12-31', '2100-01-01']) {
      expect(() => parseCourseStart(text), text).toThrow(UsageError);
      expect(() => parseCourseStart(text), text).toThrow(/--course-start/);
    }
    expect(parseCourseStart('1990-01-01')).toBe(7305);
    expect(parseCourseStart('2099-12-31')).toBe(47_481);
  });

  it('travels in the job payload, checked there too', () => {
    const settings = resolveAnalysisSettings({ courseStart: '2013-10-24', tz: 'Europe/Paris' });
    expect(validateSettings(JSON.parse(JSON.stringify(settings)))).toEqual(settings);
    for (const bad of ['16002', 16002.5, 7304, 47_482, null]) {
      expect(() => validateSettings({ ...settings, courseStartDay: bad }), String(bad)).toThrow(InvalidPayloadError);
    }
  });

  it('course weeks: ⌊(day − start) / 7⌋, every earlier day in week -1', () => {
    const start = OCT_24_2013;
    expect([start - 400, start - 1, start, start + 6, start + 7, start + 13, start + 14].map((d) => courseWeekOf(d, start))).toEqual([
      -1, -1, 0, 0, 1, 1, 2,
    ]);
    // retention.csv runs from the lowest week present to the last.
    expect(courseWeeks(start, { firstDay: start - 3, lastDay: start + 8 })).toEqual({ low: -1, last: 1 });
    expect(courseWeeks(start - 14, { firstDay: start, lastDay: start + 8 })).toEqual({ low: 2, last: 3 });
    expect(courseWeeks(start + 30, { firstDay: start, lastDay: start + 8 })).toEqual({ low: -1, last: -1 });
    expect(courseWeeks(start, null)).toEqual({ low: 0, last: -1 });
  });
});

describe('index.html names the course weeks it compares', () => {
  const options = { title: 'Course', generatedAt: '2024-05-01T12:00:00.000Z', charts: [...CHART_FILES] };
  const card = (value: string, label: string) => `<div class="value">${value}</div><div class="label">${label}</div>`;
  const glanceOf = (html: string) => html.slice(html.indexOf('<section id="glance">'), html.indexOf('<section id="figures">'));
  const sectionOf = (html: string) => html.slice(html.indexOf('<section id="retention">'), html.indexOf('</section>', html.indexOf('<section id="retention">')));

  it('with a week -1: week 0 against the last week, from the course start, the pre-course learners apart', () => {
    const report: Report = sampleReport();
    report.summary.retention = { weeks: 2, lastWeekActive: 1, courseStart: '2013-07-03' };
    report.retention = [
      { week: -1, start: '', active: 3, new: 3, retained: 4 },
      { week: 0, start: '2013-07-03', active: 2, new: 0, retained: 2 },
      { week: 1, start: '2013-07-10', active: 1, new: 1, retained: 1 },
    ];
    const html = renderIndexHtml(report, options);
    const glance = glanceOf(html);
    expect(glance).toContain(card('2 → 1', 'week 0 → week 1 retention'));
    expect(glance).toContain(
      'learners active in course week 0 and in week 1, 50.0% of week 0; course weeks from <span class="nowrap">2013-07-03</span>; 3 active before it (week -1)',
    );
    const section = sectionOf(html);
    expect(section).toContain('after the course start, 2013-07-03');
    expect(section).toContain('<th scope="col" class="num">active, % of week 0</th>');
    expect(section).toContain('<tr><td>-1</td><td>before 2013-07-03</td><td class="num">3</td><td class="num">3</td><td class="num">4</td><td class="num"></td></tr>');
    expect(section).toContain('<tr><td>1</td><td>2013-07-10</td><td class="num">1</td><td class="num">1</td><td class="num">1</td><td class="num">50.0%</td></tr>');
  });

  it('a course start before the data: the first course week present is the base', () => {
    const report: Report = sampleReport();
    report.summary.retention = { weeks: 3, lastWeekActive: 1, courseStart: '2013-06-24' };
    report.retention = [
      { week: 1, start: '2013-07-01', active: 2, new: 2, retained: 2 },
      { week: 2, start: '2013-07-08', active: 1, new: 1, retained: 1 },
    ];
    const glance = glanceOf(renderIndexHtml(report, options));
    expect(glance).toContain(card('2 → 1', 'week 1 → week 2 retention'));
    expect(glance).toContain('50.0% of week 1; course weeks from <span class="nowrap">2013-06-24</span>');
  });

  it('a course start after every event: no course week to compare', () => {
    const report: Report = sampleReport();
    report.summary.retention = { weeks: 0, lastWeekActive: 0, courseStart: '2013-08-01' };
    report.retention = [{ week: -1, start: '', active: 3, new: 3, retained: 3 }];
    const glance = glanceOf(renderIndexHtml(report, options));
    expect(glance).toContain(card('–', 'retention'));
    expect(glance).toContain('every timed event is before the course start, <span class="nowrap">2013-08-01</span>');
  });
});
