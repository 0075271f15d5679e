import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { RejectedLine } from '../types.js';

/** Writes `_rejected.jsonl`: one JSON object per rejected line, in line order. */
export class QuarantineWriter {
  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string): Promise<QuarantineWriter> {
    const stream = createWriteStream(path);
    await once(stream, 'open');
    return new QuarantineWriter(stream);
  }

  async write(record: RejectedLine): Promise<void> {
    if (!this.stream.write(JSON.stringify(record) + '\n')) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    this.stream.end();
    await once(this.stream, 'close');
  }
}
