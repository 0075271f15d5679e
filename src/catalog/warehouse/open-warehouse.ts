import type { CatalogWarehouse } from './catalog-warehouse.js';
import { DuckDBWarehouse } from './duckdb-warehouse.js';
import { PostgresWarehouse } from './postgres-warehouse.js';
import { isPostgresTarget } from './warehouse-target.js';

/** Options of {@link openWarehouse}. */
export interface OpenWarehouseOptions {
  /**
   * Refuse a DuckDB path where no file exists instead of creating one: for readers such as
   * `catalog report`, where a mistyped path should be an error, not an empty report. Default false.
   * (A PostgreSQL database must always exist.)
   */
  mustExist?: boolean;
}

/**
 * Opens the warehouse a `--warehouse` target names: a `postgres://` or `postgresql://` URL is a
 * PostgreSQL database (which must exist; its tables are created by migrations), anything else the
 * path of a DuckDB file (created when missing, unless `mustExist`). Either is migrated to the
 * current schema first. Throws WarehouseError (exit 5), never showing a password, when it cannot be
 * opened.
 */
export async function openWarehouse(target: string, options: OpenWarehouseOptions = {}): Promise<CatalogWarehouse> {
  return isPostgresTarget(target) ? PostgresWarehouse.open(target) : DuckDBWarehouse.open(target, { mustExist: options.mustExist ?? false });
}
