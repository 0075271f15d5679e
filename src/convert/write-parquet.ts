import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { ident, literal, withDuckDB } from '../duckdb/session.js';
import type { PartitionInfo } from '../types.js';
import { DATASET_COLUMNS } from './schema.js';

export interface WriteParquetOptions {
  /** Staging NDJSON files written by the parse threads. */
  stagingFiles: string[];
  /** Dataset directory (the temporary one) that receives `part-NNNNN.parquet`. */
  outDir: string;
  /** Number of partitions. */
  partitions: number;
  /** Longest line accepted, so DuckDB's object size limit never cuts one. */
  maxLineBytes: number;
  /** Events counted by the parse threads: DuckDB must write exactly this many rows. */
  expectedRows: number;
  /** DuckDB threads. Default: all cores. */
  threads?: number;
  /** DuckDB memory limit. Default '512MB', which keeps convert's peak RSS under 1 GiB. */
  memoryLimit?: string;
}

/** `part-00007.parquet` for partition 7. */
export function partitionFileName(id: number): string {
  return `part-${String(id).padStart(5, '0')}.parquet`;
}

/**
 * Turns the staging files into one zstd Parquet file per partition, assigning each event by a hash of
 * its username (so a learner's events are all in one partition), and checks the row count.
 */
export async function writeParquet(options: WriteParquetOptions): Promise<PartitionInfo[]> {
  const spill = join(options.outDir, '_duckdb_tmp');
  const hiveDir = join(options.outDir, '_hive');
  const sessionOptions = { tempDirectory: spill, memoryLimit: options.memoryLimit ?? '512MB', ...(options.threads ? { threads: options.threads } : {}) };
  return withDuckDB(sessionOptions, async (conn) => {
    const columnTypes = DATASET_COLUMNS.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
    const columnList = DATASET_COLUMNS.map((c) => ident(c.name)).join(', ');
    const files = `[${options.stagingFiles.map(literal).join(', ')}]`;
    // DuckDB's JSON reader must never cut or skip a line: errors stay fatal, and the object size
    // limit sits above the line limit.
    const source = `read_json(${files}, format = 'newline_delimited', columns = {${columnTypes}}, maximum_object_size = ${options.maxLineBytes + 1024}, ignore_errors = false)`;
    await conn.run(
      `COPY (SELECT ${columnList}, (hash(username) % ${options.partitions})::INTEGER AS part FROM ${source}) ` +
        `TO ${literal(hiveDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (part))`,
    );
    const emptySelect = `SELECT ${DATASET_COLUMNS.map((c) => `NULL::${c.type} AS ${ident(c.name)}`).join(', ')} WHERE false`;
    for (let id = 0; id < options.partitions; id++) {
      const target = join(options.outDir, partitionFileName(id));
      const dir = join(hiveDir, `part=${id}`);
      const parts = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.parquet')).sort();
      if (parts.length === 1) {
        await rename(join(dir, parts[0]!), target);
      } else if (parts.length === 0) {
        await conn.run(`COPY (${emptySelect}) TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`);
      } else {
        const list = `[${parts.map((p) => literal(join(dir, p))).join(', ')}]`;
        await conn.run(`COPY (SELECT ${columnList} FROM read_parquet(${list})) TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`);
      }
    }
    await rm(hiveDir, { recursive: true, force: true });
    await rm(spill, { recursive: true, force: true });

    const names = Array.from({ length: options.partitions }, (_, id) => partitionFileName(id));
    const meta = await conn.runAndReadAll(
      `SELECT file_name, sum(num_rows)::BIGINT AS rows FROM parquet_file_metadata([${names.map((n) => literal(join(options.outDir, n))).join(', ')}]) GROUP BY file_name`,
    );
    const rowsByFile = new Map<string, number>();
    for (const [file, rows] of meta.getRows()) rowsByFile.set(String(file), Number(rows));
    const partitions: PartitionInfo[] = [];
    for (let id = 0; id < options.partitions; id++) {
      const file = names[id]!;
      const path = join(options.outDir, file);
      partitions.push({ id, file, rows: rowsByFile.get(path) ?? 0, bytes: (await stat(path)).size });
    }
    const total = partitions.reduce((s, p) => s + p.rows, 0);
    if (total !== options.expectedRows) {
      throw new InternalError(`Parquet holds ${total} rows but ${options.expectedRows} events were read; the dataset was not written`);
    }
    return partitions;
  });
}
