/**
 * The input formats `convert` knows, by the name `--format` and the manifest give them. The
 * analysis side of each is in format-registry.ts.
 */
import { NUMERIC_TEXT, canPassThrough, serializeEvent } from './line-rules.js';
import { DATASET_COLUMNS } from './dataset-columns.js';
import type { FormatName, InputFormat } from './input-format.js';
import { openEdxFormat } from './openedx.js';

/**
 * The shape that marks a Coursera export line: `key` a string, and `timestamp` a finite number (or a
 * text holding one) or `page_url` a string.
 */
export function isCourseraEvent(event: Readonly<Record<string, unknown>>): boolean {
  if (typeof event.key !== 'string') return false;
  const t = event.timestamp;
  return typeof event.page_url === 'string' || (typeof t === 'number' && Number.isFinite(t)) || (typeof t === 'string' && NUMERIC_TEXT.test(t));
}

/** The Coursera clickstream export as `convert` stores it (data contract §1–§3). */
export const courseraInputFormat: InputFormat = {
  name: 'coursera',
  columns: DATASET_COLUMNS,
  recognizes: isCourseraEvent,
  canPassThrough,
  serialize: serializeEvent,
};

const INPUT_FORMATS: Readonly<Record<FormatName, InputFormat>> = {
  coursera: courseraInputFormat,
  openedx: openEdxFormat,
};

/** The convert-side adapter of a format. */
export function inputFormat(name: FormatName): InputFormat {
  return INPUT_FORMATS[name];
}
