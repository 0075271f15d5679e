/**
 * Worker thread of local-mode `analyze`: runs partition jobs sent by the coordinator's pool.
 * Entry point for `new Worker(...)` only. The thread ends by itself after 'close' (never terminated
 * from outside while DuckDB may be running: that aborts the process).
 */
import { parentPort } from 'node:worker_threads';
import { aggregatePartition, closeAggregator, interruptAggregator } from '../jobs/aggregate-partition.js';
import type { LocalJobReply, LocalJobRequest } from '../src/analyze/local-pool.js';

const port = parentPort!;

port.on('message', (msg: LocalJobRequest) => {
  if (msg.type === 'interrupt') {
    interruptAggregator();
    return;
  }
  if (msg.type === 'close') {
    // With the port closed and DuckDB's instance closed, nothing keeps the thread alive: it exits.
    void closeAggregator().finally(() => port.close());
    return;
  }
  aggregatePartition(msg.payload).then(
    (result) => port.postMessage({ type: 'done', id: msg.id, ok: true, result } satisfies LocalJobReply),
    (err: Error) => port.postMessage({ type: 'done', id: msg.id, ok: false, error: err.message } satisfies LocalJobReply),
  );
});
