/**
 * How index.html tells retention: which course weeks it compares and from which course start, so
 * that a reader never mistakes week 0 (often a preview week) or the pre-course week -1 for the
 * course's first real week without being told.
 */
import type { Report, RetentionRow } from './report-types.js';
import { dataTable, escapeHtml, int, share } from './html-parts.js';

/** An "at a glance" card: its figure, label and sub-line (HTML, escaped). */
export interface GlanceCard {
  value: string;
  label: string;
  sub: string;
}

/**
 * The course week retention is measured against: week 0 when present, otherwise the first course
 * week present (the course start may lie before the first event); undefined when every timed event
 * is before the course start, or none is timed.
 */
export function baseWeek(retention: readonly RetentionRow[]): RetentionRow | undefined {
  return retention.find((r) => r.week >= 0);
}

const startText = (report: Report): string => escapeHtml(report.summary.retention.courseStart ?? '');

/** The retention card of the "at a glance" block: the base week against the last course week. */
export function retentionCard(report: Report): GlanceCard {
  const { retention } = report;
  const base = baseWeek(retention);
  const last = retention.at(-1);
  const before = retention[0]?.week === -1 ? retention[0] : undefined;
  const beforeNote = before !== undefined && before.active > 0 ? `; ${int(before.active)} active before it (week -1)` : '';
  const start = `course weeks from <span class="nowrap">${startText(report)}</span>`;
  if (last === undefined) return { value: '–', label: 'retention', sub: 'no timed events' };
  if (base === undefined) {
    return { value: '–', label: 'retention', sub: `every timed event is before the course start, <span class="nowrap">${startText(report)}</span>` };
  }
  if (base === last) {
    return { value: int(base.active), label: `week ${int(base.week)} retention`, sub: `learners active in the only course week; ${start}${beforeNote}` };
  }
  return {
    value: `${int(base.active)} → ${int(last.active)}`,
    label: `week ${int(base.week)} → week ${int(last.week)} retention`,
    sub: `learners active in course week ${int(base.week)} and in week ${int(last.week)}, ${share(last.active, base.active)} of week ${int(base.week)}; ${start}${beforeNote}`,
  };
}

/** The lead of the retention section (plain text): how course weeks are counted in this report. */
export function retentionLead(report: Report): string {
  const courseStart = report.summary.retention.courseStart;
  const from = courseStart === null ? 'the course start' : `the course start, ${courseStart}`;
  return (
    `Course week w holds the days 7w to 7w + 6 after ${from} (the first event’s day unless \`analyze --course-start\` gives another); ` +
    'week -1 holds every event before it. Active: learners with an event in the week; new: learners whose first event is in it; ' +
    'retained: learners whose last event is in it or later.'
  );
}

/** The retention table: its first `maxRows` weeks, each week's active learners as a share of the base week's. */
export function retentionTable(report: Report, maxRows: number): string {
  const base = baseWeek(report.retention);
  const shown = report.retention.slice(0, maxRows);
  return dataTable(
    [
      { header: 'week' },
      { header: 'first day' },
      { header: 'active', numeric: true },
      { header: 'new', numeric: true },
      { header: 'retained', numeric: true },
      { header: base === undefined ? 'active, % of week 0' : `active, % of week ${int(base.week)}`, numeric: true },
    ],
    shown.map((r) => [
      int(r.week),
      r.week < 0 ? `before ${startText(report)}` : escapeHtml(r.start),
      int(r.active),
      int(r.new),
      int(r.retained),
      r.week < 0 ? '' : share(r.active, base?.active ?? 0),
    ]),
  );
}
