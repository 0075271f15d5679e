/**
 * A heat map (rows × columns of coloured cells with a colour scale), as PNG.
 *
 * Chart.js has no matrix chart built in; rather than add a plugin package for one figure, the chart
 * here is an empty Chart.js chart that lays out the title, the two category axes and their titles
 * exactly like every other chart, and a small plugin paints the cells into its plot area and the
 * colour scale into the space kept free on its right.
 */
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import {
  axisTitle,
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_WIDTH,
  LOCALE,
  MUTED_COLOR,
  noDataLabel,
  numberFormat,
  renderPng,
  TEXT_COLOR,
  titleOptions,
  whiteBackground,
  type UndrawableTally,
} from './chart-base.js';

/** Options of {@link renderHeatMapChart}. */
export interface HeatMapChartOptions {
  title: string;
  /** Default: none. */
  subtitle?: string;
  /** Labels of the rows, top to bottom. */
  rowLabels: readonly string[];
  /** Labels of the columns, left to right. */
  columnLabels: readonly string[];
  /** `values[row][column]`; a missing cell counts as 0. */
  values: readonly (readonly number[])[];
  /** What the values count, written over the colour scale. Default `'events'`. */
  valueLabel?: string;
  /** Default: none. */
  rowAxisTitle?: string;
  /** Default: none. */
  columnAxisTitle?: string;
  /** Write each cell's value in it (exact when it fits, else compact: 1.2K). Default true. */
  cellLabels?: boolean;
  /** Adds the characters drawn as `?` (the chart font lacks them) to this tally. Default: not counted. */
  undrawable?: UndrawableTally;
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

/**
 * The sequential colour scale, low to high (ColorBrewer YlGnBu, 9 classes): light enough at the
 * bottom to tell an empty hour from the page, dark at the top, and readable in grey scale.
 */
export const HEAT_MAP_COLORS = ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#253494', '#081d58'] as const;

// Room right of the plot for the colour scale and its labels.
const SCALE_GUTTER = 130;
const SCALE_BAR_WIDTH = 22;

const compactFormat = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const STOPS: readonly Rgb[] = HEAT_MAP_COLORS.map(hexToRgb);

/** Colour of position `t` (0–1) on the scale, interpolated linearly between the palette's stops. */
export function heatColor(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = clamped * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  const mix = (k: 0 | 1 | 2): number => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

// Text on the darker half of the scale is white, on the lighter half dark.
function textColorOn(t: number): string {
  return t > 0.55 ? '#ffffff' : TEXT_COLOR;
}

function cellsPlugin(options: HeatMapChartOptions, min: number, max: number, empty: boolean): Plugin<'line'> {
  const rows = options.rowLabels.length;
  const cols = options.columnLabels.length;
  const span = max - min;
  const position = (v: number): number => (span > 0 ? (v - min) / span : 0);
  return {
    id: 'clickstreamHeatMapCells',
    beforeDatasetsDraw(chart: Chart) {
      const { ctx, chartArea } = chart;
      const cellW = (chartArea.right - chartArea.left) / cols;
      const cellH = (chartArea.bottom - chartArea.top) / rows;
      const labels = (options.cellLabels ?? true) && !empty;
      ctx.save();
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      // The biggest font that fits "999.9K" across a cell, within reason.
      const fontSize = Math.max(9, Math.min(12, Math.floor(cellW / 3.4)));
      ctx.font = `${fontSize}px ${CHART_FONT_FAMILY}`;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const v = options.values[r]?.[c] ?? 0;
          const t = position(v);
          const x = chartArea.left + c * cellW;
          const y = chartArea.top + r * cellH;
          ctx.fillStyle = heatColor(t);
          ctx.fillRect(x, y, cellW, cellH);
          // A thin white seam keeps neighbouring cells of similar colour apart.
          ctx.strokeStyle = '#ffffff';
          ctx.lineWidth = 1;
          ctx.strokeRect(x + 0.5, y + 0.5, cellW - 1, cellH - 1);
          if (labels) {
            // The exact count when it fits the cell, else the compact form (1.2K): near-uniform
            // hours would all read "1.2K" while their colours differ.
            const exact = numberFormat.format(v);
            const text = ctx.measureText(exact).width <= cellW - 6 ? exact : compactFormat.format(v);
            ctx.fillStyle = textColorOn(t);
            ctx.fillText(text, x + cellW / 2, y + cellH / 2);
          }
        }
      }
      ctx.restore();
    },
    afterDraw(chart: Chart) {
      const { ctx, chartArea } = chart;
      const left = chartArea.right + 40;
      const top = chartArea.top + 28;
      const bottom = chartArea.bottom;
      ctx.save();
      const gradient = ctx.createLinearGradient(0, bottom, 0, top);
      HEAT_MAP_COLORS.forEach((color, i) => gradient.addColorStop(i / (HEAT_MAP_COLORS.length - 1), color));
      ctx.fillStyle = gradient;
      ctx.fillRect(left, top, SCALE_BAR_WIDTH, bottom - top);
      ctx.strokeStyle = MUTED_COLOR;
      ctx.lineWidth = 1;
      ctx.strokeRect(left + 0.5, top + 0.5, SCALE_BAR_WIDTH - 1, bottom - top - 1);
      ctx.fillStyle = TEXT_COLOR;
      ctx.font = `bold 15px ${CHART_FONT_FAMILY}`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(options.valueLabel ?? 'events', left - 8, top - 10);
      ctx.font = `14px ${CHART_FONT_FAMILY}`;
      ctx.textBaseline = 'middle';
      // With every value equal (all 0) one label says it all.
      if (max > min) ctx.fillText(numberFormat.format(max), left + SCALE_BAR_WIDTH + 8, top + 6);
      ctx.fillText(numberFormat.format(min), left + SCALE_BAR_WIDTH + 8, bottom - 6);
      ctx.restore();
    },
  };
}

/**
 * Cells coloured on a sequential scale from the smallest value (lightest) to the largest
 * (darkest), min and max both shown on the colour bar, each cell with its value written in it, rows and columns labelled, and a colour bar with
 * its min and max. When every value is 0 the cells are drawn empty and the chart says "no data".
 */
export async function renderHeatMapChart(options: HeatMapChartOptions): Promise<Buffer> {
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < options.rowLabels.length; r++) {
    for (let c = 0; c < options.columnLabels.length; c++) {
      const v = options.values[r]?.[c] ?? 0;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!Number.isFinite(min)) min = max = 0;
  // The scale spans the data, not 0..max: a course active around the clock would otherwise be one
  // block of dark cells with its weekly pattern invisible. The colour bar says where it starts.
  const empty = max === 0 && min === 0;
  const config: ChartConfiguration<'line', number[], string> = {
    type: 'line',
    data: { labels: [...options.columnLabels], datasets: [] },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      layout: { padding: { top: 4, right: SCALE_GUTTER, bottom: 8, left: 8 } },
      plugins: { ...titleOptions(options.title, options.subtitle), legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: {
          type: 'category',
          // Ticks in the middle of their cell, not on its edge.
          offset: true,
          title: axisTitle(options.columnAxisTitle),
          ticks: { autoSkip: false, maxRotation: 0, font: { size: 14 }, color: TEXT_COLOR },
          grid: { display: false },
          border: { display: false },
        },
        y: {
          type: 'category',
          labels: [...options.rowLabels],
          offset: true,
          title: axisTitle(options.rowAxisTitle),
          ticks: { autoSkip: false, font: { size: 14 }, color: TEXT_COLOR },
          grid: { display: false },
          border: { display: false },
        },
      },
    },
    plugins: [whiteBackground, cellsPlugin(options, min, max, empty), ...(empty ? [noDataLabel as Plugin<'line'>] : [])],
  };
  return renderPng(config as unknown as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT, options.undrawable);
}
