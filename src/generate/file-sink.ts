import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InterruptedError } from '../errors.js';

/**
 * A generated file, gzip-compressed or not, written in large chunks with back-pressure. A write
 * error (a full disk, a vanished folder) rejects the next write or the close: never an unheard
 * `error` event that would end the process, never a wait for a drain that cannot come.
 */
export class FileSink {
  private readonly file: WriteStream;
  private readonly out: Writable;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly path: string,
    gzip: boolean,
    private readonly signal?: AbortSignal,
  ) {
    this.file = createWriteStream(path);
    const fail = (err: Error): void => {
      this.failure ??= err;
      this.wake?.();
    };
    this.file.on('error', fail);
    if (gzip) {
      const z = createGzip({ level: 6 });
      z.on('error', fail);
      z.pipe(this.file);
      this.out = z;
    } else {
      this.out = this.file;
    }
  }

  /** Bytes written to the file so far (compressed when gzip). */
  get fileBytes(): number {
    return this.file.bytesWritten;
  }

  /** Writes a chunk, waiting while the stream is full; throws the stream's error, or InterruptedError once the signal aborts. */
  async write(chunk: string | Buffer): Promise<void> {
    this.check();
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.out.once('drain', resolve);
      });
      this.out.removeListener('drain', this.wake!);
      this.wake = undefined;
    }
    this.check();
  }

  /** Ends the file; returns its size in bytes. */
  async close(): Promise<number> {
    this.check();
    this.out.end();
    try {
      await finished(this.file);
    } catch (err) {
      throw this.failure ?? err;
    }
    if (this.failure) throw this.failure;
    return this.file.bytesWritten;
  }

  /** Stops writing at once, after an error elsewhere; the caller removes the file. */
  destroy(): void {
    this.out.destroy();
    this.file.destroy();
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.signal?.aborted) throw new InterruptedError('interrupted while generating');
  }
}
