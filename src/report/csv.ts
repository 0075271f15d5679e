/**
 * RFC 4180 CSV encoding: CRLF after every record (the last one included), a header record, and a
 * field quoted only when it has to be. Text is written as UTF-8 without a byte order mark.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A CSV field value. Numbers are written with `String(n)`, never rounded. */
export type CsvValue = string | number;

/** RFC 4180 record separator. */
export const CSV_EOL = '\r\n';

// Only these characters force quoting under RFC 4180; quoting nothing else keeps the output byte-exact
// with what a reader expects and what the tests spell out.
const NEEDS_QUOTES = /[",\r\n]/;

// A text starting with one of these opens as a formula in a spreadsheet (OWASP, "CSV Injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Encodes one field: quoted when it contains a comma, a double quote, CR or LF, with inner quotes
 * doubled; numbers as `String(n)`.
 *
 * With `spreadsheetSafe`, a text that starts with `=`, `+`, `-`, `@`, a tab or a CR (user agents,
 * usernames and headers are anyone's to choose) is written in OWASP's neutralised form: a leading
 * `'` and always quoted, so that a spreadsheet shows it as text instead of running it as a formula.
 * The value then differs from the data by that `'`; exact CSVs (the default) never change a value.
 */
export function csvField(value: CsvValue, spreadsheetSafe = false): string {
  if (typeof value === 'number') return String(value);
  if (spreadsheetSafe && FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Encodes one record, including its trailing CRLF (see {@link csvField} for `spreadsheetSafe`). */
export function csvRecord(fields: readonly CsvValue[], spreadsheetSafe = false): string {
  return fields.map((f) => csvField(f, spreadsheetSafe)).join(',') + CSV_EOL;
}

/**
 * The whole CSV text: the header record, then one record per row.
 *
 * Built by joining an array once, so a million rows cost linear time. For outputs that should not
 * be held in memory as one string, use {@link writeCsvFile}.
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>, spreadsheetSafe = false): string {
  const parts = [csvRecord(header, spreadsheetSafe)];
  for (const row of rows) parts.push(csvRecord(row, spreadsheetSafe));
  return parts.join('');
}

/** Options of {@link writeCsvFile}. */
export interface WriteCsvOptions {
  /**
   * Approximate number of UTF-16 code units gathered into one chunk before it is handed to the file.
   * Default 1 MiB: large enough that writes are few, small enough to keep memory flat.
   */
  chunkChars?: number;
  /** Write text that a spreadsheet would run as a formula in OWASP's neutralised form (see {@link csvField}). Default false: exact. */
  spreadsheetSafe?: boolean;
}

/**
 * The same text as {@link toCsv}, as a sequence of chunks of roughly `chunkChars` code units each
 * (whole records only), for writing tables too large to hold as one string.
 */
export function* csvChunks(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  chunkChars = 1 << 20,
  spreadsheetSafe = false,
): Generator<string> {
  let parts = [csvRecord(header, spreadsheetSafe)];
  let buffered = parts[0]!.length;
  for (const row of rows) {
    const record = csvRecord(row, spreadsheetSafe);
    parts.push(record);
    buffered += record.length;
    if (buffered >= chunkChars) {
      yield parts.join('');
      parts = [];
      buffered = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/**
 * Writes the same text as {@link toCsv} to `path` (created or truncated) as UTF-8, chunk by chunk,
 * so a table of millions of rows never exists as one string.
 */
export async function writeCsvFile(
  path: string,
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: WriteCsvOptions = {},
): Promise<void> {
  // A write stream, unlike a bare FileHandle.write, retries short writes and respects backpressure.
  await pipeline(Readable.from(csvChunks(header, rows, options.chunkChars, options.spreadsheetSafe)), createWriteStream(path));
}
