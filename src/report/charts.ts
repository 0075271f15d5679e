/**
 * The PNG charts of a report: which files, drawn from which figures. The drawing itself lives in
 * one file per kind of chart (bar-chart.ts, cdf-chart.ts, …) on the shared style of chart-base.ts.
 */
import type { Report } from './report-types.js';
import { renderAnalyticsCharts } from './analytics-charts.js';
import { renderBarChart } from './bar-chart.js';
import { renderCdfChart } from './cdf-chart.js';
import { numberFormat, type UndrawableTally } from './chart-base.js';
import { usersSeries, type BarSeries } from './bar-series.js';
import { CHART_FILES, type ChartFileName } from './report-format.js';

export { CHART_FONT_FAMILY, CHART_HEIGHT, CHART_WIDTH, registerChartFonts, truncateLabel, type ChartMarker } from './chart-base.js';
export { renderBarChart, type BarChartOptions } from './bar-chart.js';
export { renderCdfChart, type CdfChartOptions } from './cdf-chart.js';
export { CHART_TOP_N, topSeries, usersSeries, type BarSeries } from './bar-series.js';


// What the subtitle says: how many names the chart folds into "other", or else the learner total.
function seriesNote(series: BarSeries, noun: string, learners: string): string {
  if (series.folded === 0) return learners;
  const shown = series.labels.length - 1;
  return `${learners}; top ${shown} of ${numberFormat.format(shown + series.folded)} ${noun}, the rest summed in the last bar`;
}

/** The charts of a report and, per chart, how many characters it drew as `?` because the chart font lacks them. */
export interface RenderedCharts {
  pngs: Record<ChartFileName, Buffer>;
  undrawable: Record<ChartFileName, number>;
}

/** Renders every chart of a report, keyed by file name. */
export async function renderCharts(report: Report): Promise<Record<ChartFileName, Buffer>> {
  return (await renderChartsCounted(report)).pngs;
}

/** Like {@link renderCharts}, with the count of characters each chart could not draw. */
export async function renderChartsCounted(report: Report): Promise<RenderedCharts> {
  const tallies = Object.fromEntries(CHART_FILES.map((f) => [f, { count: 0 }])) as Record<ChartFileName, UndrawableTally>;
  const { summary } = report;
  const learners = `${numberFormat.format(summary.users)} learners`;
  const browsers = usersSeries(summary.browsers);
  const devices = usersSeries(summary.devices);
  const languages = usersSeries(summary.languages);
  const { activity } = summary;
  const analytics = await renderAnalyticsCharts(report, tallies);
  const pngs: Record<ChartFileName, Buffer> = {
    'browser.png': await renderBarChart({
      title: 'Learners by browser',
      subtitle: seriesNote(browsers, 'browsers', learners),
      labels: browsers.labels,
      values: browsers.values,
      colors: browsers.colors,
      categoryAxisTitle: 'browser',
      undrawable: tallies['browser.png'],
    }),
    'device.png': await renderBarChart({
      title: 'Learners by device type',
      subtitle: seriesNote(devices, 'device types', learners),
      labels: devices.labels,
      values: devices.values,
      colors: devices.colors,
      categoryAxisTitle: 'device type',
      undrawable: tallies['device.png'],
    }),
    'language.png': await renderBarChart({
      title: 'Learners by language',
      subtitle: seriesNote(languages, 'languages', learners),
      labels: languages.labels,
      values: languages.values,
      colors: languages.colors,
      categoryAxisTitle: 'language',
      undrawable: tallies['language.png'],
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
      undrawable: tallies['activity-cdf.png'],
    }),
    ...analytics,
  };
  const undrawable = Object.fromEntries(CHART_FILES.map((f) => [f, tallies[f].count])) as Record<ChartFileName, number>;
  return { pngs, undrawable };
}
