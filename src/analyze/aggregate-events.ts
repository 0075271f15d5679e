/**
 * Everything a partition job computes, over one partition's events: version 1's counts (DATA-CONTRACT §5)
 * and the learning analytics (DATA-CONTRACT §6), in the mergeable form of {@link PartialResult}.
 *
 * The partition's Parquet file is read through the format adapter's SQL (the event model, see
 * partition-model.ts) three times, each reading only the columns it needs: one grouped pass
 * (grouped-pass.ts) for the counts by learner and agent, event type, page, referrer and (formats that
 * name one) course; the timed events (learner, time) into a narrow temp table for days, hours and the
 * session window functions (time-figures.ts); and the video payloads (video-counter.ts). Values only
 * JavaScript reads exactly (user agents, language headers, page and referrer URLs, zone offsets) are
 * classified once per distinct value and joined back. Counting and distinct learners stay in DuckDB.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UserAgentClassifier } from '../classify/user-agent.js';
import type { EventFormat } from '../formats/event-format.js';
import type { PartialAnalytics, PartialResult } from '../run/partial-result.js';
import type { AnalysisSettings } from '../analytics/analysis-settings.js';
import type { ZoneCalendar } from '../analytics/zone-calendar.js';
import { countAgents, type AgentCounts } from './count-agents.js';
import { groupedPass, type GroupedCounts } from './grouped-pass.js';
import { learnerRows, type LearnerRows } from './learner-rows.js';
import { writeLearnersParquet } from './learners-parquet.js';
import { openPartitionModel, type PartitionModel } from './partition-model.js';
import { timeFigures, type TimeFigures } from './time-figures.js';
import { countVideos, type VideoCounts } from './video-counter.js';

/** What {@link aggregateEvents} works with, besides the connection. */
export interface AggregateEventsOptions {
  /** The partition's Parquet file. */
  path: string;
  partition: number;
  settings: AnalysisSettings;
  format: EventFormat;
  calendar: ZoneCalendar;
  /** Shared by the jobs of a thread: partitions repeat the same agents. */
  classifier: UserAgentClassifier;
  /** Where to write the partition's rows of learners.parquet (written whole, then renamed by the caller). */
  learnersPath: string;
  /** File name recorded in the partial for {@link learnersPath}. */
  learnersFile: string;
}

/** The partial result, and how many rows the Parquet file held (kept and left out). */
export interface AggregatedPartition {
  partial: PartialResult;
  rows: number;
}

/** Aggregates one partition. The connection's temp tables are the caller's to drop (close it). */
export async function aggregateEvents(conn: DuckDBConnection, options: AggregateEventsOptions): Promise<AggregatedPartition> {
  const { path, settings, format, calendar, classifier } = options;
  const opened = await openPartitionModel(conn, path, settings, format, classifier);
  const grouped = await groupedPass(conn, opened, format);
  const v1 = await countAgents(grouped.perAgent, classifier);
  let events = 0;
  for (const c of v1.clicks) events += c.clicks;
  const video = await countVideos(conn, opened, format, grouped.lectureForNull);
  const time = await timeFigures(conn, opened, calendar, settings.sessionGapMinutes, events);
  const rows = learnerRows(v1.clicks, v1.learners, time.timed, video.learners);
  await writeLearnersParquet(conn, options.learnersPath, v1.clicks, rows.learners);
  return { partial: partialResult(options, opened, grouped, v1, events, video, time, rows), rows: opened.total };
}

/** The figures in the shape of {@link PartialResult}. */
function partialResult(
  options: AggregateEventsOptions,
  opened: PartitionModel,
  grouped: GroupedCounts,
  v1: AgentCounts,
  events: number,
  video: VideoCounts,
  time: TimeFigures,
  rows: LearnerRows,
): PartialResult {
  const analytics: PartialAnalytics = {
    untimed: time.untimed,
    implausible: grouped.implausible,
    firstMs: rows.firstMs,
    lastMs: rows.lastMs,
    eventTypes: grouped.eventTypes,
    sections: grouped.sections,
    referrers: grouped.referrers,
    days: time.days,
    hourOfWeek: time.hourOfWeek,
    sessionDurations: time.sessionDurations,
    video: {
      events: video.events,
      viewers: video.learners.size,
      actions: video.actions,
      playbackRates: video.playbackRates,
      lectures: video.lectures,
    },
    learners: rows.learners,
    learnersFile: options.learnersFile,
  };
  const partial: PartialResult = {
    partition: options.partition,
    events,
    users: v1.clicks.length,
    browsers: v1.browsers,
    os: v1.os,
    devices: v1.devices,
    languages: v1.languages,
    userAgents: v1.userAgents,
    clicks: v1.clicks,
    leftOut: opened.total - events,
    analytics,
  };
  if (opened.outsideCourse !== undefined) {
    partial.leftOut -= opened.outsideCourse;
    partial.outsideCourse = opened.outsideCourse;
    partial.otherCourses = opened.otherCourses ?? [];
  }
  if (grouped.courses !== undefined) analytics.courses = grouped.courses;
  return partial;
}
