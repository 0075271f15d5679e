import { Worker } from 'node:worker_threads';
import type { AggregatePartitionPayload, AggregatePartitionResult } from '../../jobs/aggregate-partition.js';
import { JobFailedError } from '../errors.js';
import type { PartitionExecutor } from './executor.js';

export type LocalJobRequest = { type: 'job'; id: number; payload: AggregatePartitionPayload } | { type: 'close' };
export type LocalJobReply =
  | { type: 'done'; id: number; ok: true; result: AggregatePartitionResult }
  | { type: 'done'; id: number; ok: false; error: string }
  | { type: 'closed' };

/** Options of {@link LocalPool}. */
export interface LocalPoolOptions {
  /** Worker threads, each aggregating one partition at a time. */
  workers: number;
}

const threadEntry = new URL('../../workers/local-thread.js', import.meta.url);

/** Runs partition jobs on worker threads of this process: the zero-setup mode of `analyze`. */
export class LocalPool implements PartitionExecutor {
  /** Threads die with the run: nothing is left to resume. */
  readonly resumable = false;
  private readonly threads: Worker[] = [];

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
        const thread = new Worker(threadEntry);
        this.threads.push(thread);
        const name = `thread-${i}`;
        try {
          for (let next = queue.shift(); next && !failure; next = queue.shift()) {
            try {
              const result = await runOne(thread, next);
              results.push(result);
              onResult(result, name);
            } catch (err) {
              failure ??= err instanceof JobFailedError ? err : new JobFailedError(next.partition, (err as Error).message, 1);
            }
          }
        } finally {
          await closeThread(thread);
        }
      }),
    );
    if (failure) throw failure;
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
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

/** Lets the thread close its DuckDB instance, then stops it (at once if it does not answer). */
async function closeThread(thread: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    thread.once('exit', done);
    thread.once('error', done); // a thread that fails while closing is terminated all the same
    thread.on('message', (msg: LocalJobReply) => {
      if (msg.type === 'closed') done();
    });
    thread.postMessage({ type: 'close' } satisfies LocalJobRequest);
  });
  await thread.terminate();
}
