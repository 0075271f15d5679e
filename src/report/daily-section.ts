/**
 * index.html's "Activity per day" section.
 */
import type { Report } from './report-types.js';
import { dataTable, downloadNote, escapeHtml, int, truncationNote } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';

/** Every day with its events, active and new learners, after the daily chart. */
export function dailySection(report: Report, maxRows: number, figure: string): PageSection {
  const shown = report.daily.slice(0, maxRows);
  const table = dataTable(
    [{ header: 'date' }, { header: 'events', numeric: true }, { header: 'active learners', numeric: true }, { header: 'new learners', numeric: true }],
    shown.map((d) => [escapeHtml(d.date), int(d.events), int(d.learners), int(d.newLearners)]),
  );
  return section(
    'daily',
    'Activity per day',
    [
      lead(`Every day from the first event to the last, in time zone ${report.summary.time.timezone}, quiet days included. New learners: those whose first event falls on that day.`),
      figure,
      table,
      truncationNote(shown.length, report.daily.length, 'daily.csv') + downloadNote('daily.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
