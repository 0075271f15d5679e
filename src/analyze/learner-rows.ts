/** A partition's learner rows (DATA-CONTRACT §6.4), joining the per-agent, time and video figures. */
import type { UserClicks } from '../report/report-types.js';
import type { PartialLearner } from '../run/partial-result.js';
import { majority } from '../analytics/majority.js';
import type { LearnerAgents } from './count-agents.js';
import type { TimedLearner } from './time-figures.js';
import type { VideoCounts } from './video-counter.js';

/** The learner rows and the partition's first and last timed instants (null when none). */
export interface LearnerRows {
  learners: PartialLearner[];
  firstMs: number | null;
  lastMs: number | null;
}

/** One row per learner of `clicks`, in that order. */
export function learnerRows(
  clicks: UserClicks[],
  agents: Map<string, LearnerAgents>,
  timed: Map<string, TimedLearner>,
  video: VideoCounts['learners'],
): LearnerRows {
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  const learners: PartialLearner[] = clicks.map(({ username }) => {
    const a = agents.get(username) as LearnerAgents;
    const t = timed.get(username);
    const v = video.get(username);
    if (t !== undefined) {
      if (firstMs === null || t.firstMs < firstMs) firstMs = t.firstMs;
      if (lastMs === null || t.lastMs > lastMs) lastMs = t.lastMs;
    }
    return {
      firstMs: t?.firstMs ?? null,
      lastMs: t?.lastMs ?? null,
      firstDay: t?.firstDay ?? null,
      lastDay: t?.lastDay ?? null,
      days: t?.days ?? [],
      sessions: t?.sessions ?? 0,
      timeOnTaskMs: t?.timeOnTaskMs ?? 0,
      pageviews: a.pageviews,
      videoEvents: v?.events ?? 0,
      lectures: v?.lectures ?? 0,
      browser: majority(a.browsers),
      os: majority(a.os),
      device: majority(a.devices),
      language: majority(a.languages),
    };
  });
  return { learners, firstMs, lastMs };
}
