/**
 * What crawling the bundled fixtures must store, worked out by hand from the fixture files
 * (fixtures/catalog/) and DATA-CONTRACT §8's rules, not by running the crawler. `o` is the fixture site's
 * origin (its port changes per run).
 */
import type { CourseRecord } from '../../src/catalog/course-record.js';

/** A record's content columns, all absent: nulls and empty lists. */
export const NONE = {
  url: null,
  title: null,
  partners: [],
  instructors: [],
  language: null,
  level: null,
  categories: [],
  price: null,
  currency: null,
  rating: null,
  ratings: null,
  enrolments: null,
  hours: null,
  course_ids: [],
  description: null,
} satisfies Omit<CourseRecord, 'platform' | 'id' | 'kind'>;

/** The fixture site, version 1: ten courses and programs. */
export function expectedSiteV1(o: string): CourseRecord[] {
  const p = '127.0.0.1';
  const le = ['Learn Example'];
  return [
    // python-basics.html: a complete top-level Course.
    {
      ...NONE, platform: p, id: 'PY101', kind: 'course', url: `${o}/courses/python-basics.html`, title: 'Python Basics for Data Work',
      partners: le, instructors: ['Ada Moreno', 'Kofi Mensah'], language: 'en', level: 'Beginner',
      categories: ['Programming', 'Data Cleaning', 'python', 'data cleaning', 'scripting'], price: 49.99, currency: 'USD',
      rating: 4.7, ratings: 1520, hours: 12.5, description: 'Variables, loops, functions & files: the Python you need to clean real data.',
    },
    // data-science.html: inside @graph, id from @id, relative canonical, first offer, text numbers, reviewCount.
    {
      ...NONE, platform: p, id: `${o}/courses/data-science.html#course`, kind: 'course', url: `${o}/courses/data-science.html?ref=canonical`,
      title: 'Data Science Foundations', partners: ['Learn Example', 'Open Data Institute'], instructors: ['Mei Chen'], language: 'en',
      level: 'Intermediate', categories: ['statistics', 'visualisation', 'R'], price: 0, currency: 'USD', rating: 4.55, ratings: 312, hours: 20,
      description: 'Statistics, visualisation and a first model, in R and Python.',
    },
    // free-ml.html: no name (og:title), no code or @id (canonical), free without offers, second instance's workload.
    {
      ...NONE, platform: p, id: `${o}/courses/free-ml.html`, kind: 'course', url: `${o}/courses/free-ml.html`, title: 'Machine Learning for Everyone (free)',
      partners: ['University of Example'], instructors: ['Lena Fischer', 'Omar Haddad'], language: 'English', level: 'Beginner',
      categories: ['Machine Learning'], price: 0, hours: 30, description: 'What machine learning can and cannot do, without the maths.',
    },
    // title-only.html: <title> only, numeric courseCode, wrong types everywhere.
    {
      ...NONE, platform: p, id: '2048', kind: 'course', url: `${o}/courses/title-only.html`, title: 'Spreadsheet Skills & Shortcuts',
      instructors: ['Sam Okafor'], ratings: 87, description: 'Formulas, pivots and charts.',
    },
    // moved -> relocated.html: no canonical, so the final URL after the redirect.
    {
      ...NONE, platform: p, id: `${o}/courses/relocated.html`, kind: 'course', url: `${o}/courses/relocated.html`, title: 'Git and GitHub in a Day',
      partners: le, price: 15, currency: 'EUR', hours: 7.75,
    },
    // throttled.html: answered after a 429 and its Retry-After.
    { ...NONE, platform: p, id: 'XL-DASH', kind: 'course', url: `${o}/courses/throttled.html`, title: 'Excel Dashboards', partners: le, price: 19.5, currency: 'GBP' },
    // lm-only.html: Last-Modified only; provider as text; isAccessibleForFree "True".
    {
      ...NONE, platform: p, id: 'STAT-R', kind: 'course', url: `${o}/courses/lm-only.html`, title: 'Statistics Refresher', partners: le,
      language: 'de', level: 'Advanced', price: 0, hours: 1.5,
    },
    // private/open-day.html: allowed by the longer Allow rule.
    { ...NONE, platform: p, id: 'TASTER', kind: 'course', url: `${o}/private/open-day.html`, title: 'Open Day Taster', partners: le, price: 0, hours: 0.75 },
    // data-engineering-program.html: a program.
    {
      ...NONE, platform: p, id: `${o}/programs/data-engineering`, kind: 'program', url: `${o}/courses/data-engineering-program.html`,
      title: 'Data Engineering Program', partners: le, language: 'en', level: 'Intermediate', price: 1299, currency: 'USD', hours: 336,
      description: 'Four courses from SQL to streaming pipelines.',
    },
    // web-accessibility.html: WebPage mainEntity with an IRI type.
    {
      ...NONE, platform: p, id: 'A11Y-1', kind: 'course', url: `${o}/courses/web-accessibility.html`, title: 'Web Accessibility Essentials',
      partners: le, instructors: ['Priya Natarajan'], language: 'en', categories: ['not a named thing', 'Accessibility', 'WCAG', 'ARIA'],
      price: 0, currency: 'USD', rating: 4.9, ratings: 64, hours: 6,
    },
  ];
}

/** Version 2: python-basics repriced and re-rated, new-course added (free-ml left the sitemap). */
export function expectedSiteV2(o: string): CourseRecord[] {
  const rows = expectedSiteV1(o)
    .filter((r) => r.id !== `${o}/courses/free-ml.html`)
    .map((r) => (r.id === 'PY101' ? { ...r, price: 39.99, rating: 4.8, ratings: 1604 } : r));
  rows.push({
    ...NONE, platform: '127.0.0.1', id: 'PROMPT-1', kind: 'course', url: `${o}/courses/new-course.html`, title: 'Prompt Engineering Basics',
    partners: ['Learn Example'], instructors: ['Ada Moreno'], language: 'en', level: 'Beginner', categories: ['AI', 'prompts'], price: 29,
    currency: 'USD', rating: 4.2, ratings: 12, hours: 3, description: 'Writing prompts that work.',
  });
  return rows;
}

/** Page errors and null fields of a crawl of the fixture site (either version: the changes keep them). */
export function expectedSiteCauses(version: 1 | 2): Record<string, number> {
  return {
    // og-only.html and bad-jsonld.html; the broken block of bad-jsonld.html
    no_course: 2,
    bad_json_ld: 1,
    http_404: 1, // gone.html
    http_500: 1, // error (retried once)
    redirect_loop: 1, // loop-a <-> loop-b
    robots_disallowed: 2, // private/secret.html, and to-private's redirect into it
    // free-ml.html (v1 only) lacks ratings; new-course.html (v2 only) has every field.
    'missing:rating': version === 1 ? 6 : 5,
    'missing:ratings': version === 1 ? 6 : 5,
    'missing:categories': 6, // title-only, relocated, throttled, lm-only, open-day, program
    'missing:description': 5, // relocated, throttled, lm-only, open-day, web-accessibility
    'missing:instructors': 5, // relocated, throttled, lm-only, open-day, program
    'missing:language': 4, // title-only, relocated, throttled, open-day
    'missing:level': 5, // title-only, relocated, throttled, open-day, web-accessibility
    'missing:hours': 1, // throttled
    // title-only.html
    'wrong_type:partners': 1,
    'wrong_type:instructors': 1,
    'wrong_type:price': 1,
    'wrong_type:currency': 1,
    'wrong_type:rating': 1,
    'wrong_type:hours': 1,
  };
}

/**
 * URLs a server answered in a crawl of the fixture site: the index, two sitemaps and 16 of the 17
 * distinct pages (404, 500, the redirect loop and the redirect into /private/ included); the
 * disallowed private/secret.html is never requested, so it is no page.
 */
export const SITE_PAGES = 19;

const ML = {
  ...NONE, platform: 'coursera', id: 'Gtv4Xb1-EeS-ViIACwYKVQ', kind: 'course', url: 'https://www.coursera.org/learn/machine-learning',
  title: 'Supervised Machine Learning: Regression and Classification', partners: ['DeepLearning.AI', 'Stanford University'],
  instructors: ['Andrew Ng'], language: 'English', level: 'Beginner', categories: ['Regression Analysis', 'Supervised Learning', 'Scikit Learn'],
  price: 39, currency: 'GBP', rating: 4.9, ratings: 31245, enrolments: 4810293, hours: 33.2,
  description: 'Build machine learning models in Python using popular machine learning libraries NumPy and scikit-learn.',
} satisfies CourseRecord;
const JHU = {
  ...NONE, platform: 'coursera', id: 'L6hC5O2qEeWLqxIEbXpAhA', kind: 'specialization', url: 'https://www.coursera.org/specializations/jhu-data-science',
  title: 'Data Science', partners: ['Johns Hopkins University'], instructors: ['Jeff Leek, PhD', 'Roger D. Peng, PhD', 'Brian Caffo, PhD'],
  language: 'English', level: 'Beginner', categories: ['R Programming', 'Regression Analysis', 'Github'], rating: 4.5, ratings: 51030,
  enrolments: 531002, hours: 207, course_ids: ['Z3yHdBVBEeWvmQrN_lODCw', 'Ap8CqBVBEeWbbwp1xtUb3A', 'MB09qBVBEeW4VwpRb-DkLA'],
  description: 'Launch Your Career in Data Science. A ten-course introduction to data science.',
} satisfies CourseRecord;

/** The fixture Coursera, version 1: seven hits. */
export function expectedCourseraV1(): CourseRecord[] {
  return [
    ML,
    // no price entry: the price API answers 404, which is free; `enrollments` spelling.
    {
      ...NONE, platform: 'coursera', id: '7A1yFTaREeWWBQrVFXqd1w', kind: 'course', url: 'https://www.coursera.org/learn/python',
      title: 'Programming for Everybody (Getting Started with Python)', partners: ['University of Michigan'], language: 'English',
      level: 'Beginner', categories: ['Python Programming', 'Computer Programming'], price: 0, currency: 'GBP', rating: 4.8, ratings: 227610,
      enrolments: 3120553, hours: 18.5, description: 'This course aims to teach everyone the basics of programming computers using Python.',
    },
    JHU,
    {
      ...NONE, platform: 'coursera', id: 'dP2H3cRwEeuLrQ5Q5k8WZg', kind: 'professional-certificate',
      url: 'https://www.coursera.org/professional-certificates/google-data-analytics', title: 'Google Data Analytics', partners: ['Google'],
      instructors: ['Google Career Certificates'], language: 'English', level: 'Beginner', categories: ['Data Analysis', 'SQL', 'Tableau Software'],
      rating: 4.8, ratings: 149200, enrolments: 2870111, hours: 181.5, course_ids: ['s2VOkQ0SEeuJXw6nwWzBzw', '7Yb9SgytEeuMsAqbf6ekgw'],
      description: 'Get on the fast track to a career in Data Analytics.',
    },
    // wrong types; its price API answers 500 (twice): price stays null.
    {
      ...NONE, platform: 'coursera', id: 'bAd7YpEs-T5p35', kind: 'course', url: 'https://www.coursera.org/learn/introduction-to-cloud',
      title: 'Introduction to Cloud Computing', instructors: ['Rav Ahuja'], language: 'English', ratings: 19021, enrolments: 402113,
    },
    {
      ...NONE, platform: 'coursera', id: 'degree~imperial-mba', kind: 'degree', url: 'https://www.coursera.org/degrees/global-mba-imperial',
      title: 'Global Master of Business Administration', partners: ['Imperial College London'], language: 'English',
      categories: ['Leadership', 'Strategy'], description: 'An online MBA from a top-ranked business school.',
    },
    // no entityType: kind from the course~ prefix.
    {
      ...NONE, platform: 'coursera', id: 'Kz9QhNqHEeiWmgpxD_2XYQ', kind: 'course', url: 'https://www.coursera.org/learn/financial-markets-global',
      title: 'Financial Markets', partners: ['Yale University'], instructors: ['Robert Shiller'], language: 'English', level: 'Beginner',
      categories: ['Finance', 'Behavioral Economics'], price: 49.99, currency: 'GBP', rating: 4.8, ratings: 28812, enrolments: 1101230, hours: 33,
      description: 'An overview of the ideas, methods, and institutions that permit human society to manage risks.',
    },
  ];
}

/** Version 2: the ML course re-rated, the JHU specialization gained a course, the degree left. */
export function expectedCourseraV2(): CourseRecord[] {
  return expectedCourseraV1()
    .filter((r) => r.kind !== 'degree')
    .map((r) =>
      r.id === ML.id ? { ...r, rating: 4.91, ratings: 31874 } : r.id === JHU.id ? { ...r, course_ids: [...JHU.course_ids, '9o6vTRVBEeWkpgrVvnmI_w'] } : r,
    );
}

export function expectedCourseraCauses(version: 1 | 2): Record<string, number> {
  const v1 = version === 1;
  return {
    http_500: 1, // the price of bAd7YpEs-T5p35
    'missing:kind': 1, // Financial Markets
    'missing:instructors': v1 ? 2 : 1, // Programming for Everybody, the degree
    'missing:level': v1 ? 2 : 1, // Introduction to Cloud Computing (null), the degree
    'missing:categories': 1, // Introduction to Cloud Computing (null skills)
    'missing:description': 1, // Introduction to Cloud Computing
    ...(v1 ? { 'missing:enrolments': 1, 'missing:hours': 1, 'missing:rating': 1, 'missing:ratings': 1 } : {}), // the degree
    'wrong_type:partners': 1,
    'wrong_type:instructors': 1,
    'wrong_type:hours': 1,
    'wrong_type:rating': 1,
  };
}

/** Two search pages (5 + 2 hits, capped at 5 per page), 4 price and 2 specialization requests. */
export const COURSERA_PAGES_V1 = 8;

/** Records in a stable order (platform, then id in code point order) for comparisons. */
export function sortRecords<T extends CourseRecord>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
