import type { CourseRecord } from './course-record.js';

/** The numeric columns of a course: none may be negative or beyond a double's range. */
export const NUMERIC_COLUMNS = ['price', 'rating', 'ratings', 'enrolments', 'hours'] as const satisfies readonly (keyof CourseRecord)[];

/**
 * The record with every numeric column that is not finite (`"1e400"`, a 400-digit count, a
 * duration of 10^400 hours all read as Infinity) or is negative set to null, and the causes
 * (`out_of_range:<column>`) to count. A hostile or broken page must lose only that field: the
 * warehouse refuses such numbers, and one of them once stopped a whole crawl. Pure.
 */
export function dropOutOfRange(record: CourseRecord): { record: CourseRecord; causes: string[] } {
  const causes: string[] = [];
  let out = record;
  for (const column of NUMERIC_COLUMNS) {
    const v = record[column];
    if (v === null || (Number.isFinite(v) && v >= 0)) continue;
    if (out === record) out = { ...record };
    out[column] = null;
    causes.push(`out_of_range:${column}`);
  }
  return { record: out, causes };
}
