/**
 * index.html's "Hour of the week" section.
 */
import type { Report } from './report-types.js';
import { dataTable, downloadNote, escapeHtml, int } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Events as a weekday × hour grid, after the heat map. */
export function hourOfWeekSection(report: Report, figure: string): PageSection {
  // A 7 × 24 grid reads far better than 168 rows; the CSV has the rows (and the learners).
  const cells = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const r of report.hourOfWeek) {
    const line = cells[r.weekday - 1];
    if (line && r.hour >= 0 && r.hour < 24) line[r.hour] = r.events;
  }
  const columns = [{ header: 'weekday' }, ...Array.from({ length: 24 }, (_, h) => ({ header: String(h), numeric: true }))];
  const rows = WEEKDAYS.map((day, i) => [escapeHtml(day.slice(0, 3)), ...cells[i]!.map((n) => int(n))]);
  return section(
    'hours',
    'Hour of the week',
    [
      lead(`Events by weekday and hour of the day (0–23) in time zone ${report.summary.time.timezone}. The CSV also has the distinct learners of each hour.`),
      figure,
      dataTable(columns, rows, 'grid'),
      downloadNote('hour-of-week.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
