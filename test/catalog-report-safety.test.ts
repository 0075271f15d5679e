/**
 * `catalog report` on hostile data: course texts that a spreadsheet would run as formulas
 * (`--spreadsheet-safe`, as analyze's CSVs), and numbers whose squares overflow (std stays finite).
 * Real DuckDB, the built CLI.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CourseRecord } from '../src/catalog/course-record.js';
import { describe as describeValues } from '../src/catalog/report/describe.js';
import { openWarehouse } from '../src/catalog/warehouse/open-warehouse.js';
import { cli, describeRun } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-catalog-safety-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BASE: CourseRecord = {
  platform: 'evil.example', id: 'x', kind: 'course', url: null, title: null, partners: [], instructors: [], language: null, level: null,
  categories: [], price: null, currency: null, rating: null, ratings: null, enrolments: null, hours: null, course_ids: [], description: null,
};

describe('catalog report --spreadsheet-safe', () => {
  it('writes formula-like texts raw by default and neutralised with the option, and index.html says which', async () => {
    const wh = join(root, 'evil.duckdb');
    const w = await openWarehouse(wh);
    try {
      const k = await w.beginCrawl('sitemap:https://evil.example/s.xml', 'evil.example', new Date('2026-03-01T00:00:00Z'));
      await w.upsert(k, [{ ...BASE, title: '=HYPERLINK("http://evil.example","x")', level: "+cmd|' /C calc'!A0", description: '@SUM(1+1)', enrolments: 5 }]);
      await w.finishCrawl(k, { finished: new Date('2026-03-01T00:01:00Z'), complete: true, pages: 1, errorCauses: {} });
    } finally {
      await w.close();
    }
    const raw = join(root, 'raw');
    const r1 = await cli(['catalog', 'report', '--warehouse', wh, '--out', raw]);
    expect(r1.code, describeRun('report', r1)).toBe(0);
    const rawCsv = readFileSync(join(raw, 'courses.csv'), 'utf8');
    expect(rawCsv).toContain(',"=HYPERLINK(""http://evil.example"",""x"")",');
    expect(rawCsv).toContain(",+cmd|' /C calc'!A0,");
    expect(readFileSync(join(raw, 'index.html'), 'utf8')).toContain('rerun <code>clickstream catalog report</code> with <code>--spreadsheet-safe</code>');

    const safe = join(root, 'safe');
    const r2 = await cli(['catalog', 'report', '--warehouse', wh, '--out', safe, '--spreadsheet-safe']);
    expect(r2.code, describeRun('report --spreadsheet-safe', r2)).toBe(0);
    for (const file of ['courses.csv', 'top-enrolments.csv']) {
      const csv = readFileSync(join(safe, file), 'utf8');
      expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
      expect(csv).toContain(`,"'+cmd|' /C calc'!A0",`);
      expect(csv).toContain(`,"'@SUM(1+1)",`);
    }
    expect(readFileSync(join(safe, 'index.html'), 'utf8')).toContain('These CSV files are spreadsheet-safe');
  });
});

describe('catalog-summary.json std', () => {
  it('is finite when squares of the deviations overflow but the true std does not', () => {
    // mean 2.5e307; deviations 7.5e307 and three of about −2.5e307: squares sum to 7.5e615, / 3 = 2.5e615.
    const s = describeValues([1e308, 1, 2, 3]);
    expect(s.mean).toBe(2.5e307);
    expect(Math.abs(s.std! / 5e307 - 1)).toBeLessThan(1e-15);
    // Four values near the limit: their sum overflows, their mean does not; they do not vary.
    expect(describeValues([1.7e308, 1.7e308, 1.7e308, 1.7e308])).toMatchObject({ mean: 1.7e308, std: 0 });
    // Ordinary data keep pandas' bits: [0, 49] → sqrt(1200.5).
    expect(describeValues([0, 49]).std).toBe(Math.sqrt(1200.5));
  });
});
