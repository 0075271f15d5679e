/**
 * describe() and the catalog summary against numbers worked out by hand with pandas describe()
 * semantics: nulls skipped, sample standard deviation, quartiles at rank (n − 1)·q interpolated linearly.
 */
import { describe as group, expect, it } from 'vitest';
import type { CourseRecord } from '../src/catalog/course-record.js';
import { catalogSummary, topEnrolments } from '../src/catalog/report/catalog-summary.js';
import { describe, quantileLinear } from '../src/catalog/report/describe.js';

group('describe', () => {
  it('[1, 2, 3, 4]: mean 2.5, std √(5/3), quartiles 1.75, 2.5, 3.25', () => {
    // squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n − 1 = 3; ranks 0.75, 1.5, 2.25
    expect(describe([4, 1, 3, 2])).toEqual({
      count: 4,
      mean: 2.5,
      std: Math.sqrt(5 / 3),
      min: 1,
      '25%': 1.75,
      '50%': 2.5,
      '75%': 3.25,
      max: 4,
    });
  });

  it('skips nulls: [10, null, 0, 5] is [0, 5, 10]: std 5, quartiles 2.5, 5, 7.5', () => {
    // deviations −5, 0, 5 → 50 / 2 = 25; ranks 0.5, 1, 1.5
    expect(describe([10, null, 0, 5])).toEqual({ count: 3, mean: 5, std: 5, min: 0, '25%': 2.5, '50%': 5, '75%': 7.5, max: 10 });
  });

  it('[1, 2, 3, 4, 100]: a skewed column, exact ranks 1, 2, 3', () => {
    // mean 110 / 5 = 22; deviations −21, −20, −19, −18, 78 → 441 + 400 + 361 + 324 + 6084 = 7610; / 4 = 1902.5
    expect(describe([100, 1, 2, 3, 4])).toEqual({
      count: 5,
      mean: 22,
      std: Math.sqrt(1902.5),
      min: 1,
      '25%': 2,
      '50%': 3,
      '75%': 4,
      max: 100,
    });
  });

  it('one value: std is null (pandas gives NaN), every other statistic is the value', () => {
    expect(describe([null, 7.25])).toEqual({ count: 1, mean: 7.25, std: null, min: 7.25, '25%': 7.25, '50%': 7.25, '75%': 7.25, max: 7.25 });
  });

  it('no values: count 0 and null statistics', () => {
    const none = { count: 0, mean: null, std: null, min: null, '25%': null, '50%': null, '75%': null, max: null };
    expect(describe([])).toEqual(none);
    expect(describe([null, null])).toEqual(none);
  });

  it('two equal values: std 0, not null', () => {
    expect(describe([3, 3])).toEqual({ count: 2, mean: 3, std: 0, min: 3, '25%': 3, '50%': 3, '75%': 3, max: 3 });
  });

  it('sorts numerically, not as text (10 after 9)', () => {
    expect(describe([10, 9, 100, 2]).min).toBe(2);
    expect(describe([10, 9, 100, 2])['50%']).toBe(9.5);
  });

  it('keeps the mean exact where naive summation drifts: 1e16 + 1 + 1 − 1e16', () => {
    // Naively 1e16 + 1 = 1e16 (the 1 is lost twice) and the mean would be 0; the exact sum is 2.
    expect(describe([1e16, 1, 1, -1e16]).mean).toBe(0.5);
  });

  it('quantiles interpolate between neighbours: ranks 0.2 and 0.8 of [0, 10]', () => {
    expect(quantileLinear([0, 10], 0.2)).toBe(2);
    expect(quantileLinear([0, 10], 0.8)).toBe(8);
    expect(quantileLinear([0, 10], 1)).toBe(10);
    expect(quantileLinear([0, 10], 0)).toBe(0);
  });
});

function row(platform: string, kind: string, id: string, fields: Partial<CourseRecord>): CourseRecord {
  return {
    platform, id, kind, url: null, title: id, partners: [], instructors: [], language: null, level: null, categories: [],
    price: null, currency: null, rating: null, ratings: null, enrolments: null, hours: null, course_ids: [], description: null,
    ...fields,
  };
}

group('catalogSummary', () => {
  it('groups by platform and kind in code point order, counting rows and describing each field', () => {
    const rows = [
      row('udemy.com', 'course', 'u1', { enrolments: 40, price: 9.99 }),
      row('coursera', 'specialization', 's1', { enrolments: 1000, hours: 40, rating: 4.5 }),
      row('coursera', 'course', 'c1', { enrolments: 100, hours: 10, price: 0, rating: 4 }),
      row('coursera', 'course', 'c2', { enrolments: 300, hours: 20, price: 48, rating: 5 }),
      row('coursera', 'course', 'c3', { enrolments: 200, price: 48 }),
      row('Coursera', 'course', 'X', {}),
    ];
    const none = { count: 0, mean: null, std: null, min: null, '25%': null, '50%': null, '75%': null, max: null };
    const one = (v: number) => ({ count: 1, mean: v, std: null, min: v, '25%': v, '50%': v, '75%': v, max: v });
    expect(catalogSummary(rows)).toEqual({
      groups: [
        // 'C' (U+0043) sorts before 'c' (U+0063)
        { platform: 'Coursera', kind: 'course', count: 1, stats: { enrolments: none, hours: none, price: none, rating: none } },
        {
          platform: 'coursera',
          kind: 'course',
          count: 3,
          stats: {
            // [100, 200, 300]: deviations ±100 → 20000 / 2 = 10000 → std 100; ranks 0.5, 1, 1.5
            enrolments: { count: 3, mean: 200, std: 100, min: 100, '25%': 150, '50%': 200, '75%': 250, max: 300 },
            // [10, 20]: mean 15, deviations ±5 → 50 / 1 → √50; ranks 0.25, 0.5, 0.75
            hours: { count: 2, mean: 15, std: Math.sqrt(50), min: 10, '25%': 12.5, '50%': 15, '75%': 17.5, max: 20 },
            // [0, 48, 48]: mean 32; deviations −32, 16, 16 → 1024 + 256 + 256 = 1536; / 2 = 768
            price: { count: 3, mean: 32, std: Math.sqrt(768), min: 0, '25%': 24, '50%': 48, '75%': 48, max: 48 },
            // [4, 5]: mean 4.5, std √0.5
            rating: { count: 2, mean: 4.5, std: Math.sqrt(0.5), min: 4, '25%': 4.25, '50%': 4.5, '75%': 4.75, max: 5 },
          },
        },
        { platform: 'coursera', kind: 'specialization', count: 1, stats: { enrolments: one(1000), hours: one(40), price: none, rating: one(4.5) } },
        { platform: 'udemy.com', kind: 'course', count: 1, stats: { enrolments: one(40), hours: none, price: one(9.99), rating: none } },
      ],
    });
  });

  it('serialises with the keys of DATA-CONTRACT §8 in order, std null below two values', () => {
    const text = JSON.stringify(catalogSummary([row('p', 'course', 'a', { enrolments: 5 })]));
    expect(text).toBe(
      '{"groups":[{"platform":"p","kind":"course","count":1,"stats":{' +
        '"enrolments":{"count":1,"mean":5,"std":null,"min":5,"25%":5,"50%":5,"75%":5,"max":5},' +
        '"hours":{"count":0,"mean":null,"std":null,"min":null,"25%":null,"50%":null,"75%":null,"max":null},' +
        '"price":{"count":0,"mean":null,"std":null,"min":null,"25%":null,"50%":null,"75%":null,"max":null},' +
        '"rating":{"count":0,"mean":null,"std":null,"min":null,"25%":null,"50%":null,"75%":null,"max":null}}}]}',
    );
  });
});

group('topEnrolments', () => {
  it('takes the most enrolled rows, leaves out rows without enrolments, and breaks ties by platform then id', () => {
    const rows = [
      row('b', 'course', '2', { enrolments: 50 }),
      row('a', 'course', '9', { enrolments: 50 }),
      row('b', 'course', '1', { enrolments: 50 }),
      row('a', 'course', 'x', { enrolments: null }),
      row('c', 'course', '1', { enrolments: 70 }),
      row('c', 'course', '2', { enrolments: 0 }),
    ];
    expect(topEnrolments(rows, 4).map((r) => `${r.platform}/${r.id}`)).toEqual(['c/1', 'a/9', 'b/1', 'b/2']);
    expect(topEnrolments(rows).map((r) => `${r.platform}/${r.id}`)).toEqual(['c/1', 'a/9', 'b/1', 'b/2', 'c/2']);
  });
});
