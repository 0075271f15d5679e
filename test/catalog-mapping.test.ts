/**
 * The sources' pure mapping functions, with exact expectations worked out by hand from DATA-CONTRACT §8's
 * rules: ISO 8601 durations, HTML pages, sitemaps, JSON-LD courses and Coursera's API answers.
 */
import { describe, expect, it } from 'vitest';
import {
  algoliaPageUrl,
  mapAlgoliaHit,
  priceUrl,
  readPrice,
  readSpecializationCourseIds,
  specializationUrl,
} from '../src/catalog/sources/coursera-mapping.js';
import { MAX_HTML_NESTING, readHtmlPage } from '../src/catalog/sources/html-page.js';
import { isoDurationHours } from '../src/catalog/sources/iso-duration.js';
import { findCourseObjects, mapJsonLdCourse, type PageContext } from '../src/catalog/sources/json-ld-course.js';
import { sitemapPlatform } from '../src/catalog/sources/sitemap-source.js';
import { NONE } from './helpers/catalog-expected.js';
import { MAX_SITEMAP_NESTING, parseSitemapXml } from '../src/catalog/sources/sitemap-xml.js';


describe('isoDurationHours', () => {
  it('converts ISO 8601 durations to hours', () => {
    expect(isoDurationHours('PT12H30M')).toBe(12.5);
    expect(isoDurationHours('PT20H')).toBe(20);
    expect(isoDurationHours('PT45M')).toBe(0.75);
    expect(isoDurationHours('PT1H20M')).toBe(4800 / 3600);
    expect(isoDurationHours('PT90S')).toBe(0.025);
    expect(isoDurationHours('P1DT6H')).toBe(30);
    expect(isoDurationHours('P2W')).toBe(336);
    expect(isoDurationHours('PT1.5H')).toBe(1.5);
    expect(isoDurationHours('PT0,5H')).toBe(0.5);
    expect(isoDurationHours(' pt2h ')).toBe(2);
    expect(isoDurationHours('P0Y0M1D')).toBe(24);
  });

  it('refuses what is not a duration in hours', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', '12 hours', '2 hours per week', 'P1Y', 'P3M', 'PT-1H', 'T2H', 'PT2H3']) {
      expect(isoDurationHours(bad), bad).toBeUndefined();
    }
  });
});

describe('readHtmlPage', () => {
  it('collects JSON-LD blocks, counts broken ones, and reads og:title, <title> and the canonical link', () => {
    const html = `<!doctype html><html><head>
      <title>  A &amp; B
      course </title>
      <meta property="og:title" content="OG &quot;title&quot;">
      <link rel="alternate canonical" href="/c/x?y=1#frag">
      <script type="application/ld+json">{"@type":"Course","name":"</b> & <i>"}</script>
      <script type="application/ld+json; charset=utf-8"><!-- {"a":1} --></script>
      <script type="application/ld+json">{"broken": }</script>
      <script type="application/ld+json">   </script>
      <script>var notJsonLd = {"@type":"Course"};</script>
      </head><body><svg><title>icon</title></svg></body></html>`;
    expect(readHtmlPage(html, 'https://site.example/courses/x')).toEqual({
      jsonLd: [{ '@type': 'Course', name: '</b> & <i>' }, { a: 1 }],
      badJsonLd: 1,
      ogTitle: 'OG "title"',
      title: 'A & B course',
      canonical: 'https://site.example/c/x?y=1',
      tooDeep: false,
    });
  });

  it('stops reading a page nested deeper than a browser builds, keeping what came before', () => {
    const head = '<html><head><script type="application/ld+json">{"n":1}</script></head><body>';
    const tail = '<script type="application/ld+json">{"n":2}</script>';
    // Inside <html> and <body>, this many <div>s put the second <script> at the deepest level read.
    const fits = MAX_HTML_NESTING - 3;
    const ok = readHtmlPage(`${head}${'<div>'.repeat(fits)}${tail}${'</div>'.repeat(fits)}</body></html>`, 'https://s.example/');
    expect(ok.jsonLd).toEqual([{ n: 1 }, { n: 2 }]);
    expect(ok.tooDeep).toBe(false);
    const deep = readHtmlPage(`${head}${'<div>'.repeat(fits + 1)}${tail}`, 'https://s.example/');
    expect(deep.jsonLd).toEqual([{ n: 1 }]);
    expect(deep.tooDeep).toBe(true);
    // htmlparser2 keeps open elements in an array it unshifts: millions of them would take hours.
    expect(readHtmlPage(`${head}${'<div>'.repeat(2_000_000)}`, 'https://s.example/')).toMatchObject({ jsonLd: [{ n: 1 }], tooDeep: true });
  });

  it('ignores a canonical link that is not http(s)', () => {
    expect(readHtmlPage('<link rel="canonical" href="javascript:alert(1)">', 'https://s.example/').canonical).toBeUndefined();
  });
});

describe('parseSitemapXml', () => {
  it('reads urlsets and indexes, decoding entities, with or without a namespace prefix', () => {
    expect(
      parseSitemapXml(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc> https://s.example/a?x=1&amp;y=2 </loc><lastmod>2026-01-01</lastmod>
    <image:image><image:loc>https://img.example/a.png</image:loc></image:image></url>
  <url><loc>https://s.example/b</loc></url>
</urlset>`),
    ).toEqual({ kind: 'urlset', locs: ['https://s.example/a?x=1&y=2', 'https://s.example/b'] });
    expect(parseSitemapXml('<sm:sitemapindex xmlns:sm="x"><sm:sitemap><sm:loc>https://s.example/1.xml</sm:loc></sm:sitemap></sm:sitemapindex>')).toEqual({
      kind: 'index',
      locs: ['https://s.example/1.xml'],
    });
  });

  it('refuses truncated files, HTML pages, stray text and second roots', () => {
    for (const bad of [
      '<urlset><url><loc>https://s.example/a</loc></url>',
      '<urlset><url><loc>https://s.example/a</loc></urlx></urlset>',
      '<!DOCTYPE html><html><body>Service unavailable</body></html>',
      '<urlset></urlset><urlset></urlset>',
      'Not found',
      '',
    ]) {
      expect(parseSitemapXml(bad), bad).toBeUndefined();
    }
  });

  it('refuses elements nested deeper than any sitemap nests them, and stops reading there', () => {
    const nested = (depth: number): string =>
      `<urlset><url><loc>https://s.example/a</loc>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</url></urlset>`;
    // urlset > url > image:image > image:loc is as deep as the protocol and its extensions go.
    expect(parseSitemapXml(nested(MAX_SITEMAP_NESTING - 2))).toEqual({ kind: 'urlset', locs: ['https://s.example/a'] });
    expect(parseSitemapXml(nested(MAX_SITEMAP_NESTING - 1))).toBeUndefined();
    // htmlparser2 keeps open elements in an array it unshifts: millions of them would take hours.
    expect(parseSitemapXml(`<urlset>${'<x>'.repeat(2_000_000)}`)).toBeUndefined();
  });

  it('takes the platform from the sitemap host, without www. and port', () => {
    expect(sitemapPlatform('https://www.udemy.com/sitemap.xml')).toBe('udemy.com');
    expect(sitemapPlatform('http://127.0.0.1:8080/sitemap.xml')).toBe('127.0.0.1');
    expect(sitemapPlatform('https://WWW.FutureLearn.com/sitemap.xml.gz')).toBe('futurelearn.com');
  });
});

describe('findCourseObjects', () => {
  it('finds courses and programs at the top level, in lists, in @graph and as mainEntity, not in listings', () => {
    const course = { '@type': 'Course', name: 'c' };
    const program = { '@type': 'EducationalOccupationalProgram', name: 'p' };
    const both = { '@type': ['Product', 'schema:Course'], name: 'b' };
    const iri = { '@type': 'http://schema.org/Course', name: 'i' };
    const main = { '@type': 'WebPage', mainEntity: { '@type': 'https://schema.org/Course', name: 'm' } };
    const listing = { '@type': 'ItemList', itemListElement: [{ '@type': 'ListItem', item: { '@type': 'Course', name: 'other page' } }] };
    expect(
      findCourseObjects([course, [program, { '@type': 'BreadcrumbList' }], { '@context': 'x', '@graph': [both, { '@type': 'Organization' }] }, iri, main, listing, 'text', null]),
    ).toEqual([course, program, both, iri, main.mainEntity]);
  });
});

describe('mapJsonLdCourse', () => {
  const page: PageContext = {
    platform: 'learn.example',
    canonical: 'https://learn.example/c/python',
    finalUrl: 'https://learn.example/courses/python?utm=1',
    ogTitle: 'OG title',
    title: 'Page title',
  };

  it('maps every field of a complete course', () => {
    const { record, causes } = mapJsonLdCourse(
      {
        '@type': 'Course',
        '@id': 'https://learn.example/c/python#course',
        courseCode: 'PY101',
        name: ' Python ',
        description: 'Learn it.',
        provider: [{ '@type': 'Organization', name: 'Learn Example' }, 'Partner U'],
        instructor: [{ '@type': 'Person', name: 'Ada' }],
        creator: { '@type': 'Person', name: 'Ada' },
        author: 'Ben',
        inLanguage: 'en',
        educationalLevel: { '@type': 'DefinedTerm', name: 'Beginner' },
        about: [{ name: 'Programming' }, 'Data'],
        keywords: 'python, data , , scripting',
        offers: [
          { '@type': 'Offer', price: '49.99', priceCurrency: 'USD' },
          { '@type': 'Offer', price: 10, priceCurrency: 'EUR' },
        ],
        aggregateRating: { ratingValue: 4.7, ratingCount: '1520', reviewCount: 3 },
        hasCourseInstance: { courseWorkload: 'PT12H30M' },
      },
      page,
    );
    expect(causes).toEqual([]);
    expect(record).toEqual({
      platform: 'learn.example',
      id: 'PY101',
      kind: 'course',
      url: 'https://learn.example/c/python',
      title: 'Python',
      partners: ['Learn Example', 'Partner U'],
      instructors: ['Ada', 'Ben'],
      language: 'en',
      level: 'Beginner',
      categories: ['Programming', 'Data', 'python', 'data', 'scripting'],
      price: 49.99,
      currency: 'USD',
      rating: 4.7,
      ratings: 1520,
      enrolments: null,
      hours: 12.5,
      course_ids: [],
      description: 'Learn it.',
    });
  });

  it('falls back for id (@id, then canonical, then final URL) and title (og:title, then <title>)', () => {
    const a = mapJsonLdCourse({ '@type': 'Course', '@id': 'urn:x', name: 'N' }, page).record;
    expect([a.id, a.title]).toEqual(['urn:x', 'N']);
    const b = mapJsonLdCourse({ '@type': 'Course' }, page).record;
    expect([b.id, b.url, b.title]).toEqual(['https://learn.example/c/python', 'https://learn.example/c/python', 'OG title']);
    const c = mapJsonLdCourse({ '@type': 'Course' }, { ...page, canonical: undefined, ogTitle: undefined });
    expect([c.record.id, c.record.url, c.record.title]).toEqual(['https://learn.example/courses/python?utm=1', 'https://learn.example/courses/python?utm=1', 'Page title']);
    expect(c.causes).not.toContain('missing:title');
    const d = mapJsonLdCourse({ '@type': 'Course' }, { ...page, ogTitle: undefined, title: undefined });
    expect(d.causes).toContain('missing:title');
    expect(mapJsonLdCourse({ '@type': 'Course', courseCode: 2048 }, page).record.id).toBe('2048');
  });

  it('nulls and counts every absent field; free without an offer is price 0 and no currency', () => {
    const { record, causes } = mapJsonLdCourse({ '@type': 'EducationalOccupationalProgram', name: 'P', isAccessibleForFree: true }, page);
    expect(record).toEqual({ ...NONE, platform: 'learn.example', id: 'https://learn.example/c/python', kind: 'program', url: 'https://learn.example/c/python', title: 'P', price: 0 });
    expect(causes.sort()).toEqual(
      [
        'missing:partners',
        'missing:instructors',
        'missing:categories',
        'missing:rating',
        'missing:ratings',
        'missing:language',
        'missing:level',
        'missing:hours',
        'missing:description',
      ].sort(),
    );
    expect(mapJsonLdCourse({ '@type': 'Course', isAccessibleForFree: 'True' }, page).record.price).toBe(0);
    const notFree = mapJsonLdCourse({ '@type': 'Course', isAccessibleForFree: false }, page);
    expect([notFree.record.price, notFree.record.currency]).toEqual([null, null]);
    expect(notFree.causes).toEqual(expect.arrayContaining(['missing:price', 'missing:currency']));
  });

  it('nulls and counts fields of the wrong type, never failing', () => {
    const { record, causes } = mapJsonLdCourse(
      {
        '@type': 'Course',
        courseCode: { code: 'x' },
        name: 42,
        provider: 42,
        instructor: [{ name: 'Sam' }, { '@type': 'Person' }],
        inLanguage: { alternateName: 'en' },
        educationalLevel: 3,
        keywords: [7],
        offers: { price: 'Free', priceCurrency: 978 },
        aggregateRating: { ratingValue: 'excellent', reviewCount: '87' },
        timeRequired: 'about 3 weeks',
        hasCourseInstance: [{ courseWorkload: '2 hours a week' }],
        description: { text: 'no' },
      },
      page,
    );
    expect(record).toEqual({
      ...NONE,
      platform: 'learn.example',
      id: 'https://learn.example/c/python',
      kind: 'course',
      url: 'https://learn.example/c/python',
      title: 'OG title',
      instructors: ['Sam'],
      ratings: 87,
    });
    expect(causes.sort()).toEqual(
      [
        'wrong_type:id',
        'wrong_type:title',
        'wrong_type:partners',
        'wrong_type:instructors',
        'wrong_type:language',
        'wrong_type:level',
        'wrong_type:categories',
        'wrong_type:price',
        'wrong_type:currency',
        'wrong_type:rating',
        'wrong_type:hours',
        'wrong_type:description',
      ].sort(),
    );
  });

  it('takes hours from timeRequired, else the first course instance with an ISO 8601 workload', () => {
    const h = (o: Record<string, unknown>): number | null => mapJsonLdCourse({ '@type': 'Course', ...o }, page).record.hours;
    expect(h({ timeRequired: 'PT3H', hasCourseInstance: { courseWorkload: 'PT9H' } })).toBe(3);
    expect(h({ timeRequired: 'soon', hasCourseInstance: [{ courseWorkload: '2 h/week' }, { courseWorkload: 'P1DT6H' }] })).toBe(30);
    expect(h({ hasCourseInstance: [{ courseMode: 'online' }] })).toBeNull();
  });

  it('reads numeric text at full precision', () => {
    const r = mapJsonLdCourse({ '@type': 'Course', offers: { price: '1299.00', priceCurrency: 'USD' }, aggregateRating: { ratingValue: '4.5512345678901', ratingCount: 10 } }, page).record;
    expect([r.price, r.rating]).toEqual([1299, 4.5512345678901]);
  });
});

describe('Coursera mapping', () => {
  const hit = {
    objectID: 'course~Gtv4Xb1-EeS-ViIACwYKVQ',
    name: 'Supervised Machine Learning',
    objectUrl: '/learn/machine-learning',
    entityType: 'COURSE',
    partners: ['DeepLearning.AI', 'Stanford University'],
    instructors: ['Andrew Ng'],
    language: 'English',
    productDifficultyLevel: 'Beginner',
    skills: ['Regression Analysis'],
    enrolments: 4810293,
    avgLearningHours: 33.2,
    avgProductRating: 4.9,
    numProductRatings: 31245,
    description: 'Build models.',
    imageUrl: 'https://img.example/x.png',
  };

  it('maps a course hit, leaving the price to the price API', () => {
    expect(mapAlgoliaHit(hit)).toEqual({
      needs: 'price',
      slug: 'machine-learning',
      causes: [],
      record: {
        platform: 'coursera',
        id: 'Gtv4Xb1-EeS-ViIACwYKVQ',
        kind: 'course',
        url: 'https://www.coursera.org/learn/machine-learning',
        title: 'Supervised Machine Learning',
        partners: ['DeepLearning.AI', 'Stanford University'],
        instructors: ['Andrew Ng'],
        language: 'English',
        level: 'Beginner',
        categories: ['Regression Analysis'],
        price: null,
        currency: null,
        rating: 4.9,
        ratings: 31245,
        enrolments: 4810293,
        hours: 33.2,
        course_ids: [],
        description: 'Build models.',
      },
    });
  });

  it('maps bundles and other entities: kind from entityType, slug from the URL, no price', () => {
    const pc = mapAlgoliaHit({ ...hit, objectID: 's12n~dP2H3c', entityType: 'PROFESSIONAL CERTIFICATE', objectUrl: '/professional-certificates/google-data-analytics' })!;
    expect([pc.record.id, pc.record.kind, pc.needs, pc.slug]).toEqual(['dP2H3c', 'professional-certificate', 'course_ids', 'google-data-analytics']);
    const degree = mapAlgoliaHit({ ...hit, objectID: 'degree~mba', entityType: 'DEGREE', objectUrl: '/degrees/mba' })!;
    expect([degree.record.id, degree.record.kind, degree.needs]).toEqual(['degree~mba', 'degree', 'nothing']);
    const noType = mapAlgoliaHit({ ...hit, entityType: undefined })!;
    expect([noType.record.kind, noType.causes]).toEqual(['course', ['missing:kind']]);
    expect(mapAlgoliaHit({ ...hit, objectID: 42 })).toBeUndefined();
    expect(mapAlgoliaHit('hit')).toBeUndefined();
  });

  it('reads enrollments (the live spelling) when enrolments is absent', () => {
    const { enrolments, ...rest } = hit;
    expect(mapAlgoliaHit({ ...rest, enrollments: enrolments })!.record.enrolments).toBe(4810293);
  });

  it('nulls and counts absent and wrongly typed fields', () => {
    const m = mapAlgoliaHit({
      objectID: 'course~x',
      entityType: 'COURSE',
      name: 7,
      partners: 'IBM',
      instructors: ['Rav', null],
      skills: null,
      avgProductRating: '4.6',
      avgLearningHours: '10',
      numProductRatings: 5,
    })!;
    expect(m.record).toEqual({ ...NONE, platform: 'coursera', id: 'x', kind: 'course', instructors: ['Rav'], ratings: 5 });
    expect(m.slug).toBeUndefined();
    expect(m.causes.sort()).toEqual(
      [
        'missing:url',
        'wrong_type:title',
        'wrong_type:partners',
        'wrong_type:instructors',
        'missing:language',
        'missing:level',
        'missing:categories',
        'wrong_type:rating',
        'missing:enrolments',
        'wrong_type:hours',
        'missing:description',
      ].sort(),
    );
  });

  it('reads the specialization and price answers', () => {
    const causes: string[] = [];
    expect(readSpecializationCourseIds({ elements: [{ id: 's', courseIds: ['a', 'b'] }] }, causes)).toEqual(['a', 'b']);
    expect(readPrice({ elements: [{ amount: 39.99, currencyCode: 'GBP' }] }, causes)).toEqual({ price: 39.99, currency: 'GBP' });
    expect(causes).toEqual([]);
    expect(readSpecializationCourseIds({ elements: [] }, causes)).toEqual([]);
    expect(readPrice({ elements: [{ amount: '39', currencyCode: 'GBP' }] }, causes)).toEqual({ price: null, currency: 'GBP' });
    expect(readPrice({ nope: true }, causes)).toEqual({ price: null, currency: null });
    expect(causes).toEqual(['wrong_type:course_ids', 'wrong_type:price', 'wrong_type:price', 'wrong_type:currency']);
  });

  it('builds the API URLs, keeping the search endpoint’s own parameters', () => {
    expect(algoliaPageUrl('https://x-dsn.algolia.net/1/indexes/prod?x-algolia-application-id=A&x-algolia-api-key=K', 3, 100)).toBe(
      'https://x-dsn.algolia.net/1/indexes/prod?x-algolia-application-id=A&x-algolia-api-key=K&query=&hitsPerPage=100&page=3',
    );
    expect(algoliaPageUrl('https://h/i?query=data&page=9', 0, 5)).toBe('https://h/i?query=data&page=0&hitsPerPage=5');
    expect(specializationUrl('https://www.coursera.org/api/', 'jhu-data-science')).toBe(
      'https://www.coursera.org/api/onDemandSpecializations.v1?q=slug&slug=jhu-data-science&fields=courseIds,id',
    );
    expect(priceUrl('https://www.coursera.org/api', 'Gtv4Xb1-EeS', 'GBP', 'GB')).toBe(
      'https://www.coursera.org/api/productPrices.v3/VerifiedCertificate~Gtv4Xb1-EeS~GBP~GB',
    );
  });
});
