/**
 * Readers of loosely typed JSON values (JSON-LD, API answers). Each returns the value, or records
 * why there is none in `causes` (`missing:<column>` or `wrong_type:<column>`) and returns a null
 * or empty value: a bad field is counted, never fatal.
 */

/** Causes collected while mapping one record. */
export type Causes = string[];

export type Json = unknown;

export function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isAbsent(v: Json): boolean {
  return v === undefined || v === null;
}

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number, or (when `text` is allowed) numeric text such as `"49.99"`; else undefined. Numbers
 * beyond a double's range read as ±Infinity and are kept: the crawl counts them `out_of_range`.
 */
export function numberOf(v: Json, text: boolean): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (text && typeof v === 'string' && NUMERIC_TEXT.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** A JSON number for `column` (strict: text is the wrong type), or null and a counted cause. */
export function strictNumber(v: Json, column: string, causes: Causes): number | null {
  if (isAbsent(v)) {
    causes.push(`missing:${column}`);
    return null;
  }
  const n = numberOf(v, false);
  if (n === undefined) causes.push(`wrong_type:${column}`);
  return n ?? null;
}

/** A non-empty string for `column` (trimmed), or null and a counted cause. */
export function strictString(v: Json, column: string, causes: Causes): string | null {
  if (isAbsent(v)) {
    causes.push(`missing:${column}`);
    return null;
  }
  if (typeof v !== 'string') {
    causes.push(`wrong_type:${column}`);
    return null;
  }
  const t = v.trim();
  if (t === '') causes.push(`missing:${column}`);
  return t === '' ? null : t;
}

/** A list of non-empty strings for `column`; a non-list or any non-string item is counted as the wrong type. */
export function strictStringList(v: Json, column: string, causes: Causes): string[] {
  if (isAbsent(v)) {
    causes.push(`missing:${column}`);
    return [];
  }
  if (!Array.isArray(v)) {
    causes.push(`wrong_type:${column}`);
    return [];
  }
  const out: string[] = [];
  let wrong = false;
  for (const item of v) {
    if (typeof item === 'string' && item.trim() !== '') out.push(item.trim());
    else wrong = true;
  }
  if (wrong) causes.push(`wrong_type:${column}`);
  return out;
}

/** Items of a value that may be a single item or a list. */
export function itemsOf(v: Json): Json[] {
  if (isAbsent(v)) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The name of a JSON-LD value that is a name string or an object with a string `name`
 * (a Person, Organization, Language, DefinedTerm, Thing); undefined for anything else.
 */
export function nameOf(v: Json): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (isObject(v) && typeof v.name === 'string') return v.name.trim() || undefined;
  return undefined;
}

/** Appends to `out` the strings not already in it, keeping first-seen order. */
export function addUnique(out: string[], values: Iterable<string>): void {
  for (const v of values) if (!out.includes(v)) out.push(v);
}
