/** Several cumulative distributions of clicks per learner on one logarithmic axis, as PNG. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { CdfPoint } from './report-types.js';
import { cdfAxisMax, cdfLineOptions, cdfSteps, logAxisPoints } from './cdf-chart.js';
import { CHART_HEIGHT, CHART_WIDTH, legendOptions, noDataLabel, renderPng, seriesColor, truncateLabel, whiteBackground, type UndrawableTally } from './chart-base.js';

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
  /** Adds the characters drawn as `?` (the chart font lacks them) to this tally. Default: not counted. */
  undrawable?: UndrawableTally;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

/**
 * One stepped CDF line per curve, each in its own colour, on a shared logarithmic clicks axis
 * (to the 1-2-5 step at or above the largest count of any curve) and a 0–1 fraction axis, with a
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
    options: cdfLineOptions(options.title, options.subtitle, legendOptions(), xMax),
    plugins: [whiteBackground, ...(empty ? [noDataLabel as Plugin<'line'>] : [])],
  };
  return renderPng(config as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT, options.undrawable);
}
