/**
 * Column lists and row conversion shared by both backends, so that both read their rows into the
 * very same objects (numbers as numbers, lists as arrays, timestamps as Dates, code point order).
 */
import { COURSE_CONTENT_COLUMNS } from '../course-record.js';
import type { CourseVersion, CrawlRow, StoredCourse } from './catalog-warehouse.js';
import { compareCodePoints } from '../../util/compare.js';

/** The content columns, comma-separated, in table order. */
export const CONTENT_COLUMNS_SQL = COURSE_CONTENT_COLUMNS.join(', ');

/**
 * The SELECT of current rows: those whose `last_seen` is not before the start of their source's
 * latest complete crawl; every row of a source without a complete crawl. Valid in both dialects.
 */
export const CURRENT_COURSES_SQL = `
  SELECT c.* FROM courses c
  LEFT JOIN (SELECT source, max(started) AS latest FROM crawls WHERE complete GROUP BY source) l ON l.source = c.source
  WHERE l.latest IS NULL OR c.last_seen >= l.latest`;

type Raw = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown): number => Number(v);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const date = (v: unknown): Date => (v instanceof Date ? new Date(v.getTime()) : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

function content(r: Raw) {
  return {
    platform: String(r.platform),
    id: String(r.id),
    kind: String(r.kind),
    url: str(r.url),
    title: str(r.title),
    partners: list(r.partners),
    instructors: list(r.instructors),
    language: str(r.language),
    level: str(r.level),
    categories: list(r.categories),
    price: num(r.price),
    currency: str(r.currency),
    rating: num(r.rating),
    ratings: num(r.ratings),
    enrolments: num(r.enrolments),
    hours: num(r.hours),
    course_ids: list(r.course_ids),
    description: str(r.description),
  };
}

export function toStoredCourse(r: Raw): StoredCourse {
  return {
    ...content(r),
    source: String(r.source),
    first_seen: date(r.first_seen),
    last_seen: date(r.last_seen),
    changed_at: date(r.changed_at),
    content_hash: String(r.content_hash),
  };
}

export function toCourseVersion(r: Raw): CourseVersion {
  return { ...content(r), valid_from: date(r.valid_from), valid_to: dateOrNull(r.valid_to), content_hash: String(r.content_hash) };
}

export function toCrawlRow(r: Raw): CrawlRow {
  return {
    id: int(r.id),
    source: String(r.source),
    platform: String(r.platform),
    started: date(r.started),
    finished: dateOrNull(r.finished),
    complete: Boolean(r.complete),
    pages: int(r.pages),
    errors: int(r.errors),
    error_causes: JSON.parse(String(r.error_causes)) as Record<string, number>,
    inserted: int(r.inserted),
    updated: int(r.updated),
    unchanged: int(r.unchanged),
    gone: int(r.gone),
  };
}

/** Sorts courses by platform then id, by code points: the same order whatever the database's collation. */
export function sortCourses<T extends { platform: string; id: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareCodePoints(a.platform, b.platform) || compareCodePoints(a.id, b.id));
}

/** Sorts versions by platform, id, then valid_from. */
export function sortVersions(rows: CourseVersion[]): CourseVersion[] {
  return rows.sort(
    (a, b) => compareCodePoints(a.platform, b.platform) || compareCodePoints(a.id, b.id) || a.valid_from.getTime() - b.valid_from.getTime(),
  );
}

/** `error_causes` as stored: JSON with the causes in code point order, so equal maps store equal text. */
export function errorCausesJson(causes: Record<string, number>): string {
  const sorted: Record<string, number> = {};
  for (const key of Object.keys(causes).sort(compareCodePoints)) sorted[key] = causes[key]!;
  return JSON.stringify(sorted);
}

/** Sum of the counts of `error_causes`. */
export function errorTotal(causes: Record<string, number>): number {
  return Object.values(causes).reduce((sum, n) => sum + n, 0);
}
