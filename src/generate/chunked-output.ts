/**
 * Buffered writing of the Coursera export into a FileSink.
 */
import type { FileSink } from './file-sink.js';

/** Accumulates output and writes it in large chunks, waiting for the sink to drain. */
export class ChunkedOutput {
  private parts: Array<string | Buffer> = [];
  private pending = 0;
  bytes = 0;

  constructor(private readonly sink: FileSink) {}

  async add(part: string | Buffer): Promise<void> {
    const n = typeof part === 'string' ? Buffer.byteLength(part) : part.length;
    this.parts.push(part);
    this.pending += n;
    this.bytes += n;
    if (this.pending >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    this.parts = [];
    this.pending = 0;
    await this.sink.write(chunk);
  }
}
