/**
 * The content hash and batch preparation shared by both warehouse backends. Computing the hash here,
 * once, is what makes DuckDB and PostgreSQL store the very same `content_hash` for the same record;
 * the decision insert / update / unchanged is then made by SQL comparing hashes.
 */
import { createHash } from 'node:crypto';
import { InternalError } from '../../errors.js';
import { COURSE_CONTENT_COLUMNS, type CourseRecord } from '../course-record.js';

/**
 * SHA-256 (lower-case hex) of the JSON array of the content columns' values in
 * {@link COURSE_CONTENT_COLUMNS} order. JSON.stringify writes numbers as the shortest text that reads
 * back as the same double, so equal values always hash equally and any change of a value, a list
 * item or list order changes the hash.
 */
export function contentHash(record: CourseRecord): string {
  const values = COURSE_CONTENT_COLUMNS.map((column) => record[column]);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** A record ready for the warehouse, with its hash. */
export interface PreparedRecord extends CourseRecord {
  content_hash: string;
}

// PostgreSQL text cannot hold U+0000, DuckDB's can: replacing it in both keeps the rows identical.
const NUL = /\u0000/g;
const clean = (s: string): string => s.replace(NUL, '\uFFFD');
const cleanOrNull = (s: string | null): string | null => (s === null ? null : clean(s));

function checkNumber(record: CourseRecord, column: string, value: number | null): number | null {
  if (value !== null && !Number.isFinite(value)) {
    throw new InternalError(`course ${record.platform}/${record.id}: ${column} is ${value}; sources must give finite numbers or null`);
  }
  // -0 becomes 0: JSON (the hash, PostgreSQL's batch) cannot tell them apart, DuckDB's appender can.
  return value === 0 ? 0 : value;
}

/** Copies a record into the stored form: NUL characters replaced by U+FFFD, numbers checked finite, -0 as 0. */
function normalise(r: CourseRecord): CourseRecord {
  return {
    platform: clean(r.platform),
    id: clean(r.id),
    kind: clean(r.kind),
    url: cleanOrNull(r.url),
    title: cleanOrNull(r.title),
    partners: r.partners.map(clean),
    instructors: r.instructors.map(clean),
    language: cleanOrNull(r.language),
    level: cleanOrNull(r.level),
    categories: r.categories.map(clean),
    price: checkNumber(r, 'price', r.price),
    currency: cleanOrNull(r.currency),
    rating: checkNumber(r, 'rating', r.rating),
    ratings: checkNumber(r, 'ratings', r.ratings),
    enrolments: checkNumber(r, 'enrolments', r.enrolments),
    hours: checkNumber(r, 'hours', r.hours),
    course_ids: r.course_ids.map(clean),
    description: cleanOrNull(r.description),
  };
}

/**
 * One upsert batch as the warehouse stores it: normalised, hashed, and with one record per
 * platform and id — the last one given wins — in the order of the surviving records.
 */
export function prepareBatch(records: readonly CourseRecord[]): PreparedRecord[] {
  const byKey = new Map<string, PreparedRecord>();
  for (const record of records) {
    const r = normalise(record);
    const key = JSON.stringify([r.platform, r.id]);
    // Delete first so a later duplicate takes the position of the last occurrence.
    byKey.delete(key);
    byKey.set(key, { ...r, content_hash: contentHash(r) });
  }
  return [...byKey.values()];
}
