import { closeSync, openSync, writeSync } from 'node:fs';
import type { StagingSink } from './block-processor.js';

/**
 * Buffered, synchronous NDJSON writer for one parse thread's staging file. Synchronous on purpose:
 * it runs in a worker thread whose only job is this, and large buffered writes keep syscalls rare.
 */
export class StagingFileWriter implements StagingSink {
  private readonly fd: number;
  private buf: Buffer;
  private pos = 0;
  /** Bytes written to the file so far (after flushes). */
  written = 0;

  constructor(path: string, bufferBytes = 8 << 20) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.allocUnsafe(bufferBytes);
  }

  writeRaw(bytes: Uint8Array, start: number, end: number): void {
    this.reserve(end - start + 1);
    this.buf.set(bytes.subarray(start, end), this.pos);
    this.pos += end - start;
    this.buf[this.pos++] = 0x0a;
  }

  writeText(text: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    this.reserve(text.length * 3 + 1);
    this.pos += this.buf.write(text, this.pos, 'utf8');
    this.buf[this.pos++] = 0x0a;
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.written += this.pos;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
}
