/** Several cumulative distributions of clicks per learner on one logarithmic axis, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { CdfPoint } from '../types.js';
import { cdfAxisMax, cdfSteps, logAxisPoints } from './cdf-chart.js';
import {
  axisTitle,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID_COLOR,
  legendOptions,
  LOCALE,
  logTickLabel,
  noDataLabel,
  renderPng,
  seriesColor,
  TEXT_COLOR,
  titleOptions,
  truncateLabel,
  whiteBackground,
} from './chart-base.js';

/** One curve of {@link renderCdfOverlayChart}. */
export interface CdfCurve {
  /** Name in the legend (e.g. the report's folder). */
  label: string;
  /** In increasing `clicks` order; points with `clicks <= 0` are skipped. */
  points: readonly CdfPoint[];
}

/** Options of {@link renderCdfOverlayChart}. */
export interface CdfOverlayChartOptions {
  curves: readonly CdfCurve[];
  /** Default `'Cumulative distribution of clicks per learner'`. */
  title?: string;
  /** Default: none. */
  subtitle?: string;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

/**
 * One stepped CDF line per curve, each in its own colour, on a shared logarithmic clicks axis
 * (to the power of ten above the largest count of any curve) and a 0–1 fraction axis, with a
 * legend. With no points at all it renders the axes and says "no data".
 */
export async function renderCdfOverlayChart(options: CdfOverlayChartOptions): Promise<Buffer> {
  const curves = options.curves.map((c) => ({ label: c.label, points: logAxisPoints(c.points) }));
  const empty = curves.every((c) => c.points.length === 0);
  const xMax = cdfAxisMax(curves.map((c) => c.points));
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: {
      datasets: curves.map((c, i) => ({
        label: truncateLabel(c.label),
        data: cdfSteps(c.points, xMax),
        borderColor: seriesColor(i),
        backgroundColor: seriesColor(i),
        borderWidth: 2.5,
        stepped: 'before' as const,
        pointRadius: 0,
        fill: false,
        clip: 3,
      })),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      parsing: false,
      normalized: true,
      layout: { padding: { top: 4, right: 32, bottom: 8, left: 8 } },
      plugins: {
        ...titleOptions(options.title ?? 'Cumulative distribution of clicks per learner', options.subtitle),
        legend: legendOptions(),
        tooltip: { enabled: false },
      },
      scales: {
        x: {
          type: 'logarithmic',
          min: 1,
          max: xMax,
          title: axisTitle('clicks per learner (log scale)'),
          ticks: { callback: logTickLabel, autoSkip: false, maxRotation: 0, font: { size: 14 }, color: TEXT_COLOR },
          grid: { color: GRID_COLOR },
        },
        y: {
          type: 'linear',
          min: 0,
          max: 1,
          title: axisTitle('fraction of learners'),
          ticks: { stepSize: 0.1, font: { size: 14 }, color: TEXT_COLOR },
          grid: { color: GRID_COLOR },
        },
      },
    },
    plugins: [whiteBackground, ...(empty ? [noDataLabel as Plugin<'line'>] : [])],
  };
  return renderPng(config as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT);
}
