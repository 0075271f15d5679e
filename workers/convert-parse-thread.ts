/**
 * Parse thread of `convert`: applies the line rules to blocks of lines sent by the main thread and
 * writes events to its own staging file. Entry point for `new Worker(...)` only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processBlock } from '../src/convert/block-processor.js';
import { StagingFileWriter } from '../src/convert/staging-writer.js';
import type { ParseThreadData, ParseThreadReply, ParseThreadRequest } from '../src/convert/parse-pool.js';

const data = workerData as ParseThreadData;
const port = parentPort!;
const writer = new StagingFileWriter(data.stagingPath);

port.on('message', (msg: ParseThreadRequest) => {
  if (msg.type === 'block') {
    const result = processBlock(msg.buffers, data.maxLineBytes, writer);
    port.postMessage({ type: 'result', seq: msg.seq, result } satisfies ParseThreadReply);
  } else {
    writer.close();
    port.postMessage({ type: 'closed', bytes: writer.written } satisfies ParseThreadReply);
  }
});
