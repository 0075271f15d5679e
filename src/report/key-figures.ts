/**
 * index.html's "Key figures": input, clicks per learner, time, sessions and time on task.
 */
import type { Report } from './report-types.js';
import { REJECT_REASONS, type RejectReason } from '../types.js';
import { formatSeconds } from './duration-text.js';
import { dec, escapeHtml, figureTable, int } from './html-parts.js';

const REJECT_LABELS: Record<RejectReason, string> = {
  invalid_json: 'invalid JSON',
  not_object: 'not a JSON object',
  missing_username: 'missing username',
  too_long: 'line too long',
  other_format: 'of the other format',
};

/** The tables of key figures, side by side, with a note on rounding. */
export function keyFigures(report: Report): string {
  const { summary } = report;
  const { input, activity, time, sessions, timeOnTaskSeconds } = summary;
  const rejectedTotal = REJECT_REASONS.reduce((sum, r) => sum + (input.rejected[r] ?? 0), 0);
  const seconds = (s: number): string => `${escapeHtml(formatSeconds(s))}`;
  const tables = [
    figureTable('Input', [
      ['events', int(summary.events)],
      ['learners', int(summary.users)],
      ['input lines', int(input.lines)],
      ['blank lines', int(input.blank)],
      ['rejected lines', int(rejectedTotal)],
      ...REJECT_REASONS.filter((r) => input.rejected[r] !== undefined).map((r): [string, string] => [`&nbsp;&nbsp;${escapeHtml(REJECT_LABELS[r])}`, int(input.rejected[r]!)]),
    ]),
    figureTable('Clicks per learner', [
      ['minimum', dec(activity.min)],
      ['median', dec(activity.median)],
      ['mean', dec(activity.mean)],
      ['90th percentile', dec(activity.p90)],
      ['99th percentile', dec(activity.p99)],
      ['maximum', dec(activity.max)],
    ]),
    figureTable('Time', [
      ['time zone', escapeHtml(time.timezone)],
      ['first event (UTC)', time.first === null ? '–' : escapeHtml(time.first)],
      ['last event (UTC)', time.last === null ? '–' : escapeHtml(time.last)],
      ['days, first to last', int(time.days)],
      ['active days', int(time.activeDays)],
      ['untimed events', int(time.untimed)],
      ['of which implausible times (before 1990 or from 2100 on)', int(time.implausible)],
      ['course start (week 0)', summary.retention.courseStart === null ? '–' : escapeHtml(summary.retention.courseStart)],
    ]),
    figureTable(`Sessions (a new one after ${dec(sessions.gapMinutes)} min without events)`, [
      ['sessions', int(sessions.count)],
      ['sessions per learner, median', dec(sessions.perLearner.median)],
      ['sessions per learner, mean', dec(sessions.perLearner.mean)],
      ['session duration, median', seconds(sessions.durationSeconds.median)],
      ['session duration, 90th percentile', seconds(sessions.durationSeconds.p90)],
      ['session duration, maximum', seconds(sessions.durationSeconds.max)],
    ]),
    figureTable('Time on task per learner', [
      ['median', seconds(timeOnTaskSeconds.median)],
      ['mean', seconds(timeOnTaskSeconds.mean)],
      ['90th percentile', seconds(timeOnTaskSeconds.p90)],
      ['maximum', seconds(timeOnTaskSeconds.max)],
      ['total, all learners', seconds(timeOnTaskSeconds.total)],
    ]),
  ];
  return `<div class="figures">\n${tables.join('\n')}\n</div>\n<p class="note">Durations are rounded here; summary.json and the CSVs have them exact, in seconds.</p>`;
}
