/** `clickstream analyze`: its option table, and the front end that calls {@link analyze}. */
import { analyze, DEFAULT_TOP } from '../analyze/analyze.js';
import { DEFAULT_SESSION_GAP_MINUTES, DEFAULT_TIME_ZONE, parseSessionGap, resolveAnalysisSettings } from '../analytics/analysis-settings.js';
import { UsageError } from '../errors.js';
import { listFormats } from '../formats/format-registry.js';
import { DEFAULT_ATTEMPTS, DEFAULT_PREFIX } from '../redis/queue.js';
import { newRunId, validateRunId } from '../run/run-scratch.js';
import type { RedisExecutor } from '../redis/redis-executor.js';
import { parseRedisUrl, redactRedisUrl, REDIS_URL_ENV } from '../redis/redis-url.js';
import { commandLine, interruptSignal, onePositional } from './command-helpers.js';
import { formatCount, formatDuration } from './format.js';
import { HELP_OPTION, type CommandSpec } from './option-table.js';
import { StatusLine } from './status-line.js';
import { analyzeStatusLine } from './analyze-status-line.js';

/** The formats whose events name their course, as prose says them (`--course` applies to their datasets). */
const COURSE_FORMATS = listFormats((f) => f.label, 'and', (f) => f.hasCourses);

const REDIS_GROUP = 'Redis mode (the dataset and report paths must be the same on every machine: shared storage):';

export const ANALYZE_COMMAND = {
  name: 'analyze',
  usage: 'clickstream analyze <dataset-dir> --out <report-dir> [options]',
  description: `Plans one job per partition, runs them in local worker threads (or, with --redis, on
\`clickstream worker\` processes fed through Redis), reduces the partial results exactly and
writes summary.json, browsers.csv, os.csv, devices.csv, languages.csv, users.csv,
activity-cdf.csv, user-agents.csv, the learning analytics (event-types.csv, sections.csv,
referrers.csv, daily.csv, hour-of-week.csv, retention.csv, session-durations.csv, videos.csv,
learners.csv, learners.parquet), for ${COURSE_FORMATS} datasets courses.csv, the charts and index.html.
The report directory appears only when complete.`,
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', required: true, help: 'report directory to create' },
    {
      name: 'workers',
      short: 'w',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'local worker threads (ignored with --redis)',
      doc: 'local worker threads, each aggregating one partition at a time (ignored with `--redis`)',
      defaultText: 'number of cores',
    },
    {
      name: 'top',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'learners listed in summary.json topUsers',
      doc: 'learners listed in `summary.json` `topUsers` (`users.csv` lists them all)',
      default: DEFAULT_TOP,
    },
    {
      name: 'run-id',
      type: 'string',
      value: '<id>',
      help:
        "name of this run's scratch directory and, with --redis, of its jobs; with --redis, rerun with the same id to resume " +
        'an interrupted run (a local run never resumes: it starts again)',
      doc:
        "names the run's scratch directory and, with `--redis`, its jobs; rerun with the same id to resume an interrupted " +
        'Redis run (a local run never resumes: it starts again)',
      defaultText: 'random',
    },
    {
      name: 'tz',
      type: 'string',
      value: '<zone>',
      help: 'IANA time zone of days, hours and weekdays, e.g. Europe/Paris',
      doc: 'IANA time zone of days, hours and weekdays, e.g. `Europe/Paris` (exact around DST changes)',
      default: DEFAULT_TIME_ZONE,
    },
    {
      name: 'from',
      type: 'string',
      value: '<date|instant>',
      help: 'keep events at or after this time: YYYY-MM-DD (midnight in --tz) or an ISO 8601 instant with Z or an offset; untimed events are left out',
      doc: 'keep events at or after this time: `YYYY-MM-DD` (midnight in `--tz`) or ISO 8601 with `Z` or an offset; untimed events are then left out',
    },
    {
      name: 'to',
      type: 'string',
      value: '<date|instant>',
      help: 'keep events before this time (same forms as --from); untimed events are left out',
      doc: 'keep events before this time (same forms); untimed events are then left out',
    },
    { name: 'exclude-bots', type: 'boolean', help: 'leave out events whose user agent is a bot' },
    {
      name: 'session-gap',
      type: 'string',
      value: '<minutes>',
      help: "a learner's next event more than this after the previous one starts a new session",
      default: DEFAULT_SESSION_GAP_MINUTES,
    },
    {
      name: 'course-start',
      type: 'string',
      value: '<date>',
      help:
        'YYYY-MM-DD in --tz: the first day of course week 0 for retention.csv (week w = days 7w to 7w + 6 after it; ' +
        'events before it are week -1)',
      defaultText: "the first event's day",
    },
    {
      name: 'course',
      type: 'string',
      value: '<course_id>',
      help:
        `${COURSE_FORMATS} datasets: keep only this course's events, before every other count and filter ((none): events naming no course); ` +
        'a course with no event is refused, listing the courses the dataset holds',
      doc:
        `${COURSE_FORMATS} datasets: keep only this course's events (\`(none)\`: events naming no course), before every other count and filter; ` +
        "a course with no event is refused (exit 2), listing the dataset's courses",
      defaultText: 'every course',
    },
    {
      name: 'spreadsheet-safe',
      type: 'boolean',
      help:
        "write the CSVs for spreadsheets: a text starting with = + - @, tab or CR gets a leading ' (OWASP) so it cannot run " +
        'as a formula; without it the CSVs are exact (RFC 4180)',
      doc: 'write the CSVs for spreadsheets (see below); without it they are exact',
    },
    {
      name: 'force',
      short: 'f',
      type: 'boolean',
      help: 'replace <report-dir> if it exists and is a report (a directory with its summary.json; never the dataset)',
      doc: 'replace `<report-dir>` if it exists and is a report (a directory with its `summary.json`; never the dataset)',
    },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no progress and no summary line', doc: 'no progress, no summary line' },
    HELP_OPTION,
    {
      name: 'redis',
      type: 'string',
      value: '<url>',
      group: REDIS_GROUP,
      env: REDIS_URL_ENV,
      help: 'redis://[user:password@]host[:port][/db] or rediss://… (TLS); queue the jobs there instead of running them here',
      doc:
        'queue the partition jobs on Redis for `clickstream worker` processes (`redis://[user:password@]host[:port][/db]`, ' +
        'or `rediss://` for TLS)',
      defaultText: `env ${REDIS_URL_ENV}; when neither is set, local mode`,
      docDefault: `env \`${REDIS_URL_ENV}\`; neither: local mode`,
    },
    {
      name: 'attempts',
      type: 'string',
      value: '<n>',
      integer: true,
      group: REDIS_GROUP,
      help: 'runs a partition job may have before the analysis fails',
      doc: 'Redis mode: runs a partition job may have before the analysis fails',
      default: DEFAULT_ATTEMPTS,
    },
    {
      name: 'prefix',
      type: 'string',
      value: '<name>',
      group: REDIS_GROUP,
      help: "BullMQ key prefix, the same as the workers'",
      doc: "Redis mode: BullMQ key prefix, the same as the workers'",
      default: DEFAULT_PREFIX,
    },
  ],
} as const satisfies CommandSpec;

/** Runs `clickstream analyze`; returns the exit code. */
export async function runAnalyze(args: string[]): Promise<number> {
  const line = commandLine(ANALYZE_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals, given } = line;
  const dataset = onePositional(positionals, '<dataset-dir>', ANALYZE_COMMAND.name);
  const redisUrl = values.redis;
  if (redisUrl === undefined && (given.has('attempts') || given.has('prefix'))) {
    throw new UsageError(`--attempts and --prefix apply to Redis mode only; add --redis <url> or set ${REDIS_URL_ENV}`);
  }
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !values.quiet);
  const { signal, dispose } = interruptSignal();
  const started = Date.now();
  try {
    const { workers, top, attempts } = values;
    const sessionGap = values['session-gap'] === undefined ? undefined : parseSessionGap(values['session-gap']);
    const analysisOptions = {
      ...(values.tz !== undefined ? { tz: values.tz } : {}),
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : {}),
      ...(values['exclude-bots'] ? { excludeBots: true } : {}),
      ...(sessionGap !== undefined ? { sessionGapMinutes: sessionGap } : {}),
      ...(values.course !== undefined ? { course: values.course } : {}),
      ...(values['course-start'] !== undefined ? { courseStart: values['course-start'] } : {}),
    };
    resolveAnalysisSettings(analysisOptions); // a bad zone, bound or gap is a usage error before anything else happens
    let runId = values['run-id'];
    let executor: RedisExecutor | undefined;
    if (redisUrl !== undefined) {
      parseRedisUrl(redisUrl); // a bad URL is a usage error before anything else happens
      runId = validateRunId(runId ?? newRunId());
      const log = (line: string): void => {
        status.clear();
        process.stderr.write(`${line}\n`);
      };
      // BullMQ and ioredis load only in Redis mode: a third of the CLI's start-up time otherwise.
      const { RedisExecutor } = await import('../redis/redis-executor.js');
      executor = new RedisExecutor({
        url: redisUrl,
        runId,
        log,
        ...(values.quiet ? { info: () => undefined } : {}),
        ...noWorkerHintSetting(process.env.CLICKSTREAM_NO_WORKER_HINT_MS),
        attempts,
        prefix: values.prefix,
      });
      if (!values.quiet) {
        log(
          `analyze: run id ${runId} on ${redactRedisUrl(redisUrl)}${workers !== undefined ? ' (--workers ignored in Redis mode)' : ''}; ` +
            `if interrupted, resume with --run-id ${runId}`,
        );
      }
    }
    const result = await analyze({
      dataset,
      out: values.out,
      force: values.force,
      spreadsheetSafe: values['spreadsheet-safe'],
      signal,
      onNotice: (line) => {
        status.clear();
        process.stderr.write(`clickstream: ${line}\n`);
      },
      ...(workers !== undefined && !executor ? { workers } : {}),
      top,
      ...analysisOptions,
      ...(runId ? { runId } : {}),
      ...(executor ? { executor } : {}),
      onProgress: (p) => status.update(analyzeStatusLine(p, Date.now() - started)),
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

/**
 * `CLICKSTREAM_NO_WORKER_HINT_MS`: how long a Redis run waits, with no job taken, before saying how
 * to start a worker (default 15 s). An internal setting, for tests that cannot wait that long; a value
 * that is not a whole number of milliseconds is ignored.
 */
function noWorkerHintSetting(value: string | undefined): { noWorkerHintMs?: number } {
  return value !== undefined && /^\d+$/.test(value) ? { noWorkerHintMs: Number(value) } : {};
}
