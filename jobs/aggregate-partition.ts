/**
 * The one job type of `analyze`: aggregate one partition of a dataset. The same processor runs in
 * the local worker threads and in `clickstream worker` processes fed by BullMQ.
 */
import { isAbsolute, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { primaryLanguage } from '../src/classify/language.js';
import { UserAgentClassifier } from '../src/classify/user-agent.js';
import { partitionFileName, partitionOfFileName } from '../src/dataset/dataset-format.js';
import { literal } from '../src/duckdb/session.js';
import { DatasetError, InvalidPayloadError } from '../src/errors.js';
import { isResultDirectory, writeResult } from '../src/run/run-scratch.js';
import type { PartialResult, UserAgentRow } from '../src/types.js';

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
  };
}

// One classifier and one DuckDB instance per process or thread, reused by every job it runs:
// partitions repeat the same few thousand user agents, and an instance costs tens of ms to open.
const sharedClassifier = new UserAgentClassifier();
let sharedInstance: Promise<DuckDBInstance> | undefined;

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
 * Aggregates one partition: events and distinct users per user agent, browser, OS, device and
 * language, and clicks per learner. Writes the partial result atomically (same content if run twice).
 */
export async function aggregatePartition(input: AggregatePartitionPayload): Promise<AggregatePartitionResult> {
  const payload = validatePayload(input);
  const started = Date.now();
  const path = resolve(payload.dataset, payload.file);
  sharedInstance ??= DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await (await sharedInstance).connect();
  running.add(conn);
  let partial: PartialResult;
  try {
    partial = await aggregate(conn, path, payload.partition);
  } finally {
    running.delete(conn);
    conn.closeSync(); // drops the job's temp tables
  }
  if (partial.events !== payload.rows) {
    throw new DatasetError(`${path} holds ${partial.events} rows but the manifest says ${payload.rows}; the dataset was changed or damaged`);
  }
  const resultFile = await writeResult(payload.resultDir, partial);
  return { partition: payload.partition, resultFile, events: partial.events, users: partial.users, durationMs: Date.now() - started };
}

async function aggregate(conn: DuckDBConnection, path: string, partition: number): Promise<PartialResult> {
  // One scan of the partition, down to its distinct (learner, user agent, language) triples with
  // their event counts: every figure below is a small query over that.
  try {
    await conn.run(
      `CREATE TEMP TABLE g AS SELECT username, coalesce(user_agent, '') AS ua, coalesce(language, '') AS lang, count(*) AS n ` +
        `FROM read_parquet(${literal(path)}) GROUP BY ALL`,
    );
  } catch (err) {
    // DuckDB's messages go on with the SQL and a caret: the first line says what is wrong.
    throw new DatasetError(`cannot read partition file ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const rows = async (sql: string): Promise<unknown[][]> => (await conn.runAndReadAll(sql)).getRows() as unknown[][];

  // Classify each distinct value once, then let DuckDB count distinct users per class.
  const userAgents: UserAgentRow[] = [];
  const uaAppender = await createTempTable(conn, 'ua_class', ['ua', 'browser', 'os', 'device']);
  for (const [ua, ev, us] of await rows(`SELECT ${guarded('ua')}, sum(n), count(DISTINCT username) FROM g GROUP BY ua`)) {
    const userAgent = unguard(ua);
    const c = sharedClassifier.classify(userAgent);
    userAgents.push({ userAgent, browser: c.browser, os: c.os, device: c.device, events: Number(ev), users: Number(us) });
    appendRow(uaAppender, [userAgent, c.browser, c.os, c.device]);
  }
  uaAppender.closeSync();
  const langAppender = await createTempTable(conn, 'lang_class', ['lang', 'language']);
  for (const [lang] of await rows(`SELECT DISTINCT ${guarded('lang')} FROM g`)) {
    const header = unguard(lang);
    appendRow(langAppender, [header, primaryLanguage(header)]);
  }
  langAppender.closeSync();

  const partial: PartialResult = { partition, events: 0, users: 0, browsers: [], os: [], devices: [], languages: [], userAgents, clicks: [] };
  const grouped = await rows(
    `SELECT GROUPING(browser, os, device, language), browser, os, device, language, sum(n), count(DISTINCT username) ` +
      `FROM g JOIN ua_class USING (ua) JOIN lang_class USING (lang) ` +
      `GROUP BY GROUPING SETS ((browser), (os), (device), (language), ())`,
  );
  for (const [set, browser, os, device, language, ev, us] of grouped) {
    const events = Number(ev);
    const users = Number(us);
    // GROUPING() sets a bit for each column not grouped: 0b0111 = by browser, 0b1011 = by os, …
    const grouping = Number(set);
    if (grouping === 0b0111) partial.browsers.push({ name: String(browser), events, users });
    else if (grouping === 0b1011) partial.os.push({ name: String(os), events, users });
    else if (grouping === 0b1101) partial.devices.push({ name: String(device), events, users });
    else if (grouping === 0b1110) partial.languages.push({ name: String(language), events, users });
    else if (grouping === 0b1111) Object.assign(partial, { events, users });
  }
  partial.clicks = (await rows(`SELECT ${guarded('username')}, sum(n) FROM g GROUP BY username`)).map(([u, n]) => ({
    username: unguard(u),
    clicks: Number(n),
  }));
  return partial;
}

// @duckdb/node-api (1.5.6) decodes strings with a default TextDecoder, which drops a leading U+FEFF:
// strings that go from DuckDB to JS and back (learners, agents, headers) carry one guard character.
const guarded = (column: string): string => `'.' || ${column}`;
const unguard = (value: unknown): string => String(value).slice(1);

async function createTempTable(conn: DuckDBConnection, name: string, columns: string[]): Promise<DuckDBAppender> {
  await conn.run(`CREATE TEMP TABLE ${name} (${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
  return conn.createAppender(name, 'main', 'temp');
}

function appendRow(appender: DuckDBAppender, values: string[]): void {
  for (const v of values) appender.appendVarchar(v);
  appender.endRow();
}
