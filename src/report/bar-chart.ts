/** A bar chart with each bar's value written at its end, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import {
  axisTitle,
  BAR_COLOR,
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID_COLOR,
  LOCALE,
  logTickLabel,
  noDataLabel,
  numberFormat,
  renderPng,
  TEXT_COLOR,
  titleOptions,
  truncateLabel,
  whiteBackground,
  type UndrawableTally,
} from './chart-base.js';
import { LOG_AXIS_RATIO, logAxisEnd, logAxisStart, spansDecades } from './log-axis.js';

/** Prints each bar's value just past its end; a zero bar on a log axis, which has no end, at the axis start. */
function barValueLabels(horizontal: boolean): Plugin<'bar'> {
  return {
    id: 'clickstreamBarValues',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const values = chart.data.datasets[0]?.data ?? [];
      const scale = chart.scales[horizontal ? 'x' : 'y'];
      ctx.save();
      ctx.font = `13px ${CHART_FONT_FAMILY}`;
      ctx.fillStyle = TEXT_COLOR;
      ctx.textAlign = horizontal ? 'left' : 'center';
      ctx.textBaseline = horizontal ? 'middle' : 'bottom';
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const value = values[i];
        if (typeof value !== 'number') return;
        let { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        if (scale && !Number.isFinite(horizontal ? x : y)) {
          const start = scale.getPixelForValue(scale.min);
          if (horizontal) x = start;
          else y = start;
        }
        const text = numberFormat.format(value);
        if (horizontal) ctx.fillText(text, x + 6, y);
        else ctx.fillText(text, x, y - 4);
      });
      ctx.restore();
    },
  };
}

/** Options of {@link renderBarChart}. */
export interface BarChartOptions {
  /** Big title at the top. */
  title: string;
  /** Smaller line under the title. Default: none. */
  subtitle?: string;
  /** One label per bar, drawn in order (first bar at the top of a horizontal chart). */
  labels: readonly string[];
  /** One value per bar. */
  values: readonly number[];
  /** Per-bar colours. Default: all bars {@link BAR_COLOR}. */
  colors?: readonly string[];
  /** Title of the value axis. Default `'learners'`. */
  valueAxisTitle?: string;
  /** Title of the category axis. Default: none. */
  categoryAxisTitle?: string;
  /** Bars grow to the right (true) or upward (false). Default `true`, which fits long names. */
  horizontal?: boolean;
  /**
   * Value axis: `'auto'` is logarithmic when the positive values span more than two decades
   * (largest / smallest > {@link LOG_AXIS_RATIO}), else linear from 0. Default `'auto'`.
   */
  valueScale?: 'auto' | 'linear' | 'logarithmic';
  /** Adds the characters drawn as `?` (the chart font lacks them) to this tally. Default: not counted. */
  undrawable?: UndrawableTally;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

/** Whether {@link barChartConfig} draws the value axis of `options` logarithmic. */
export function barChartIsLog(options: Pick<BarChartOptions, 'values' | 'valueScale'>): boolean {
  const scale = options.valueScale ?? 'auto';
  if (scale === 'auto') return spansDecades(options.values);
  return scale === 'logarithmic' && options.values.some((v) => v > 0);
}

/** The value axis of a bar chart: linear from 0, or logarithmic from just below the smallest bar to the 1-2-5 step at the largest. */
function valueAxisOptions(options: BarChartOptions, horizontal: boolean, empty: boolean) {
  const title = options.valueAxisTitle ?? 'learners';
  if (!empty && barChartIsLog(options)) {
    const positive = options.values.filter((v) => v > 0);
    return {
      type: 'logarithmic' as const,
      min: logAxisStart(Math.min(...positive)),
      max: logAxisEnd(Math.max(...positive)),
      title: axisTitle(`${title} (log scale)`),
      ticks: { callback: logTickLabel, autoSkip: false, maxRotation: 0, font: { size: 14 }, color: TEXT_COLOR },
      grid: { color: GRID_COLOR },
    };
  }
  return {
    type: 'linear' as const,
    beginAtZero: true,
    // Headroom past the longest bar for its value label.
    grace: '12%',
    title: axisTitle(title),
    ticks: { precision: 0, font: { size: 14 }, color: TEXT_COLOR },
    grid: { color: GRID_COLOR },
    ...(empty ? { min: 0, max: 1 } : {}),
  };
}

/**
 * The Chart.js configuration of {@link renderBarChart}: pure, so tests can look at its axes and
 * labels without drawing. A log axis ends at the largest bar, so the padding past it holds the
 * value label that a linear axis's headroom holds.
 */
export function barChartConfig(options: BarChartOptions): ChartConfiguration<'bar', number[], string> {
  const horizontal = options.horizontal ?? true;
  const empty = options.values.every((v) => v === 0);
  const valueAxis = horizontal ? 'x' : 'y';
  const categoryAxis = horizontal ? 'y' : 'x';
  const log = !empty && barChartIsLog(options);
  const longestValue = Math.max(0, ...options.values.map((v) => numberFormat.format(v).length));
  const padding = log
    ? horizontal
      ? { top: 4, right: 24 + longestValue * 8, bottom: 8, left: 8 }
      : { top: 24, right: 24, bottom: 8, left: 8 }
    : { top: 4, right: 24, bottom: 8, left: 8 };
  return {
    type: 'bar',
    data: {
      labels: options.labels.map((l) => truncateLabel(l)),
      datasets: [
        {
          data: [...options.values],
          backgroundColor: options.colors ? [...options.colors] : BAR_COLOR,
          maxBarThickness: 48,
          categoryPercentage: 0.85,
          barPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      layout: { padding },
      plugins: { ...titleOptions(options.title, options.subtitle), legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        [valueAxis]: valueAxisOptions(options, horizontal, empty),
        [categoryAxis]: {
          type: 'category',
          title: axisTitle(options.categoryAxisTitle),
          // Every bar needs its name; Chart.js would otherwise drop some when space is short.
          ticks: { autoSkip: false, font: { size: 14 }, color: TEXT_COLOR },
          grid: { display: false },
        },
      },
    },
    plugins: [whiteBackground, barValueLabels(horizontal), ...(empty ? [noDataLabel as Plugin<'bar'>] : [])],
  };
}

/**
 * A bar chart with its value written at the end of each bar, as PNG.
 * With no bars, or only zero-valued ones, it still renders its title and axes and says "no data".
 */
export async function renderBarChart(options: BarChartOptions): Promise<Buffer> {
  return renderPng(
    barChartConfig(options) as ChartConfiguration<'bar' | 'line'>,
    options.width ?? CHART_WIDTH,
    options.height ?? CHART_HEIGHT,
    options.undrawable,
  );
}
