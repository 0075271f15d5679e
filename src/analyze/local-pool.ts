import { Worker } from 'node:worker_threads';
import type { AggregatePartitionPayload, AggregatePartitionResult } from './partition-job.js';
import { InterruptedError, JobFailedError } from '../errors.js';
import { trackNativeWork } from '../util/native-work.js';
import type { PartitionExecutor } from './executor.js';

export type LocalJobRequest =
  | { type: 'job'; id: number; payload: AggregatePartitionPayload }
  /** Interrupt the running job's queries (the job then fails); sent when the run is stopped. */
  | { type: 'interrupt' }
  /** Close the DuckDB instance and end the thread. */
  | { type: 'close' };
export type LocalJobReply =
  | { type: 'done'; id: number; ok: true; result: AggregatePartitionResult }
  | { type: 'done'; id: number; ok: false; error: string };


/** Options of {@link LocalPool}. */
export interface LocalPoolOptions {
  /** Worker threads, each aggregating one partition at a time. */
  workers: number;
}

const threadEntry = new URL('../../workers/local-thread.js', import.meta.url);

/**
 * Runs partition jobs on worker threads of this process: the zero-setup mode of `analyze`.
 *
 * A thread is never terminated from outside while it may be inside DuckDB: terminating a thread
 * whose native call is still running aborts the whole process (`Napi::Error`, exit 134). Stopping
 * interrupts the running queries instead, lets each thread close its DuckDB instance, and waits
 * until every thread has exited on its own.
 */
export class LocalPool implements PartitionExecutor {
  /** Threads die with the run: nothing is left to resume. */
  readonly resumable = false;
  private readonly threads: { worker: Worker; exited: Promise<void> }[] = [];
  private stopping = false;

  constructor(private readonly options: LocalPoolOptions) {}

  async run(
    payloads: AggregatePartitionPayload[],
    onResult: (result: AggregatePartitionResult, worker: string) => void,
  ): Promise<AggregatePartitionResult[]> {
    const queue = [...payloads];
    const results: AggregatePartitionResult[] = [];
    const count = Math.min(this.options.workers, Math.max(1, payloads.length));
    let failure: Error | undefined;
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        if (this.stopping) return;
        const worker = new Worker(threadEntry);
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        trackNativeWork(exited);
        this.threads.push({ worker, exited });
        const name = `thread-${i}`;
        try {
          for (let next = queue.shift(); next && !failure && !this.stopping; next = queue.shift()) {
            try {
              const result = await runOne(worker, next);
              results.push(result);
              onResult(result, name);
            } catch (err) {
              if (this.stopping) break; // an interrupted query, not a failed job
              failure ??= err instanceof JobFailedError ? err : new JobFailedError(next.partition, (err as Error).message, 1);
            }
          }
        } finally {
          await closeThread(worker, exited);
        }
      }),
    );
    if (failure) throw failure;
    if (this.stopping && results.length < payloads.length) throw new InterruptedError('analyze interrupted; no report was written');
    return results;
  }

  /** Stops the run: interrupts the running queries, starts no new job, and resolves once every thread has exited. */
  async close(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      for (const { worker } of this.threads) worker.postMessage({ type: 'interrupt' } satisfies LocalJobRequest);
    }
    await Promise.all(this.threads.map((t) => t.exited));
  }
}

let nextId = 0;

function runOne(thread: Worker, payload: AggregatePartitionPayload): Promise<AggregatePartitionResult> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const onMessage = (msg: LocalJobReply): void => {
      if (msg.type !== 'done' || msg.id !== id) return;
      cleanup();
      if (msg.ok) resolve(msg.result);
      else reject(new JobFailedError(payload.partition, msg.error, 1));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new JobFailedError(payload.partition, `worker thread crashed: ${err.message}`, 1));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new JobFailedError(payload.partition, `worker thread exited with code ${code}`, 1));
    };
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
    thread.postMessage({ type: 'job', id, payload } satisfies LocalJobRequest);
  });
}

/** Lets the thread close its DuckDB instance and end by itself; resolves when it has exited. */
async function closeThread(worker: Worker, exited: Promise<void>): Promise<void> {
  // A thread that has already died ignores the message; `exited` has resolved then.
  worker.postMessage({ type: 'close' } satisfies LocalJobRequest);
  await exited;
}
