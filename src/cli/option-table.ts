/**
 * One table per command describes its options; the same table produces the `--help` text and the
 * configuration of Node's `parseArgs`, so the two can never disagree, and defaults are the code's
 * own constants, never retyped.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a command. */
export interface OptionSpec {
  /** Long name, without the leading `--`. */
  readonly name: string;
  /** One-letter alias, without the `-`. */
  readonly short?: string;
  /** `boolean` for a flag, `string` for an option that takes a value. */
  readonly type: 'boolean' | 'string';
  /** The option may be repeated; its value is then a list. Default false. */
  readonly multiple?: boolean;
  /** Placeholder shown in help, e.g. `<dir>`. */
  readonly value?: string;
  /** What it does, one or more sentences (wrapped in the help text). */
  readonly help: string;
  /** The default shown in help as `(default …)`: a constant of the code, or a sentence. */
  readonly default?: string | number;
  /** Heading of the group this option starts in the help text. */
  readonly group?: string;
}

/** A command: its usage line, what it does and its option table. */
export interface CommandSpec<T extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** e.g. `clickstream convert <export> --out <dataset-dir> [options]` */
  readonly usage: string;
  /** Paragraph(s) under the usage line. */
  readonly description: string;
  readonly options: T;
  /** Text after the option list (exit codes, examples). */
  readonly footer?: string;
}

/** The values `parseArgs` yields for a table. */
export type OptionValues<T extends readonly OptionSpec[]> = {
  [O in T[number] as O['name']]?: O['type'] extends 'boolean' ? boolean : O['multiple'] extends true ? string[] : string;
};

/** Options every command has; spread into a table. */
export const HELP_OPTION = { name: 'help', short: 'h', type: 'boolean', help: 'show this help' } as const satisfies OptionSpec;

const HELP_WIDTH = 100;
const COLUMN = 29;
const NBSP = '\u00a0';

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.description, ''];
  let heading = 'Options:';
  lines.push(heading);
  for (const o of spec.options) {
    if (o.group !== undefined && o.group !== heading) {
      heading = o.group;
      lines.push('', heading);
    }
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
    // A short default stays on one line with its value: "(default\n384MB)" reads badly.
    const fallback = o.default === undefined ? '' : `(default ${o.default})`;
    const keep = fallback.length <= 30 ? fallback.replaceAll(' ', NBSP) : fallback;
    const wrapped = wrap(fallback ? `${o.help} ${keep}` : o.help, HELP_WIDTH - COLUMN - 2).map((l) => l.replaceAll(NBSP, ' '));
    const first = `  ${flag}`;
    lines.push(first.length < COLUMN ? `${first.padEnd(COLUMN)}${wrapped[0]}` : `${first}\n${' '.repeat(COLUMN)}${wrapped[0]}`);
    for (const rest of wrapped.slice(1)) lines.push(`${' '.repeat(COLUMN)}${rest}`);
  }
  if (spec.footer) lines.push('', spec.footer);
  return lines.join('\n');
}

/** `parseArgs` configuration of a table. */
export function parseConfig(options: readonly OptionSpec[]): NonNullable<ParseArgsConfig['options']> {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const o of options) {
    config[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return config;
}

/** Parses a command's arguments with its table (strict: unknown options are errors). */
export function parseCommand<T extends readonly OptionSpec[]>(
  spec: CommandSpec<T>,
  args: string[],
): { values: OptionValues<T>; positionals: string[] } {
  const { values, positionals } = parseArgs({ args, options: parseConfig(spec.options), allowPositionals: true, strict: true });
  return { values: values as OptionValues<T>, positionals };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}
