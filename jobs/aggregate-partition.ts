/**
 * The one job type of `analyze`: aggregate one partition of a dataset. The same processor runs in
 * the local worker threads and in `clickstream worker` processes fed by BullMQ.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { aggregateEvents, type AggregatedPartition } from '../src/analyze/aggregate-events.js';
import type { AggregatePartitionPayload, AggregatePartitionResult } from '../src/analyze/partition-job.js';
import { validateSettings, type AnalysisSettings } from '../src/analytics/analysis-settings.js';
import { ZoneCalendar } from '../src/analytics/zone-calendar.js';
import { UserAgentClassifier } from '../src/classify/user-agent.js';
import { partitionFileName, partitionOfFileName } from '../src/dataset/dataset-format.js';
import { DatasetError, InvalidPayloadError } from '../src/errors.js';
import type { EventFormat } from '../src/formats/event-format.js';
import { eventFormat } from '../src/formats/format-registry.js';
import { isResultDirectory, learnersFileName, writeResult } from '../src/run/run-scratch.js';

/** BullMQ job name (and local pool message type) of this job. */
export const AGGREGATE_PARTITION = 'aggregate-partition';

/**
 * Checks a payload received from a queue; refuses anything that is not a partition of its dataset
 * (the file must be the partition's own `part-NNNNN.parquet`, directly in the dataset) or whose result
 * directory is not a run's (`.<report>.run-<id>/partials`). Where the dataset and the result directory
 * may be is the worker's decision (its data roots), checked after this.
 */
export function validatePayload(data: unknown): AggregatePartitionPayload {
  const p = data as Partial<AggregatePartitionPayload> | null;
  const bad = (why: string): never => {
    throw new InvalidPayloadError(`refusing job payload: ${why}`);
  };
  if (typeof p !== 'object' || p === null) return bad('not an object');
  if (typeof p.dataset !== 'string' || !isAbsolute(p.dataset)) return bad('dataset must be an absolute path');
  if (typeof p.resultDir !== 'string' || !isAbsolute(p.resultDir)) return bad('resultDir must be an absolute path');
  if (!isResultDirectory(resolve(p.resultDir))) return bad(`resultDir ${JSON.stringify(p.resultDir)} is not a run's result directory (.<report>.run-<id>/partials)`);
  if (!Number.isSafeInteger(p.partition) || (p.partition as number) < 0) return bad('partition must be a whole number ≥ 0');
  if (!Number.isSafeInteger(p.rows) || (p.rows as number) < 0) return bad('rows must be a whole number ≥ 0');
  if (typeof p.file !== 'string') return bad('file must be a string');
  if (partitionOfFileName(p.file) === undefined) {
    return bad(`partition file ${JSON.stringify(p.file)} is not a part-NNNNN.parquet inside the dataset ${p.dataset}`);
  }
  if (p.file !== partitionFileName(p.partition as number)) {
    return bad(`partition file ${JSON.stringify(p.file)} is not partition ${p.partition}'s (${partitionFileName(p.partition as number)})`);
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

// Connections of the jobs running now, so that stopping a run can interrupt their queries.
const running = new Set<DuckDBConnection>();

/** Interrupts the queries of the jobs running in this thread or process: they fail soon after. */
export function interruptAggregator(): void {
  for (const conn of running) conn.interrupt();
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
  const learnersFile = learnersFileName(payload.partition);
  const learnersTemp = join(payload.resultDir, `${learnersFile}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  sharedInstance ??= DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await (await sharedInstance).connect();
  running.add(conn);
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
    running.delete(conn);
    conn.closeSync(); // drops the job's temp tables
  }
  const { partial, rows } = aggregated;
  if (rows !== payload.rows) {
    await rm(learnersTemp, { force: true });
    throw new DatasetError(`${path} holds ${rows} rows but the manifest says ${payload.rows}; the dataset was changed or damaged`);
  }
  await rename(learnersTemp, join(payload.resultDir, learnersFile));
  const resultFile = await writeResult(payload.resultDir, partial);
  return { partition: payload.partition, resultFile, events: partial.events, users: partial.users, durationMs: Date.now() - started };
}
