/** Events (bars, left axis) and active learners (line, right axis) per day, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { DailyRow } from './report-types.js';
import { dailyBuckets, type DailySeries } from './daily-buckets.js';
import {
  axisTitle,
  BAR_COLOR,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID_COLOR,
  legendOptions,
  LINE_COLOR,
  LOCALE,
  noDataLabel,
  renderPng,
  TEXT_COLOR,
  titleOptions,
  whiteBackground,
  type UndrawableTally,
} from './chart-base.js';

/** Options of {@link renderDailyActivityChart}. */
export interface DailyActivityChartOptions {
  /** Every day, ascending (daily.csv's rows). */
  days: readonly DailyRow[];
  /** Default `'Activity per day'`. */
  title?: string;
  /** Default: none. */
  subtitle?: string;
  /** Adds the characters drawn as `?` (the chart font lacks them) to this tally. Default: not counted. */
  undrawable?: UndrawableTally;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

// Lighter than the version-1 bars so the learners line on top of them stays the figure's focus.
const EVENTS_COLOR = 'rgba(78, 121, 167, 0.55)';

/**
 * Two axes because events outnumber learners by one or two orders of magnitude: on one axis the
 * learners line would lie flat on the floor. With no day it renders the axes and says "no data".
 */
export async function renderDailyActivityChart(options: DailyActivityChartOptions): Promise<Buffer> {
  // Drawing costs one bar per label: a long span is drawn per week, month or year (daily-buckets.ts).
  const series = dailyBuckets(options.days);
  const days = series.buckets;
  const grouped = series.unit !== 'day';
  const empty = days.length === 0 || days.every((d) => d.events === 0);
  const config: ChartConfiguration<'bar' | 'line', number[], string> = {
    type: 'bar',
    data: {
      labels: days.map((d) => d.label),
      datasets: [
        {
          type: 'line',
          label: grouped ? 'active learners, mean per day (right axis)' : 'active learners (right axis)',
          data: days.map((d) => d.learners),
          borderColor: LINE_COLOR,
          backgroundColor: LINE_COLOR,
          // Over years of days a thick line would paint the plot solid.
          borderWidth: days.length > 400 ? 1 : 2,
          // Dots help on a short course; on a long one they would merge into a thick smear.
          pointRadius: days.length <= 60 ? 3 : 0,
          yAxisID: 'learners',
          order: 0,
        },
        {
          type: 'bar',
          label: grouped ? `events per ${barUnit(series)} (left axis)` : 'events (left axis)',
          data: days.map((d) => d.events),
          backgroundColor: EVENTS_COLOR,
          borderColor: BAR_COLOR,
          borderWidth: 0,
          categoryPercentage: 1,
          barPercentage: 0.9,
          yAxisID: 'events',
          order: 1,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      layout: { padding: { top: 4, right: 16, bottom: 8, left: 8 } },
      plugins: {
        ...titleOptions(
          options.title ?? 'Activity per day',
          grouped ? [options.subtitle, `one bar per ${barUnit(series)} (daily.csv has every day)`].filter(Boolean).join('; ') : options.subtitle,
        ),
        legend: legendOptions(),
        tooltip: { enabled: false },
      },
      scales: {
        x: {
          type: 'category',
          title: axisTitle(barUnit(series)),
          // Dates are wide: let Chart.js keep an evenly spaced subset rather than overlap them.
          ticks: { autoSkip: true, autoSkipPadding: 16, maxRotation: 0, font: { size: 13 }, color: TEXT_COLOR },
          grid: { display: false },
        },
        events: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          title: axisTitle('events'),
          ticks: { precision: 0, font: { size: 14 }, color: TEXT_COLOR },
          grid: { color: GRID_COLOR },
          ...(empty ? { min: 0, max: 1 } : {}),
        },
        learners: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          title: { ...axisTitle('active learners'), color: LINE_COLOR },
          ticks: { precision: 0, font: { size: 14 }, color: LINE_COLOR },
          // One grid is enough; two would not line up.
          grid: { display: false },
          ...(empty ? { min: 0, max: 1 } : {}),
        },
      },
    },
    plugins: [whiteBackground, ...(empty ? [noDataLabel as Plugin<'bar' | 'line'>] : [])],
  };
  return renderPng(config as unknown as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT, options.undrawable);
}

/** What one bar of the chart stands for, in words. */
function barUnit(series: DailySeries): string {
  return series.unit === 'years' ? `${series.yearsPerBar} years` : series.unit;
}
