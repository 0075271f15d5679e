/**
 * Command-line front end: parses arguments, calls the programmatic API (src/index.ts), shows
 * progress, and turns errors into one-line messages and exit codes. No analysis logic lives here.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { analyze, DEFAULT_TOP } from './analyze/analyze.js';
import { formatBytes, formatCount, formatDuration, perSecond } from './cli/format.js';
import { StatusLine } from './cli/status-line.js';
import { convert, DEFAULT_MAX_LINE_BYTES, MIN_DEFAULT_PARTITIONS } from './convert/convert.js';
import { ClickstreamError, UsageError } from './errors.js';
import { DEFAULT_ATTEMPTS, DEFAULT_LOCK_MS, DEFAULT_PREFIX, QUEUE_NAME, validateRunId } from './redis/queue.js';
import type { RedisExecutor } from './redis/redis-executor.js';
import { DEFAULT_REDIS_URL, parseRedisUrl, redactRedisUrl } from './redis/redis-url.js';
import { TOOL_VERSION } from './version.js';

const MAIN_HELP = `clickstream ${TOOL_VERSION} — MOOC clickstream exports to Parquet and exact analytics

Usage:
  clickstream convert <export> --out <dataset-dir> [options]
  clickstream analyze <dataset-dir> --out <report-dir> [options]
  clickstream worker [--redis <url>] [options]
  clickstream <command> --help

Commands:
  convert   stream a clickstream export (plain or gzip) into a partitioned Parquet dataset
  analyze   count browsers, OS, devices, languages and clicks per learner; write CSVs, charts, index.html
            (in local worker threads, or on Redis workers with --redis)
  worker    take analyze's partition jobs from Redis until SIGINT/SIGTERM (see docs/distributed.md)

Options:
  -h, --help      show help
  -v, --version   show the version

Exit codes: 0 ok, 1 failure, 2 bad usage, 3 unreadable input or dataset, 4 output exists or unwritable,
            5 Redis unavailable, 6 a partition job failed, 70 internal error, 130 interrupted.`;

const CONVERT_HELP = `Usage: clickstream convert <export> --out <dataset-dir> [options]

Reads a clickstream export (one JSON object per line; gzip recognised by its magic bytes) as a
stream and writes a Parquet dataset: part-NNNNN.parquet (zstd, hash-partitioned by username),
_rejected.jsonl (every rejected line with its line number and reason) and _manifest.json.
The dataset directory appears only when complete.

Options:
  -o, --out <dir>            dataset directory to create (required)
  -p, --partitions <n>       number of Parquet partitions (default: ${MIN_DEFAULT_PARTITIONS}, or one per
                             128 MiB of uncompressed input if more, which keeps memory flat)
      --max-line-bytes <n>   longest line accepted; longer lines are rejected as too_long
                             (default ${DEFAULT_MAX_LINE_BYTES}, 16 MiB)
      --threads <n>          parse threads (default: number of cores)
      --memory-limit <size>  DuckDB memory while writing Parquet (default 384MB)
  -f, --force                replace <dataset-dir> if it exists
  -q, --quiet                no progress and no summary line
  -h, --help                 show this help`;

const ANALYZE_HELP = `Usage: clickstream analyze <dataset-dir> --out <report-dir> [options]

Plans one job per partition, runs them in local worker threads (or, with --redis, on
\`clickstream worker\` processes fed through Redis), reduces the partial results exactly and
writes summary.json, browsers.csv, os.csv, devices.csv, languages.csv, users.csv,
activity-cdf.csv, user-agents.csv, browser.png, device.png, language.png, activity-cdf.png and
index.html. The report directory appears only when complete.

Options:
  -o, --out <dir>        report directory to create (required)
  -w, --workers <n>      local worker threads (default: number of cores; ignored with --redis)
      --top <n>          learners listed in summary.json topUsers (default ${DEFAULT_TOP})
      --run-id <id>      name of this run's scratch directory and, with --redis, of its jobs;
                         rerun with the same id to resume an interrupted run (default: random)
  -f, --force            replace <report-dir> if it exists
  -q, --quiet            no progress and no summary line
  -h, --help             show this help

Redis mode (the dataset and report paths must be the same on every machine: shared storage):
      --redis <url>      redis://[user:password@]host[:port][/db] or rediss://… (TLS); queue the
                         jobs there instead of running them here (default: env REDIS_URL; when
                         neither is set, local mode)
      --attempts <n>     runs a partition job may have before the analysis fails (default ${DEFAULT_ATTEMPTS})
      --prefix <name>    BullMQ key prefix, the same as the workers' (default ${DEFAULT_PREFIX})`;

const WORKER_HELP = `Usage: clickstream worker [--redis <url>] [options]

Takes analyze's partition jobs from the queue <prefix>:${QUEUE_NAME} on Redis and aggregates them,
until SIGINT or SIGTERM: then it finishes the jobs in progress and exits 0 (a second signal exits
at once; the job in progress goes back to the queue when its lock expires). Start as many as you
like, before or after the analyses, on any machine that sees the datasets and reports at the same
paths as the coordinator. Logs one line when a job starts and one when it ends.

Options:
      --redis <url>        redis://[user:password@]host[:port][/db] or rediss://… (TLS)
                           (default: env REDIS_URL, else ${DEFAULT_REDIS_URL})
  -c, --concurrency <n>    jobs run at once by this process (default 1)
      --attempts <n>       runs a job may have when its worker dies (a stalled job is handed back
                           n-1 times) (default ${DEFAULT_ATTEMPTS})
      --prefix <name>      BullMQ key prefix, the same as the coordinators' (default ${DEFAULT_PREFIX})
      --lock-ms <n>        job lock duration and stalled-check interval in ms (default ${DEFAULT_LOCK_MS})
  -q, --quiet              no per-job lines (problems are still reported on stderr)
  -h, --help               show this help`;

const common = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  force: { type: 'boolean', short: 'f' },
  out: { type: 'string', short: 'o' },
} as const satisfies ParseArgsConfig['options'];

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'convert':
        return await runConvert(rest);
      case 'analyze':
        return await runAnalyze(rest);
      case 'worker':
        return await runWorker(rest);
      case '-v':
      case '--version':
        console.log(TOOL_VERSION);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(MAIN_HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'; run clickstream --help`);
    }
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof ClickstreamError) {
    console.error(`clickstream: ${err.message}`);
    return err.exitCode;
  }
  const e = err as Error & { code?: string };
  if (e?.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`clickstream: ${e.message}; see --help`);
    return 2;
  }
  console.error('clickstream: internal error (please report it):');
  console.error(e?.stack ?? String(err));
  return 70;
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  return Number(value);
}

function onePositional(positionals: string[], what: string, help: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? `missing ${what}\n\n${help}` : `expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  return positionals[0]!;
}

/** Aborts on the first SIGINT/SIGTERM so work is cleaned up; a second one exits at once. */
function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nclickstream: ${sig} received, stopping and cleaning up (again to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

async function runConvert(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...common,
    partitions: { type: 'string', short: 'p' },
    'max-line-bytes': { type: 'string' },
    threads: { type: 'string' },
    'memory-limit': { type: 'string' },
  });
  if (values.help) {
    console.log(CONVERT_HELP);
    return 0;
  }
  const input = onePositional(positionals, '<export> file', CONVERT_HELP);
  if (!values.out) throw new UsageError('missing --out <dataset-dir>');
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !values.quiet);
  const { signal, dispose } = interruptSignal();
  try {
    const partitions = intOption('partitions', values.partitions);
    const maxLineBytes = intOption('max-line-bytes', values['max-line-bytes']);
    const threads = intOption('threads', values.threads);
    const result = await convert({
      input,
      out: values.out,
      force: values.force ?? false,
      signal,
      ...(partitions !== undefined ? { partitions } : {}),
      ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(values['memory-limit'] ? { memoryLimit: values['memory-limit'] } : {}),
      onProgress: (p) => {
        if (p.phase === 'write') {
          status.update(
            `convert  writing Parquet partition ${p.partitionsWritten}/${p.partitions} (${formatCount(p.events)} events) | ${formatDuration(p.elapsedMs)} elapsed`,
          );
          return;
        }
        const fraction = p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : 0;
        const eta = fraction > 0 ? (p.elapsedMs / fraction) * (1 - fraction) : 0;
        status.update(
          `convert  ${(fraction * 100).toFixed(1)}% | ${formatBytes(p.bytesRead)} of ${formatBytes(p.bytesTotal)}` +
            ` | ${formatCount(p.lines)} lines (${formatCount(perSecond(p.lines, p.elapsedMs))}/s,` +
            ` ${formatBytes(perSecond(p.bytesDecoded, p.elapsedMs))}/s) | ETA ${formatDuration(eta)}`,
        );
      },
    });
    status.clear();
    if (!values.quiet) {
      const c = result.manifest.counts;
      const rejected = Object.entries(c.rejected)
        .filter(([, n]) => n > 0)
        .map(([r, n]) => `${r} ${formatCount(n)}`)
        .join(', ');
      console.log(
        `converted ${input} -> ${result.dir}: ${formatCount(c.lines)} lines, ${formatCount(c.events)} events, ` +
          `${formatCount(c.blank)} blank, ${formatCount(c.lines - c.events - c.blank)} rejected${rejected ? ` (${rejected})` : ''}, ` +
          `${result.manifest.partitions.length} partitions in ${formatDuration(result.manifest.durationMs)}`,
      );
    }
    return 0;
  } finally {
    status.clear();
    dispose();
  }
}

async function runAnalyze(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...common,
    workers: { type: 'string', short: 'w' },
    top: { type: 'string' },
    'run-id': { type: 'string' },
    redis: { type: 'string' },
    attempts: { type: 'string' },
    prefix: { type: 'string' },
  });
  if (values.help) {
    console.log(ANALYZE_HELP);
    return 0;
  }
  const dataset = onePositional(positionals, '<dataset-dir>', ANALYZE_HELP);
  if (!values.out) throw new UsageError('missing --out <report-dir>');
  const redisUrl = values.redis ?? (process.env.REDIS_URL || undefined);
  if (redisUrl === undefined && (values.attempts !== undefined || values.prefix !== undefined)) {
    throw new UsageError('--attempts and --prefix apply to Redis mode only; add --redis <url> or set REDIS_URL');
  }
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !values.quiet);
  const { signal, dispose } = interruptSignal();
  const started = Date.now();
  try {
    const workers = intOption('workers', values.workers);
    const top = intOption('top', values.top);
    const attempts = intOption('attempts', values.attempts);
    let runId = values['run-id'];
    let executor: RedisExecutor | undefined;
    if (redisUrl !== undefined) {
      parseRedisUrl(redisUrl); // a bad URL is a usage error before anything else happens
      runId = validateRunId(runId ?? randomBytes(6).toString('hex'));
      const log = (line: string): void => {
        status.clear();
        process.stderr.write(`${line}\n`);
      };
      // BullMQ and ioredis load only in Redis mode: a third of the CLI's start-up time otherwise.
      const { RedisExecutor } = await import('./redis/redis-executor.js');
      executor = new RedisExecutor({
        url: redisUrl,
        runId,
        log,
        ...(values.quiet ? { info: () => undefined } : {}),
        ...(attempts !== undefined ? { attempts } : {}),
        ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
      });
      if (!values.quiet) {
        log(`analyze: run id ${runId} on ${redactRedisUrl(redisUrl)}${workers !== undefined ? ' (--workers ignored in Redis mode)' : ''}; ` +
          `if interrupted, resume with --run-id ${runId}`);
      }
    }
    const result = await analyze({
      dataset,
      out: values.out,
      force: values.force ?? false,
      signal,
      ...(workers !== undefined && !executor ? { workers } : {}),
      ...(top !== undefined ? { top } : {}),
      ...(runId ? { runId } : {}),
      ...(executor ? { executor } : {}),
      onProgress: (p) => {
        const rates = Object.entries(p.workers)
          .map(([w, s]) => `${w} ${formatCount(s.rowsPerSecond)} rows/s`)
          .join(', ');
        status.update(`analyze  ${p.done}/${p.total} partitions | ${formatDuration(Date.now() - started)}${rates ? ` | ${rates}` : ''}`);
      },
    });
    status.clear();
    if (!values.quiet) {
      const s = result.summary;
      console.log(
        `analyzed ${dataset} -> ${result.dir}: ${formatCount(s.events)} events, ${formatCount(s.users)} learners, ` +
          `${s.browsers.length} browsers, ${s.languages.length} languages, median ${s.activity.median} clicks, ` +
          `${result.files.length} files in ${formatDuration(Date.now() - started)}`,
      );
    }
    return 0;
  } finally {
    status.clear();
    dispose();
  }
}

async function runWorker(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    help: { type: 'boolean', short: 'h' },
    quiet: { type: 'boolean', short: 'q' },
    redis: { type: 'string' },
    concurrency: { type: 'string', short: 'c' },
    attempts: { type: 'string' },
    prefix: { type: 'string' },
    'lock-ms': { type: 'string' },
  });
  if (values.help) {
    console.log(WORKER_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`worker takes no arguments, got ${positionals.join(' ')}\n\n${WORKER_HELP}`);
  const url = values.redis ?? (process.env.REDIS_URL || DEFAULT_REDIS_URL);
  parseRedisUrl(url);
  const concurrency = intOption('concurrency', values.concurrency);
  const attempts = intOption('attempts', values.attempts);
  const lockMs = intOption('lock-ms', values['lock-ms']);
  const { runWorkerProcess } = await import('../workers/redis-worker.js');
  return runWorkerProcess({
    url,
    quiet: values.quiet ?? false,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
    ...(lockMs !== undefined ? { lockMs } : {}),
    ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
  });
}
