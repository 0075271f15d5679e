/** Programmatic API of clickstream: what the CLI calls. */
export { convert, type ConvertOptions, type ConvertProgress, type ConvertResult } from './convert/convert.js';
export { analyze, type AnalyzeOptions, type AnalyzeResult } from './analyze/analyze.js';
export { openDataset, type Dataset } from './dataset/open-dataset.js';
export { validateManifest, readManifest } from './dataset/manifest.js';
export { LocalPool, type LocalPoolOptions } from './analyze/local-pool.js';
export type { PartitionExecutor, RunProgress } from './analyze/executor.js';
export * from './errors.js';
export * from './types.js';
export { RedisExecutor, type RedisExecutorOptions } from './redis/redis-executor.js';
export { RedisPartitionWorker, type RedisWorkerOptions } from './redis/run-worker.js';
export { runWorkerProcess, type WorkerProcessOptions } from '../workers/redis-worker.js';
export { compareReports, type CompareOptions, type CompareResult } from './compare/compare-reports.js';
export { crawlCatalog, type CrawlCatalogOptions, type CrawlOutcome, type CrawlProgress } from './catalog/crawl-catalog.js';
export { openWarehouse, type OpenWarehouseOptions } from './catalog/warehouse/open-warehouse.js';
export type { CatalogWarehouse, CrawlRow, StoredCourse, CourseVersion, UpsertCounts } from './catalog/warehouse/catalog-warehouse.js';
export { catalogReport, type CatalogReportOptions, type CatalogReportResult } from './catalog/report/catalog-report.js';
export type { CourseRecord, CrawlStats } from './catalog/course-record.js';
