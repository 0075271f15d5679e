/**
 * The library API keeps every record type it has always exported from src/index.ts, wherever in
 * src/ the type now lives (the line contract, the manifest, the report, partial results). The type
 * half is checked by `tsc -p tsconfig.test.json`: a name the API stopped exporting fails to compile.
 */
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import type {
  ActivityStats,
  CdfPoint,
  ColumnInfo,
  DailyRow,
  DeviceClass,
  DistributionStats,
  FilterSummary,
  HourOfWeekRow,
  InputCounts,
  LearnerRow,
  Manifest,
  ManifestInput,
  NamedCount,
  PartialAnalytics,
  PartialDay,
  PartialLearner,
  PartialLecture,
  PartialResult,
  PartitionInfo,
  PlaybackRateCount,
  RejectCounts,
  RejectReason,
  RejectedLine,
  Report,
  RetentionRow,
  SessionBucketRow,
  SessionSummary,
  Summary,
  TimeSummary,
  UserAgentClass,
  UserAgentRow,
  UserClicks,
  VideoRow,
  VideoSummary,
} from '../src/index.js';

// Every record type of the API, in one place for the compiler to resolve.
export type RecordTypes = [
  ActivityStats, CdfPoint, ColumnInfo, DailyRow, DeviceClass, DistributionStats, FilterSummary, HourOfWeekRow,
  InputCounts, LearnerRow, Manifest, ManifestInput, NamedCount, PartialAnalytics, PartialDay, PartialLearner,
  PartialLecture, PartialResult, PartitionInfo, PlaybackRateCount, RejectCounts, RejectReason, RejectedLine, Report,
  RetentionRow, SessionBucketRow, SessionSummary, Summary, TimeSummary, UserAgentClass, UserAgentRow, UserClicks,
  VideoRow, VideoSummary,
];

describe('the library API', () => {
  it('exports the line contract values', () => {
    expect(api.REJECT_REASONS).toEqual(['invalid_json', 'not_object', 'missing_username', 'too_long', 'other_format']);
    expect(api.STRING_FIELDS).toHaveLength(10);
    expect(api.JSON_FIELDS).toEqual(['12', '13', '14', '30']);
    expect(api.EXTRA_COLUMN).toBe('_extra');
  });

  it('types a manifest format with the input format names', () => {
    const format: NonNullable<Manifest['format']>[] = ['coursera', 'openedx'];
    expect(format).toHaveLength(2);
  });
});
