import { WarehouseError } from '../../errors.js';

/** One versioned schema change of a warehouse backend, recorded in `schema_migrations` once applied. */
export interface Migration {
  /** 1, 2, 3, …: applied in order, each exactly once. */
  version: number;
  /** What it does, stored beside the version. */
  name: string;
  /** SQL statements, run in order inside the migrations' transaction. */
  statements: readonly string[];
}

/** The migrations still to apply, given the versions already applied; throws on a newer schema. */
export function pendingMigrations(all: readonly Migration[], applied: readonly number[], onNewer: (version: number, known: number) => Error): Migration[] {
  const known = Math.max(0, ...all.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) throw onNewer(newest, known);
  const done = new Set(applied);
  return all.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
}

/**
 * Applies the migrations `applied` lacks, in order, through `exec`, recording each in
 * `schema_migrations`; the caller holds the transaction (and any lock) around it.
 * @param name the warehouse as messages name it, e.g. "the DuckDB warehouse catalog.duckdb".
 */
export async function applyMigrations(
  all: readonly Migration[],
  applied: readonly number[],
  name: string,
  exec: (sql: string, params?: unknown[]) => Promise<unknown>,
): Promise<void> {
  const pending = pendingMigrations(all, applied, (newer, known) => new WarehouseError(`${name} has schema version ${newer}; this clickstream knows up to ${known}`));
  for (const m of pending) {
    for (const sql of m.statements) await exec(sql);
    await exec('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
  }
}
