/**
 * The Coursera clickstream export (DATA-CONTRACT §1–§3) as an input format: the shape that marks its
 * lines, its columns and lossless staging line (line-rules.ts), which of its columns are the event
 * model's (DATA-CONTRACT §6.1), and how its pages and video `value` payloads read. The only module
 * that knows Coursera's column names.
 */
import { ident } from '../duckdb/session.js';
import { DATASET_COLUMNS } from './dataset-columns.js';
import type { InputFormat } from './input-format.js';
import { NUMERIC_TEXT, canPassThrough, serializeEvent } from './line-rules.js';
import {
  NO_COURSE,
  ROOT_SECTION,
  UNKNOWN_ACTION,
  UNKNOWN_LECTURE,
  UNKNOWN_SECTION,
  type PageFields,
  type VideoFields,
} from './event-format.js';

/** `key` of Coursera's video events. */
export const COURSERA_VIDEO_KEY = 'user.video.lecture.action';
/** `key` of Coursera's page views. */
export const COURSERA_PAGEVIEW_KEY = 'pageview';
/** Event type of an event whose `key` is missing, not a string or empty. */
export const MISSING_EVENT_TYPE = '(missing)';

const key = ident('key');
const q = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Coursera columns → model columns. A mistyped field is null in its column (DATA-CONTRACT §3), so "not a
 * string" and "missing" are one case here.
 */
const MODEL_SELECT = [
  `${ident('username')} AS learner`,
  `${ident('timestamp')} AS time_ms`,
  `${ident('user_agent')} AS user_agent`,
  `${ident('language')} AS accept_language`,
  `CASE WHEN ${key} IS NULL OR ${key} = '' THEN ${q(MISSING_EVENT_TYPE)} ELSE ${key} END AS event_type`,
  `${ident('page_url')} AS page_url`,
  `${ident('from')} AS referrer_url`,
  `coalesce(${key} = ${q(COURSERA_PAGEVIEW_KEY)}, false) AS is_pageview`,
  `coalesce(${key} = ${q(COURSERA_VIDEO_KEY)}, false) AS is_video`,
  `CASE WHEN ${key} = ${q(COURSERA_VIDEO_KEY)} THEN ${ident('value')} END AS video_payload`,
].join(', ');

/**
 * A Coursera page: its path (WHATWG URL) split on `/`, empty segments dropped; the first segment is
 * the course slug, so the section is the second, as written (`(root)` without one); `unknown` when
 * the page is missing or not a URL. The lecture is the first `lecture_id` query parameter when
 * non-empty (decoded, as `URLSearchParams.get` gives it).
 */
export function courseraPage(page: string | null): PageFields {
  if (typeof page !== 'string') return { section: UNKNOWN_SECTION, lecture: undefined };
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return { section: UNKNOWN_SECTION, lecture: undefined };
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const lecture = url.searchParams.get('lecture_id');
  return { section: segments[1] ?? ROOT_SECTION, lecture: lecture === null || lecture === '' ? undefined : lecture };
}

const DIGITS = /^[0-9]+$/;

/**
 * A Coursera video event's `value`: only a string that `JSON.parse` turns into an object (not an
 * array, not null) tells anything. Action: `type` when a non-empty string; position: `currentTime`
 * when a finite number ≥ 0; rate: `playbackRate` when a finite number > 0. Lecture: the page's,
 * else `lectureID` when a safe non-negative integer (its decimal text) or a string of ASCII digits
 * (as written, leading zeros kept), else `unknown`.
 */
export function courseraVideo(value: string | null, pageLecture: string | undefined): VideoFields {
  let parsed: unknown;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { action: UNKNOWN_ACTION, position: undefined, rate: undefined, lecture: pageLecture ?? UNKNOWN_LECTURE };
  }
  const v = parsed as Record<string, unknown>;
  const { type, currentTime, playbackRate, lectureID } = v;
  let lecture = pageLecture;
  if (lecture === undefined) {
    if (typeof lectureID === 'number' && Number.isSafeInteger(lectureID) && lectureID >= 0) lecture = String(lectureID);
    else if (typeof lectureID === 'string' && DIGITS.test(lectureID)) lecture = lectureID;
  }
  return {
    action: typeof type === 'string' && type !== '' ? type : UNKNOWN_ACTION,
    position: typeof currentTime === 'number' && Number.isFinite(currentTime) && currentTime >= 0 ? currentTime : undefined,
    rate: typeof playbackRate === 'number' && Number.isFinite(playbackRate) && playbackRate > 0 ? playbackRate : undefined,
    lecture: lecture ?? UNKNOWN_LECTURE,
  };
}

/**
 * The shape that marks a Coursera export line: `key` a string, and `timestamp` a finite number (or a
 * text holding one) or `page_url` a string.
 */
export function isCourseraEvent(event: Readonly<Record<string, unknown>>): boolean {
  if (typeof event.key !== 'string') return false;
  const t = event.timestamp;
  return typeof event.page_url === 'string' || (typeof t === 'number' && Number.isFinite(t)) || (typeof t === 'string' && NUMERIC_TEXT.test(t));
}

/** The Coursera clickstream export. */
export const COURSERA_FORMAT: InputFormat<'coursera'> = {
  name: 'coursera',
  label: 'Coursera',
  title: 'a Coursera clickstream export',
  shortTitle: 'a Coursera export',
  description: 'a Coursera clickstream export (JSON lines with a "key" string and a numeric "timestamp" or a "page_url")',
  // Measured on generated psy-like exports.
  gzipRatio: 6.4,
  columns: DATASET_COLUMNS,
  recognizes: isCourseraEvent,
  canPassThrough,
  serialize: serializeEvent,
  modelSelect: MODEL_SELECT,
  page: courseraPage,
  video: courseraVideo,
  // A Coursera export is one course run and names no course.
  hasCourses: false,
  courseSelect: q(NO_COURSE),
};
