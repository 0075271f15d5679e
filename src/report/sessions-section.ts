/**
 * index.html's "Sessions" section.
 */
import type { Report } from './report-types.js';
import { dataTable, dec, downloadNote, escapeHtml, int, share } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';

/** How sessions are cut and how long they last, after the durations chart. */
export function sessionsSection(report: Report, figure: string): PageSection {
  const { sessions } = report.summary;
  const table = dataTable(
    [{ header: 'duration' }, { header: 'sessions', numeric: true }, { header: '% of sessions', numeric: true }],
    report.sessionDurations.map((b) => [escapeHtml(b.bucket), int(b.sessions), share(b.sessions, sessions.count)]),
  );
  return section(
    'sessions',
    'Sessions',
    [
      lead(
        `A learner's timed events form sessions: a new one starts after more than ${dec(sessions.gapMinutes)} minutes without an event. A session lasts from its first event to its last (0 for a single event); a learner's time on task is the sum of their sessions.`,
      ),
      figure,
      table,
      downloadNote('session-durations.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
