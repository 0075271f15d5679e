/** The charts of a comparison: the runs' activity CDFs overlaid, device and language shares side by side. */
import { renderCdfOverlayChart } from '../report/cdf-overlay-chart.js';
import { renderGroupedBarChart } from '../report/grouped-bar-chart.js';
import type { CompareTable, NamedSummary } from './compare-table.js';

/** File names of the comparison's charts, in the order its page shows them. */
export const COMPARE_CHART_FILES = ['activity-cdf.png', 'devices.png', 'languages.png'] as const;
export type CompareChartFileName = (typeof COMPARE_CHART_FILES)[number];

/** Renders the comparison's charts, keyed by file name; series in the reports' order. */
export async function renderCompareCharts(
  reports: readonly NamedSummary[],
  table: CompareTable,
): Promise<Record<CompareChartFileName, Buffer>> {
  const runs = `${reports.length} reports`;
  return {
    'activity-cdf.png': await renderCdfOverlayChart({
      title: 'Cumulative distribution of clicks per learner',
      subtitle: `${runs}; one line each, on one logarithmic clicks axis`,
      curves: reports.map((r) => ({ label: r.name, points: r.summary.activity.cdf })),
    }),
    'devices.png': await renderGroupedBarChart({
      title: 'Share of learners by device type',
      subtitle: `${runs}; the top 5 device types of each report; a learner on two devices counts in both`,
      labels: table.devices.map((d) => (d === '' ? '(empty)' : d)),
      series: reports.map((r, i) => ({ label: r.name, values: table.deviceShares[i]! })),
      fractions: true,
      valueAxisTitle: 'share of the report’s learners',
      categoryAxisTitle: 'device type',
    }),
    'languages.png': await renderGroupedBarChart({
      title: 'Share of learners by language',
      subtitle: `${runs}; the top 5 languages of each report; a learner with two languages counts in both`,
      labels: table.languages.map((l) => (l === '' ? '(empty)' : l)),
      series: reports.map((r, i) => ({ label: r.name, values: table.languageShares[i]! })),
      fractions: true,
      valueAxisTitle: 'share of the report’s learners',
      categoryAxisTitle: 'language',
    }),
  };
}
