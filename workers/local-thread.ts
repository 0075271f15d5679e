/**
 * Worker thread of local-mode `analyze`: runs partition jobs sent by the coordinator's pool.
 * Entry point for `new Worker(...)` only.
 */
import { parentPort } from 'node:worker_threads';
import { aggregatePartition, type AggregatePartitionPayload } from '../jobs/aggregate-partition.js';
import type { LocalJobReply, LocalJobRequest } from '../src/analyze/local-pool.js';

const port = parentPort!;

port.on('message', (msg: LocalJobRequest) => {
  const payload: AggregatePartitionPayload = msg.payload;
  aggregatePartition(payload).then(
    (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies LocalJobReply),
    (err: Error) => port.postMessage({ id: msg.id, ok: false, error: err.message, name: err.name } satisfies LocalJobReply),
  );
});
