/**
 * The input formats clickstream reads: one line per format. Detection asks them in this order,
 * messages list them in it, and every name (`convert --format`, the manifest, the job payload) is
 * one of theirs. Adding a format is its file (see docs/ARCHITECTURE.md) and one line here.
 */
import { COURSERA_FORMAT } from './coursera.js';
import type { InputFormat } from './input-format.js';
import { OPENEDX_FORMAT } from './openedx.js';

/** Every input format, in the order detection asks them and messages list them. */
export const INPUT_FORMATS = [COURSERA_FORMAT, OPENEDX_FORMAT] as const;

/** The name of a format (`convert --format` besides `auto`, the manifest's `format`). */
export type FormatName = (typeof INPUT_FORMATS)[number]['name'];

/** Every format's name, in registry order. */
export const FORMAT_NAMES: readonly FormatName[] = INPUT_FORMATS.map((f) => f.name);

/**
 * The format of a dataset that records none (schema version 1), of an export with no line to
 * judge, and of code told none: Coursera's, the only one before Open edX. The one place outside a
 * format's own file that names one.
 */
export const DEFAULT_FORMAT_NAME: FormatName = COURSERA_FORMAT.name;

const BY_NAME: ReadonlyMap<string, InputFormat<FormatName>> = new Map(INPUT_FORMATS.map((f) => [f.name, f]));

/** True when `name` names a format of the registry. */
export function isFormatName(name: unknown): name is FormatName {
  return typeof name === 'string' && BY_NAME.has(name);
}

/** The format named `name`. */
export function inputFormat(name: FormatName): InputFormat<FormatName> {
  return BY_NAME.get(name)!;
}

/**
 * Each format's `text`, in registry order, listed as a sentence lists them: `a, b or c`. `which`
 * keeps some formats only (default: all).
 */
export function listFormats(
  text: (format: InputFormat<FormatName>, index: number) => string,
  conjunction: 'and' | 'or',
  which: (format: InputFormat<FormatName>) => boolean = () => true,
): string {
  const items = INPUT_FORMATS.filter(which).map(text);
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The format named `name`, or undefined when there is none of that name (a job payload's, unchecked). */
export function eventFormat(name: string): InputFormat<FormatName> | undefined {
  return BY_NAME.get(name);
}
