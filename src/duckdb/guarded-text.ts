/**
 * @duckdb/node-api (1.5.6) decodes strings with a default TextDecoder, which drops a leading U+FEFF:
 * strings that go from DuckDB to JS carry one guard character, taken off again on arrival.
 */

/** SQL for the VARCHAR expression `column` behind one guard character. */
export const guarded = (column: string): string => `'.' || ${column}`;

/** The string a {@link guarded} expression held. */
export const unguard = (value: unknown): string => String(value).slice(1);
