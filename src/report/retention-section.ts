/**
 * index.html's "Retention" section.
 */
import type { Report } from './report-types.js';
import { downloadNote, truncationNote } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';
import { retentionLead, retentionTable } from './retention-html.js';

/** Learners active, new and retained per course week, after the retention chart. */
export function retentionSection(report: Report, maxRows: number, figure: string): PageSection {
  return section(
    'retention',
    'Retention',
    [
      lead(retentionLead(report)),
      figure,
      retentionTable(report, maxRows),
      truncationNote(Math.min(maxRows, report.retention.length), report.retention.length, 'retention.csv') + downloadNote('retention.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
