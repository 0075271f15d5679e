/**
 * The report format's one home (src/report/report-format.ts): the file names a report holds, the
 * summary keys that tell its versions apart, and what the `--force` guard takes for a summary.
 */
import { describe, expect, it } from 'vitest';
import {
  CHART_FILES,
  CSV_FILES,
  INDEX_FILE,
  SUMMARY_FILE,
  SUMMARY_VERSION,
  V1_SUMMARY_KEYS,
  V2_SUMMARY_KEYS,
  isSummaryShaped,
} from '../src/report/report-format.js';
import { emptyReport, REPORT_FILES, sampleReport } from './helpers/report-samples.js';

describe('the report format', () => {
  it('names the files of a report in the order analyze writes them', () => {
    expect([SUMMARY_FILE, ...CSV_FILES, ...CHART_FILES, INDEX_FILE]).toEqual(REPORT_FILES);
  });

  it('lists every key a summary always has, by version, and no other', () => {
    expect(SUMMARY_VERSION).toBe(2);
    const optional = ['filter', 'course', 'courses'];
    const always = Object.keys(emptyReport().summary).filter((k) => !optional.includes(k));
    expect([...V1_SUMMARY_KEYS, ...V2_SUMMARY_KEYS].sort()).toEqual(always.sort());
    expect(V1_SUMMARY_KEYS.filter((k) => (V2_SUMMARY_KEYS as readonly string[]).includes(k))).toEqual([]);
  });

  it('takes a summary of either version for one analyze wrote, and nothing else', () => {
    const summary = sampleReport().summary;
    expect(isSummaryShaped(summary)).toBe(true);
    const v1 = Object.fromEntries(V1_SUMMARY_KEYS.map((k) => [k, summary[k]]));
    expect(isSummaryShaped(v1)).toBe(true);
    expect(isSummaryShaped(null)).toBe(false);
    expect(isSummaryShaped([summary])).toBe(false);
    expect(isSummaryShaped({ ...summary, input: null })).toBe(false);
    expect(isSummaryShaped({ ...summary, input: { lines: '3' } })).toBe(false);
    expect(isSummaryShaped({ ...summary, users: undefined })).toBe(false);
  });
});
