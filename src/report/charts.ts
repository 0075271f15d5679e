/**
 * PNG charts of a report, drawn by Chart.js on an @napi-rs/canvas canvas.
 *
 * Everything here must work on a server with no system fonts and no DOM: the font is DejaVu Sans
 * from the `dejavu-fonts-ttf` package, registered under a name of our own so that a system font can
 * never stand in for it, and Chart.js runs with its DOM-free platform (`responsive: false`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Title,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { InternalError } from '../errors.js';
import type { CdfPoint, NamedCount, Report } from '../types.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Title,
);

/** Width of every chart, in pixels. */
export const CHART_WIDTH = 1200;
/** Height of every chart, in pixels. */
export const CHART_HEIGHT = 700;
/** How many names the browser and language charts show before summing the rest into one bar. */
export const CHART_TOP_N = 15;
/** Font family the charts are drawn in: DejaVu Sans, registered under this alias. */
export const CHART_FONT_FAMILY = 'ClickstreamDejaVuSans';

/** File names of the charts, in the order the report shows them. */
export const CHART_FILES = ['browser.png', 'device.png', 'language.png', 'activity-cdf.png'] as const;
export type ChartFileName = (typeof CHART_FILES)[number];

const LOCALE = 'en-US';
const TEXT_COLOR = '#222222';
const MUTED_COLOR = '#666666';
const GRID_COLOR = '#e3e3e3';
const BAR_COLOR = '#4e79a7';
const OTHER_BAR_COLOR = '#a0a7b0';
const LINE_COLOR = '#c0392b';
const MARKER_COLOR = '#555555';
// Category labels come from the data: cap them so one absurd user agent or language tag cannot
// squeeze the plot area to nothing.
const MAX_LABEL_CHARS = 36;

const numberFormat = new Intl.NumberFormat(LOCALE);

let fontsReady = false;

/**
 * Registers DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` package and makes it the
 * Chart.js default family. Idempotent; called by every renderer.
 */
export function registerChartFonts(): void {
  if (fontsReady) return;
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('dejavu-fonts-ttf/package.json'));
  for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) {
    const path = join(dir, 'ttf', file);
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

/** Vertical dashed lines at given x values (e.g. the median) with a label at the top. */
function xMarkers(markers: readonly ChartMarker[]): Plugin<'line'> {
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

/** Draws `config` on a fresh canvas and returns it as PNG; the chart is always destroyed. */
export async function renderPng(config: ChartConfiguration<'bar' | 'line'>, width: number, height: number): Promise<Buffer> {
  registerChartFonts();
  const canvas = createCanvas(width, height);
  // Chart.js types want a DOM canvas context; the napi context implements the part it uses.
  const chart = new Chart(canvas.getContext('2d') as any, config as ChartConfiguration);
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

/** Shortens a data label for display, by code points so no surrogate pair is cut in half. */
export function truncateLabel(label: string, max = MAX_LABEL_CHARS): string {
  const chars = Array.from(label);
  if (chars.length <= max) return label;
  return chars.slice(0, max - 1).join('') + '…';
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

/** A vertical line on the CDF chart. */
export interface ChartMarker {
  label: string;
  /** Position on the x (clicks) axis; markers outside the axis are not drawn. */
  value: number;
}

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
  /** Default {@link CHART_WIDTH}. */
  width?: number;
  /** Default {@link CHART_HEIGHT}. */
  height?: number;
}

// Label only 1, 2 and 5 times a power of ten: the other log ticks keep their grid lines but would
// crowd the axis with unreadable numbers.
function logTickLabel(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const significand = Math.round((v / 10 ** Math.floor(Math.log10(v) + 1e-9)) * 1e6) / 1e6;
  return significand === 1 || significand === 2 || significand === 5 ? numberFormat.format(v) : '';
}

/**
 * The cumulative distribution of clicks per learner as a stepped line on a logarithmic x axis,
 * y fixed to 0–1, as PNG. With no points it renders the axes and says "no data".
 */
export async function renderCdfChart(options: CdfChartOptions): Promise<Buffer> {
  const points = options.points.filter((p) => p.clicks > 0 && Number.isFinite(p.clicks));
  const empty = points.length === 0;
  const first = points[0];
  const last = points[points.length - 1];
  // Start the curve on the x axis so the first jump (the share of learners with the fewest clicks)
  // is drawn as a step rather than the line appearing in mid-air.
  const xMax = last ? Math.max(10, 10 ** Math.ceil(Math.log10(last.clicks) - 1e-9)) : 10;
  const data = first ? [{ x: first.clicks, y: 0 }, ...points.map((p) => ({ x: p.clicks, y: p.fraction }))] : [];
  // ...and carry the last fraction to the edge of the axis, where the CDF indeed stays.
  if (last && last.clicks < xMax) data.push({ x: xMax, y: last.fraction });
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
        legend: { display: false },
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
    plugins: [whiteBackground, xMarkers(empty ? [] : (options.markers ?? [])), ...(empty ? [noDataLabel as Plugin<'line'>] : [])],
  };
  return renderPng(config as ChartConfiguration<'bar' | 'line'>, options.width ?? CHART_WIDTH, options.height ?? CHART_HEIGHT);
}

/** Bars of a chart: labels, values and per-bar colours. */
export interface BarSeries {
  labels: string[];
  values: number[];
  colors: string[];
  /** How many names the last bar sums up; 0 when every name has its own bar. */
  folded: number;
}

/**
 * Distinct learners per name, most first (ties by name), limited to `top` bars plus one
 * "other (N more)" bar summing the users of the rest. Because one learner can use several
 * browsers or languages, that bar counts learner–name pairs, not distinct learners.
 * A single leftover name is shown as itself: a bar saying "other (1 more)" would hide it for nothing.
 */
export function usersSeries(counts: readonly NamedCount[], top = CHART_TOP_N): BarSeries {
  const sorted = [...counts].sort((a, b) => b.users - a.users || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown = sorted.length <= top + 1 ? sorted : sorted.slice(0, top);
  const rest = sorted.slice(shown.length);
  const labels = shown.map((c) => (c.name === '' ? '(empty)' : c.name));
  const values = shown.map((c) => c.users);
  const colors = shown.map(() => BAR_COLOR);
  if (rest.length > 0) {
    labels.push(`other (${numberFormat.format(rest.length)} more)`);
    values.push(rest.reduce((sum, c) => sum + c.users, 0));
    colors.push(OTHER_BAR_COLOR);
  }
  return { labels, values, colors, folded: rest.length };
}

// What the subtitle says: how many names the chart folds into "other", or else the learner total.
function seriesNote(series: BarSeries, noun: string, learners: string): string {
  if (series.folded === 0) return learners;
  const shown = series.labels.length - 1;
  return `${learners}; top ${shown} of ${numberFormat.format(shown + series.folded)} ${noun}, the rest summed in the last bar`;
}

/** Renders the four report charts, keyed by file name. */
export async function renderCharts(report: Report): Promise<Record<ChartFileName, Buffer>> {
  const { summary } = report;
  const learners = `${numberFormat.format(summary.users)} learners`;
  const browsers = usersSeries(summary.browsers);
  const devices = usersSeries(summary.devices);
  const languages = usersSeries(summary.languages);
  const { activity } = summary;
  return {
    'browser.png': await renderBarChart({
      title: 'Learners by browser',
      subtitle: seriesNote(browsers, 'browsers', learners),
      labels: browsers.labels,
      values: browsers.values,
      colors: browsers.colors,
      categoryAxisTitle: 'browser',
    }),
    'device.png': await renderBarChart({
      title: 'Learners by device type',
      subtitle: seriesNote(devices, 'device types', learners),
      labels: devices.labels,
      values: devices.values,
      colors: devices.colors,
      categoryAxisTitle: 'device type',
    }),
    'language.png': await renderBarChart({
      title: 'Learners by language',
      subtitle: seriesNote(languages, 'languages', learners),
      labels: languages.labels,
      values: languages.values,
      colors: languages.colors,
      categoryAxisTitle: 'language',
    }),
    'activity-cdf.png': await renderCdfChart({
      points: activity.cdf,
      subtitle:
        summary.users === 0
          ? learners
          : `${learners}; median ${numberFormat.format(activity.median)}, 90th percentile ${numberFormat.format(activity.p90)}, max ${numberFormat.format(activity.max)} clicks`,
      markers: [
        { label: `median ${numberFormat.format(activity.median)}`, value: activity.median },
        { label: `90th percentile ${numberFormat.format(activity.p90)}`, value: activity.p90 },
      ],
    }),
  };
}
