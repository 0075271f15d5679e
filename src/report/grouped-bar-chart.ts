/** Several series of bars side by side per category, with a legend, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import {
  axisTitle,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID_COLOR,
  legendOptions,
  LOCALE,
  noDataLabel,
  renderPng,
  seriesColor,
  TEXT_COLOR,
  titleOptions,
  truncateLabel,
  whiteBackground,
} from './chart-base.js';

/** One series of a grouped bar chart. */
export interface BarGroupSeries {
  /** Name in the legend. */
  label: string;
  /** One value per category. */
  values: readonly number[];
  /** Default: the next colour of the series palette. */
  color?: string;
}

/** Options of {@link renderGroupedBarChart}. */
export interface GroupedBarChartOptions {
  title: string;
  /** Default: none. */
  subtitle?: string;
  /** One label per category; an array is drawn as several lines. */
  labels: readonly (string | readonly string[])[];
  series: readonly BarGroupSeries[];
  /** Default `'learners'`. */
  valueAxisTitle?: string;
  /** Default: none. */
  categoryAxisTitle?: string;
  /** Values are fractions 0–1, shown as percentages on a 0–100 % axis. Default false. */
  fractions?: boolean;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

const percentTick = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });

/**
 * Vertical bars grouped by category, one colour per series, legend on top. With no category, or
 * only zeros, it renders its titles and axes and says "no data".
 */
export async function renderGroupedBarChart(options: GroupedBarChartOptions): Promise<Buffer> {
  const empty = options.labels.length === 0 || options.series.every((s) => s.values.every((v) => v === 0));
  const fractions = options.fractions ?? false;
  // Many categories (a long course's weeks) leave room for only every n-th label; Chart.js skips
  // them evenly, which beats overlapping text.
  const config: ChartConfiguration<'bar', number[], string | string[]> = {
    type: 'bar',
    data: {
      labels: options.labels.map((l) => (typeof l === 'string' ? truncateLabel(l) : l.map((line) => truncateLabel(line)))),
      datasets: options.series.map((s, i) => ({
        label: truncateLabel(s.label),
        data: [...s.values],
        backgroundColor: s.color ?? seriesColor(i),
        maxBarThickness: 40,
        categoryPercentage: 0.8,
        barPercentage: 0.92,
      })),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      layout: { padding: { top: 4, right: 24, bottom: 8, left: 8 } },
      plugins: { ...titleOptions(options.title, options.subtitle), legend: legendOptions(), tooltip: { enabled: false } },
      scales: {
        x: {
          type: 'category',
          title: axisTitle(options.categoryAxisTitle),
          ticks: { autoSkip: true, maxRotation: 0, font: { size: 14 }, color: TEXT_COLOR },
          grid: { display: false },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          title: axisTitle(options.valueAxisTitle ?? 'learners'),
          ticks: fractions
            ? { font: { size: 14 }, color: TEXT_COLOR, callback: (v: number | string) => percentTick.format(Number(v)) }
            : { precision: 0, font: { size: 14 }, color: TEXT_COLOR },
          grid: { color: GRID_COLOR },
          ...(fractions ? { min: 0, max: 1 } : empty ? { min: 0, max: 1 } : {}),
        },
      },
    },
    plugins: [whiteBackground, ...(empty ? [noDataLabel as Plugin<'bar'>] : [])],
  };
  return renderPng(config as unknown as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT);
}
