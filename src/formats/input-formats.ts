/**
 * The input formats `convert` knows, by the name `--format` and the manifest give them. The
 * analysis side of each is in format-registry.ts.
 */
import { canPassThrough, serializeEvent } from './line-rules.js';
import { DATASET_COLUMNS } from './dataset-columns.js';
import { isCourseraEvent } from './detect-format.js';
import type { FormatName, InputFormat } from './input-format.js';
import { openEdxFormat } from './openedx.js';

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
