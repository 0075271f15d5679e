/**
 * The charts of the learning analytics (DATA-CONTRACT §6.4), drawn from a report's tables: what learners
 * did (event types), when (per day, per hour of the week), for how long (sessions), with which
 * videos, and who stayed (retention).
 */
import type { HourOfWeekRow, Report } from '../types.js';
import { renderBarChart } from './bar-chart.js';
import { topSeries } from './bar-series.js';
import { numberFormat } from './chart-base.js';
import { renderDailyActivityChart } from './daily-activity-chart.js';
import { formatSeconds } from './duration-text.js';
import { renderGroupedBarChart } from './grouped-bar-chart.js';
import { renderHeatMapChart } from './heat-map-chart.js';

/** File names of the learning-analytics charts, in the order the report shows them. */
export const ANALYTICS_CHART_FILES = [
  'event-types.png',
  'daily-activity.png',
  'hour-of-week.png',
  'retention.png',
  'session-durations.png',
  'videos.png',
] as const;
export type AnalyticsChartFileName = (typeof ANALYTICS_CHART_FILES)[number];

/** Lectures shown on videos.png: the most viewed (videos.csv holds them all). */
export const VIDEO_CHART_LECTURES = 20;

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

/** How a lecture is named on the chart: its id, or "unknown lecture". */
export function lectureLabel(lecture: string): string {
  return lecture === 'unknown' ? 'unknown lecture' : `lecture ${lecture}`;
}

/** Renders the six learning-analytics charts, keyed by file name. */
export async function renderAnalyticsCharts(report: Report): Promise<Record<AnalyticsChartFileName, Buffer>> {
  const { summary } = report;
  const { time, sessions, video } = summary;
  const zone = `time zone ${time.timezone}`;

  const types = topSeries(report.eventTypes, 'events');
  const typesNote =
    types.folded > 0
      ? `${numberFormat.format(summary.events)} events of ${numberFormat.format(report.eventTypes.length)} types; top ${types.labels.length - 1}, the rest summed in the last bar`
      : `${numberFormat.format(summary.events)} events of ${numberFormat.format(report.eventTypes.length)} types`;

  const period =
    time.first !== null && time.last !== null
      ? `${report.daily[0]?.date ?? ''} to ${report.daily.at(-1)?.date ?? ''} (${zone}): ${numberFormat.format(time.activeDays)} active of ${numberFormat.format(time.days)} days`
      : `no timed events (${zone})`;

  const topVideos = report.videos.slice(0, VIDEO_CHART_LECTURES);
  const videoNote =
    `${numberFormat.format(video.viewers)} viewers, ${numberFormat.format(video.lectures)} known lectures` +
    (report.videos.length > topVideos.length ? `; the ${topVideos.length} most viewed` : '');

  const firstWeek = report.retention[0];
  const retentionNote =
    firstWeek === undefined
      ? `no timed events (${zone})`
      : `${numberFormat.format(summary.retention.weeks)} course weeks from ${firstWeek.start}; ` +
        `retained: learners whose last event is in that week or later`;

  return {
    'event-types.png': await renderBarChart({
      title: 'Events by type',
      subtitle: typesNote,
      labels: types.labels,
      values: types.values,
      colors: types.colors,
      valueAxisTitle: 'events',
      categoryAxisTitle: 'event type',
    }),
    'daily-activity.png': await renderDailyActivityChart({
      days: report.daily,
      title: 'Activity per day',
      subtitle: period,
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
    }),
    'retention.png': await renderGroupedBarChart({
      title: 'Active and retained learners per course week',
      subtitle: retentionNote,
      labels: report.retention.map((r) => [`week ${r.week}`, r.start]),
      series: [
        { label: 'active in the week', values: report.retention.map((r) => r.active) },
        { label: 'retained (active then or later)', values: report.retention.map((r) => r.retained) },
      ],
      valueAxisTitle: 'learners',
      categoryAxisTitle: 'course week and its first day',
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
    }),
    'videos.png': await renderBarChart({
      title: 'Most viewed lectures',
      subtitle: videoNote,
      labels: topVideos.map((v) => lectureLabel(v.lecture)),
      values: topVideos.map((v) => v.viewers),
      valueAxisTitle: 'viewers (learners with a video event on the lecture)',
      categoryAxisTitle: 'lecture',
    }),
  };
}
