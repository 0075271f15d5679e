/** `clickstream convert`: its option table, and the front end that calls {@link convert}. */
import { convert, DEFAULT_MAX_LINE_BYTES, MIN_DEFAULT_PARTITIONS } from '../convert/convert.js';
import { DEFAULT_MEMORY_LIMIT } from '../convert/write-parquet.js';
import { UsageError } from '../errors.js';
import { FORMAT_NAMES } from '../formats/input-format.js';
import type { FormatChoice } from '../formats/detect-format.js';
import { intOption, interruptSignal, onePositional } from './command-helpers.js';
import { formatCount, formatDuration } from './format.js';
import { HELP_OPTION, helpText, parseCommand, type CommandSpec } from './option-table.js';
import { convertStatusLine } from './convert-status-line.js';
import { StatusLine } from './status-line.js';

export const CONVERT_COMMAND = {
  usage: 'clickstream convert <export> [<export>…] --out <dataset-dir> [options]',
  description: `Reads a clickstream export (one JSON object per line; gzip recognised by its magic bytes) as a
stream and writes a Parquet dataset: part-NNNNN.parquet (zstd, hash-partitioned by username),
_rejected.jsonl (every rejected line with its file, line number and reason) and _manifest.json.
Coursera clickstream exports and Open edX tracking logs are read; several files of one export
(rotated logs: tracking.log.2.gz tracking.log.1.gz tracking.log) make one dataset, read in the
order given; a folder stands for its files, oldest rotation first. One file given twice (a link, a
copy) is refused (exit 2). A file in neither format, or not in the one --format names, is refused (exit 3).
<export> - reads standard input (e.g. zcat x.gz | clickstream convert - --out ds). Zip, bzip2, xz,
zstd and UTF-16 files are refused, saying what they are, and so is an input with no event or with
more than half of its first 10,000 non-blank lines rejected (exit 3). The dataset directory appears only when complete.`,
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', help: 'dataset directory to create (required)' },
    {
      name: 'format',
      type: 'string',
      value: '<auto|coursera|openedx>',
      help: 'input format; auto decides from the first 1000 lines of each file, and the manifest records it',
      default: 'auto',
    },
    {
      name: 'partitions',
      short: 'p',
      type: 'string',
      value: '<n>',
      help: 'number of Parquet partitions',
      default: `${MIN_DEFAULT_PARTITIONS}, or one per 128 MiB of uncompressed input if more, which keeps memory flat; ${MIN_DEFAULT_PARTITIONS} for standard input`,
    },
    {
      name: 'max-line-bytes',
      type: 'string',
      value: '<n>',
      help: 'longest line accepted; longer lines are rejected as too_long',
      default: DEFAULT_MAX_LINE_BYTES,
    },
    { name: 'threads', type: 'string', value: '<n>', help: 'parse threads', default: 'number of cores' },
    { name: 'memory-limit', type: 'string', value: '<size>', help: 'DuckDB memory while writing Parquet', default: DEFAULT_MEMORY_LIMIT },
    {
      name: 'accept-rejects',
      type: 'boolean',
      help: 'convert even when no event is found or more than half of the first 10,000 non-blank lines are rejected (otherwise exit 3, showing the first rejected line)',
    },
    { name: 'force', short: 'f', type: 'boolean', help: 'replace <dataset-dir> if it is a dataset (never the input, nor a directory holding it)' },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no progress and no summary line' },
    HELP_OPTION,
  ],
} as const satisfies CommandSpec;

/** Runs `clickstream convert`; returns the exit code. */
export async function runConvert(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(CONVERT_COMMAND, args);
  const help = helpText(CONVERT_COMMAND);
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length === 0) onePositional(positionals, '<export> file (or - for standard input)', help);
  const inputs = positionals;
  const input = inputs.length === 1 ? inputs[0]! : `${inputs.length} files`;
  if (!values.out) throw new UsageError('missing --out <dataset-dir>');
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !(FORMAT_NAMES as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be auto, ${FORMAT_NAMES.join(' or ')}, got '${format}'`);
  }
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !values.quiet);
  const { signal, dispose } = interruptSignal();
  try {
    const partitions = intOption('partitions', values.partitions);
    const maxLineBytes = intOption('max-line-bytes', values['max-line-bytes']);
    const threads = intOption('threads', values.threads);
    const result = await convert({
      input: inputs,
      format: format as FormatChoice,
      out: values.out,
      force: values.force ?? false,
      acceptRejects: values['accept-rejects'] ?? false,
      signal,
      onNotice: (line) => {
        status.clear();
        process.stderr.write(`clickstream: ${line}\n`);
      },
      ...(partitions !== undefined ? { partitions } : {}),
      ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(values['memory-limit'] ? { memoryLimit: values['memory-limit'] } : {}),
      onProgress: (p) => status.update(convertStatusLine(p)),
    });
    status.clear();
    if (!values.quiet) {
      const c = result.manifest.counts;
      const rejected = Object.entries(c.rejected)
        .filter(([, n]) => n > 0)
        .map(([r, n]) => `${r} ${formatCount(n)}`)
        .join(', ');
      console.log(
        `converted ${input === '-' ? 'standard input' : input} -> ${result.dir}: ${formatCount(c.lines)} lines, ${formatCount(c.events)} events, ` +
          `${formatCount(c.blank)} blank, ${formatCount(c.lines - c.events - c.blank)} rejected${rejected ? ` (${rejected})` : ''}, ` +
          `${result.manifest.partitions.length} partitions in ${formatDuration(result.manifest.durationMs)} (format ${result.manifest.format})`,
      );
    }
    return 0;
  } finally {
    status.clear();
    dispose();
  }
}
