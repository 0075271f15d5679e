import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { trackNativeWork } from '../util/native-work.js';

/** DuckDB settings for one session; values as DuckDB's configuration options take them. */
export interface DuckDBSessionOptions {
  /** Worker threads DuckDB may use. Default: DuckDB's own (all cores). */
  threads?: number;
  /** Memory DuckDB may use before spilling, e.g. '512MB'. Default: DuckDB's own (80% of RAM). */
  memoryLimit?: string;
  /** Where DuckDB spills. Default: DuckDB's own. */
  tempDirectory?: string;
  /**
   * Keep rows in input order. Default: DuckDB's own (true). Turning it off lets a parallel COPY
   * stream instead of buffering out-of-order chunks: faster and with memory that does not grow
   * with the input.
   */
  preserveInsertionOrder?: boolean;
}

/**
 * Runs `fn` with an in-memory DuckDB connection and always closes the connection and the instance,
 * whatever `fn` does: native resources are never left to the garbage collector.
 */
export function withDuckDB<T>(options: DuckDBSessionOptions, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  // A forced exit (second Ctrl-C) waits for the session: exiting in the middle of a DuckDB call aborts.
  const session = runSession(options, fn);
  trackNativeWork(session);
  return session;
}

async function runSession<T>(options: DuckDBSessionOptions, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory !== undefined) config.temp_directory = options.tempDirectory;
  if (options.preserveInsertionOrder !== undefined) config.preserve_insertion_order = String(options.preserveInsertionOrder);
  const instance = await DuckDBInstance.create(':memory:', config);
  try {
    const conn = await instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Quotes an identifier for SQL ("from", "12" and friends are not plain names). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for SQL. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
