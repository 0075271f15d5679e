import { EXTRA_COLUMN, JSON_FIELDS, STRING_FIELDS, type ColumnInfo } from '../types.js';

/** The dataset's columns, in order: the export's own key names, so any Parquet reader can query them. */
export const DATASET_COLUMNS: readonly ColumnInfo[] = [
  ...STRING_FIELDS.slice(0, 3).map((name) => ({ name, type: 'VARCHAR' as const })),
  { name: 'timestamp', type: 'BIGINT' },
  ...STRING_FIELDS.slice(3).map((name) => ({ name, type: 'VARCHAR' as const })),
  // A string keeps its text, any other value is stored as its JSON text (DuckDB reads VARCHAR so,
  // twice as fast as its JSON type).
  ...JSON_FIELDS.map((name) => ({ name, type: 'VARCHAR' as const })),
  { name: EXTRA_COLUMN, type: 'VARCHAR' },
];
