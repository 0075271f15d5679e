/**
 * One course-like object of a catalog in the common schema (DATA-CONTRACT §8, docs/CATALOG.md): what a
 * source produces and what the warehouse stores. The warehouse adds `first_seen`, `last_seen`,
 * `changed_at` and `content_hash`; sources never set them.
 */
export interface CourseRecord {
  /** `coursera`, or a sitemap's host name without a leading `www.`. */
  platform: string;
  /** Unique within the platform. */
  id: string;
  /** `course`, `specialization`, `professional-certificate`, `program`, `degree`, … */
  kind: string;
  url: string | null;
  title: string | null;
  /** Never null: absent is an empty list. */
  partners: string[];
  instructors: string[];
  language: string | null;
  level: string | null;
  categories: string[];
  /** Full precision, as the source gave it. */
  price: number | null;
  currency: string | null;
  rating: number | null;
  ratings: number | null;
  enrolments: number | null;
  hours: number | null;
  /** For bundles: the ids of their courses; otherwise an empty list. */
  course_ids: string[];
  description: string | null;
}

/** The content columns, in table order: the content hash covers exactly these. */
export const COURSE_CONTENT_COLUMNS = [
  'kind',
  'url',
  'title',
  'partners',
  'instructors',
  'language',
  'level',
  'categories',
  'price',
  'currency',
  'rating',
  'ratings',
  'enrolments',
  'hours',
  'course_ids',
  'description',
] as const satisfies readonly (keyof CourseRecord)[];

/** How one source's crawl went: one row of `crawls`. */
export interface CrawlStats {
  source: string;
  started: Date;
  finished: Date;
  /** False when cut short (`--max-pages`, Ctrl-C): such a crawl counts nothing gone. */
  complete: boolean;
  pages: number;
  /** Cause (e.g. `http_404`, `bad_xml`, `no_course`, `robots_disallowed`) → count. */
  errorCauses: Record<string, number>;
}
