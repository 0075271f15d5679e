/** `clickstream worker`: its option table, and the front end that starts a Redis worker process. */
import { UsageError } from '../errors.js';
import { commandLine } from './command-helpers.js';
import { DEFAULT_ATTEMPTS, DEFAULT_CONCURRENCY, DEFAULT_LOCK_MS, DEFAULT_PREFIX, QUEUE_NAME } from '../redis/queue.js';
import { DEFAULT_REDIS_URL, parseRedisUrl, REDIS_URL_ENV } from '../redis/redis-url.js';
import { HELP_OPTION, type CommandSpec } from './option-table.js';

export const WORKER_COMMAND = {
  name: 'worker',
  usage: 'clickstream worker [--redis <url>] [options]',
  description: `Takes analyze's partition jobs from the queue <prefix>:${QUEUE_NAME} on Redis and aggregates them,
until SIGINT or SIGTERM: then it finishes the jobs in progress and exits 0 (a second signal exits
at once; the job in progress goes back to the queue when its lock expires). Start as many as you
like, before or after the analyses, on any machine that sees the datasets and reports at the same
paths as the coordinator. Runs only jobs whose dataset and report are under its --data-root
directories. Logs one line when a job starts and one when it ends.`,
  options: [
    {
      name: 'redis',
      type: 'string',
      value: '<url>',
      help: 'redis://[user:password@]host[:port][/db] or rediss://… (TLS)',
      doc: "the queue's Redis (`rediss://` for TLS); the password never appears in logs",
      env: REDIS_URL_ENV,
      default: DEFAULT_REDIS_URL,
      docDefault: `env \`${REDIS_URL_ENV}\`, else \`${DEFAULT_REDIS_URL}\``,
    },
    {
      name: 'concurrency',
      short: 'c',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'jobs run at once by this process',
      doc: 'jobs this process runs at once (each uses one DuckDB thread)',
      default: DEFAULT_CONCURRENCY,
    },
    {
      name: 'attempts',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'runs a job may have when its worker dies (a stalled job is handed back n-1 times)',
      doc: 'runs a job may have when its worker dies (a stalled job is handed back n−1 times)',
      default: DEFAULT_ATTEMPTS,
    },
    { name: 'prefix', type: 'string', value: '<name>', help: "BullMQ key prefix, the same as the coordinators'", default: DEFAULT_PREFIX },
    {
      name: 'lock-ms',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'job lock duration and stalled-check interval in ms',
      doc: 'job lock duration and stalled-job check interval, in ms',
      default: DEFAULT_LOCK_MS,
    },
    {
      name: 'data-root',
      type: 'string',
      multiple: true,
      value: '<dir>',
      help:
        'read datasets and write results only under this directory (repeat for several); a job naming any other path, ' +
        'or a symbolic link leading out, is refused without retry',
      doc:
        'read datasets and write results only under this directory (repeatable); a job naming any other path, ' +
        'or a symbolic link leading out, is refused without retry',
      defaultText: 'the current directory',
    },
    {
      name: 'quiet',
      short: 'q',
      type: 'boolean',
      help: 'no per-job lines (problems are still reported on stderr)',
      doc: 'no per-job lines (one when a job starts, one with rows and seconds when it ends); problems still go to stderr',
    },
    HELP_OPTION,
  ],
} as const satisfies CommandSpec;

/** Runs `clickstream worker` until a signal; returns the exit code. */
export async function runWorker(args: string[]): Promise<number> {
  const line = commandLine(WORKER_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length > 0) throw new UsageError(`worker takes no arguments, got ${positionals.join(' ')}; see clickstream ${WORKER_COMMAND.name} --help`);
  const url = values.redis;
  parseRedisUrl(url);
  const { runWorkerProcess } = await import('../../workers/redis-worker.js');
  return runWorkerProcess({
    url,
    quiet: values.quiet,
    concurrency: values.concurrency,
    attempts: values.attempts,
    lockMs: values['lock-ms'],
    prefix: values.prefix,
    ...(values['data-root'] !== undefined ? { dataRoots: values['data-root'] } : {}),
  });
}
