/**
 * Horizontal box plots drawn by Chart.js on @napi-rs/canvas, without a box plot plugin package: the
 * box is a floating bar from the 25% to the 75% quantile, and a small plugin draws the median and
 * the whiskers (to min and max, the describe() statistics the summary reports, with no outlier rule).
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';
import {
  axisTitle,
  CHART_FONT_FAMILY,
  CHART_WIDTH,
  noDataLabel,
  renderPng,
  titleOptions,
  truncateLabel,
  whiteBackground,
} from '../../report/chart-base.js';
import type { FieldStats } from './describe.js';

const LOCALE = 'en-US';
const TEXT_COLOR = '#222222';
const GRID_COLOR = '#e3e3e3';
const BOX_FILL = 'rgba(78, 121, 167, 0.35)';
const BOX_LINE = '#2f4b6e';
const MEDIAN_LINE = '#c0392b';
const numberFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });

/** One box: a category label and the statistics it draws. */
export interface BoxPlotRow {
  label: string;
  stats: FieldStats;
}

/** Options of {@link renderBoxPlot}. */
export interface BoxPlotOptions {
  title: string;
  /** Default: none. */
  subtitle?: string;
  /** Title of the value axis, e.g. `'enrolments'`. */
  valueAxisTitle: string;
  /** Title of the category axis. Default: none. */
  categoryAxisTitle?: string;
  /** One box per row, top to bottom; a row whose stats have no values gets its label and no box. */
  rows: readonly BoxPlotRow[];
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default: 150 px plus 56 px per row, at least 320. */
  height?: number;
}

interface Box {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

function boxOf(stats: FieldStats): Box | null {
  if (stats.count === 0) return null;
  return { min: stats.min!, q1: stats['25%']!, median: stats['50%']!, q3: stats['75%']!, max: stats.max! };
}

/**
 * A logarithmic axis when every value is positive and they span three decades or more (enrolments
 * typically do: on a linear axis every box but the largest would be a sliver).
 */
export function wantsLogAxis(boxes: readonly (Box | null)[]): boolean {
  const present = boxes.filter((b): b is Box => b !== null);
  if (present.length === 0) return false;
  const min = Math.min(...present.map((b) => b.min));
  const max = Math.max(...present.map((b) => b.max));
  return min > 0 && max / min >= 1000;
}

/** Median line, whiskers with caps, and the box outline, over the floating bars. */
function boxDecorations(boxes: readonly (Box | null)[]): Plugin<'bar'> {
  return {
    id: 'clickstreamBoxDecorations',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const scale = chart.scales['x'];
      if (!scale) return;
      const px = (v: number): number => scale.getPixelForValue(v);
      ctx.save();
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const box = boxes[i];
        if (!box) return;
        const { y, height } = bar.getProps(['y', 'height'], true) as { y: number; height: number };
        const half = height / 2;
        ctx.strokeStyle = BOX_LINE;
        ctx.lineWidth = 2;
        // whiskers
        ctx.beginPath();
        ctx.moveTo(px(box.min), y);
        ctx.lineTo(px(box.q1), y);
        ctx.moveTo(px(box.q3), y);
        ctx.lineTo(px(box.max), y);
        // caps at min and max
        for (const v of [box.min, box.max]) {
          ctx.moveTo(px(v), y - half / 2);
          ctx.lineTo(px(v), y + half / 2);
        }
        ctx.stroke();
        // box outline (a zero-width box still shows as a line)
        ctx.strokeRect(px(box.q1), y - half, px(box.q3) - px(box.q1), height);
        // median
        ctx.strokeStyle = MEDIAN_LINE;
        ctx.lineWidth = 3.5;
        ctx.beginPath();
        ctx.moveTo(px(box.median), y - half);
        ctx.lineTo(px(box.median), y + half);
        ctx.stroke();
        // the median's value, right of the whisker's end
        ctx.font = `13px ${CHART_FONT_FAMILY}`;
        ctx.fillStyle = TEXT_COLOR;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillText(`median ${numberFormat.format(box.median)}`, Math.min(px(box.max) + 8, chart.chartArea.right - 110), y - half - 8);
      });
      ctx.restore();
    },
  };
}

// Log ticks labelled at 1, 2 and 5 times a power of ten over a few decades, only at powers of ten
// over more: labels must never overlap.
function logTickLabel(decades: number) {
  return (value: number | string): string => {
    const v = Number(value);
    if (!(v > 0)) return '';
    const significand = Math.round((v / 10 ** Math.floor(Math.log10(v) + 1e-9)) * 1e6) / 1e6;
    const labelled = decades > 3 ? significand === 1 : significand === 1 || significand === 2 || significand === 5;
    return labelled ? numberFormat.format(v) : '';
  };
}

/** A horizontal box plot as PNG. With no values at all it renders its title and axes and says "no data". */
export async function renderBoxPlot(options: BoxPlotOptions): Promise<Buffer> {
  const boxes = options.rows.map((r) => boxOf(r.stats));
  const present = boxes.filter((b): b is Box => b !== null);
  const empty = present.length === 0;
  const log = wantsLogAxis(boxes);
  const lo = empty ? 0 : Math.min(...present.map((b) => b.min));
  const hi = empty ? 1 : Math.max(...present.map((b) => b.max));
  const logMin = Math.floor(Math.log10(lo));
  const logMax = Math.ceil(Math.log10(hi));
  const valueScale = log
    ? {
        type: 'logarithmic' as const,
        min: 10 ** logMin,
        max: 10 ** logMax,
        title: axisTitle(`${options.valueAxisTitle} (log scale)`),
        ticks: { callback: logTickLabel(logMax - logMin), autoSkip: false, maxRotation: 0, font: { size: 14 }, color: TEXT_COLOR },
      }
    : {
        type: 'linear' as const,
        // Counts, hours, prices and ratings are never negative; starting at zero keeps boxes comparable.
        // The bars only span 25%–75%: the suggested bounds make room for the whiskers, and Chart.js
        // rounds them out to tick values.
        min: Math.min(0, lo),
        suggestedMax: hi > Math.min(0, lo) ? hi : Math.min(0, lo) + 1,
        title: axisTitle(options.valueAxisTitle),
        ticks: { font: { size: 14 }, color: TEXT_COLOR },
      };
  const config: ChartConfiguration<'bar', ([number, number] | null)[], string> = {
    type: 'bar',
    data: {
      labels: options.rows.map((r) => truncateLabel(r.label, 48)),
      datasets: [
        {
          data: boxes.map((b) => (b ? [b.q1, b.q3] : null)),
          backgroundColor: BOX_FILL,
          borderWidth: 0,
          borderSkipped: false,
          maxBarThickness: 40,
          categoryPercentage: 0.8,
          barPercentage: 0.8,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: LOCALE,
      layout: { padding: { top: 4, right: 32, bottom: 8, left: 8 } },
      plugins: { ...titleOptions(options.title, options.subtitle), legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { ...valueScale, grid: { color: GRID_COLOR } },
        y: {
          type: 'category',
          title: axisTitle(options.categoryAxisTitle),
          ticks: { autoSkip: false, font: { size: 14 }, color: TEXT_COLOR },
          grid: { display: false },
        },
      },
    },
    plugins: [whiteBackground, boxDecorations(boxes), ...(empty ? [noDataLabel as Plugin<'bar'>] : [])],
  };
  const height = options.height ?? Math.max(320, 150 + 56 * options.rows.length);
  return renderPng(config as unknown as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, height);
}

/** Stacks PNG images of the same width vertically into one PNG, with `gap` white pixels between them. */
export async function stackPngs(images: readonly Buffer[], gap = 24): Promise<Buffer> {
  const decoded = await Promise.all(images.map((png) => loadImage(png)));
  const width = Math.max(...decoded.map((img) => img.width));
  const height = decoded.reduce((sum, img) => sum + img.height, 0) + gap * Math.max(0, decoded.length - 1);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  let y = 0;
  for (const img of decoded) {
    ctx.drawImage(img, 0, y);
    y += img.height + gap;
  }
  return canvas.encode('png');
}
