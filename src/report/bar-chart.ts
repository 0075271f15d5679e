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
  noDataLabel,
  numberFormat,
  renderPng,
  TEXT_COLOR,
  titleOptions,
  truncateLabel,
  whiteBackground,
} from './chart-base.js';

/** Prints each bar's value just past its end. */
function barValueLabels(horizontal: boolean): Plugin<'bar'> {
  return {
    id: 'clickstreamBarValues',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const values = chart.data.datasets[0]?.data ?? [];
      ctx.save();
      ctx.font = `13px ${CHART_FONT_FAMILY}`;
      ctx.fillStyle = TEXT_COLOR;
      ctx.textAlign = horizontal ? 'left' : 'center';
      ctx.textBaseline = horizontal ? 'middle' : 'bottom';
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const value = values[i];
        if (typeof value !== 'number') return;
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
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
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

/**
 * A bar chart with its value written at the end of each bar, as PNG.
 * With no bars, or only zero-valued ones, it still renders its title and axes and says "no data".
 */
export async function renderBarChart(options: BarChartOptions): Promise<Buffer> {
  const horizontal = options.horizontal ?? true;
  const empty = options.values.every((v) => v === 0);
  const valueAxis = horizontal ? 'x' : 'y';
  const categoryAxis = horizontal ? 'y' : 'x';
  const config: ChartConfiguration<'bar', number[], string> = {
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
      layout: { padding: { top: 4, right: 24, bottom: 8, left: 8 } },
      plugins: { ...titleOptions(options.title, options.subtitle), legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        [valueAxis]: {
          type: 'linear',
          beginAtZero: true,
          // Headroom past the longest bar for its value label.
          grace: '12%',
          title: axisTitle(options.valueAxisTitle ?? 'learners'),
          ticks: { precision: 0, font: { size: 14 }, color: TEXT_COLOR },
          grid: { color: GRID_COLOR },
          ...(empty ? { min: 0, max: 1 } : {}),
        },
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
  return renderPng(config as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT);
}
