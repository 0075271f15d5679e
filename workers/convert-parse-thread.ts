/**
 * Parse thread of `convert`: applies the line rules to blocks of lines sent by the main thread and
 * writes events to its own per-partition staging files. Entry point for `new Worker(...)` only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processBlock } from '../src/convert/block-processor.js';
import { PartitionedStagingWriter } from '../src/convert/staging-writer.js';
import type { ParseThreadData, ParseThreadReply, ParseThreadRequest } from '../src/convert/parse-pool.js';

const data = workerData as ParseThreadData;
const port = parentPort!;
const writer = new PartitionedStagingWriter(data.stagingDir, data.name, data.block.partitions);

port.on('message', (msg: ParseThreadRequest) => {
  if (msg.type === 'block') {
    const result = processBlock(msg.buffers, data.block, writer);
    port.postMessage({ type: 'result', seq: msg.seq, result } satisfies ParseThreadReply);
  } else {
    writer.close();
    port.postMessage({ type: 'closed', files: [...writer.files], longestLine: writer.longestLine } satisfies ParseThreadReply);
  }
});
