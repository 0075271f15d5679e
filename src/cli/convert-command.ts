/** `clickstream convert`: its option table, and the front end that calls {@link convert}. */
import { convert, DEFAULT_MAX_LINE_BYTES, MIN_DEFAULT_PARTITIONS, PARTITION_TARGET_BYTES } from '../convert/convert.js';
import { listFormats } from '../formats/format-registry.js';
import { TOO_LONG_KEPT_BYTES } from '../formats/line-rules.js';
import { DEFAULT_MEMORY_LIMIT } from '../convert/write-parquet.js';
import {
  DEFAULT_FORMAT_CHOICE,
  DEFAULT_PEEK_BYTES,
  FORMAT_CHOICES,
  FORMAT_SAMPLE_LINE_FACTOR,
  FORMAT_SAMPLE_LINES,
} from '../formats/detect-format.js';
import { commandLine, interruptSignal, onePositional } from './command-helpers.js';
import { formatCount, formatDuration } from './format.js';
import { HELP_OPTION, type CommandSpec } from './option-table.js';
import { convertStatusLine } from './convert-status-line.js';
import { StatusLine } from './status-line.js';

const MIB = 1024 * 1024;

export const CONVERT_COMMAND = {
  name: 'convert',
  usage: 'clickstream convert <export> [<export>…] --out <dataset-dir> [options]',
  description: `Reads a clickstream export (one JSON object per line; gzip recognised by its magic bytes) as a
stream and writes a Parquet dataset: part-NNNNN.parquet (zstd, hash-partitioned by username),
_rejected.jsonl (every rejected line with its file, line number and reason) and _manifest.json.
Each input is ${listFormats((f) => f.title, 'or')}; several files of one
export (rotated logs: tracking.log.2.gz tracking.log.1.gz tracking.log) make one dataset, read in the
order given; a folder stands for its files, oldest rotation first. One file given twice (a link, a
copy) is refused (exit 2). A file in no format read here, or not in the one --format names, is refused (exit 3).
<export> - reads standard input (e.g. zcat x.gz | clickstream convert - --out ds). Zip, bzip2, xz,
zstd and UTF-16 files are refused, saying what they are, and so is an input with no event or with
more than half of its first 10,000 non-blank lines rejected (exit 3). The dataset directory appears only when complete.`,
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', required: true, help: 'dataset directory to create' },
    {
      name: 'format',
      type: 'string',
      value: `<${FORMAT_CHOICES.join('|')}>`,
      choices: FORMAT_CHOICES,
      help:
        `input format; ${DEFAULT_FORMAT_CHOICE} decides from the first ${FORMAT_SAMPLE_LINES.toLocaleString('en-US')} JSON objects of each file ` +
        `(read in at most ${(FORMAT_SAMPLE_LINES * FORMAT_SAMPLE_LINE_FACTOR).toLocaleString('en-US')} lines or ${DEFAULT_PEEK_BYTES / MIB} MiB), ` +
        'and the manifest records it',
      doc:
        `input format: ${listFormats((f) => (f.readmeSection === undefined ? f.title : `${f.title} ([below](#${f.readmeSection}))`), 'or')}; ` +
        `\`${DEFAULT_FORMAT_CHOICE}\` decides from the first ${FORMAT_SAMPLE_LINES.toLocaleString('en-US')} JSON objects of each file ` +
        `(read in at most ${(FORMAT_SAMPLE_LINES * FORMAT_SAMPLE_LINE_FACTOR).toLocaleString('en-US')} non-blank lines or ${DEFAULT_PEEK_BYTES / MIB} MiB) ` +
        'and refuses a file in no format read here, mixing formats, or not in the one named (exit 3); the manifest records it',
      default: DEFAULT_FORMAT_CHOICE,
    },
    {
      name: 'partitions',
      short: 'p',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'number of Parquet partitions',
      defaultText: `${MIN_DEFAULT_PARTITIONS}, or one per ${PARTITION_TARGET_BYTES / MIB} MiB of uncompressed input if more, which keeps memory flat; ${MIN_DEFAULT_PARTITIONS} for standard input`,
      doc:
        "Parquet files; each learner's events are all in one of them. The default keeps each partition's Parquet write, " +
        "and so convert's memory, the same size however big the export",
      docDefault: `${MIN_DEFAULT_PARTITIONS}, or one per ${PARTITION_TARGET_BYTES / MIB} MiB of uncompressed input if more (${MIN_DEFAULT_PARTITIONS} for standard input, whose size is unknown)`,
    },
    {
      name: 'max-line-bytes',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'longest line accepted; longer lines are rejected as too_long',
      doc: `longer lines are rejected as \`too_long\` (only their first ${TOO_LONG_KEPT_BYTES / 1024} KiB is kept)`,
      default: DEFAULT_MAX_LINE_BYTES,
      docDefault: `${DEFAULT_MAX_LINE_BYTES} (${DEFAULT_MAX_LINE_BYTES / MIB} MiB)`,
    },
    { name: 'threads', type: 'string', value: '<n>', integer: true, help: 'parse threads', defaultText: 'number of cores' },
    {
      name: 'memory-limit',
      type: 'string',
      value: '<size>',
      help: 'DuckDB memory while writing Parquet',
      doc: "DuckDB's memory while writing Parquet (it spills beyond)",
      default: DEFAULT_MEMORY_LIMIT,
    },
    {
      name: 'accept-rejects',
      type: 'boolean',
      help: 'convert even when no event is found or more than half of the first 10,000 non-blank lines are rejected (otherwise exit 3, showing the first rejected line)',
      doc: 'convert even an input in which no event is found or more than half of the first 10,000 non-blank lines are rejected',
    },
    {
      name: 'force',
      short: 'f',
      type: 'boolean',
      help: 'replace <dataset-dir> if it exists and is a dataset (never the input, nor a directory holding it, nor anything else)',
      doc: 'replace `<dataset-dir>` if it exists and is a dataset (see below)',
    },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no progress and no summary line', doc: 'no progress, no summary line' },
    HELP_OPTION,
  ],
} as const satisfies CommandSpec;

/** Runs `clickstream convert`; returns the exit code. */
export async function runConvert(args: string[]): Promise<number> {
  const line = commandLine(CONVERT_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length === 0) onePositional(positionals, '<export> file (or - for standard input)', CONVERT_COMMAND.name);
  const inputs = positionals;
  const input = inputs.length === 1 ? inputs[0]! : `${inputs.length} files`;
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !values.quiet);
  const { signal, dispose } = interruptSignal();
  try {
    const { partitions, threads } = values;
    const result = await convert({
      input: inputs,
      format: values.format,
      out: values.out,
      force: values.force,
      acceptRejects: values['accept-rejects'],
      signal,
      onNotice: (line) => {
        status.clear();
        process.stderr.write(`clickstream: ${line}\n`);
      },
      ...(partitions !== undefined ? { partitions } : {}),
      maxLineBytes: values['max-line-bytes'],
      ...(threads !== undefined ? { threads } : {}),
      memoryLimit: values['memory-limit'],
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
