/**
 * The Open edX tracking log adapter (data contract §7): how a parsed line is stored (edX's own key
 * names as columns, `event` and `context` as JSON text, `time` also as integer ms in `timestamp`)
 * and how a stored row maps onto the event model of §6. Pure functions only; docs/OPENEDX.md has
 * the full mapping table and the reasons behind every decision the contract leaves open.
 */
import { numberOrNumericText, serializeLossless, toWellFormed } from './line-rules.js';
import { EXTRA_COLUMN, type ColumnInfo } from '../types.js';
import { ident, literal } from '../duckdb/session.js';
import { ROOT_SECTION, UNKNOWN_ACTION, UNKNOWN_LECTURE, UNKNOWN_SECTION, type PageFields, type VideoFields } from './event-format.js';
import type { InputFormat } from './input-format.js';

/** Top-level keys edX writes as strings; each becomes a VARCHAR column of the same name. */
export const OPENEDX_STRING_FIELDS = [
  'username',
  'event_type',
  'event_source',
  'time',
  'page',
  'referer',
  'agent',
  'accept_language',
  'ip',
  'host',
  'session',
  'name',
] as const;

/** The dataset columns of an edX dataset, in order. */
export const OPENEDX_COLUMNS: readonly ColumnInfo[] = [
  { name: 'username', type: 'VARCHAR' },
  { name: 'event_type', type: 'VARCHAR' },
  { name: 'event_source', type: 'VARCHAR' },
  { name: 'time', type: 'VARCHAR' },
  // Derived from `time`, so that time filters and sessions read one integer column in any format.
  { name: 'timestamp', type: 'BIGINT' },
  { name: 'event', type: 'VARCHAR' },
  { name: 'page', type: 'VARCHAR' },
  { name: 'referer', type: 'VARCHAR' },
  { name: 'agent', type: 'VARCHAR' },
  { name: 'accept_language', type: 'VARCHAR' },
  { name: 'ip', type: 'VARCHAR' },
  { name: 'host', type: 'VARCHAR' },
  { name: 'session', type: 'VARCHAR' },
  { name: 'context', type: 'VARCHAR' },
  { name: 'name', type: 'VARCHAR' },
  { name: EXTRA_COLUMN, type: 'VARCHAR' },
];

const STRING_FIELD_SET: ReadonlySet<string> = new Set(OPENEDX_STRING_FIELDS);

// ---------------------------------------------------------------------------------------------
// Time

// ISO 8601 date and time of day with seconds: `T` (or a space, as RFC 3339 allows) between them,
// any number of fraction digits, and an optional zone: `Z`, `±HH:MM`, `±HHMM` or `±HH`.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (exact for every year, unlike Date.UTC's 0–99). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * edX's `time` as integer ms since the epoch: ISO 8601 with seconds, no zone meaning UTC, the
 * fraction beyond milliseconds truncated (digits dropped, never rounded); null for anything else,
 * including out-of-range fields (year 0000, month 13, 24:00, a leap second, February 30).
 */
export function parseOpenEdxTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = ISO_TIME.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const local = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
  return local - offsetMinutes * 60_000 + 0; // + 0 turns -0 into 0
}

// ---------------------------------------------------------------------------------------------
// Convert: a parsed line → its staging record

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The staging record of an edX event: each documented string key as its (well-formed) text, `event`
 * as its text when a string and as its JSON text when an object, `context` as its JSON text when an
 * object, `timestamp` from `time`, and in `_extra`, as one JSON text, every other key and every
 * documented key whose value had another type (so `_extra` makes the conversion lossless).
 */
export function openEdxRecord(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // Null prototypes: a key named "__proto__" must stay an ordinary key.
  const out: Record<string, unknown> = Object.create(null);
  const extra: Record<string, unknown> = Object.create(null);
  let hasExtra = false;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (STRING_FIELD_SET.has(key)) {
      if (v === null || typeof v === 'string') {
        out[key] = v === null ? null : toWellFormed(v);
        continue;
      }
    } else if (key === 'event') {
      if (v === null || typeof v === 'string') {
        out.event = v === null ? null : toWellFormed(v);
        continue;
      }
      if (isPlainObject(v)) {
        out.event = JSON.stringify(v);
        continue;
      }
    } else if (key === 'context') {
      if (v === null || isPlainObject(v)) {
        out.context = v === null ? null : JSON.stringify(v);
        continue;
      }
    }
    extra[key] = v;
    hasExtra = true;
  }
  out.timestamp = parseOpenEdxTime(value.time);
  if (hasExtra) out[EXTRA_COLUMN] = JSON.stringify(extra);
  return out;
}

/**
 * The staging line of an edX event: {@link openEdxRecord} as JSON, or, for an object that
 * JSON.stringify cannot write back faithfully, its flat string fields, `timestamp` and the whole
 * original line in `_extra` under `$line` (the same lossless rule as for Coursera exports).
 */
export function serializeOpenEdxEvent(value: Readonly<Record<string, unknown>>, text: string): string {
  return serializeLossless(value, text, { record: openEdxRecord, stringFields: OPENEDX_STRING_FIELDS, timestamp: (v) => parseOpenEdxTime(v.time) });
}

// ---------------------------------------------------------------------------------------------
// Analyze: a stored row → the event model

/** Event type of a request path (a server event whose `event_type` starts with `/`). */
export const PAGE_EVENT_TYPE = 'page';

// edX's own URL pattern for a course key (COURSE_KEY_PATTERN in edx-platform's settings): three
// parts separated by `/` (old `Org/Number/Run` ids, three path segments) or `+`
// (`course-v1:Org+Number+Run`, one segment).
const COURSE_KEY = /^[^/+]+[/+][^/+]+[/+][^/?]+/;

/**
 * The section of a path: after `/courses/<course id>/` the next segment (`courseware`, `discussion`,
 * `progress`, `info`, …); for any other path its first segment (`dashboard`, `xblock`, `courses`
 * for a course's own root); `(root)` when the path has no segment. Empty segments are dropped and
 * segments kept as written.
 */
export function sectionOfPath(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  const first = segments[0];
  if (first === undefined) return ROOT_SECTION;
  if (first === 'courses' && segments.length > 1) {
    const rest = segments.slice(1).join('/');
    const key = COURSE_KEY.exec(rest);
    if (key !== null && rest.charCodeAt(key[0].length) === 0x2f) {
      return rest.slice(key[0].length + 1).split('/')[0]!;
    }
  }
  return first;
}

/**
 * Where an edX event happened: a request path in `event_type` (its text up to any `?` or `#`), else
 * the path of `page` parsed as a WHATWG URL; `unknown` when `page` is missing, not a string, or not
 * a URL (edX writes `x_module` there for some server events).
 */
export function openEdxSection(eventType: unknown, page: unknown): string {
  if (typeof eventType === 'string' && eventType.startsWith('/')) {
    const end = eventType.search(/[?#]/);
    return sectionOfPath(end === -1 ? eventType : eventType.slice(0, end));
  }
  return sectionOfPage(page);
}

/** The section of `page` parsed as a WHATWG URL; `unknown` when missing, not a string or not a URL. */
function sectionOfPage(page: unknown): string {
  if (typeof page !== 'string') return UNKNOWN_SECTION;
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return UNKNOWN_SECTION;
  }
  return sectionOfPath(url.pathname);
}

/** Video event types, browser and mobile names alike, and the action each one is. */
export const OPENEDX_VIDEO_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['play_video', 'play'],
  ['pause_video', 'pause'],
  ['seek_video', 'seeked'],
  ['speed_change_video', 'ratechange'],
  ['load_video', 'load'],
  ['stop_video', 'stop'],
  ['edx.video.played', 'play'],
  ['edx.video.paused', 'pause'],
  ['edx.video.position.changed', 'seeked'],
  ['edx.video.speed.changed', 'ratechange'],
  ['edx.video.loaded', 'load'],
  ['edx.video.stopped', 'stop'],
]);

/** An `event` or `context` value as an object: an object itself, or a text JSON.parse turns into one. */
export function jsonObject(value: unknown): Record<string, unknown> | null {
  if (isPlainObject(value)) return value;
  if (typeof value !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  return isPlainObject(parsed) ? parsed : null;
}

/**
 * The video fields of an edX event, or null when `event_type` is not a video event. `event` (a JSON
 * text or an object) gives lecture = `id` (a non-empty string), position = `currentTime` (for a seek:
 * `new_time`) when ≥ 0, rate = the first of `new_speed`, `speed` that is > 0; each a finite number or
 * a text holding one.
 */
export function openEdxVideo(eventType: unknown, event: unknown): VideoFields | null {
  if (typeof eventType !== 'string') return null;
  const action = OPENEDX_VIDEO_ACTIONS.get(eventType);
  if (action === undefined) return null;
  const payload = jsonObject(event);
  if (payload === null) return { action, position: undefined, rate: undefined, lecture: UNKNOWN_LECTURE };
  const id = payload.id;
  const lecture = typeof id === 'string' && id !== '' ? id : UNKNOWN_LECTURE;
  const p = numberOrNumericText(action === 'seeked' ? payload.new_time : payload.currentTime);
  let rate: number | undefined;
  for (const candidate of [payload.new_speed, payload.speed]) {
    const r = numberOrNumericText(candidate);
    if (r !== null && r > 0) {
      rate = r;
      break;
    }
  }
  return { action, position: p !== null && p >= 0 ? p : undefined, rate, lecture };
}

/** The shape that marks an edX tracking log line: `event_type` and `time`, both strings. */
export function isOpenEdxEvent(event: Readonly<Record<string, unknown>>): boolean {
  return typeof event.event_type === 'string' && typeof event.time === 'string';
}

// ---------------------------------------------------------------------------------------------
// Analyze: the same mapping in the form the partition jobs run it (SQL, then per distinct value).

const eventType = ident('event_type');
const IS_PATH = `coalesce(starts_with(${eventType}, '/'), false)`;
const IS_VIDEO = `coalesce(${eventType} IN (${[...OPENEDX_VIDEO_ACTIONS.keys()].map(literal).join(', ')}), false)`;

/**
 * The model's `page_url` of an edX event names where to read its section from, tagged so that the
 * two sources never meet: `path:` and the request path in `event_type`, or `url:` and `page`. (A
 * `page` that is itself a path is not a URL, so its section is `unknown`; untagged, it would read
 * as a request path.)
 */
export const PATH_TAG = 'path:';
export const URL_TAG = 'url:';

/** The video payload: `event_type`, a newline, then `event` (none of the names holds a newline). */
const VIDEO_PAYLOAD_SEPARATOR = '\n';

/**
 * edX columns → model columns (see {@link MODEL_COLUMNS}). Mistyped fields were stored as null
 * (the value kept in `_extra`), so "not a string" and "missing" are one case here.
 */
export const OPENEDX_MODEL_SELECT = [
  `${ident('username')} AS learner`,
  `${ident('timestamp')} AS time_ms`,
  `${ident('agent')} AS user_agent`,
  `${ident('accept_language')} AS accept_language`,
  `CASE WHEN ${eventType} IS NULL OR ${eventType} = '' THEN ${literal('(missing)')} WHEN ${IS_PATH} THEN ${literal(PAGE_EVENT_TYPE)} ELSE ${eventType} END AS event_type`,
  `CASE WHEN ${IS_PATH} THEN ${literal(PATH_TAG)} || ${eventType} WHEN ${ident('page')} IS NOT NULL THEN ${literal(URL_TAG)} || ${ident('page')} END AS page_url`,
  `${ident('referer')} AS referrer_url`,
  `${IS_PATH} AS is_pageview`,
  `${IS_VIDEO} AS is_video`,
  `CASE WHEN ${IS_VIDEO} THEN ${eventType} || chr(10) || coalesce(${ident('event')}, '') END AS video_payload`,
].join(', ');

/**
 * The course of an edX event in DuckDB: `context.course_id` when a non-empty string, else `(none)`
 * (test/helpers/openedx-model.ts computes the same in TypeScript, the reference it is tested against). For the model's course column when the analysis has one.
 */
export const OPENEDX_COURSE_SELECT =
  `CASE WHEN json_valid(${ident('context')}) AND json_type(${ident('context')}, '$.course_id') = 'VARCHAR' ` +
  `AND json_extract_string(${ident('context')}, '$.course_id') <> '' ` +
  `THEN json_extract_string(${ident('context')}, '$.course_id') ELSE ${literal('(none)')} END`;

/** The section a tagged model `page_url` names (see {@link PATH_TAG}); edX pages name no lecture. */
export function openEdxPage(page: string | null): PageFields {
  if (page === null) return { section: UNKNOWN_SECTION, lecture: undefined };
  if (page.startsWith(PATH_TAG)) return { section: openEdxSection(page.slice(PATH_TAG.length), null), lecture: undefined };
  if (page.startsWith(URL_TAG)) return { section: sectionOfPage(page.slice(URL_TAG.length)), lecture: undefined };
  return { section: UNKNOWN_SECTION, lecture: undefined };
}

/** The video fields of a model `video_payload` (event type, newline, event text). */
export function openEdxVideoPayload(payload: string | null, _pageLecture?: string): VideoFields {
  const cut = payload === null ? -1 : payload.indexOf(VIDEO_PAYLOAD_SEPARATOR);
  const fields = cut === -1 ? null : openEdxVideo(payload!.slice(0, cut), payload!.slice(cut + 1));
  return fields ?? { action: UNKNOWN_ACTION, position: undefined, rate: undefined, lecture: UNKNOWN_LECTURE };
}

/** The Open edX tracking log. */
export const OPENEDX_FORMAT: InputFormat<'openedx'> = {
  name: 'openedx',
  label: 'Open edX',
  title: 'an Open edX tracking log',
  shortTitle: 'an Open edX log',
  description: 'an Open edX tracking log (JSON lines with "event_type" and "time" strings)',
  readmeSection: 'open-edx-tracking-logs',
  // Tracking logs repeat long keys, user agents and course ids on every line: 16.7 : 1 measured on
  // generated logs (docs/OPENEDX.md §10).
  gzipRatio: 16,
  columns: OPENEDX_COLUMNS,
  recognizes: isOpenEdxEvent,
  serialize: serializeOpenEdxEvent,
  modelSelect: OPENEDX_MODEL_SELECT,
  page: openEdxPage,
  video: openEdxVideoPayload,
  hasCourses: true,
  courseSelect: OPENEDX_COURSE_SELECT,
};
