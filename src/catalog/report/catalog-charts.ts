/**
 * The two charts of a catalog report: `boxplots.png` (one box plot panel per summarised field, one
 * box per platform and kind) and `top-enrolments.png` (horizontal bars of the most enrolled rows).
 */
import { renderBarChart, truncateLabel } from '../../report/charts.js';
import type { StoredCourse } from '../warehouse/catalog-warehouse.js';
import { renderBoxPlot, stackPngs } from './box-plot-chart.js';
import { SUMMARY_FIELDS, TOP_ENROLMENTS, type CatalogSummary, type SummaryField } from './catalog-summary.js';

/** File names of the charts, in the order the report shows them. */
export const CATALOG_CHART_FILES = ['boxplots.png', 'top-enrolments.png'] as const;
export type CatalogChartFileName = (typeof CATALOG_CHART_FILES)[number];

const numberFormat = new Intl.NumberFormat('en-US');

const FIELD_TITLES: Record<SummaryField, { title: string; axis: string }> = {
  enrolments: { title: 'Enrolments', axis: 'enrolments per row' },
  hours: { title: 'Hours', axis: 'hours of learning' },
  price: { title: 'Price', axis: 'price (in each row’s own currency)' },
  rating: { title: 'Rating', axis: 'average rating' },
};

/** `platform · kind`: the category label of a group. */
export function groupLabel(platform: string, kind: string): string {
  return `${platform} · ${kind}`;
}

/** Characters of a bar label the top-enrolments chart shows (its own truncation limit). */
const TOP_LABEL_CHARS = 36;

/**
 * The label of a bar of the top-enrolments chart: the title (else the id), shortened so that the
 * platform after it stays visible.
 */
export function topLabel(course: StoredCourse): string {
  const suffix = ` (${course.platform})`;
  const room = Math.max(12, TOP_LABEL_CHARS - Array.from(suffix).length);
  return `${truncateLabel(course.title ?? course.id, room)}${suffix}`;
}

/** Renders both charts, keyed by file name. */
export async function renderCatalogCharts(summary: CatalogSummary, top: readonly StoredCourse[]): Promise<Record<CatalogChartFileName, Buffer>> {
  const panels: Buffer[] = [];
  for (const field of SUMMARY_FIELDS) {
    const withValues = summary.groups.reduce((sum, g) => sum + g.stats[field].count, 0);
    panels.push(
      await renderBoxPlot({
        title: `${FIELD_TITLES[field].title} by platform and kind`,
        subtitle: `${numberFormat.format(withValues)} rows with a value; box 25%–75%, red line median, whiskers min–max`,
        valueAxisTitle: FIELD_TITLES[field].axis,
        categoryAxisTitle: 'platform · kind',
        rows: summary.groups.map((g) => {
          const n = g.stats[field].count;
          return { label: `${groupLabel(g.platform, g.kind)} (${n === 0 ? 'no values' : `n=${numberFormat.format(n)}`})`, stats: g.stats[field] };
        }),
      }),
    );
  }
  return {
    'boxplots.png': await stackPngs(panels),
    'top-enrolments.png': await renderBarChart({
      title: `The ${TOP_ENROLMENTS} rows with the most enrolments`,
      subtitle: top.length < TOP_ENROLMENTS ? `only ${top.length} rows have enrolments` : 'ties ordered by platform, then id',
      labels: top.map(topLabel),
      values: top.map((c) => c.enrolments!),
      valueAxisTitle: 'enrolments',
      categoryAxisTitle: 'course (platform)',
    }),
  };
}
