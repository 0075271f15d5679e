/**
 * The per-line rules of the data contract (§2 reading lines, §3 field values), as pure functions over
 * bytes and parsed values. Everything here is exercised directly by test/line-rules.test.ts.
 */
import { EXTRA_COLUMN, JSON_FIELDS, STRING_FIELDS, type RejectReason } from '../types.js';

/** How many bytes of a too-long line the quarantine keeps. */
export const TOO_LONG_KEPT_BYTES = 1024;

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

const STRING_FIELD_SET: ReadonlySet<string> = new Set(STRING_FIELDS);
const JSON_FIELD_SET: ReadonlySet<string> = new Set(JSON_FIELDS);

/** End of a line's content: one trailing CR is dropped (CRLF exports). */
export function contentEnd(buf: Uint8Array, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

/** A blank line is empty or holds only spaces and tabs: counted, never an event, never rejected. */
export function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== SPACE && b !== TAB) return false;
  }
  return true;
}

export type LineVerdict =
  | { kind: 'blank' }
  | { kind: 'rejected'; reason: RejectReason; error?: string }
  | { kind: 'event'; value: Record<string, unknown> };

/**
 * Decides what a decoded, non-blank line is: an event (with its parsed object) or a rejection.
 * `isOtherFormat`, when given, marks objects of another input format than the dataset's: they are
 * rejected as `other_format` (before the username rule: an anonymous line of the other format is
 * still of the other format).
 */
export function judgeLine(text: string, isOtherFormat?: (value: Readonly<Record<string, unknown>>) => boolean): LineVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'rejected', reason: 'invalid_json', error: (err as Error).message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'rejected', reason: 'not_object' };
  }
  if (isOtherFormat?.(value as Record<string, unknown>) === true) return { kind: 'rejected', reason: 'other_format' };
  const username = (value as Record<string, unknown>).username;
  if (typeof username !== 'string' || username.length === 0) {
    return { kind: 'rejected', reason: 'missing_username' };
  }
  return { kind: 'event', value: value as Record<string, unknown> };
}

/**
 * A JSON number, as a text holding one must look (surrounding spaces allowed): the rule §3 of
 * docs/DATA-CONTRACT.md uses for a numeric-string timestamp, so `"1.50"` is 1.5 and `"1.5x"`, `""`,
 * `"Infinity"` are not numbers. Every format reads numeric text by it.
 */
export const NUMERIC_TEXT = /^\s*-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;

/** A finite number, or a text holding one ({@link NUMERIC_TEXT}); otherwise null. */
export function numberOrNumericText(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && NUMERIC_TEXT.test(value)) n = Number(value);
  else return null;
  return Number.isFinite(n) ? n + 0 : null;
}

/**
 * `timestamp` as integer milliseconds: a number, or a string holding a JSON number, rounded to the
 * nearest millisecond; null for anything else and for values beyond ±2^53 (not exact as a double).
 */
export function toTimestamp(value: unknown): number | null {
  const n = numberOrNumericText(value);
  if (n === null) return null;
  const rounded = Math.round(n);
  return Number.isSafeInteger(rounded) ? rounded + 0 : null; // + 0 turns -0 into 0
}

/**
 * Counts object keys at every depth of a valid JSON text, exactly: a key is a string followed
 * (after optional white space) by `:`. A character-by-character scan, so only the lines that
 * {@link countKeyStarts} cannot count the fast way come here.
 */
export function countRawKeys(text: string): number {
  let count = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) !== 0x22) continue;
    let j = i + 1; // find the closing quote, stepping over escapes
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) j += 2;
      else if (c === 0x22) break;
      else j++;
    }
    let k = j + 1;
    for (let c = text.charCodeAt(k); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++k));
    if (text.charCodeAt(k) === 0x3a) count++;
    i = j;
  }
  return count;
}

// A quote right after white space: only possible outside strings (a quote inside one is escaped),
// or as the closing quote of a string that ends in a space.
const WHITESPACE_QUOTE = /[ \t\r]"/;

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/**
 * The number of keys {@link countRawKeys} counts, or more, computed faster: with no white space
 * before any quote, every key's opening quote directly follows `{` or `,`, and neither `{"` nor `,"`
 * can occur inside a string. Counting those two (the second also counts string array elements
 * after the first, which only makes the result larger) takes half the time of counting `":` on real
 * lines, whose escaped video payloads are full of `\":`. Otherwise it falls back to countRawKeys.
 */
export function countKeyStarts(text: string): number {
  if (WHITESPACE_QUOTE.test(text)) return countRawKeys(text);
  return occurrences(text, '{"') + occurrences(text, ',"');
}

/**
 * True when the line's own bytes can go to the staging file unchanged and DuckDB's JSON reader will
 * read exactly what JSON.parse read. Anything unusual takes the re-serialising path instead:
 * - keys not in the table, or a documented string key of another type (they go to `_extra`);
 * - a timestamp that is not already an integer;
 * - escaped surrogates (DuckDB rejects lone ones) and replaced bytes (U+FFFD: invalid UTF-8);
 * - duplicate keys: DuckDB refuses them, or with ignore_errors keeps the first where JSON.parse
 *   keeps the last. Counting keys costs about a microsecond a line, a quarter of the parse threads'
 *   time, but every other way found to rule duplicates out was either inexact or slower overall.
 */
export function canPassThrough(text: string, value: Record<string, unknown>): boolean {
  // Object.keys beats for-in here: "12", "13"… are array-index keys, slow to enumerate with for-in.
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = value[key];
    if (STRING_FIELD_SET.has(key)) {
      if (v !== null && typeof v !== 'string') return false;
    } else if (key === 'timestamp') {
      if (v !== null && !Number.isSafeInteger(v)) return false;
    } else if (!JSON_FIELD_SET.has(key)) {
      return false;
    }
  }
  if (text.includes('\uFFFD')) return false;
  for (let i = text.indexOf('\\u'); i !== -1; i = text.indexOf('\\u', i + 2)) {
    const c = text.charCodeAt(i + 2);
    if (c === 0x64 || c === 0x44) return false; // \uD800-\uDFFF: a surrogate escape
  }
  // Equal to the parsed keys only when there are neither duplicate nor nested keys.
  return countKeyStarts(text) === keys.length;
}

/** Replaces lone surrogates (from `\uD800`-style escapes) with U+FFFD, at any depth. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return toWellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[toWellFormed(k)] = wellFormed(v);
    return out;
  }
  return value;
}

type WellFormable = string & { isWellFormed(): boolean; toWellFormed(): string };

/** The string with lone surrogates replaced by U+FFFD (the string itself when it has none). */
export function toWellFormed(s: string): string {
  return (s as WellFormable).isWellFormed() ? s : (s as WellFormable).toWellFormed();
}

/**
 * The staging record for an event that cannot pass through: the documented keys with their values
 * (strings well-formed, timestamp as integer ms), and `_extra` holding, as one JSON text, every
 * unknown key and every documented key whose value had another type (lossless: JSON.stringify
 * escapes lone surrogates, so `_extra` keeps even those exactly).
 */
export function normalizeEvent(value: Record<string, unknown>): Record<string, unknown> {
  // Null prototypes: an export key named "__proto__" must stay an ordinary key.
  const out: Record<string, unknown> = Object.create(null);
  const extra: Record<string, unknown> = Object.create(null);
  let hasExtra = false;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (STRING_FIELD_SET.has(key)) {
      if (v === null || typeof v === 'string') {
        out[key] = v === null ? null : toWellFormed(v);
        continue;
      }
    } else if (key === 'timestamp') {
      out.timestamp = toTimestamp(v);
      if (v === null || Number.isSafeInteger(v)) continue;
    } else if (JSON_FIELD_SET.has(key)) {
      out[key] = wellFormed(v);
      continue;
    }
    extra[key] = v;
    hasExtra = true;
  }
  if (hasExtra) out[EXTRA_COLUMN] = JSON.stringify(extra);
  return out;
}

/**
 * The staging line for an event that cannot pass through: {@link normalizeEvent} as JSON (see
 * {@link serializeLossless} for the objects that cannot be written back faithfully).
 */
export function serializeEvent(value: Record<string, unknown>, text: string): string {
  return serializeLossless(value, text, { record: normalizeEvent, stringFields: STRING_FIELDS, timestamp: (v) => toTimestamp(v.timestamp) });
}

/** How an input format turns a parsed event into its staging record (see {@link serializeLossless}). */
export interface LosslessRecipe {
  /** The staging record of an event (its columns, `_extra` for the rest). */
  record: (value: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  /** The format's plain string columns, kept when the record cannot be written. */
  stringFields: readonly string[];
  /** The event's time in integer ms, or null. */
  timestamp: (value: Readonly<Record<string, unknown>>) => number | null;
}

/**
 * An event's staging line, for every input format. Two kinds of object cannot be re-serialised
 * faithfully: one nested too deeply for JSON.stringify's recursion (JSON.parse takes thousands of
 * levels), and one holding a number beyond the range of a double (JSON.parse reads `1e400` as
 * Infinity, which JSON.stringify writes as null). Those keep their flat string fields and
 * `timestamp` and, in `_extra`, the whole original line under `$line`: lossless.
 */
export function serializeLossless(value: Readonly<Record<string, unknown>>, text: string, recipe: LosslessRecipe): string {
  if (!hasNonFiniteNumber(value)) {
    try {
      return JSON.stringify(recipe.record(value));
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
  }
  const flat: Record<string, unknown> = Object.create(null);
  for (const key of recipe.stringFields) {
    const v = value[key];
    if (typeof v === 'string') flat[key] = toWellFormed(v);
  }
  flat.timestamp = recipe.timestamp(value);
  flat[EXTRA_COLUMN] = JSON.stringify({ $line: text });
  return JSON.stringify(flat);
}

/** True when a parsed JSON value holds Infinity or -Infinity anywhere (iterative: any depth). */
function hasNonFiniteNumber(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const child of Object.values(v)) if (typeof child === 'number' || (child !== null && typeof child === 'object')) stack.push(child);
    }
  }
  return false;
}

