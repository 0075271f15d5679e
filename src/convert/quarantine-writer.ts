import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { OutputError } from '../errors.js';
import type { RejectedLine } from '../types.js';

/** Writes `_rejected.jsonl`: one JSON object per rejected line, in line order. */
export class QuarantineWriter {
  /** A write error (disk full…) kept for the next call: an unheard stream error would crash. */
  private failure: Error | undefined;

  private constructor(
    private readonly stream: WriteStream,
    private readonly path: string,
  ) {
    stream.on('error', (err) => (this.failure ??= err));
  }

  static async open(path: string): Promise<QuarantineWriter> {
    const stream = createWriteStream(path);
    await once(stream, 'open');
    return new QuarantineWriter(stream, path);
  }

  async write(record: RejectedLine): Promise<void> {
    this.check();
    if (!this.stream.write(JSON.stringify(record) + '\n')) {
      // A failed stream never drains: wait for whichever comes first, and leave no listener behind.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
    }
    this.check();
  }

  async close(): Promise<void> {
    if (!this.stream.closed) {
      this.stream.end();
      await once(this.stream, 'close');
    }
    this.check();
  }

  private check(): void {
    if (this.failure) throw new OutputError(`cannot write ${this.path}: ${this.failure.message}`, { cause: this.failure });
  }
}
