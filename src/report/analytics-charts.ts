/**
 * The charts of the learning analytics (DATA-CONTRACT §6.4), drawn from a report's tables: what learners
 * did (event types), when (per day, per hour of the week), for how long (sessions), with which
 * videos, and who stayed (retention).
 */
import type { HourOfWeekRow, Report } from './report-types.js';
import { renderBarChart, type BarChartOptions } from './bar-chart.js';
import { topSeries } from './bar-series.js';
import { numberFormat, type UndrawableTally } from './chart-base.js';
import { renderDailyActivityChart } from './daily-activity-chart.js';
import { formatSeconds } from './duration-text.js';
import { renderGroupedBarChart } from './grouped-bar-chart.js';
import { renderHeatMapChart } from './heat-map-chart.js';
import { lectureLabels, reportOnlyCourse } from './lecture-labels.js';
import type { AnalyticsChartFileName } from './report-format.js';


/** Lectures shown on videos.png: the most viewed (videos.csv holds them all). */
export const VIDEO_CHART_LECTURES = 20;

/**
 * Most course weeks retention.png shows, its first ones (retention.csv has them all): each week is a
 * pair of bars, so a span of years would cost drawing time and show nothing a reader can tell apart.
 */
export const RETENTION_CHART_WEEKS = 156;

/** Row labels of the hour-of-week heat map: ISO weekdays 1–7. */
export const WEEKDAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/**
 * The 7 × 24 matrix of a count in hour-of-week rows, `[weekday - 1][hour]`. Cells are placed by
 * their weekday and hour, not by row order; a missing cell is 0.
 */
export function hourOfWeekMatrix(rows: readonly HourOfWeekRow[], value: 'events' | 'learners'): number[][] {
  const matrix = WEEKDAY_LABELS.map(() => new Array<number>(24).fill(0));
  for (const r of rows) {
    const line = matrix[r.weekday - 1];
    if (line && r.hour >= 0 && r.hour < 24) line[r.hour] = r[value];
  }
  return matrix;
}

/** What event-types.png draws: events per type, the top types and the rest summed in one bar. */
export function eventTypesChartOptions(report: Report): BarChartOptions {
  const { summary } = report;
  const types = topSeries(report.eventTypes, 'events');
  const typesNote =
    types.folded > 0
      ? `${numberFormat.format(summary.events)} events of ${numberFormat.format(report.eventTypes.length)} types; top ${types.labels.length - 1}, the rest summed in the last bar`
      : `${numberFormat.format(summary.events)} events of ${numberFormat.format(report.eventTypes.length)} types`;

  return {
    title: 'Events by type',
    subtitle: typesNote,
    labels: types.labels,
    values: types.values,
    colors: types.colors,
    valueAxisTitle: 'events',
    categoryAxisTitle: 'event type',
  };
}

/** What videos.png draws: viewers of the most viewed lectures, named by {@link lectureLabels}. */
export function videosChartOptions(report: Report): BarChartOptions {
  const { summary } = report;
  const { video } = summary;
  const topVideos = report.videos.slice(0, VIDEO_CHART_LECTURES);
  const videoNote =
    `${numberFormat.format(video.viewers)} viewers, ${numberFormat.format(video.lectures)} known lectures` +
    (report.videos.length > topVideos.length ? `; the ${topVideos.length} most viewed` : '');

  return {
    title: 'Most viewed lectures',
    subtitle: videoNote,
    labels: lectureLabels(
      topVideos.map((v) => v.lecture),
      reportOnlyCourse(summary.course, report.courses),
    ),
    values: topVideos.map((v) => v.viewers),
    valueAxisTitle: 'viewers (learners with a video event on the lecture)',
    categoryAxisTitle: 'lecture',
  };
}

/**
 * Renders the six learning-analytics charts, keyed by file name. A chart with a tally in `tallies`
 * adds to it the characters it drew as `?` because the chart font lacks them.
 */
export async function renderAnalyticsCharts(
  report: Report,
  tallies: Partial<Record<AnalyticsChartFileName, UndrawableTally>> = {},
): Promise<Record<AnalyticsChartFileName, Buffer>> {
  const { summary } = report;
  const { time, sessions } = summary;
  const zone = `time zone ${time.timezone}`;

  const period =
    time.first !== null && time.last !== null
      ? `${report.daily[0]?.date ?? ''} to ${report.daily.at(-1)?.date ?? ''} (${zone}): ${numberFormat.format(time.activeDays)} active of ${numberFormat.format(time.days)} days`
      : `no timed events (${zone})`;

  const { courseStart } = summary.retention;
  const weeksShown = report.retention.slice(0, RETENTION_CHART_WEEKS);
  const retentionNote =
    weeksShown.length === 0
      ? `no timed events (${zone})`
      : `${numberFormat.format(summary.retention.weeks)} course weeks from ${courseStart ?? ''}` +
        (weeksShown.length < report.retention.length ? `, the first ${weeksShown.length} shown` : '') +
        `; retained: learners whose last event is in that week or later`;

  return {
    'event-types.png': await renderBarChart({ ...eventTypesChartOptions(report), undrawable: tallies['event-types.png'] }),
    'daily-activity.png': await renderDailyActivityChart({
      days: report.daily,
      title: 'Activity per day',
      subtitle: period,
      undrawable: tallies['daily-activity.png'],
    }),
    'hour-of-week.png': await renderHeatMapChart({
      title: 'Events by hour of the week',
      subtitle: `hour of the day and weekday in ${zone}; untimed events not counted`,
      rowLabels: [...WEEKDAY_LABELS],
      columnLabels: Array.from({ length: 24 }, (_, h) => String(h)),
      values: hourOfWeekMatrix(report.hourOfWeek, 'events'),
      valueLabel: 'events',
      rowAxisTitle: 'weekday',
      columnAxisTitle: 'hour of the day',
      undrawable: tallies['hour-of-week.png'],
    }),
    'retention.png': await renderGroupedBarChart({
      title: 'Active and retained learners per course week',
      subtitle: retentionNote,
      labels: weeksShown.map((r) => (r.week < 0 ? ['before', `before ${courseStart ?? ''}`] : [`week ${r.week}`, r.start])),
      series: [
        { label: 'active in the week', values: weeksShown.map((r) => r.active) },
        { label: 'retained (active then or later)', values: weeksShown.map((r) => r.retained) },
      ],
      valueAxisTitle: 'learners',
      categoryAxisTitle: 'course week and its first day',
      undrawable: tallies['retention.png'],
    }),
    'session-durations.png': await renderBarChart({
      title: 'Sessions by duration',
      subtitle:
        sessions.count === 0
          ? 'no timed events'
          : `${numberFormat.format(sessions.count)} sessions (a new one after ${numberFormat.format(sessions.gapMinutes)} min without events); ` +
            `median ${formatSeconds(sessions.durationSeconds.median)}, 90th percentile ${formatSeconds(sessions.durationSeconds.p90)}`,
      labels: report.sessionDurations.map((b) => b.bucket),
      values: report.sessionDurations.map((b) => b.sessions),
      horizontal: false,
      valueAxisTitle: 'sessions',
      categoryAxisTitle: 'session duration (first to last event)',
      undrawable: tallies['session-durations.png'],
    }),
    'videos.png': await renderBarChart({ ...videosChartOptions(report), undrawable: tallies['videos.png'] }),
  };
}
