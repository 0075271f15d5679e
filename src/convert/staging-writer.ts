import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { partitionNumber } from '../dataset/dataset-format.js';
import type { StagingSink } from './block-processor.js';

/**
 * One parse thread's staging output: an NDJSON file per partition it has events for, written in
 * large synchronous appends. Synchronous on purpose: it runs in a worker thread whose only job is
 * this. Files are opened per append, so thousands of partitions never exhaust file descriptors.
 */
export class PartitionedStagingWriter implements StagingSink {
  private readonly buffers: (Buffer | undefined)[];
  private readonly used: number[];
  private readonly bufferBytes: number;
  /** Staging file of each partition written so far. */
  readonly files = new Map<number, string>();
  /** Longest line written, in bytes: DuckDB's reader must be told to accept it. */
  longestLine = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    partitions: number,
    /** Memory for all partition buffers together. Default 32 MiB. */
    totalBufferBytes = 32 << 20,
  ) {
    this.buffers = new Array<Buffer | undefined>(partitions);
    this.used = new Array<number>(partitions).fill(0);
    this.bufferBytes = Math.min(1 << 20, Math.max(64 << 10, Math.floor(totalBufferBytes / partitions)));
  }

  writeRaw(partition: number, bytes: Uint8Array, start: number, end: number): void {
    const buf = this.reserve(partition, end - start + 1);
    let pos = this.used[partition]!;
    buf.set(bytes.subarray(start, end), pos);
    pos += end - start;
    buf[pos++] = 0x0a;
    this.used[partition] = pos;
    if (end - start > this.longestLine) this.longestLine = end - start;
  }

  writeText(partition: number, text: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const buf = this.reserve(partition, text.length * 3 + 1);
    const start = this.used[partition]!;
    let pos = start + buf.write(text, start, 'utf8');
    if (pos - start > this.longestLine) this.longestLine = pos - start;
    buf[pos++] = 0x0a;
    this.used[partition] = pos;
  }

  /** Writes out everything buffered. */
  close(): void {
    for (let p = 0; p < this.buffers.length; p++) this.flush(p);
  }

  private reserve(partition: number, n: number): Buffer {
    let buf = this.buffers[partition];
    if (buf && this.used[partition]! + n <= buf.length) return buf;
    this.flush(partition);
    if (!buf || n > buf.length) {
      buf = Buffer.allocUnsafe(Math.max(n, this.bufferBytes));
      this.buffers[partition] = buf;
    }
    return buf;
  }

  private flush(partition: number): void {
    const used = this.used[partition]!;
    const buf = this.buffers[partition];
    if (!buf || used === 0) return;
    let file = this.files.get(partition);
    if (file === undefined) {
      file = join(this.dir, `${this.name}-p${partitionNumber(partition)}.ndjson`);
      this.files.set(partition, file);
    }
    appendFileSync(file, buf.subarray(0, used));
    this.used[partition] = 0;
  }
}
