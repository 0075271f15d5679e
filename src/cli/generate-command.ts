/** `clickstream generate`: its option table, and the front end that calls {@link generateExport}. */
import { rename, rm, writeFile } from 'node:fs/promises';
import { OutputError, UsageError } from '../errors.js';
import { DEFAULT_START } from '../generate/coursera-course.js';
import { parseSize } from '../generate/parse-size.js';
import { parseStart } from '../generate/parse-start.js';
import { GENERATE_FORMATS, generateExport, type GenerateExportOptions, type GenerateExportResult } from '../generate/generate-export.js';
import { describeFsError } from '../util/fs-error.js';
import { tempName } from '../util/stale-temps.js';
import { commandLine, interruptSignal } from './command-helpers.js';
import { formatBytes } from '../util/format-bytes.js';
import { formatCount } from './format.js';
import { HELP_OPTION, type CommandSpec, type OptionValues } from './option-table.js';

/** Size written when neither --bytes nor --events is given. */
export const DEFAULT_GENERATE_BYTES = '500MB';
/** Chance per event of a dirty line before it and, independently, of a quirk in it. */
export const DEFAULT_DIRTY_RATE = 0.002;
/** Seeds when --seed is not given, per format. */
export const DEFAULT_SEEDS = { coursera: 'psy-001', openedx: 'edx' } as const;
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const DEFAULT_FILES = 1;
const DEFAULT_COURSES = 4;
const DEFAULT_ANONYMOUS_RATE = 0.03;
const OPENEDX_GROUP = 'Open edX only (--format openedx):';

export const GENERATE_COMMAND = {
  name: 'generate',
  usage: 'clickstream generate --out <file> [--format coursera|openedx] [options]',
  description: `Writes a realistic, seeded clickstream export to try the tool on, with the dirt real exports
have (truncated and invalid lines, blank lines, missing usernames, very long lines, CRLF, invalid
UTF-8, wrong-typed fields, bots and download scripts, odd user agents and language headers). The
same seed and options give the same bytes. coursera: one export of a ten-week course (psy-001).
openedx: an Open edX site's tracking log, several courses, rotated into --files files named after
<file> (tracking.log.gz -> tracking.log.2.gz tracking.log.1.gz tracking.log.gz, oldest first).
A summary line (lines, events, blank and rejected lines by reason, learners) goes to stderr.
The files appear only when complete.`,
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<file>', required: true, help: 'file to write; with --files, the newest log' },
    { name: 'format', type: 'string', value: '<coursera|openedx>', choices: GENERATE_FORMATS, help: 'which export to write', doc: "a Coursera export of a ten-week course, or an Open edX site's tracking log", default: GENERATE_FORMATS[0] },
    {
      name: 'bytes',
      type: 'string',
      value: '<size>',
      help: 'text to write (before gzip), within about 1%: B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB',
      default: DEFAULT_GENERATE_BYTES,
    },
    { name: 'events', type: 'string', value: '<n>', integer: true, min: 1, help: 'write exactly n ordinary events instead of --bytes (dirty lines come on top)' },
    { name: 'gzip', type: 'boolean', help: 'gzip every file' },
    { name: 'seed', type: 'string', value: '<text>', help: 'seed of the generator', defaultText: `${DEFAULT_SEEDS.coursera} (coursera), ${DEFAULT_SEEDS.openedx} (openedx)` },
    {
      name: 'dirty-rate',
      type: 'string',
      value: '<0..1>',
      help: 'chance per event of a dirty line before it and, independently, of a quirk in it',
      default: DEFAULT_DIRTY_RATE,
    },
    {
      name: 'max-line-bytes',
      type: 'string',
      value: '<n>',
      integer: true,
      min: 1,
      help: 'only for the counts: longer lines are counted as rejected too_long, as convert with this limit would',
      default: DEFAULT_MAX_LINE_BYTES,
    },
    { name: 'start', type: 'string', value: '<YYYY-MM-DD>', help: "coursera: the course's first day", default: DEFAULT_START },
    { name: 'stats', type: 'string', value: '<file>', help: 'also write the counts as JSON to this file', doc: 'also write the counts as JSON (lines, events, blank, rejected by reason, learners, per file)' },
    { name: 'force', short: 'f', type: 'boolean', help: 'replace <file> if it exists and is a file (also the other rotated files of that name; never a directory)' },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no summary line' },
    HELP_OPTION,
    { name: 'files', type: 'string', value: '<n>', integer: true, min: 1, group: OPENEDX_GROUP, help: 'rotated files the log is split into', doc: 'openedx: rotated files, oldest first (`tracking.log.gz` → `tracking.log.2.gz tracking.log.1.gz tracking.log.gz`)', default: DEFAULT_FILES },
    { name: 'courses', type: 'string', value: '<n>', integer: true, min: 1, group: OPENEDX_GROUP, help: 'courses on the site', default: DEFAULT_COURSES },
    {
      name: 'anonymous-rate',
      type: 'string',
      value: '<0..1>',
      group: OPENEDX_GROUP,
      help: 'chance per session of anonymous requests before it',
      default: DEFAULT_ANONYMOUS_RATE,
    },
  ],
  footer: `Examples:
  clickstream generate --out psy-001.jsonl.gz --bytes 50MB --gzip
  clickstream generate --format openedx --out logs/tracking.log.gz --bytes 50MB --gzip --files 3

Exit codes: 0 ok, 2 bad usage, 4 a file exists (use --force) or cannot be written, 130 interrupted.`,
} as const satisfies CommandSpec;

type GenerateValues = OptionValues<(typeof GENERATE_COMMAND)['options']>;

/** Runs `clickstream generate`; returns the exit code. */
export async function runGenerate(args: string[]): Promise<number> {
  const line = commandLine(GENERATE_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals, given } = line;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}': the file to write is --out <file>`);
  const options = generateOptions(values, given);
  const { signal, dispose } = interruptSignal();
  try {
    const result = await generateExport({ ...options, signal });
    if (values.stats !== undefined) await writeStats(values.stats, result.stats);
    if (!values.quiet) process.stderr.write(`${generateSummary(result)}\n`);
    return 0;
  } finally {
    dispose();
  }
}

/**
 * The generator's options from the command line's values (typed and range-checked by the table);
 * `given` names the options written on the command line, so that one of the other format is refused.
 */
export function generateOptions(values: GenerateValues, given: ReadonlySet<string>): GenerateExportOptions {
  const format = values.format;
  if (given.has('bytes') && given.has('events')) throw new UsageError('give --bytes or --events, not both');
  const events = values.events;
  const bytes = events === undefined ? size(values.bytes) : undefined;
  const common = {
    out: values.out,
    gzip: values.gzip,
    dirtyRate: rate('dirty-rate', values['dirty-rate']),
    maxLineBytes: values['max-line-bytes'],
    force: values.force,
    ...(events !== undefined ? { events } : { bytes }),
  };
  if (format === 'coursera') {
    const other = (['files', 'courses', 'anonymous-rate'] as const).find((o) => given.has(o));
    if (other) throw new UsageError(`--${other} applies to --format openedx only`);
    return { format, ...common, seed: values.seed ?? DEFAULT_SEEDS.coursera, start: date(values.start) };
  }
  if (given.has('start')) throw new UsageError('--start applies to --format coursera only');
  return {
    format: 'openedx',
    ...common,
    seed: values.seed ?? DEFAULT_SEEDS.openedx,
    files: values.files,
    courses: values.courses,
    anonymousRate: rate('anonymous-rate', values['anonymous-rate']),
  };
}

/** The one-line summary of what was generated. */
export function generateSummary(result: GenerateExportResult): string {
  const s = result.stats;
  const r = s.rejected;
  const files = result.files.join(' ');
  const learners =
    result.format === 'coursera'
      ? `${formatCount(result.stats.users)} learners (median ${result.stats.medianClicks}, max ${formatCount(result.stats.maxClicks)} clicks), ` +
        `${formatCount(result.stats.videoEvents)} video events, ${formatCount(result.stats.untimed)} untimed, ${formatCount(result.stats.botEvents)} from bots`
      : `${formatCount(result.stats.users)} learners, ${result.stats.courses.length} courses`;
  return (
    `generated ${files}: ${formatBytes(s.bytes)}${s.gzip ? ` (${formatBytes(s.fileBytes)} gzip)` : ''}, ` +
    `${formatCount(s.lines)} lines = ${formatCount(s.events)} events + ${formatCount(s.blank)} blank + rejected ` +
    `invalid_json ${r.invalid_json}, not_object ${r.not_object}, missing_username ${r.missing_username}, too_long ${r.too_long}; ` +
    `${learners}; seed ${JSON.stringify(s.seed)}; ${s.seconds.toFixed(1)} s`
  );
}

async function writeStats(path: string, stats: unknown): Promise<void> {
  const temp = tempName(path);
  try {
    await writeFile(temp, JSON.stringify(stats, null, 2) + '\n');
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new OutputError(`cannot write --stats ${path}: ${describeFsError(err)}`, { cause: err });
  }
}

function rate(name: string, value: string | number): number {
  if (typeof value === 'number') return value;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new UsageError(`--${name} must be a number between 0 and 1, got '${value}'`);
  return n;
}

function size(value: string): number {
  try {
    const n = parseSize(value);
    if (n < 1) throw new Error('zero');
    return n;
  } catch {
    throw new UsageError(`--bytes must be a size such as 50MB, 2GB or 300KiB, got '${value}'`);
  }
}

function date(value: string): number {
  try {
    return parseStart(value);
  } catch {
    throw new UsageError(`--start must be a date YYYY-MM-DD, got '${value}'`);
  }
}
