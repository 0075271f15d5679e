/**
 * Worker thread of local-mode `analyze`: runs partition jobs sent by the coordinator's pool.
 * Entry point for `new Worker(...)` only.
 */
import { parentPort } from 'node:worker_threads';
import { aggregatePartition, closeAggregator } from '../jobs/aggregate-partition.js';
import type { LocalJobReply, LocalJobRequest } from '../src/analyze/local-pool.js';

const port = parentPort!;

port.on('message', (msg: LocalJobRequest) => {
  if (msg.type === 'close') {
    closeAggregator().then(() => port.postMessage({ type: 'closed' } satisfies LocalJobReply));
    return;
  }
  aggregatePartition(msg.payload).then(
    (result) => port.postMessage({ type: 'done', id: msg.id, ok: true, result } satisfies LocalJobReply),
    (err: Error) => port.postMessage({ type: 'done', id: msg.id, ok: false, error: err.message } satisfies LocalJobReply),
  );
});
