/** Programmatic API of clickstream: what the CLI calls. */
export { convert, type ConvertOptions, type ConvertProgress, type ConvertResult } from './convert/convert.js';
export { analyze, type AnalyzeOptions, type AnalyzeResult } from './analyze/analyze.js';
export { openDataset, type Dataset } from './dataset/open-dataset.js';
export { validateManifest, readManifest, datasetFormat, type Manifest, type ManifestInput, type PartitionInfo } from './dataset/manifest.js';
export { DATASET_SCHEMA_VERSION } from './dataset/dataset-format.js';
export type { FormatChoice } from './formats/detect-format.js';
export type { FormatName } from './formats/format-registry.js';
export { LocalPool, type LocalPoolOptions } from './analyze/local-pool.js';
export type { PartitionExecutor, RunProgress } from './analyze/executor.js';
export * from './errors.js';
export * from './types.js';
export type { DeviceClass, UserAgentClass } from './classify/user-agent.js';
export type {
  NamedCount,
  CdfPoint,
  ActivityStats,
  UserClicks,
  DistributionStats,
  TimeSummary,
  SessionSummary,
  PlaybackRateCount,
  VideoSummary,
  FilterSummary,
  Summary,
  DailyRow,
  HourOfWeekRow,
  RetentionRow,
  SessionBucketRow,
  VideoRow,
  LearnerRow,
  UserAgentRow,
  Report,
} from './report/report-types.js';
export type {
  PartialResult,
  PartialDay,
  PartialLecture,
  PartialLearner,
  PartialAnalytics,
} from './run/partial-result.js';
export { RedisExecutor, type RedisExecutorOptions } from './redis/redis-executor.js';
export { RedisPartitionWorker, type RedisWorkerOptions } from './redis/run-worker.js';
export { runWorkerProcess, type WorkerProcessOptions } from '../workers/redis-worker.js';
export { compareReports, type CompareOptions, type CompareResult } from './compare/compare-reports.js';
export { crawlCatalog, type CrawlCatalogOptions, type CrawlOutcome, type CrawlProgress } from './catalog/crawl-catalog.js';
export { openWarehouse, type OpenWarehouseOptions } from './catalog/warehouse/open-warehouse.js';
export type { CatalogWarehouse, CrawlRow, StoredCourse, CourseVersion, UpsertCounts } from './catalog/warehouse/catalog-warehouse.js';
export { catalogReport, type CatalogReportOptions, type CatalogReportResult } from './catalog/report/catalog-report.js';
export type { CourseRecord, CrawlStats } from './catalog/course-record.js';
