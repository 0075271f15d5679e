/**
 * The one job type of `analyze`: aggregate one partition of a dataset. The same processor runs in
 * the local worker threads and in `clickstream worker` processes fed by BullMQ.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { aggregateEvents, type AggregatedPartition } from '../src/analyze/aggregate-events.js';
import { validateSettings, type AnalysisSettings } from '../src/analytics/analysis-settings.js';
import { ZoneCalendar } from '../src/analytics/zone-calendar.js';
import { UserAgentClassifier } from '../src/classify/user-agent.js';
import { DatasetError, InvalidPayloadError } from '../src/errors.js';
import { eventFormat } from '../src/formats/format-registry.js';
import type { EventFormat } from '../src/formats/event-format.js';

/** BullMQ job name (and local pool message type) of this job. */
export const AGGREGATE_PARTITION = 'aggregate-partition';

/** What a job names: a partition by reference, never its rows. */
export interface AggregatePartitionPayload {
  /** Absolute path of the dataset directory, as the workers see it (shared storage in Redis mode). */
  dataset: string;
  /** Partition number. */
  partition: number;
  /** The partition's Parquet file, relative to `dataset`; must stay inside it. */
  file: string;
  /** Rows the manifest promises for this partition; a mismatch fails the job. */
  rows: number;
  /** Absolute directory that receives the partial result file. */
  resultDir: string;
  /** What to compute: format, time zone, filter, session gap (SPEC §6.3); the same for every job of a run. */
  settings: AnalysisSettings;
}

/** What a job returns: small, with the partial result itself in a file. */
export interface AggregatePartitionResult {
  partition: number;
  /** Absolute path of the partial result (JSON of `PartialResult`). */
  resultFile: string;
  events: number;
  users: number;
  durationMs: number;
}

const PARTITION_FILE = /^part-\d{5}\.parquet$/;

/** Checks a payload received from a queue; refuses anything that is not a partition of its dataset. */
export function validatePayload(data: unknown): AggregatePartitionPayload {
  const p = data as Partial<AggregatePartitionPayload> | null;
  const bad = (why: string): never => {
    throw new InvalidPayloadError(`refusing job payload: ${why}`);
  };
  if (typeof p !== 'object' || p === null) return bad('not an object');
  if (typeof p.dataset !== 'string' || !isAbsolute(p.dataset)) return bad('dataset must be an absolute path');
  if (typeof p.resultDir !== 'string' || !isAbsolute(p.resultDir)) return bad('resultDir must be an absolute path');
  if (!Number.isSafeInteger(p.partition) || (p.partition as number) < 0) return bad('partition must be a whole number ≥ 0');
  if (!Number.isSafeInteger(p.rows) || (p.rows as number) < 0) return bad('rows must be a whole number ≥ 0');
  if (typeof p.file !== 'string') return bad('file must be a string');
  const path = resolve(p.dataset, p.file);
  const rel = relative(resolve(p.dataset), path);
  if (rel.startsWith('..') || isAbsolute(rel) || !PARTITION_FILE.test(rel)) {
    return bad(`partition file ${JSON.stringify(p.file)} is not a part-NNNNN.parquet inside the dataset ${p.dataset}`);
  }
  return {
    dataset: p.dataset,
    partition: p.partition as number,
    file: p.file,
    rows: p.rows as number,
    resultDir: p.resultDir,
    settings: validateSettings(p.settings),
  };
}

/** Name of a partition's partial result file. */
export function resultFileName(partition: number): string {
  return `partition-${String(partition).padStart(5, '0')}.json`;
}

/** Name of a partition's rows of learners.parquet, beside its partial result file. */
export function learnersFileName(partition: number): string {
  return `partition-${String(partition).padStart(5, '0')}.learners.parquet`;
}

// One classifier and one DuckDB instance per process or thread, reused by every job it runs:
// partitions repeat the same few thousand user agents, and an instance costs tens of ms to open.
const sharedClassifier = new UserAgentClassifier();
let sharedInstance: Promise<DuckDBInstance> | undefined;
// Zone calendars keep the offsets they have looked up: every job of a run asks for the same hours.
const sharedCalendars = new Map<string, ZoneCalendar>();

function calendarOf(timeZone: string): ZoneCalendar {
  let calendar = sharedCalendars.get(timeZone);
  if (calendar === undefined) {
    calendar = ZoneCalendar.create(timeZone);
    sharedCalendars.set(timeZone, calendar);
  }
  return calendar;
}

/** Closes the DuckDB instance jobs share; call when the worker thread or process stops. */
export async function closeAggregator(): Promise<void> {
  const instance = sharedInstance;
  sharedInstance = undefined;
  if (instance) (await instance).closeSync();
}

/**
 * Aggregates one partition: version 1's counts (events and distinct users per user agent, browser,
 * OS, device and language, clicks per learner) and the learning analytics, after the run's filter.
 * Writes the learners' Parquet rows, then the partial result, each atomically (same content if run
 * twice); the partial result is written last, so its presence means both are complete.
 */
export async function aggregatePartition(input: AggregatePartitionPayload): Promise<AggregatePartitionResult> {
  const payload = validatePayload(input);
  const started = Date.now();
  const path = resolve(payload.dataset, payload.file);
  await mkdir(payload.resultDir, { recursive: true });
  const resultFile = join(payload.resultDir, resultFileName(payload.partition));
  const learnersFile = learnersFileName(payload.partition);
  const suffix = `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const learnersTemp = join(payload.resultDir, learnersFile + suffix);
  sharedInstance ??= DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await (await sharedInstance).connect();
  let aggregated: AggregatedPartition;
  try {
    aggregated = await aggregateEvents(conn, {
      path,
      partition: payload.partition,
      settings: payload.settings,
      format: eventFormat(payload.settings.format) as EventFormat,
      calendar: calendarOf(payload.settings.timeZone),
      classifier: sharedClassifier,
      learnersPath: learnersTemp,
      learnersFile,
    });
  } catch (err) {
    await rm(learnersTemp, { force: true });
    throw err;
  } finally {
    conn.closeSync(); // drops the job's temp tables
  }
  const { partial, rows } = aggregated;
  if (rows !== payload.rows) {
    await rm(learnersTemp, { force: true });
    throw new DatasetError(`${path} holds ${rows} rows but the manifest says ${payload.rows}; the dataset was changed or damaged`);
  }
  await rename(learnersTemp, join(payload.resultDir, learnersFile));
  const temp = resultFile + suffix;
  await writeFile(temp, JSON.stringify(partial));
  await rename(temp, resultFile);
  return { partition: payload.partition, resultFile, events: partial.events, users: partial.users, durationMs: Date.now() - started };
}
