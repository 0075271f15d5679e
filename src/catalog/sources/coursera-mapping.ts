import type { CourseRecord } from '../course-record.js';
import { isAbsent, isObject, numberOf, strictNumber, strictString, strictStringList, type Causes, type Json } from './json-values.js';

/** Where Coursera's `objectUrl` paths live. */
export const COURSERA_SITE = 'https://www.coursera.org';

/** A search hit mapped onto the common schema, with what the source must still ask for. */
export interface MappedHit {
  record: CourseRecord;
  causes: Causes;
  /** `course` (price API), `bundle` (specialization API: `s12n~` ids) or `other` (nothing more). */
  needs: 'price' | 'course_ids' | 'nothing';
  /** A bundle's slug: the last segment of `objectUrl`. */
  slug: string | undefined;
}

/**
 * Maps one hit of the Algolia products index (DATA-CONTRACT §8 `coursera`; docs/CATALOG-crawl.md). Returns
 * undefined for a hit without a string `objectID`, which cannot be stored (counted `missing:id`).
 * `price` and `currency` are left null: the price API fills a course's.
 */
export function mapAlgoliaHit(hit: Json): MappedHit | undefined {
  if (!isObject(hit) || typeof hit.objectID !== 'string' || hit.objectID.trim() === '') return undefined;
  const causes: Causes = [];
  const objectId = hit.objectID.trim();
  const prefix = /^(course|s12n)~/.exec(objectId)?.[1];
  const id = prefix ? objectId.slice(prefix.length + 1) : objectId;

  let kind: string;
  if (typeof hit.entityType === 'string' && hit.entityType.trim()) kind = hit.entityType.trim().toLowerCase().replace(/\s+/g, '-');
  else {
    // kind is never null: fall back to what the id's prefix says, and count the field.
    causes.push(isAbsent(hit.entityType) ? 'missing:kind' : 'wrong_type:kind');
    kind = prefix === 'course' ? 'course' : prefix === 's12n' ? 'specialization' : 'unknown';
  }

  const path = strictString(hit.objectUrl, 'url', causes);
  const url = path === null ? null : /^https?:\/\//.test(path) ? path : `${COURSERA_SITE}${path.startsWith('/') ? '' : '/'}${path}`;
  const slug = path === null ? undefined : path.split(/[?#]/)[0]!.split('/').filter(Boolean).pop();

  // The contract names the field `enrolments`; the live index spells it `enrollments`: either is read.
  const enrolmentsField = isAbsent(hit.enrolments) ? hit.enrollments : hit.enrolments;

  const record: CourseRecord = {
    platform: 'coursera',
    id,
    kind,
    url,
    title: strictString(hit.name, 'title', causes),
    partners: strictStringList(hit.partners, 'partners', causes),
    instructors: strictStringList(hit.instructors, 'instructors', causes),
    language: strictString(hit.language, 'language', causes),
    level: strictString(hit.productDifficultyLevel, 'level', causes),
    categories: strictStringList(hit.skills, 'categories', causes),
    price: null,
    currency: null,
    rating: strictNumber(hit.avgProductRating, 'rating', causes),
    ratings: strictNumber(hit.numProductRatings, 'ratings', causes),
    enrolments: strictNumber(enrolmentsField, 'enrolments', causes),
    hours: strictNumber(hit.avgLearningHours, 'hours', causes),
    course_ids: [],
    description: strictString(hit.description, 'description', causes),
  };
  const needs = prefix === 'course' ? 'price' : prefix === 's12n' ? 'course_ids' : 'nothing';
  return { record, causes, needs, slug };
}

/** The first element of a Coursera API answer `{ "elements": [ … ] }`, or undefined. */
function firstElement(body: Json): Record<string, Json> | undefined {
  if (!isObject(body) || !Array.isArray(body.elements)) return undefined;
  const first = body.elements[0];
  return isObject(first) ? first : undefined;
}

/** `course_ids` from the specialization API's answer; causes counted when it has none. */
export function readSpecializationCourseIds(body: Json, causes: Causes): string[] {
  const element = firstElement(body);
  if (!element) {
    causes.push('wrong_type:course_ids');
    return [];
  }
  return strictStringList(element.courseIds, 'course_ids', causes);
}

/** `price` and `currency` from the price API's answer; causes counted for what is missing or mistyped. */
export function readPrice(body: Json, causes: Causes): { price: number | null; currency: string | null } {
  const element = firstElement(body);
  if (!element) {
    causes.push('wrong_type:price', 'wrong_type:currency');
    return { price: null, currency: null };
  }
  let price: number | null = null;
  if (isAbsent(element.amount)) causes.push('missing:price');
  else {
    price = numberOf(element.amount, false) ?? null;
    if (price === null) causes.push('wrong_type:price');
  }
  return { price, currency: strictString(element.currencyCode, 'currency', causes) };
}

/** The search page URL: the `--algolia` endpoint with its own parameters, plus query, hitsPerPage and page. */
export function algoliaPageUrl(endpoint: string, page: number, hitsPerPage: number): string {
  const u = new URL(endpoint);
  if (!u.searchParams.has('query')) u.searchParams.set('query', '');
  u.searchParams.set('hitsPerPage', String(hitsPerPage));
  u.searchParams.set('page', String(page));
  return u.href;
}

/** The specialization API URL of a bundle's slug. */
export function specializationUrl(api: string, slug: string): string {
  return `${api.replace(/\/+$/, '')}/onDemandSpecializations.v1?q=slug&slug=${encodeURIComponent(slug)}&fields=courseIds,id`;
}

/** The price API URL of a course (its id without `course~`). */
export function priceUrl(api: string, courseId: string, currency: string, country: string): string {
  const key = [courseId, currency, country].map(encodeURIComponent).join('~');
  return `${api.replace(/\/+$/, '')}/productPrices.v3/VerifiedCertificate~${key}`;
}
