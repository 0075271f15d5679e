/**
 * `clickstream worker`: a long-running BullMQ worker that takes partition jobs from the well-known
 * queue and runs the one processor, {@link aggregatePartition}, on them.
 *
 * Lock renewal: BullMQ keeps a job's lock alive with a timer on this process's event loop (every
 * lockDuration / 2). aggregatePartition spends its time in DuckDB, whose queries run on native
 * threads behind promises, so the event loop stays free and the timer fires on time however long
 * the job is; the JavaScript parts of a job (classifying agents and pages, reading video payloads)
 * give the event loop a turn at least every 20 ms (src/util/yield-point.ts). A job that outlives its lock is
 * therefore one whose process died or hung, which is exactly what stall detection should catch.
 */
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  AGGREGATE_PARTITION,
  aggregatePartition,
  closeAggregator,
  validatePayload,
} from '../../jobs/aggregate-partition.js';
import type { AggregatePartitionPayload, AggregatePartitionResult } from '../analyze/partition-job.js';
import { InvalidPayloadError, UsageError } from '../errors.js';
import { redisConnectionOptions } from './connection.js';
import { DataRoots } from './data-roots.js';
import { DEFAULT_ATTEMPTS, DEFAULT_CONCURRENCY, DEFAULT_LOCK_MS, DEFAULT_PREFIX, QUEUE_NAME, validateAttempts, validatePrefix } from './queue.js';
import { redactRedisUrl } from './redis-url.js';

/** Options of {@link RedisPartitionWorker}. */
export interface RedisWorkerOptions {
  /** `redis://` or `rediss://` URL of the queue's Redis. Required. */
  url: string;
  /** BullMQ key prefix; must match the coordinator's `--prefix`. Default `clickstream`. */
  prefix?: string;
  /** Jobs this process runs at once (each with one DuckDB thread). Default 1. */
  concurrency?: number;
  /**
   * How many times a job may run. A worker that dies holding a job makes it stall; a stalled job is
   * handed back to the queue `attempts - 1` times (BullMQ `maxStalledCount`), then fails.
   * Job failures (exceptions) are bounded by the coordinator's own `--attempts`. Default 3.
   */
  attempts?: number;
  /**
   * BullMQ lock duration in ms, renewed every half of it while a job runs; also the interval of the
   * stalled-job check. A dead worker's job is retried after one to three times this. Default 30000.
   */
  lockMs?: number;
  /**
   * Directories this worker may read datasets from and write results into; a job naming a path
   * outside them (as written or through a symbolic link) is refused without retry. Relative ones are
   * against the current directory. Default: the current directory.
   */
  dataRoots?: readonly string[];
  /** Name recorded as the job's `processedBy` and in its return value. Default `<hostname>:<pid>`. */
  name?: string;
  /** Receives one line per job started and finished. Default: no job lines. */
  log?: (line: string) => void;
  /** Receives connection problems and refused or failed jobs. Default: stderr. */
  warn?: (line: string) => void;
  /**
   * How long {@link RedisPartitionWorker.close} waits for Redis once no job is running: closing
   * needs Redis, and a worker told to stop while Redis is down must not hang. Default 5000 ms.
   */
  closeTimeoutMs?: number;
}

/** What a Redis worker returns for a job: the processor's small result plus who computed it. */
export interface RedisJobResult extends AggregatePartitionResult {
  /** `<hostname>:<pid>` of the worker process. */
  worker: string;
}

/** A running `clickstream worker`: take jobs until {@link close}. */
export class RedisPartitionWorker {
  /** `<hostname>:<pid>` unless named otherwise. */
  readonly name: string;
  private readonly worker: Worker<AggregatePartitionPayload, RedisJobResult>;
  private readonly warn: (line: string) => void;
  private readonly roots: DataRoots;
  private lastError = { text: '', at: 0 };
  private lost = false;
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: RedisWorkerOptions) {
    const prefix = validatePrefix(options.prefix ?? DEFAULT_PREFIX);
    const attempts = validateAttempts(options.attempts ?? DEFAULT_ATTEMPTS);
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
      throw new UsageError(`--concurrency must be a whole number from 1 to 256, got ${concurrency}`);
    }
    const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    if (!Number.isInteger(lockMs) || lockMs < 200) throw new UsageError(`--lock-ms must be a whole number ≥ 200, got ${lockMs}`);
    this.roots = DataRoots.create(options.dataRoots);
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    this.warn = options.warn ?? ((line) => process.stderr.write(`${line}\n`));
    const connection = redisConnectionOptions({
      url: options.url,
      blocking: true,
      onRetry: (m) => {
        this.lost = true;
        this.warn(`worker ${this.name}: ${m}`);
      },
    });
    this.worker = new Worker<AggregatePartitionPayload, RedisJobResult>(QUEUE_NAME, (job) => this.process(job), {
      connection,
      prefix,
      concurrency,
      name: this.name,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: attempts - 1,
      autorun: true,
    });
    this.worker.on('error', (err) => this.reportError(err));
    // Say when a lost connection is back (the retries were reported as they happened).
    this.worker.client.then(
      (client) =>
        client.on('ready', () => {
          if (!this.lost) return;
          this.lost = false;
          this.warn(`worker ${this.name}: Redis connection to ${redactRedisUrl(options.url)} restored`);
        }),
      () => undefined,
    );
  }

  /** The queue and settings, for a start-up line; the URL is redacted. */
  describe(): string {
    const o = this.options;
    return (
      `worker ${this.name} taking jobs from ${redactRedisUrl(o.url)} queue ${o.prefix ?? DEFAULT_PREFIX}:${QUEUE_NAME} ` +
      `(concurrency ${o.concurrency ?? DEFAULT_CONCURRENCY}, attempts ${o.attempts ?? DEFAULT_ATTEMPTS}, lock ${o.lockMs ?? DEFAULT_LOCK_MS} ms, ` +
      `data roots ${this.roots.describe()})`
    );
  }

  /** Resolves once connected to Redis (it retries until then). */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs. Graceful (default): waits for the jobs in progress to finish and report.
   * Forced: drops them at once; their locks expire and stall detection hands them to another worker.
   * Resolves true when closed cleanly, false when Redis did not answer within `closeTimeoutMs` after
   * the last job ended (the connections are then left to the process's exit).
   */
  async close(force = false): Promise<boolean> {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    // The shared DuckDB instance is closed once no job can use it any more.
    const closing = this.worker.close(force).then(async () => {
      await closeAggregator();
      return true;
    });
    const timeout = this.whenIdle().then(
      () =>
        new Promise<boolean>((resolve) => {
          if (!done) timer = setTimeout(() => resolve(false), this.options.closeTimeoutMs ?? 5_000);
        }),
    );
    try {
      return await Promise.race([closing, timeout]);
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }

  /** Resolves when no job of this process is running. */
  private whenIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async process(job: Job<AggregatePartitionPayload, RedisJobResult>): Promise<RedisJobResult> {
    this.running++;
    try {
      return await this.aggregate(job);
    } finally {
      if (--this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async aggregate(job: Job<AggregatePartitionPayload, RedisJobResult>): Promise<RedisJobResult> {
    const log = this.options.log;
    let payload: AggregatePartitionPayload;
    try {
      if (job.name !== AGGREGATE_PARTITION) throw new InvalidPayloadError(`refusing job payload: unknown job name ${JSON.stringify(job.name)}`);
      payload = validatePayload(job.data);
      await this.roots.check(payload);
    } catch (err) {
      if (!(err instanceof InvalidPayloadError)) throw err;
      this.warn(`worker ${this.name}: job ${job.id}: ${err.message} (not retried)`);
      throw new UnrecoverableError(err.message);
    }
    const where = `worker ${this.name}: job ${job.id} partition ${payload.partition}`;
    log?.(`${where}: started (attempt ${job.attemptsStarted})`);
    const path = resolve(payload.dataset, payload.file);
    try {
      await access(path);
    } catch {
      const message =
        `partition file ${path} is not visible on ${this.name}: the dataset and report paths ` +
        'must be on storage shared by every machine, at the same path';
      this.warn(`${where}: ${message}`);
      throw new Error(message);
    }
    try {
      const result = await aggregatePartition(payload);
      log?.(`${where}: ${result.events} rows in ${(result.durationMs / 1000).toFixed(2)} s`);
      return { ...result, worker: this.name };
    } catch (err) {
      this.warn(`${where}: failed: ${(err as Error).message}`);
      throw err;
    }
  }

  private reportError(err: Error): void {
    const text = err.message || String(err);
    const now = Date.now();
    // BullMQ repeats the same connection error from each of its connections: report it once per 5 s.
    if (text === this.lastError.text && now - this.lastError.at < 5_000) return;
    this.lastError = { text, at: now };
    this.warn(`worker ${this.name}: Redis error: ${text}`);
  }
}
