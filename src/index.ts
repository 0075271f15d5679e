/** Programmatic API of clickstream: what the CLI calls. */
export { convert, type ConvertOptions, type ConvertProgress, type ConvertResult } from './convert/convert.js';
export { analyze, type AnalyzeOptions, type AnalyzeResult } from './analyze/analyze.js';
export { openDataset, type Dataset } from './dataset/open-dataset.js';
export { validateManifest, readManifest, datasetFormat } from './dataset/manifest.js';
export type { FormatChoice } from './formats/detect-format.js';
export type { FormatName } from './formats/input-format.js';
export { LocalPool, type LocalPoolOptions } from './analyze/local-pool.js';
export type { PartitionExecutor, RunProgress } from './analyze/executor.js';
export * from './errors.js';
export * from './types.js';
export { RedisExecutor, type RedisExecutorOptions } from './redis/redis-executor.js';
export { RedisPartitionWorker, type RedisWorkerOptions } from './redis/run-worker.js';
export { runWorkerProcess, type WorkerProcessOptions } from '../workers/redis-worker.js';
export { compareReports, type CompareOptions, type CompareResult } from './compare/compare-reports.js';
