import type { CatalogWarehouse } from './catalog-warehouse.js';
import { DuckDBWarehouse } from './duckdb-warehouse.js';
import { PostgresWarehouse } from './postgres-warehouse.js';
import { isPostgresTarget } from './warehouse-target.js';

/**
 * Opens the warehouse a `--warehouse` target names: a `postgres://` or `postgresql://` URL is a
 * PostgreSQL database (which must exist; its tables are created by migrations), anything else the
 * path of a DuckDB file (created when missing). Either is migrated to the current schema first.
 * Throws WarehouseError (exit 5), never showing a password, when it cannot be opened.
 */
export async function openWarehouse(target: string): Promise<CatalogWarehouse> {
  return isPostgresTarget(target) ? PostgresWarehouse.open(target) : DuckDBWarehouse.open(target);
}
