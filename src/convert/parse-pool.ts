import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import type { BlockOptions, BlockResult } from './block-processor.js';

/** What each parse thread is started with. */
export interface ParseThreadData {
  stagingDir: string;
  /** Prefix of this thread's staging file names. */
  name: string;
  block: BlockOptions;
}

export type ParseThreadRequest = { type: 'block'; seq: number; buffers: Uint8Array[] } | { type: 'close' };
export type ParseThreadReply =
  | { type: 'result'; seq: number; result: BlockResult }
  | { type: 'closed'; files: [partition: number, path: string][]; longestLine: number };

export interface ParsePoolOptions {
  /** Number of parse threads. */
  threads: number;
  /** Directory for the staging files: one per thread and partition. */
  stagingDir: string;
  block: BlockOptions;
}

/** What the parse threads leave for the Parquet writer. */
export interface StagedEvents {
  /** Staging NDJSON files of each partition. */
  files: Map<number, string[]>;
  /** Longest staged line in bytes (a re-serialised line can be longer than its input line). */
  longestLine: number;
}

interface ThreadState {
  worker: Worker;
  inFlight: Map<number, { resolve: (r: BlockResult) => void; reject: (e: Error) => void }>;
}

const threadEntry = new URL('../../workers/convert-parse-thread.js', import.meta.url);

/**
 * A pool of parse threads. Blocks go to the least busy thread; each thread answers in the order it
 * was asked, and the caller restores input order from the promises it keeps.
 */
export class ParsePool {
  private readonly threads: ThreadState[];
  private failure: Error | undefined;
  private nextSeq = 0;

  private constructor(options: ParsePoolOptions) {
    this.threads = Array.from({ length: options.threads }, (_, i) => {
      const data: ParseThreadData = { stagingDir: options.stagingDir, name: `t${i}`, block: options.block };
      const state: ThreadState = { worker: new Worker(threadEntry, { workerData: data }), inFlight: new Map() };
      state.worker.on('message', (msg: ParseThreadReply) => {
        if (msg.type !== 'result') return;
        const waiter = state.inFlight.get(msg.seq);
        state.inFlight.delete(msg.seq);
        waiter?.resolve(msg.result);
      });
      state.worker.on('error', (err) => this.fail(new InternalError(`parse thread ${i} failed: ${err.message}`, { cause: err })));
      state.worker.on('exit', (code) => {
        if (state.inFlight.size > 0) this.fail(new InternalError(`parse thread ${i} exited (code ${code}) with blocks in flight`));
      });
      return state;
    });
  }

  static create(options: ParsePoolOptions): ParsePool {
    return new ParsePool(options);
  }

  /** Number of blocks sent and not answered yet. */
  get inFlight(): number {
    let n = 0;
    for (const t of this.threads) n += t.inFlight.size;
    return n;
  }

  submit(buffers: Uint8Array[]): Promise<BlockResult> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.nextSeq++;
    let target = this.threads[0]!;
    for (const t of this.threads) if (t.inFlight.size < target.inFlight.size) target = t;
    const promise = new Promise<BlockResult>((resolve, reject) => {
      target.inFlight.set(seq, { resolve, reject });
      target.worker.postMessage({ type: 'block', seq, buffers } satisfies ParseThreadRequest);
    });
    // The caller awaits results in input order; a failure must not count as unhandled meanwhile.
    promise.catch(() => undefined);
    return promise;
  }

  /** Flushes every staging file; returns the staging files of each partition and the longest line. */
  async close(): Promise<StagedEvents> {
    const byPartition = new Map<number, string[]>();
    let longestLine = 0;
    await Promise.all(
      this.threads.map(
        (t) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (msg: ParseThreadReply): void => {
              if (msg.type === 'closed') {
                t.worker.off('message', onMessage);
                longestLine = Math.max(longestLine, msg.longestLine);
                for (const [partition, path] of msg.files) {
                  const list = byPartition.get(partition) ?? [];
                  list.push(path);
                  byPartition.set(partition, list);
                }
                resolve();
              }
            };
            t.worker.on('message', onMessage);
            t.worker.once('error', reject);
            // A thread that ends without answering must not leave close() waiting for ever.
            t.worker.once('exit', (code) => reject(new InternalError(`parse thread exited (code ${code}) before flushing its staging files`)));
            t.worker.postMessage({ type: 'close' } satisfies ParseThreadRequest);
          }),
      ),
    );
    await this.destroy();
    return { files: byPartition, longestLine };
  }

  /** Stops every thread at once (on failure or interrupt). */
  async destroy(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const t of this.threads) {
      for (const w of t.inFlight.values()) w.reject(this.failure);
      t.inFlight.clear();
    }
  }
}
