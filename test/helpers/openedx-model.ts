/**
 * The Open edX adapter's readings applied to one stored row in plain TypeScript: the
 * {@link ModelEvent} the adapter's SQL (OPENEDX_MODEL_SELECT) must give for the same row. The
 * reference the SQL is tested against; the product itself only runs the SQL.
 */
import type { VideoFields } from '../../src/formats/event-format.js';
import { PAGE_EVENT_TYPE, jsonObject, openEdxSection, openEdxVideo } from '../../src/formats/openedx.js';

/**
 * One event in the model every analysis reads, whatever the export it came from. Raw header values
 * stay raw (classification by §4's rules is the analysis's own business), so the adapters only say
 * where each value is and what the export-specific derivations give.
 */
export interface ModelEvent {
  username: string;
  /** Integer ms since the epoch (UTC); null for an untimed event. */
  timestamp: number | null;
  /** The raw User-Agent header; null when missing or not a string. */
  userAgent: string | null;
  /** The raw Accept-Language header; null when missing or not a string. */
  language: string | null;
  /** The raw referrer URL text; null when missing or not a string. */
  referrer: string | null;
  /** The event type as the report names it; `(missing)` when the export gives none. */
  eventType: string;
  /** Where on the course site it happened (§6.1, §7); `(root)` or `unknown` when it cannot tell. */
  section: string;
  /** True for the events learners.csv counts in `pageviews`. */
  pageview: boolean;
  /** The video fields, for a video event only. */
  video: VideoFields | null;
  /** The course the event belongs to; `(none)` when the export does not say. */
  course: string;
}

/** A row of a dataset as read back from Parquet: column name → value (strings, integers, null). */
export type DatasetRow = Readonly<Record<string, unknown>>;

/** The report's event type: `event_type`, `page` for a request path, `(missing)` when not a non-empty string. */
export function openEdxEventType(eventType: unknown): string {
  if (typeof eventType !== 'string' || eventType === '') return '(missing)';
  return eventType.startsWith('/') ? PAGE_EVENT_TYPE : eventType;
}

/** The course of an edX event: `context.course_id` when a non-empty string, otherwise `(none)`. */
export function openEdxCourse(context: unknown): string {
  const id = jsonObject(context)?.course_id;
  return typeof id === 'string' && id !== '' ? id : '(none)';
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function timestampOf(v: unknown): number | null {
  if (typeof v === 'bigint') return Number(v);
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/** A stored edX row (as read from Parquet, or as {@link openEdxRecord} gives it) on the event model. */
export function openEdxModelEvent(row: DatasetRow): ModelEvent {
  const eventType = openEdxEventType(row.event_type);
  return {
    username: String(row.username),
    timestamp: timestampOf(row.timestamp),
    userAgent: stringOrNull(row.agent),
    language: stringOrNull(row.accept_language),
    referrer: stringOrNull(row.referer),
    eventType,
    section: openEdxSection(row.event_type, row.page),
    pageview: eventType === PAGE_EVENT_TYPE,
    video: openEdxVideo(row.event_type, row.event),
    course: openEdxCourse(row.context),
  };
}

