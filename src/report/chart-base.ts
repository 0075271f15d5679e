/**
 * What every chart shares: the font, the colours, the white background, the "no data" label, the
 * title and axis styles, and rendering a Chart.js configuration to PNG on an @napi-rs/canvas canvas.
 *
 * Everything here must work on a server with no system fonts and no DOM: the font is DejaVu Sans
 * from the `dejavu-fonts-ttf` package, registered under a name of our own so that a system font can
 * never stand in for it, and Chart.js runs with its DOM-free platform (`responsive: false`).
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  Legend,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Title,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { InternalError } from '../errors.js';
import { chartFontPath, drawableConfig } from './chart-fonts.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  Legend,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Title,
);

/** Width of every chart, in pixels. */
export const CHART_WIDTH = 1200;
/** Height of every chart, in pixels. */
export const CHART_HEIGHT = 700;
/** Font family the charts are drawn in: DejaVu Sans, registered under this alias. */
export const CHART_FONT_FAMILY = 'ClickstreamDejaVuSans';

export const LOCALE = 'en-US';
export const TEXT_COLOR = '#222222';
export const MUTED_COLOR = '#666666';
export const GRID_COLOR = '#e3e3e3';
export const BAR_COLOR = '#4e79a7';
export const OTHER_BAR_COLOR = '#a0a7b0';
export const LINE_COLOR = '#c0392b';
export const MARKER_COLOR = '#555555';
/** Colours of the series of a multi-series chart, in order (Tableau 10: distinct, colour-blind aware). */
export const SERIES_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/** The colour of series `i`; past the palette the colours repeat, which a legend still tells apart by order. */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}
// Category labels come from the data: cap them so one absurd user agent or language tag cannot
// squeeze the plot area to nothing.
export const MAX_LABEL_CHARS = 36;

export const numberFormat = new Intl.NumberFormat(LOCALE);

let fontsReady = false;

/**
 * Registers DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` package and makes it the
 * Chart.js default family. Idempotent; called by every renderer.
 */
export function registerChartFonts(): void {
  if (fontsReady) return;
  for (const weight of ['regular', 'bold'] as const) {
    const path = chartFontPath(weight);
    // A missing font would not fail later, it would silently draw charts without any text.
    if (GlobalFonts.registerFromPath(path, CHART_FONT_FAMILY) === null) {
      throw new InternalError(`cannot load the chart font ${path}`);
    }
  }
  Chart.defaults.font.family = CHART_FONT_FAMILY;
  Chart.defaults.color = TEXT_COLOR;
  fontsReady = true;
}

/** Fills the whole canvas white before Chart.js draws, since PNGs are otherwise transparent. */
export const whiteBackground: Plugin = {
  id: 'clickstreamWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Writes "no data" across the plot area; added only to charts that have nothing to plot. */
export const noDataLabel: Plugin = {
  id: 'clickstreamNoData',
  afterDraw(chart) {
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `28px ${CHART_FONT_FAMILY}`;
    ctx.fillStyle = MUTED_COLOR;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('no data', (chartArea.left + chartArea.right) / 2, (chartArea.top + chartArea.bottom) / 2);
    ctx.restore();
  },
};


/** A vertical line on a chart with a numeric x axis. */
export interface ChartMarker {
  label: string;
  /** Position on the x axis; markers outside the axis are not drawn. */
  value: number;
}

/** Vertical dashed lines at given x values (e.g. the median) with a label at the top. */
export function xMarkers(markers: readonly ChartMarker[]): Plugin<'line'> {
  return {
    id: 'clickstreamXMarkers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      const scale = chart.scales['x'];
      if (!scale) return;
      ctx.save();
      ctx.font = `14px ${CHART_FONT_FAMILY}`;
      ctx.textBaseline = 'top';
      markers.forEach((marker, i) => {
        const x = scale.getPixelForValue(marker.value);
        if (!Number.isFinite(x) || x < chartArea.left || x > chartArea.right) return;
        ctx.strokeStyle = MARKER_COLOR;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        // Labels sit at the bottom, right of their line: a CDF is high to the right of any of its
        // quantiles, so that corner is empty. They are staggered so markers close together stay
        // readable, and flip left of their line near the right edge so they stay inside the plot.
        const text = marker.label;
        const width = ctx.measureText(text).width;
        const flip = x + 6 + width > chartArea.right;
        const tx = flip ? x - 6 - width : x + 6;
        const ty = chartArea.bottom - 26 - i * 24;
        ctx.setLineDash([]);
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(tx - 3, ty - 2, width + 6, 19);
        ctx.fillStyle = TEXT_COLOR;
        ctx.textAlign = 'left';
        ctx.fillText(text, tx, ty);
      });
      ctx.restore();
    },
  };
}

/** Counts the characters drawn as `?` because the chart font lacks them, over the charts it is passed to. */
export interface UndrawableTally {
  count: number;
}

/**
 * Draws `config` on a fresh canvas and returns it as PNG; the chart is always destroyed. Its
 * texts are first made drawable (see {@link drawableConfig}); the characters replaced are added
 * to `tally` when one is given.
 */
export async function renderPng(
  config: ChartConfiguration<'bar' | 'line'>,
  width: number,
  height: number,
  tally?: UndrawableTally,
): Promise<Buffer> {
  registerChartFonts();
  const drawable = drawableConfig(config);
  if (tally) tally.count += drawable.undrawable;
  const canvas = createCanvas(width, height);
  // Chart.js types want a DOM canvas context; the napi context implements the part it uses.
  const chart = new Chart(canvas.getContext('2d') as any, drawable.config as ChartConfiguration);
  try {
    // Encode before destroy: destroying a chart clears its canvas.
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

export function titleOptions(title: string, subtitle: string | undefined) {
  return {
    title: {
      display: true,
      text: title,
      color: TEXT_COLOR,
      font: { size: 24, weight: 'bold' as const },
      padding: { top: 8, bottom: subtitle ? 4 : 16 },
    },
    subtitle: {
      display: subtitle !== undefined,
      text: subtitle ?? '',
      color: MUTED_COLOR,
      font: { size: 15 },
      padding: { bottom: 16 },
    },
  };
}

export function axisTitle(text: string | undefined) {
  return { display: text !== undefined && text !== '', text: text ?? '', color: TEXT_COLOR, font: { size: 16 } };
}

/** The legend of a multi-series chart: at the top, under the titles, with square swatches. */
export function legendOptions() {
  return {
    display: true,
    position: 'top' as const,
    labels: { color: TEXT_COLOR, font: { size: 15 }, boxWidth: 18, boxHeight: 18, padding: 16 },
  };
}

/** Shortens a data label for display, by code points so no surrogate pair is cut in half. */
export function truncateLabel(label: string, max = MAX_LABEL_CHARS): string {
  const chars = Array.from(label);
  if (chars.length <= max) return label;
  return chars.slice(0, max - 1).join('') + '…';
}

// Label only 1, 2 and 5 times a power of ten: the other log ticks keep their grid lines but would
// crowd the axis with unreadable numbers.
export function logTickLabel(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const significand = Math.round((v / 10 ** Math.floor(Math.log10(v) + 1e-9)) * 1e6) / 1e6;
  return significand === 1 || significand === 2 || significand === 5 ? numberFormat.format(v) : '';
}
