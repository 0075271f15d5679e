/** Several series of bars side by side per category, with a legend, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import {
  axisTitle,
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID_COLOR,
  legendOptions,
  LOCALE,
  logTickLabel,
  noDataLabel,
  numberFormat,
  renderPng,
  seriesColor,
  TEXT_COLOR,
  titleOptions,
  truncateLabel,
  whiteBackground,
  type UndrawableTally,
} from './chart-base.js';
import { LOG_AXIS_RATIO, logAxisEnd, logAxisStart, spansDecades } from './log-axis.js';

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
  /** Adds the characters drawn as `?` (the chart font lacks them) to this tally. Default: not counted. */
  undrawable?: UndrawableTally;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

const percentTick = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });
const percentValue = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });

const MAX_BAR = 40;
// Up to this many bars each gets its value written over it; more would crowd into an unreadable band.
const MAX_LABELLED_BARS = 24;

/** Writes each bar's value just above it (as a percentage for fractions). */
function groupValueLabels(fractions: boolean): Plugin<'bar'> {
  return {
    id: 'clickstreamGroupValues',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const scale = chart.scales['y'];
      ctx.save();
      ctx.font = `12px ${CHART_FONT_FAMILY}`;
      ctx.fillStyle = TEXT_COLOR;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      chart.data.datasets.forEach((dataset, d) => {
        chart.getDatasetMeta(d).data.forEach((bar, i) => {
          const value = dataset.data[i];
          if (typeof value !== 'number') return;
          let { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
          // A zero bar on a log axis has no top: its label sits on the axis.
          if (!Number.isFinite(y) && scale) y = scale.getPixelForValue(scale.min);
          ctx.fillText(fractions ? percentValue.format(value) : numberFormat.format(value), x, y - 3);
        });
      });
      ctx.restore();
    },
  };
}

/**
 * The Chart.js configuration of {@link renderGroupedBarChart}, pure. Counts spanning more than two
 * decades (largest / smallest positive > {@link LOG_AXIS_RATIO}) get a logarithmic axis from the
 * 1-2-5 step below the smallest bar to the one at or above the largest; fractions never do.
 */
export function groupedBarChartConfig(options: GroupedBarChartOptions): ChartConfiguration<'bar', number[], string | string[]> {
  const empty = options.labels.length === 0 || options.series.every((s) => s.values.every((v) => v === 0));
  const fractions = options.fractions ?? false;
  const width = options.width ?? CHART_WIDTH;
  // Bars are at most MAX_BAR px wide; with few categories, a group spread over its whole slot would
  // leave its bars far apart, so the group only takes the room its bars need.
  const slot = (width - 160) / Math.max(1, options.labels.length);
  const categoryPercentage = Math.min(0.8, Math.max(0.2, (options.series.length * MAX_BAR * 1.15) / slot));
  const showValues = !empty && options.labels.length * options.series.length <= MAX_LABELLED_BARS;
  const values = options.series.flatMap((s) => s.values);
  const log = !empty && !fractions && spansDecades(values);
  const positive = values.filter((v) => v > 0);
  // Many categories (a long course's weeks) leave room for only every n-th label; Chart.js skips
  // them evenly, which beats overlapping text.
  return {
    type: 'bar',
    data: {
      labels: options.labels.map((l) => (typeof l === 'string' ? truncateLabel(l) : l.map((line) => truncateLabel(line)))),
      datasets: options.series.map((s, i) => ({
        label: truncateLabel(s.label),
        data: [...s.values],
        backgroundColor: s.color ?? seriesColor(i),
        maxBarThickness: MAX_BAR,
        categoryPercentage,
        barPercentage: 0.92,
      })),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      // A log axis ends at the tallest bar: its value label goes in the padding above.
      layout: { padding: { top: log && showValues ? 20 : 4, right: 24, bottom: 8, left: 8 } },
      plugins: { ...titleOptions(options.title, options.subtitle), legend: legendOptions(), tooltip: { enabled: false } },
      scales: {
        x: {
          type: 'category',
          title: axisTitle(options.categoryAxisTitle),
          ticks: { autoSkip: true, autoSkipPadding: 4, maxRotation: 0, font: { size: options.labels.length > 12 ? 12 : 14 }, color: TEXT_COLOR },
          grid: { display: false },
        },
        y: log
          ? {
              type: 'logarithmic',
              min: logAxisStart(Math.min(...positive)),
              max: logAxisEnd(Math.max(...positive)),
              title: axisTitle(`${options.valueAxisTitle ?? 'learners'} (log scale)`),
              ticks: { callback: logTickLabel, autoSkip: false, font: { size: 14 }, color: TEXT_COLOR },
              grid: { color: GRID_COLOR },
            }
          : {
              type: 'linear',
              beginAtZero: true,
              // Headroom over the tallest bar for its value label.
              ...(showValues && !fractions ? { grace: '10%' } : {}),
              title: axisTitle(options.valueAxisTitle ?? 'learners'),
              ticks: fractions
                ? { font: { size: 14 }, color: TEXT_COLOR, callback: (v: number | string) => percentTick.format(Number(v)) }
                : { precision: 0, font: { size: 14 }, color: TEXT_COLOR },
              grid: { color: GRID_COLOR },
              ...(fractions ? { min: 0, max: 1 } : empty ? { min: 0, max: 1 } : {}),
            },
      },
    },
    plugins: [whiteBackground, ...(showValues ? [groupValueLabels(fractions)] : []), ...(empty ? [noDataLabel as Plugin<'bar'>] : [])],
  };
}

/**
 * Vertical bars grouped by category, one colour per series, legend on top. With no category, or
 * only zeros, it renders its titles and axes and says "no data".
 */
export async function renderGroupedBarChart(options: GroupedBarChartOptions): Promise<Buffer> {
  const config = groupedBarChartConfig(options);
  return renderPng(config as unknown as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT, options.undrawable);
}
