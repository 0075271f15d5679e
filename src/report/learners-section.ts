/**
 * index.html's "Learners" section.
 */
import type { Report } from './report-types.js';
import { formatSeconds } from './duration-text.js';
import { dataTable, dataText, downloadNote, escapeHtml, int, truncationNote } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';

/** One row per learner, most clicks first; `parquet` adds the link to learners.parquet. */
export function learnersSection(report: Report, maxRows: number, parquet: boolean): PageSection {
  const shown = report.learners.slice(0, maxRows);
  const table = dataTable(
    [
      // Real usernames are 40-character hashes: monospace, allowed to wrap.
      { header: 'username', className: 'id' },
      { header: 'events', numeric: true },
      { header: 'active days', numeric: true },
      { header: 'sessions', numeric: true },
      { header: 'time on task', numeric: true },
      { header: 'video events', numeric: true },
      { header: 'lectures', numeric: true },
      { header: 'first day (UTC)', className: 'nowrap' },
      { header: 'device' },
      { header: 'language' },
    ],
    shown.map((l) => [
      dataText(l.username),
      int(l.events),
      int(l.activeDays),
      int(l.sessions),
      escapeHtml(formatSeconds(l.timeOnTaskSeconds)),
      int(l.videoEvents),
      int(l.lectures),
      l.firstEvent === null ? '<span class="muted">untimed</span>' : escapeHtml(l.firstEvent.slice(0, 10)),
      dataText(l.device),
      dataText(l.language),
    ]),
  );
  return section(
    'learners',
    'Learners',
    [
      lead('One row per learner, most clicks first; the CSV adds the first and last event’s exact time, page views, browser and operating system.'),
      table,
      truncationNote(shown.length, report.learners.length, 'learners.csv') +
        (parquet ? downloadNote('learners.csv', 'learners.parquet') : downloadNote('learners.csv')),
    ].join('\n'),
  );
}
