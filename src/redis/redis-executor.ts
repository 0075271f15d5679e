/**
 * Redis mode of `analyze`: partition jobs go on the well-known BullMQ queue, `clickstream worker`
 * processes anywhere take them, and this coordinator polls the jobs of its run until each
 * partition has exactly one completed result. See docs/distributed.md for the whole argument.
 */
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Job, Queue, type JobsOptions } from 'bullmq';
import { AGGREGATE_PARTITION } from '../../jobs/aggregate-partition.js';
import type { AggregatePartitionPayload, AggregatePartitionResult } from '../analyze/partition-job.js';
import type { PartitionExecutor } from '../analyze/executor.js';
import { isInside } from '../util/is-inside.js';
import { ClickstreamError, InterruptedError, JobFailedError, RedisUnavailableError, UsageError } from '../errors.js';
import { checkRedisReachable, describeRedisError, redisConnectionOptions } from './connection.js';
import { DEFAULT_ATTEMPTS, DEFAULT_PREFIX, partitionJobId, QUEUE_NAME, validateAttempts, validatePrefix, validateRunId } from './queue.js';
import { redactRedisUrl } from './redis-url.js';
import { resultFilePath } from '../run/run-scratch.js';
import type { RedisJobResult } from './run-worker.js';

/** Options of {@link RedisExecutor}. */
export interface RedisExecutorOptions {
  /** `redis://` or `rediss://` URL of the queue's Redis. Required. */
  url: string;
  /** The run's id (the same as analyze's `runId`); job ids are `<runId>-pNNNNN`. Required. */
  runId: string;
  /** BullMQ key prefix; must match the workers' `--prefix`. Default `clickstream`. */
  prefix?: string;
  /** Runs a job may have before it fails the analysis (BullMQ job `attempts`). Default 3. */
  attempts?: number;
  /** Delay before the first retry of a failed job, doubled for each further one. Default 1000 ms. */
  backoffMs?: number;
  /** Interval between two looks at the run's pending jobs. Default 100 ms plus 2 ms per pending job, at most 1 s. */
  pollMs?: number;
  /** How long the start-up check waits for Redis to answer before failing with exit 5. Default 4000 ms. */
  connectTimeoutMs?: number;
  /** How long Redis may stay unreachable during a run before the run fails (exit 5, resumable). Default 60000 ms. */
  unavailableTimeoutMs?: number;
  /** How long a finished job a coordinator never collected (it died and was not resumed) stays in Redis. Default 86400 s (one day). */
  keepFinishedSeconds?: number;
  /** How long to wait, after a failure, for jobs still running on workers so they can be removed too. Default 10000 ms. */
  cleanupWaitMs?: number;
  /**
   * How long after queuing, with no job of the run taken by a worker, the coordinator says once how
   * to start one (it keeps waiting). Default {@link NO_WORKER_HINT_MS}.
   */
  noWorkerHintMs?: number;
  /** Receives problems and recoveries (connection trouble, jobs queued again). Default: stderr. */
  log?: (line: string) => void;
  /** Receives the one line saying how many jobs were queued, already done or already queued. Default: `log`. */
  info?: (line: string) => void;
}

/** Default of {@link RedisExecutorOptions.noWorkerHintMs}: 15 s, longer than a busy worker takes to notice new jobs. */
export const NO_WORKER_HINT_MS = 15_000;

/**
 * The line that tells how to start a worker for a run that no worker has taken a job of: the
 * `--data-root` directories must hold the dataset and the run's scratch beside the report.
 */
export function noWorkerHint(shownUrl: string, prefix: string, payload: Pick<AggregatePartitionPayload, 'dataset' | 'resultDir'>): string {
  const roots = [dirname(resolve(payload.dataset))];
  const scratchParent = dirname(dirname(resolve(payload.resultDir)));
  if (!isInside(roots[0]!, scratchParent)) roots.push(scratchParent);
  const args = [`--redis ${shownUrl}`, ...(prefix !== DEFAULT_PREFIX ? [`--prefix ${prefix}`] : []), ...roots.map((r) => `--data-root ${r}`)];
  return `analyze: no worker has taken a job yet: start one with clickstream worker ${args.join(' ')}`;
}

/**
 * A {@link PartitionExecutor} that runs partition jobs on BullMQ workers.
 *
 * Exactly once over at-least-once: every partition has one deterministic job id, so re-adding is a
 * no-op; a job's result is collected only from the `completed` state and kept in a Map keyed by
 * partition, so a partition that ran twice (a stall whose first run still finished) counts once;
 * results are files written atomically under the run directory, identical whichever run wrote them.
 */
export class RedisExecutor implements PartitionExecutor {
  /** Jobs outlive this coordinator in Redis, and workers keep running them: the same run id resumes. */
  readonly resumable = true;
  private queue: Queue | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly prefix: string;
  private readonly runId: string;
  private readonly attempts: number;
  private readonly shown: string;
  private readonly log: (line: string) => void;
  private lastError = { text: '', at: 0 };

  constructor(private readonly options: RedisExecutorOptions) {
    this.prefix = validatePrefix(options.prefix ?? DEFAULT_PREFIX);
    this.runId = validateRunId(options.runId);
    this.attempts = validateAttempts(options.attempts ?? DEFAULT_ATTEMPTS);
    this.shown = redactRedisUrl(options.url);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** `<prefix>:analyze`, for messages. */
  get queueName(): string {
    return `${this.prefix}:${QUEUE_NAME}`;
  }

  async run(
    payloads: AggregatePartitionPayload[],
    onResult: (result: AggregatePartitionResult, worker: string) => void,
  ): Promise<AggregatePartitionResult[]> {
    this.throwIfClosed();
    await checkRedisReachable(this.options.url, this.options.connectTimeoutMs ?? 4_000);
    this.throwIfClosed();
    const queue = new Queue<AggregatePartitionPayload, RedisJobResult>(QUEUE_NAME, {
      connection: redisConnectionOptions({ url: this.options.url, onRetry: (m) => this.log(`analyze: ${m}`) }),
      prefix: this.prefix,
      // The events stream is the only key that grows with use; nothing here reads it.
      streams: { events: { maxLen: 1_000 } },
    });
    this.queue = queue;
    queue.on('error', (err) => this.reportError(err));
    await this.redis(() => queue.waitUntilReady());

    const results = new Map<number, AggregatePartitionResult>();
    const toAdd = await this.resume(queue, payloads, results, onResult);
    if (toAdd.length > 0) await this.redis(() => queue.addBulk(toAdd.map((p) => this.jobFor(p))));
    (this.options.info ?? this.log)(
      `analyze: run ${this.runId}: ${toAdd.length} partition job(s) queued on ${this.shown} queue ${this.queueName}` +
        (results.size > 0 ? `, ${results.size} already done` : '') +
        `, ${payloads.length - results.size - toAdd.length} already queued`,
    );

    try {
      await this.waitForAll(queue, payloads, results, onResult);
    } catch (err) {
      if (err instanceof JobFailedError) await this.removeJobs(queue, payloads, this.options.cleanupWaitMs ?? 10_000);
      throw err;
    }
    await this.removeJobs(queue, payloads, 0);
    return payloads.map((p) => results.get(p.partition)!);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const queue = this.queue;
    this.queue = undefined;
    if (queue) await queue.close().catch(() => undefined);
  }

  /**
   * Looks at the jobs a previous coordinator of this run may have left: completed ones are used as
   * they are, failed ones are queued again (the user asked to resume), waiting or active ones are
   * left alone. Returns the payloads to add.
   */
  private async resume(
    queue: Queue,
    payloads: AggregatePartitionPayload[],
    results: Map<number, AggregatePartitionResult>,
    onResult: (result: AggregatePartitionResult, worker: string) => void,
  ): Promise<AggregatePartitionPayload[]> {
    const found = await this.redis(() =>
      Promise.all(
        payloads.map(async (p) => {
          const job = await Job.fromId<AggregatePartitionPayload, RedisJobResult>(queue, partitionJobId(this.runId, p.partition));
          return { p, job, state: job ? await finalState(job) : undefined };
        }),
      ),
    );
    const conflicts = found.filter(({ p, job }) => job && !samePayload(job.data, p)).map(({ p }) => p.partition);
    if (conflicts.length > 0) {
      throw new UsageError(
        `run id ${this.runId} already has jobs on queue ${this.queueName} for another dataset, report or analysis options ` +
          `(partition(s) ${listPartitions(conflicts)}); resume with the same dataset and --out, or choose another --run-id`,
      );
    }
    const toAdd: AggregatePartitionPayload[] = [];
    for (const { p, job, state } of found) {
      if (!job) {
        toAdd.push(p);
      } else if (state === 'completed') {
        const result = await this.acceptResult(job, p, false);
        if (result) {
          results.set(p.partition, result);
          onResult(result, workerOf(job));
        } else {
          this.log(`analyze: partition ${p.partition} was done but its result file is gone; queued again`);
          await this.redis(() => queue.remove(job.id!));
          toAdd.push(p);
        }
      } else if (state === 'failed') {
        this.log(`analyze: partition ${p.partition} failed in an earlier run (${job.failedReason}); queued again`);
        await this.redis(() => queue.remove(job.id!));
        toAdd.push(p);
      }
    }
    return toAdd;
  }

  private async waitForAll(
    queue: Queue,
    payloads: AggregatePartitionPayload[],
    results: Map<number, AggregatePartitionResult>,
    onResult: (result: AggregatePartitionResult, worker: string) => void,
  ): Promise<void> {
    let unavailableSince: number | undefined;
    const limit = this.options.unavailableTimeoutMs ?? 60_000;
    // A run nobody works on would wait forever in silence: the user is told once how to start a worker.
    const queuedAt = Date.now();
    const hintAfter = this.options.noWorkerHintMs ?? NO_WORKER_HINT_MS;
    let hinted = results.size > 0;
    while (results.size < payloads.length) {
      // Short waits keep the run's end prompt; with many partitions pending, each look costs more
      // round trips, so it happens less often.
      const pending = payloads.length - results.size;
      await this.sleep(this.options.pollMs ?? Math.min(1_000, 100 + 2 * pending));
      this.throwIfClosed();
      try {
        const taken = await this.pollOnce(queue, payloads, results, onResult);
        if (taken) hinted = true;
        else if (!hinted && Date.now() - queuedAt >= hintAfter) {
          hinted = true;
          this.log(noWorkerHint(this.shown, this.prefix, payloads[0]!));
        }
        if (unavailableSince !== undefined) this.log(`analyze: Redis at ${this.shown} answers again`);
        unavailableSince = undefined;
      } catch (err) {
        this.throwIfClosed();
        if (err instanceof ClickstreamError) throw err;
        const now = Date.now();
        if (unavailableSince === undefined) {
          unavailableSince = now;
          this.log(`analyze: cannot reach Redis at ${this.shown} (${describeRedisError(err as Error)}); still trying for ${limit / 1000} s`);
        } else if (now - unavailableSince > limit) {
          throw new RedisUnavailableError(
            `lost Redis at ${this.shown} for more than ${limit / 1000} s (${describeRedisError(err as Error)}); ` +
              `rerun with --run-id ${this.runId} to resume`,
            { cause: err },
          );
        }
      }
    }
  }

  /** One look at every pending partition's job; true when a worker has taken one of them. */
  private async pollOnce(
    queue: Queue,
    payloads: AggregatePartitionPayload[],
    results: Map<number, AggregatePartitionResult>,
    onResult: (result: AggregatePartitionResult, worker: string) => void,
  ): Promise<boolean> {
    const pending = payloads.filter((p) => !results.has(p.partition));
    const jobs = await Promise.all(
      pending.map((p) => Job.fromId<AggregatePartitionPayload, RedisJobResult>(queue, partitionJobId(this.runId, p.partition))),
    );
    const vanished = pending.filter((_, i) => !jobs[i]);
    if (vanished.length > 0) {
      // Removed behind our back (Redis restarted without persistence, or flushed): queue them again.
      await queue.addBulk(vanished.map((p) => this.jobFor(p)));
      this.log(
        `analyze: the job(s) of partition(s) ${listPartitions(vanished.map((p) => p.partition))} vanished from Redis ` +
          '(restarted or flushed?); queued again',
      );
    }
    let taken = false;
    for (const [i, p] of pending.entries()) {
      const job = jobs[i];
      if (!job) continue;
      if (job.processedOn !== undefined || job.attemptsStarted > 0) taken = true;
      const state = await finalState(job);
      if (state === 'completed') {
        const result = await this.acceptResult(job, p, true);
        if (result && !results.has(p.partition)) {
          results.set(p.partition, result);
          onResult(result, workerOf(job));
        }
      } else if (state === 'failed') {
        throw failure(job, p.partition);
      }
    }
    return taken;
  }

  /**
   * Checks a completed job's return value and that its result file is visible here. With `strict`,
   * a missing file fails the run (the worker wrote it where this machine cannot see); otherwise
   * (resuming) it returns undefined so the partition is computed again.
   */
  private async acceptResult(job: Job<AggregatePartitionPayload, RedisJobResult>, p: AggregatePartitionPayload, strict: boolean) {
    const r = job.returnvalue as Partial<RedisJobResult> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      r.partition !== p.partition ||
      r.resultFile !== resultFilePath(p.resultDir, p.partition) ||
      typeof r.events !== 'number' ||
      typeof r.users !== 'number' ||
      typeof r.durationMs !== 'number'
    ) {
      throw new JobFailedError(p.partition, `job ${job.id} returned an unexpected value ${JSON.stringify(r)?.slice(0, 200)}`, job.attemptsStarted);
    }
    try {
      await access(r.resultFile);
    } catch {
      if (!strict) return undefined;
      throw new JobFailedError(
        p.partition,
        `worker ${workerOf(job)} wrote ${r.resultFile} but this machine cannot see it: ` +
          'the dataset and report paths must be on storage shared by every machine, at the same path',
        job.attemptsStarted,
      );
    }
    const result: AggregatePartitionResult = {
      partition: r.partition,
      resultFile: r.resultFile,
      events: r.events,
      users: r.users,
      durationMs: r.durationMs,
    };
    return result;
  }

  /**
   * Removes the run's jobs so Redis keeps nothing of a finished run. Jobs still running on a worker
   * are locked and cannot be removed: they are waited for up to `waitMs`, then left to expire
   * (`keepFinishedSeconds` after they finish).
   */
  private async removeJobs(queue: Queue, payloads: AggregatePartitionPayload[], waitMs: number): Promise<void> {
    let left = payloads.map((p) => partitionJobId(this.runId, p.partition));
    const deadline = Date.now() + waitMs;
    try {
      for (;;) {
        const removed = await Promise.all(left.map((id) => queue.remove(id)));
        const locked = left.filter((_, i) => removed[i] !== 1);
        // remove() answers 0 for a job that is gone already as well as for a locked one.
        const present = await Promise.all(locked.map(async (id) => ((await Job.fromId(queue, id)) ? id : undefined)));
        left = present.filter((id): id is string => id !== undefined);
        if (left.length === 0 || Date.now() >= deadline || this.closed) break;
        await this.sleep(250);
      }
    } catch (err) {
      this.log(`analyze: could not remove the run's jobs from Redis: ${describeRedisError(err as Error)}`);
      return;
    }
    if (left.length > 0) {
      const keep = this.options.keepFinishedSeconds ?? 86_400;
      this.log(`analyze: ${left.length} job(s) of run ${this.runId} still running on workers were left in Redis; they expire ${keep} s after they finish`);
    }
  }

  private jobFor(p: AggregatePartitionPayload): { name: string; data: AggregatePartitionPayload; opts: JobsOptions } {
    const keep = this.options.keepFinishedSeconds ?? 86_400;
    return {
      name: AGGREGATE_PARTITION,
      data: p,
      opts: {
        jobId: partitionJobId(this.runId, p.partition),
        attempts: this.attempts,
        backoff: { type: 'exponential', delay: this.options.backoffMs ?? 1_000 },
        // The coordinator reads the return value, then removes the job itself; these ages only
        // clean up after a coordinator that died and was never resumed.
        removeOnComplete: { age: keep },
        removeOnFail: { age: keep },
        stackTraceLimit: 2,
      },
    };
  }

  /** Runs a Redis operation of the start-up phase; connection trouble there is exit 5. */
  private async redis<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      this.throwIfClosed();
      if (err instanceof ClickstreamError) throw err;
      throw new RedisUnavailableError(`Redis at ${this.shown} failed: ${describeRedisError(err as Error)}`, { cause: err });
    }
  }

  private throwIfClosed(): void {
    if (this.closed) throw new InterruptedError(`analyze interrupted; rerun with --run-id ${this.runId} to resume`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private reportError(err: Error): void {
    const text = describeRedisError(err);
    const now = Date.now();
    if (text === this.lastError.text && now - this.lastError.at < 5_000) return;
    this.lastError = { text, at: now };
    this.log(`analyze: Redis error: ${text}`);
  }
}

/**
 * `completed` or `failed` when the job had finished when `job` was read, `pending` otherwise (waiting,
 * delayed for a retry, active, or changed since). A job's state is asked only after its snapshot shows
 * it finished: BullMQ writes `finishedOn` with the return value (or failure) in one step, so a job read
 * while it was still running is never mistaken for a completed one with no result, however soon it
 * completes after the read.
 */
async function finalState(job: Job<AggregatePartitionPayload, RedisJobResult>): Promise<'completed' | 'failed' | 'pending'> {
  if (job.finishedOn === undefined) return 'pending';
  const state = await job.getState();
  return state === 'completed' || state === 'failed' ? state : 'pending';
}

/** The run-failing error of a job that failed for good, with the number of times it really ran. */
function failure(job: Job<AggregatePartitionPayload, RedisJobResult>, partition: number): JobFailedError {
  let reason = job.failedReason || 'unknown reason';
  if (/stalled more than allowable limit/.test(reason)) {
    // Failed by the worker that picked it up after its last stall, without running it: each run stalled.
    const runs = Math.max(1, job.stalledCounter);
    reason += ` (its worker died, was killed or hung ${runs} time(s): see the workers' logs)`;
    return new JobFailedError(partition, reason, runs);
  }
  return new JobFailedError(partition, reason, Math.max(1, job.attemptsMade));
}

function listPartitions(partitions: number[]): string {
  return partitions.length <= 12 ? partitions.join(', ') : `${partitions.slice(0, 12).join(', ')} and ${partitions.length - 12} more`;
}

function samePayload(a: unknown, b: AggregatePartitionPayload): boolean {
  const x = a as Partial<AggregatePartitionPayload> | null;
  return (
    x !== null &&
    typeof x === 'object' &&
    x.dataset === b.dataset &&
    x.partition === b.partition &&
    x.file === b.file &&
    x.rows === b.rows &&
    x.resultDir === b.resultDir &&
    // A resume with other analysis options (zone, filter, gap) must not reuse these jobs' results.
    JSON.stringify(x.settings) === JSON.stringify(b.settings)
  );
}

function workerOf(job: Job<unknown, RedisJobResult>): string {
  const r = job.returnvalue as Partial<RedisJobResult> | null;
  return (r && typeof r.worker === 'string' ? r.worker : undefined) ?? job.processedBy ?? 'unknown';
}
