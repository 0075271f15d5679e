/**
 * Buffered writing of one Open edX log file into a FileSink, counting the text bytes.
 */
import { FileSink } from './file-sink.js';

/** One log file being written: text buffered in large chunks, raw bytes written as they come. */
export class LogSink {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  private readonly out: FileSink;

  constructor(
    readonly path: string,
    gzip: boolean,
    signal: AbortSignal | undefined,
  ) {
    this.out = new FileSink(path, gzip, signal);
  }

  async add(text: string | Buffer): Promise<void> {
    const n = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    if (typeof text === 'string') this.parts.push(text);
    else {
      await this.flush();
      await this.out.write(text);
    }
    this.bytes += n;
    this.pending += typeof text === 'string' ? n : 0;
    if (this.pending >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    await this.out.write(chunk);
  }

  async close(): Promise<number> {
    await this.flush();
    return this.out.close();
  }

  destroy(): void {
    this.out.destroy();
  }
}
