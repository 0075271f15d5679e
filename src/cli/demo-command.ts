/** `clickstream demo`: its option table, and the front end that calls {@link runDemo}. */
import { DEFAULT_DEMO_BYTES, DEFAULT_DEMO_DIR, DEFAULT_DEMO_SEED, DEMO_OPENEDX_FILES, DEMO_STEPS, MIN_DEMO_BYTES, runDemo } from '../demo/run-demo.js';
import { UsageError } from '../errors.js';
import { parseSize } from '../generate/parse-size.js';
import { commandLine, interruptSignal } from './command-helpers.js';
import { convertStatusLine } from './convert-status-line.js';
import { formatCount, formatDuration } from './format.js';
import { HELP_OPTION, type CommandSpec } from './option-table.js';
import { StatusLine } from './status-line.js';

export const DEMO_COMMAND = {
  name: 'demo',
  usage: 'clickstream demo [--out <dir>] [options]',
  description: `Shows the whole tool on realistic data in under a minute: generates a seeded Coursera clickstream
export and an Open edX site's tracking log in ${DEMO_OPENEDX_FILES} rotated gzip files, both with the dirt real
exports have (invalid and truncated lines, blank lines, missing usernames, bots, odd user agents),
converts each to a Parquet dataset and analyzes it, then prints the paths of the two reports'
index.html. <dir> holds coursera/ and openedx/, each with its export, dataset/ and report/, and
appears only when complete.`,
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', help: 'directory to create', default: `./${DEFAULT_DEMO_DIR}` },
    {
      name: 'bytes',
      type: 'string',
      value: '<size>',
      help: `text of each export (before gzip), at least ${MIN_DEMO_BYTES / 1000}KB: B, KB, MB, GB or KiB, MiB, GiB`,
      default: `${DEFAULT_DEMO_BYTES / 1e6}MB`,
    },
    { name: 'seed', type: 'string', value: '<text>', help: 'seed of the generators (same seed, same exports)', doc: 'seed of both generators: the same seed and size give the same exports and reports', default: DEFAULT_DEMO_SEED },
    { name: 'force', short: 'f', type: 'boolean', help: 'replace <dir> if it exists and is a demo written before (never anything else)', doc: 'replace `<dir>` if it exists and is a demo written before (it holds `clickstream-demo.json`); never anything else' },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no progress; only the two paths' },
    HELP_OPTION,
  ],
  footer: `Exit codes: 0 ok, 2 bad usage, 4 <dir> exists (--force replaces only a demo) or cannot be written,
130 interrupted (nothing is left behind).`,
} as const satisfies CommandSpec;

/** Runs `clickstream demo`; returns the exit code. */
export async function runDemoCommand(args: string[]): Promise<number> {
  const line = commandLine(DEMO_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}': the directory is --out <dir>`);
  const bytes = values.bytes === undefined ? undefined : size(values.bytes);
  const quiet = values.quiet ?? false;
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !quiet);
  const say = (line: string): void => {
    status.clear();
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  const { signal, dispose } = interruptSignal();
  let stepStarted = Date.now();
  try {
    const result = await runDemo({
      force: values.force ?? false,
      signal,
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(bytes !== undefined ? { bytes } : {}),
      ...(values.seed !== undefined ? { seed: values.seed } : {}),
      onStep: (n, text) => {
        stepStarted = Date.now();
        say(`demo [${n}/${DEMO_STEPS}] ${text}…`);
      },
      onNotice: (line) => say(`clickstream: ${line}`),
      onConvertProgress: (p) => status.update(convertStatusLine(p)),
      onAnalyzeProgress: (p) => status.update(`analyze  ${p.done}/${p.total} partitions | ${formatDuration(Date.now() - stepStarted)}`),
    });
    status.clear();
    if (!quiet) {
      for (const [name, part] of [['Coursera', result.coursera], ['Open edX', result.openedx]] as const) {
        say(
          `demo: ${name}: ${formatCount(part.lines)} lines -> ${formatCount(part.events)} events, ${formatCount(part.learners)} learners; ` +
            `dataset ${part.dataset}`,
        );
      }
      say(`demo: done in ${formatDuration(result.seconds * 1000)}; open the reports:`);
    }
    console.log(result.coursera.index);
    console.log(result.openedx.index);
    return 0;
  } finally {
    status.clear();
    dispose();
  }
}

function size(value: string): number {
  let n: number;
  try {
    n = parseSize(value);
  } catch {
    throw new UsageError(`--bytes must be a size such as 40MB or 500KB, got '${value}'`);
  }
  if (n < MIN_DEMO_BYTES) throw new UsageError(`--bytes must be at least ${MIN_DEMO_BYTES / 1000}KB, got '${value}'`);
  return n;
}
