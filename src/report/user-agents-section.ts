/**
 * index.html's "User agents" section.
 */
import type { Report } from './report-types.js';
import { dataTable, dataText, downloadNote, escapeHtml, int, truncationNote } from './html-parts.js';
import { section, type PageSection } from './page-section.js';

/** Raw user agents with how each was classified. */
export function userAgentsSection(report: Report, maxRows: number): PageSection {
  const agents = report.userAgents.slice(0, maxRows);
  const rows = agents.map((a) => [
    a.userAgent === '' ? '<span class="muted">(missing)</span>' : escapeHtml(a.userAgent),
    dataText(a.browser),
    dataText(a.os),
    dataText(a.device),
    int(a.events),
    int(a.users),
  ]);
  const table = dataTable(
    // Raw user agents are long and unbroken: monospace, wrapping anywhere.
    [{ header: 'user agent', className: 'ua' }, { header: 'browser' }, { header: 'OS' }, { header: 'device' }, { header: 'events', numeric: true }, { header: 'learners', numeric: true }],
    rows,
  );
  return section(
    'user-agents',
    'User agents',
    `${table}\n${truncationNote(agents.length, report.userAgents.length, 'user-agents.csv')}${downloadNote('user-agents.csv')}`,
  );
}
