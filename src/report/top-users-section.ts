/**
 * index.html's "Most active learners" section.
 */
import type { Report } from './report-types.js';
import { dataTable, dataText, downloadNote, int, truncationNote } from './html-parts.js';
import { section, type PageSection } from './page-section.js';

/** The learners with the most clicks. */
export function topUsersSection(report: Report, maxRows: number): PageSection {
  const topUsers = report.summary.topUsers.slice(0, maxRows);
  const table = dataTable(
    [{ header: '#', numeric: true }, { header: 'username' }, { header: 'clicks', numeric: true }],
    topUsers.map((u, i) => [String(i + 1), dataText(u.username), int(u.clicks)]),
  );
  return section('top', 'Most active learners', `${table}\n${truncationNote(topUsers.length, report.users.length, 'users.csv')}${downloadNote('users.csv')}`);
}
