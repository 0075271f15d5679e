/**
 * The rows of `courses.csv` and `top-enrolments.csv`: every column of `courses`, one line per row.
 * Null is an empty field, a list its JSON array text (unambiguous whatever the items contain),
 * a number `String(n)` (full precision), a timestamp ISO 8601 in UTC.
 */
import type { CsvValue } from '../../report/csv.js';
import type { StoredCourse } from '../warehouse/catalog-warehouse.js';

/** The header of both CSVs: the columns of `courses` in table order. */
export const COURSE_CSV_HEADER = [
  'platform', 'id', 'kind', 'url', 'title', 'partners', 'instructors', 'language', 'level', 'categories',
  'price', 'currency', 'rating', 'ratings', 'enrolments', 'hours', 'course_ids', 'description',
  'first_seen', 'last_seen', 'changed_at', 'content_hash', 'source',
] as const satisfies readonly (keyof StoredCourse)[];

function cell(value: StoredCourse[keyof StoredCourse]): CsvValue {
  if (value === null) return '';
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value as string | number;
}

/** One CSV record of a course, in {@link COURSE_CSV_HEADER} order. */
export function courseCsvRow(course: StoredCourse): CsvValue[] {
  return COURSE_CSV_HEADER.map((column) => cell(course[column]));
}
