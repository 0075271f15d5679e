/** The cumulative distribution of clicks per learner on a logarithmic axis, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { CdfPoint } from './report-types.js';
import {
  axisTitle,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID_COLOR,
  legendOptions,
  LINE_COLOR,
  LOCALE,
  logTickLabel,
  noDataLabel,
  renderPng,
  TEXT_COLOR,
  titleOptions,
  whiteBackground,
  xMarkers,
  type ChartMarker,
  type UndrawableTally,
} from './chart-base.js';
import { logAxisEnd } from './log-axis.js';

/** Options of {@link renderCdfChart}. */
export interface CdfChartOptions {
  /** CDF points in increasing `clicks` order; points with `clicks <= 0` cannot sit on a log axis and are skipped. */
  points: readonly CdfPoint[];
  /** Default `'Cumulative distribution of clicks per learner'`. */
  title?: string;
  /** Default: none. */
  subtitle?: string;
  /** Vertical dashed lines, e.g. the median. Default: none. */
  markers?: readonly ChartMarker[];
  /** Adds the characters drawn as `?` (the chart font lacks them) to this tally. Default: not counted. */
  undrawable?: UndrawableTally;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

/** The points a logarithmic axis can show: `clicks > 0` and finite. */
export function logAxisPoints(points: readonly CdfPoint[]): CdfPoint[] {
  return points.filter((p) => p.clicks > 0 && Number.isFinite(p.clicks));
}

/**
 * End of the clicks axis: the 1-2-5 step (…, 10, 20, 50, 100, …) at or above the largest click
 * count of any curve, at least 10: a maximum of 18,994 ends the axis at 20,000, where the next
 * power of ten (100,000) would leave the last seventh of the plot empty.
 */
export function cdfAxisMax(curves: readonly (readonly CdfPoint[])[]): number {
  let max = 0;
  for (const points of curves) for (const p of points) if (p.clicks > max) max = p.clicks;
  return max > 0 ? Math.max(10, logAxisEnd(max)) : 10;
}

/**
 * The line of a CDF drawn with `stepped: 'before'`: it starts on the x axis so the first jump (the
 * share of learners with the fewest clicks) is a step rather than a line appearing in mid-air, and
 * carries the last fraction to `xMax`, where the CDF indeed stays.
 */
export function cdfSteps(points: readonly CdfPoint[], xMax: number): { x: number; y: number }[] {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return [];
  const data = [{ x: first.clicks, y: 0 }, ...points.map((p) => ({ x: p.clicks, y: p.fraction }))];
  if (last.clicks < xMax) data.push({ x: xMax, y: last.fraction });
  return data;
}

/**
 * The Chart.js options every CDF chart shares: titles, no tooltip, a logarithmic clicks axis from 1
 * to `xMax` and a 0–1 fraction axis. `legend` is the one thing single and overlaid charts differ in.
 */
export function cdfLineOptions(
  title: string | undefined,
  subtitle: string | undefined,
  legend: { display: false } | ReturnType<typeof legendOptions>,
  xMax: number,
): ChartConfiguration<'line', { x: number; y: number }[]>['options'] {
  return {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    locale: LOCALE,
    parsing: false,
    normalized: true,
    layout: { padding: { top: 4, right: 32, bottom: 8, left: 8 } },
    plugins: {
      ...titleOptions(title ?? 'Cumulative distribution of clicks per learner', subtitle),
      legend,
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
  };
}

/**
 * The cumulative distribution of clicks per learner as a stepped line on a logarithmic x axis,
 * y fixed to 0–1, as PNG. With no points it renders the axes and says "no data".
 */
export async function renderCdfChart(options: CdfChartOptions): Promise<Buffer> {
  const points = logAxisPoints(options.points);
  const empty = points.length === 0;
  const xMax = cdfAxisMax([points]);
  const data = cdfSteps(points, xMax);
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: {
      datasets: [
        {
          data,
          borderColor: LINE_COLOR,
          borderWidth: 2.5,
          // 'before': hold the previous fraction until the next click count, then jump: a CDF.
          stepped: 'before',
          pointRadius: 0,
          fill: false,
          // A few pixels past the plot area so the line along y = 1 is not sliced in half.
          clip: 3,
        },
      ],
    },
    options: cdfLineOptions(options.title, options.subtitle, { display: false }, xMax),
    plugins: [whiteBackground, xMarkers(empty ? [] : (options.markers ?? [])), ...(empty ? [noDataLabel as Plugin<'line'>] : [])],
  };
  return renderPng(config as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT, options.undrawable);
}
