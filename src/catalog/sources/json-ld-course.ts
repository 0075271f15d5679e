import type { CourseRecord } from '../course-record.js';
import { isoDurationHours } from './iso-duration.js';
import { addUnique, isAbsent, isObject, itemsOf, nameOf, numberOf, type Causes, type Json } from './json-values.js';

/** What a page contributes to its courses besides their JSON-LD objects. */
export interface PageContext {
  /** The sitemap source's platform: the sitemap host name without `www.`. */
  platform: string;
  /** `<link rel=canonical>`, resolved. */
  canonical: string | undefined;
  /** The URL after redirects. */
  finalUrl: string;
  ogTitle: string | undefined;
  title: string | undefined;
}

/** A mapped record and the causes (`missing:<column>`, `wrong_type:<column>`) counted on the way. */
export interface MappedRecord {
  record: CourseRecord;
  causes: Causes;
}

const COURSE_TYPES = new Set(['Course', 'EducationalOccupationalProgram']);

/** The schema.org type names of an object's `@type` (`schema:Course` and `https://schema.org/Course` → `Course`). */
function typesOf(o: Record<string, Json>): string[] {
  return itemsOf(o['@type'])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^https?:\/\/schema\.org\//, '').replace(/^schema:/, ''));
}

/**
 * The `Course` and `EducationalOccupationalProgram` objects of a page's JSON-LD blocks: top-level
 * objects, items of top-level lists, items of `@graph`, and a `mainEntity` (a `WebPage` about one
 * course). Listings (`ItemList` items) are not descended into: they describe other pages.
 */
export function findCourseObjects(blocks: readonly Json[]): Record<string, Json>[] {
  const out: Record<string, Json>[] = [];
  const visit = (v: Json, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(v)) {
      for (const item of v) visit(item, depth + 1);
      return;
    }
    if (!isObject(v)) return;
    if (typesOf(v).some((t) => COURSE_TYPES.has(t))) out.push(v);
    if (Array.isArray(v['@graph'])) visit(v['@graph'], depth + 1);
    if (isObject(v.mainEntity) || Array.isArray(v.mainEntity)) visit(v.mainEntity, depth + 1);
  };
  for (const block of blocks) visit(block, 0);
  return out;
}

/**
 * Maps one JSON-LD course or program onto the common schema, as DATA-CONTRACT §8 and
 * docs/CATALOG-crawl.md "sitemap mapping" say. Pure: everything it needs is in its arguments.
 */
export function mapJsonLdCourse(o: Record<string, Json>, page: PageContext): MappedRecord {
  const causes: Causes = [];
  const pageUrl = page.canonical ?? page.finalUrl;
  const isProgram = typesOf(o).includes('EducationalOccupationalProgram') && !typesOf(o).includes('Course');

  let id: string | undefined;
  const code = o.courseCode;
  if (typeof code === 'string' && code.trim()) id = code.trim();
  else if (typeof code === 'number' && Number.isFinite(code)) id = String(code);
  else if (!isAbsent(code) && code !== '') causes.push('wrong_type:id');
  if (id === undefined && typeof o['@id'] === 'string' && o['@id'].trim()) id = o['@id'].trim();
  id ??= pageUrl;

  let title: string | null = null;
  if (typeof o.name === 'string' && o.name.trim()) title = o.name.trim();
  else {
    if (!isAbsent(o.name) && o.name !== '') causes.push('wrong_type:title');
    title = page.ogTitle ?? page.title ?? null;
    if (title === null && (isAbsent(o.name) || o.name === '')) causes.push('missing:title');
  }

  const partners = names(o.provider, 'partners', causes);
  const instructors: string[] = [];
  const people = ['instructor', 'creator', 'author'].filter((k) => !isAbsent(o[k]));
  if (people.length === 0) causes.push('missing:instructors');
  for (const k of people) addUnique(instructors, names(o[k], 'instructors', causes));

  const categories: string[] = [];
  if (isAbsent(o.about) && isAbsent(o.keywords)) causes.push('missing:categories');
  if (!isAbsent(o.about)) addUnique(categories, names(o.about, 'categories', causes));
  if (!isAbsent(o.keywords)) addUnique(categories, keywords(o.keywords, causes));

  const { price, currency } = offer(o, causes);
  const { rating, ratings } = aggregateRating(o.aggregateRating, causes);

  const record: CourseRecord = {
    platform: page.platform,
    id,
    kind: isProgram ? 'program' : 'course',
    url: pageUrl,
    title,
    partners,
    instructors,
    language: firstName(o.inLanguage, 'language', causes),
    level: firstName(o.educationalLevel, 'level', causes),
    categories,
    price,
    currency,
    rating,
    ratings,
    enrolments: null,
    hours: hours(o, causes),
    course_ids: [],
    description: text(o.description, 'description', causes),
  };
  return { record, causes };
}

/** Names of a single item or list of name strings / named objects; unnamed items are the wrong type. */
function names(v: Json, column: string, causes: Causes): string[] {
  if (isAbsent(v)) {
    causes.push(`missing:${column}`);
    return [];
  }
  const out: string[] = [];
  let wrong = false;
  for (const item of itemsOf(v)) {
    const n = nameOf(item);
    if (n === undefined) wrong = true;
    else addUnique(out, [n]);
  }
  if (wrong) causes.push(`wrong_type:${column}`);
  return out;
}

/** The first name of a single item or list (a language or level given as text or as a named object). */
function firstName(v: Json, column: string, causes: Causes): string | null {
  if (isAbsent(v) || (Array.isArray(v) && v.length === 0)) {
    causes.push(`missing:${column}`);
    return null;
  }
  const n = nameOf(itemsOf(v)[0]);
  if (n === undefined) causes.push(`wrong_type:${column}`);
  return n ?? null;
}

function text(v: Json, column: string, causes: Causes): string | null {
  if (isAbsent(v)) {
    causes.push(`missing:${column}`);
    return null;
  }
  const first = itemsOf(v)[0];
  if (typeof first !== 'string') {
    causes.push(`wrong_type:${column}`);
    return null;
  }
  return first.trim() || null;
}

/** `keywords`: comma-separated text (schema.org's form) or a list of texts / DefinedTerms. */
function keywords(v: Json, causes: Causes): string[] {
  const out: string[] = [];
  let wrong = false;
  for (const item of itemsOf(v)) {
    if (typeof item === 'string') addUnique(out, item.split(',').map((s) => s.trim()).filter(Boolean));
    else {
      const n = nameOf(item);
      if (n === undefined) wrong = true;
      else addUnique(out, [n]);
    }
  }
  if (wrong) causes.push('wrong_type:categories');
  return out;
}

/** The first offer's price and currency; free (`isAccessibleForFree`) without an offer is price 0. */
function offer(o: Record<string, Json>, causes: Causes): { price: number | null; currency: string | null } {
  const offers = itemsOf(o.offers);
  if (offers.length === 0) {
    const free = o.isAccessibleForFree === true || (typeof o.isAccessibleForFree === 'string' && o.isAccessibleForFree.trim().toLowerCase() === 'true');
    if (free) return { price: 0, currency: null };
    causes.push('missing:price', 'missing:currency');
    return { price: null, currency: null };
  }
  const first = offers[0];
  if (!isObject(first)) {
    causes.push('wrong_type:price', 'wrong_type:currency');
    return { price: null, currency: null };
  }
  let price: number | null = null;
  if (isAbsent(first.price)) causes.push('missing:price');
  else {
    price = numberOf(first.price, true) ?? null;
    if (price === null) causes.push('wrong_type:price');
  }
  let currency: string | null = null;
  if (isAbsent(first.priceCurrency)) causes.push('missing:currency');
  else if (typeof first.priceCurrency === 'string' && first.priceCurrency.trim()) currency = first.priceCurrency.trim();
  else causes.push('wrong_type:currency');
  return { price, currency };
}

function aggregateRating(v: Json, causes: Causes): { rating: number | null; ratings: number | null } {
  if (isAbsent(v)) {
    causes.push('missing:rating', 'missing:ratings');
    return { rating: null, ratings: null };
  }
  const a = itemsOf(v)[0];
  if (!isObject(a)) {
    causes.push('wrong_type:rating', 'wrong_type:ratings');
    return { rating: null, ratings: null };
  }
  let rating: number | null = null;
  if (isAbsent(a.ratingValue)) causes.push('missing:rating');
  else {
    rating = numberOf(a.ratingValue, true) ?? null;
    if (rating === null) causes.push('wrong_type:rating');
  }
  let ratings: number | null = null;
  const count = isAbsent(a.ratingCount) ? a.reviewCount : a.ratingCount;
  if (isAbsent(count)) causes.push('missing:ratings');
  else {
    ratings = numberOf(count, true) ?? null;
    if (ratings === null) causes.push('wrong_type:ratings');
  }
  return { rating, ratings };
}

/** `timeRequired`, else the first `hasCourseInstance` whose `courseWorkload` is an ISO 8601 duration. */
function hours(o: Record<string, Json>, causes: Causes): number | null {
  const candidates: Json[] = [o.timeRequired];
  for (const instance of itemsOf(o.hasCourseInstance)) if (isObject(instance)) candidates.push(instance.courseWorkload);
  let seen = false;
  for (const c of candidates) {
    if (isAbsent(c)) continue;
    seen = true;
    const h = typeof c === 'string' ? isoDurationHours(c) : undefined;
    if (h !== undefined) return h;
  }
  causes.push(seen ? 'wrong_type:hours' : 'missing:hours');
  return null;
}
