/**
 * The one job type of `analyze`: aggregate one partition of a dataset. The same processor runs in
 * the local worker threads and in `clickstream worker` processes fed by BullMQ.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { primaryLanguage } from '../src/classify/language.js';
import { UserAgentClassifier } from '../src/classify/user-agent.js';
import { literal, withDuckDB } from '../src/duckdb/session.js';
import { DatasetError, InvalidPayloadError } from '../src/errors.js';
import type { NamedCount, PartialResult, UserAgentRow, UserClicks } from '../src/types.js';

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
  };
}

/** Name of a partition's partial result file. */
export function resultFileName(partition: number): string {
  return `partition-${String(partition).padStart(5, '0')}.json`;
}

// One classifier per process or thread: partitions repeat the same few thousand user agents.
const sharedClassifier = new UserAgentClassifier();

/**
 * Aggregates one partition: events and distinct users per user agent, browser, OS, device and
 * language, and clicks per learner. Writes the partial result atomically (same content if run twice).
 */
export async function aggregatePartition(input: AggregatePartitionPayload): Promise<AggregatePartitionResult> {
  const payload = validatePayload(input);
  const started = Date.now();
  const path = resolve(payload.dataset, payload.file);
  const partial = await withDuckDB({ threads: 1 }, (conn) => aggregate(conn, path, payload.partition));
  if (partial.events !== payload.rows) {
    throw new DatasetError(`${path} holds ${partial.events} rows but the manifest says ${payload.rows}; the dataset was changed or damaged`);
  }
  await mkdir(payload.resultDir, { recursive: true });
  const resultFile = join(payload.resultDir, resultFileName(payload.partition));
  const temp = `${resultFile}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, JSON.stringify(partial));
  await rename(temp, resultFile);
  return { partition: payload.partition, resultFile, events: partial.events, users: partial.users, durationMs: Date.now() - started };
}

async function aggregate(conn: DuckDBConnection, path: string, partition: number): Promise<PartialResult> {
  try {
    await conn.run(
      `CREATE TABLE ev AS SELECT username, coalesce(user_agent, '') AS ua, coalesce(language, '') AS lang FROM read_parquet(${literal(path)})`,
    );
  } catch (err) {
    throw new DatasetError(`cannot read partition file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const rows = async (sql: string): Promise<unknown[][]> => (await conn.runAndReadAll(sql)).getRows() as unknown[][];

  const [[events, users] = [0, 0]] = await rows(`SELECT count(*), count(DISTINCT username) FROM ev`);

  // Classify each distinct value once, then let DuckDB count distinct users per class.
  const userAgents: UserAgentRow[] = [];
  const uaAppender = await createTable(conn, 'ua_class', ['ua', 'browser', 'os', 'device']);
  for (const [ua, ev, us] of await rows(`SELECT ua, count(*), count(DISTINCT username) FROM ev GROUP BY ua`)) {
    const userAgent = String(ua);
    const c = sharedClassifier.classify(userAgent);
    userAgents.push({ userAgent, browser: c.browser, os: c.os, device: c.device, events: Number(ev), users: Number(us) });
    appendRow(uaAppender, [userAgent, c.browser, c.os, c.device]);
  }
  uaAppender.closeSync();
  const langAppender = await createTable(conn, 'lang_class', ['lang', 'language']);
  for (const [lang] of await rows(`SELECT DISTINCT lang FROM ev`)) {
    appendRow(langAppender, [String(lang), primaryLanguage(String(lang))]);
  }
  langAppender.closeSync();

  const named = async (column: string, table: string, key: string): Promise<NamedCount[]> =>
    (await rows(`SELECT c.${column}, count(*), count(DISTINCT e.username) FROM ev e JOIN ${table} c ON e.${key} = c.${key} GROUP BY 1`)).map(
      ([name, ev, us]) => ({ name: String(name), events: Number(ev), users: Number(us) }),
    );
  const clicks: UserClicks[] = (await rows(`SELECT username, count(*) FROM ev GROUP BY username`)).map(([u, n]) => ({
    username: String(u),
    clicks: Number(n),
  }));
  return {
    partition,
    events: Number(events),
    users: Number(users),
    browsers: await named('browser', 'ua_class', 'ua'),
    os: await named('os', 'ua_class', 'ua'),
    devices: await named('device', 'ua_class', 'ua'),
    languages: await named('language', 'lang_class', 'lang'),
    userAgents,
    clicks,
  };
}

async function createTable(conn: DuckDBConnection, name: string, columns: string[]) {
  await conn.run(`CREATE TABLE ${name} (${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
  return conn.createAppender(name);
}

function appendRow(appender: Awaited<ReturnType<DuckDBConnection['createAppender']>>, values: string[]): void {
  for (const v of values) appender.appendVarchar(v);
  appender.endRow();
}
