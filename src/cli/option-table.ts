/**
 * One table per command describes its options; the same table parses the command line (typed
 * values, ranges, defaults, environment fallbacks), produces the `--help` text and the README's
 * option table (./options-markdown.ts), so none of them can disagree. Defaults are the code's own
 * constants, never retyped: a default that is not a plain value (the number of cores) is a
 * sentence in `defaultText`, and the code applies it itself.
 */
import { OptionValueError, UnknownOptionError, UsageError } from '../errors.js';
import { closest } from './edit-distance.js';

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
  /**
   * The value when the option is not given (nor its `env` variable): a constant of the code. Shown
   * in help as `(default …)`. Default: none (the value is then undefined, a flag false).
   */
  readonly default?: string | number;
  /** How help and the README show a default that is not a plain value ("number of cores"). Default: from `default` and `env`. */
  readonly defaultText?: string;
  /** The option must be given; help says `(required)`. Default false. */
  readonly required?: boolean;
  /** The value is a whole number ≥ 0, converted to a number and checked against `min` and `max`. Default false. */
  readonly integer?: boolean;
  /** Least whole number accepted (with `integer`). Default 0. */
  readonly min?: number;
  /** Greatest whole number accepted (with `integer`). Default none. */
  readonly max?: number;
  /** The only values accepted. Default: any. */
  readonly choices?: readonly string[];
  /** Environment variable read when the option is not given. Default none. */
  readonly env?: string;
  /** Heading of the group this option starts in the help text. */
  readonly group?: string;
  /** The README's meaning column (Markdown), when it says more than `help`. Default `help`. */
  readonly doc?: string;
  /** The README's default column (Markdown), when it says more than help's. Default: help's default. */
  readonly docDefault?: string;
}

/** A command: its name, usage line, what it does and its option table. */
export interface CommandSpec<T extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** The words after `clickstream`, e.g. `analyze` or `catalog crawl`. */
  readonly name: string;
  /** e.g. `clickstream convert <export> --out <dataset-dir> [options]` */
  readonly usage: string;
  /** Paragraph(s) under the usage line. */
  readonly description: string;
  readonly options: T;
  /** Text after the option list (exit codes, examples). */
  readonly footer?: string;
}

type ValueOf<O> = O extends { type: 'boolean' }
  ? boolean
  : O extends { integer: true }
    ? number
    : O extends { choices: readonly (infer C)[] }
      ? C
      : O extends { multiple: true }
        ? string[]
        : string;
type AlwaysSet<O> = O extends { type: 'boolean' } ? true : O extends { default: string | number } ? true : O extends { required: true } ? true : false;

/** The values {@link parseCommand} yields for a table: typed, with defaults applied. */
export type OptionValues<T extends readonly OptionSpec[]> = {
  [O in T[number] as O['name']]: AlwaysSet<O> extends true ? ValueOf<O> : ValueOf<O> | undefined;
};

/** What {@link parseCommand} yields. */
export interface ParsedCommand<T extends readonly OptionSpec[]> {
  /** Every option's value. With `--help`, only `help` is to be trusted: nothing else was checked. */
  values: OptionValues<T>;
  positionals: string[];
  /** Names of the options given on the command line (not from a default or the environment). */
  given: ReadonlySet<string>;
}

/** Options every command has; spread into a table. */
export const HELP_OPTION = { name: 'help', short: 'h', type: 'boolean', help: 'show this help', docDefault: '' } as const satisfies OptionSpec;

const HELP_WIDTH = 100;
const COLUMN = 29;
const NBSP = '\u00a0';

/** The flag as help writes it: `-o, --out <dir>`. */
export function flagText(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
}

/** The default as help says it, or undefined when there is none. */
export function defaultOf(o: OptionSpec): string | undefined {
  if (o.defaultText !== undefined) return o.defaultText;
  if (o.env !== undefined) return `env ${o.env}${o.default === undefined ? '' : `, else ${o.default}`}`;
  return o.default === undefined ? undefined : String(o.default);
}

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
    const flag = `${o.short ? '' : '    '}${flagText(o)}`;
    // A short default stays on one line with its value: "(default\n384MB)" reads badly.
    const shown = defaultOf(o);
    const fallback = o.required ? '(required)' : shown === undefined ? '' : `(default ${shown})`;
    const keep = fallback.length <= 30 ? fallback.replaceAll(' ', NBSP) : fallback;
    const wrapped = wrap(fallback ? `${o.help} ${keep}` : o.help, HELP_WIDTH - COLUMN - 2).map((l) => l.replaceAll(NBSP, ' '));
    const first = `  ${flag}`;
    lines.push(first.length < COLUMN ? `${first.padEnd(COLUMN)}${wrapped[0]}` : `${first}\n${' '.repeat(COLUMN)}${wrapped[0]}`);
    for (const rest of wrapped.slice(1)) lines.push(`${' '.repeat(COLUMN)}${rest}`);
  }
  if (spec.footer) lines.push('', spec.footer);
  return lines.join('\n');
}

/**
 * Parses a command's arguments with its table. `--help` anywhere wins over every other mistake;
 * otherwise the first mistake is thrown as a usage error (exit 2): an unknown option with the
 * closest known one, a word after one dash that looks like a misspelt option, a missing or
 * malformed value. Then each value is converted and checked, and the environment and the defaults
 * fill in what was not given.
 */
export function parseCommand<T extends readonly OptionSpec[]>(spec: CommandSpec<T>, args: readonly string[]): ParsedCommand<T> {
  const byLong = new Map<string, OptionSpec>(spec.options.map((o) => [o.name, o]));
  const byShort = new Map<string, OptionSpec>(spec.options.filter((o) => o.short).map((o) => [o.short!, o]));
  const raw = new Map<string, string[] | true>();
  const positionals: string[] = [];
  const mistakes: UsageError[] = [];
  const set = (o: OptionSpec, value: string | true): void => {
    if (value === true || !o.multiple) raw.set(o.name, value === true ? true : [value]);
    else raw.set(o.name, [...((raw.get(o.name) as string[] | undefined) ?? []), value]);
  };
  const misspelt = (arg: string): UnknownOptionError | undefined => {
    // Only a word of letters: `-o/tmp/x` and `-p16` are a short option and its value.
    const word = /^-([A-Za-z][A-Za-z-]+)(=|$)/.exec(arg)?.[1];
    if (word === undefined) return undefined;
    const near = closest(word, [...byLong.keys()]);
    if (near === undefined) return undefined;
    const o = byLong.get(near)!;
    return new UnknownOptionError(`${arg} looks like a misspelt option for ${spec.name}: did you mean --${near}${o.short ? ` (-${o.short})` : ''}?`);
  };
  // A string option's value: the next word, unless that is clearly an option itself.
  const takeValue = (o: OptionSpec, flag: string, i: number): boolean => {
    const next = args[i + 1];
    const optionLike = next !== undefined && next.startsWith('-') && next !== '-' &&
      (next.startsWith('--') || (next.length === 2 && byShort.has(next[1]!)) || misspelt(next) !== undefined);
    if (next === undefined || optionLike) {
      mistakes.push(misspelt(next ?? '') ?? new OptionValueError(`${flag} needs a value${o.value ? ` ${o.value}` : ''}; see clickstream ${spec.name} --help`));
      return false;
    }
    set(o, next);
    return true;
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      const o = byLong.get(flag.slice(2));
      if (!o) {
        mistakes.push(unknownOption(spec, flag, [...byLong.keys()]));
      } else if (o.type === 'boolean') {
        if (eq === -1) set(o, true);
        else mistakes.push(new OptionValueError(`${flag} takes no value, got '${arg}'`));
      } else if (eq !== -1) {
        set(o, arg.slice(eq + 1));
      } else if (takeValue(o, flag, i)) {
        i++;
      }
      continue;
    }
    const body = arg.slice(1);
    const cluster = [...body].every((c) => byShort.get(c)?.type === 'boolean');
    if (!cluster && body.length > 1) {
      const wrong = misspelt(arg);
      if (wrong) {
        mistakes.push(wrong);
        continue;
      }
    }
    // Short options: flags may be grouped (-qf); one taking a value takes the rest of the word or the next word.
    for (let k = 0; k < body.length; k++) {
      const o = byShort.get(body[k]!);
      if (!o) {
        mistakes.push(unknownOption(spec, arg, [...byLong.keys()]));
        break;
      }
      if (o.type === 'boolean') {
        set(o, true);
        continue;
      }
      const rest = body.slice(k + 1).replace(/^=/, '');
      if (rest !== '') set(o, rest);
      else if (takeValue(o, `-${o.short}`, i)) i++;
      break;
    }
  }

  const given = new Set(raw.keys());
  if (raw.get('help') === true && byLong.get('help')?.type === 'boolean') {
    return { values: { help: true } as unknown as OptionValues<T>, positionals, given };
  }
  if (mistakes.length > 0) throw mistakes[0]!;
  const values: Record<string, unknown> = {};
  for (const o of spec.options) {
    const got = raw.get(o.name);
    if (o.type === 'boolean') {
      values[o.name] = got === true;
      continue;
    }
    const flag = `--${o.name}`;
    let texts = got as string[] | undefined;
    let from = flag;
    if (texts === undefined && o.env !== undefined && process.env[o.env]) {
      texts = [process.env[o.env]!];
      from = `${o.env} (the environment, for ${flag})`;
    }
    if (texts === undefined) {
      if (o.required) throw new UsageError(`missing ${flagText(o)} (${o.help}); see clickstream ${spec.name} --help`);
      if (o.default !== undefined) values[o.name] = o.integer ? o.default : String(o.default);
      continue;
    }
    const converted = texts.map((t) => convertValue(o, from, t));
    values[o.name] = o.multiple ? converted : converted[converted.length - 1];
  }
  return { values: values as OptionValues<T>, positionals, given };
}

function convertValue(o: OptionSpec, from: string, text: string): string | number {
  if (o.choices && !o.choices.includes(text)) {
    const list = o.choices.length > 1 ? `${o.choices.slice(0, -1).join(', ')} or ${o.choices[o.choices.length - 1]}` : o.choices[0];
    throw new OptionValueError(`${from} must be ${list}, got '${text}'`);
  }
  if (!o.integer) return text;
  const min = o.min ?? 0;
  const range = o.max !== undefined ? `from ${min} to ${o.max}` : min > 0 ? `≥ ${min}` : '';
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || (o.max !== undefined && n > o.max)) {
    throw new OptionValueError(`${from} must be a whole number${range ? ` ${range}` : ''}, got '${text}'`);
  }
  return n;
}

function unknownOption(spec: CommandSpec, flag: string, names: string[]): UnknownOptionError {
  const word = flag.replace(/^-+/, '').split('=')[0]!;
  const near = closest(word, names);
  return new UnknownOptionError(
    near === undefined
      ? `unknown option ${flag} for ${spec.name}; see clickstream ${spec.name} --help`
      : `unknown option ${flag} for ${spec.name}: did you mean --${near}?`,
  );
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
