/**
 * index.html's "At a glance" block: the six figures a reader wants first.
 */
import type { Report } from './report-types.js';
import { formatSeconds } from './duration-text.js';
import { dec, escapeHtml, int, share } from './html-parts.js';
import { retentionCard } from './retention-html.js';

function card(value: string, label: string, sub: string): string {
  return `<div class="card"><div class="value">${value}</div><div class="label">${label}</div><div class="sub">${sub}</div></div>`;
}

/** The six figures a reader wants first; values and labels are built from numbers and escaped text only. */
export function glanceBlock(report: Report): string {
  const { summary } = report;
  const { time, video, timeOnTaskSeconds, activity } = summary;
  const firstDay = report.daily[0]?.date;
  const lastDay = report.daily.at(-1)?.date;
  const retentionGlance = retentionCard(report);
  return `<div class="glance">
${card(int(summary.users), 'learners', summary.users > 0 ? `median ${dec(activity.median)} clicks per learner` : 'none')}
${card(int(summary.events), 'events', summary.events === 0 ? 'none' : time.untimed > 0 ? `${int(time.untimed)} without a time stamp${time.implausible > 0 ? ` (${int(time.implausible)} implausible)` : ''}` : 'all with a time stamp')}
${card(int(time.activeDays), 'active days', firstDay && lastDay ? `of ${int(time.days)} days, <span class="nowrap">${escapeHtml(firstDay)}</span> to <span class="nowrap">${escapeHtml(lastDay)}</span>` : 'no timed events')}
${card(escapeHtml(formatSeconds(timeOnTaskSeconds.median)), 'median time on task', `per learner with a timed event; total ${escapeHtml(formatSeconds(timeOnTaskSeconds.total))}`)}
${card(int(video.viewers), 'video viewers', `${share(video.viewers, summary.users)} of learners; ${int(video.lectures)} lectures`)}
${card(retentionGlance.value, retentionGlance.label, retentionGlance.sub)}
</div>`;
}
