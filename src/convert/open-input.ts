import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { describeFsError } from '../util/fs-error.js';
import { SNIFF_BYTES, recogniseForeign } from './sniff-input.js';

/** An export opened for one streaming pass. */
export interface OpenedInput {
  /** As given: a file path, or `-` for standard input. */
  path: string;
  /** How messages name it: the path, or `standard input`. */
  name: string;
  /** Size of the file on disk; undefined for standard input, a pipe or a device. */
  bytes: number | undefined;
  compression: 'gzip' | 'none';
  /** The decompressed bytes, in reads of up to a few MiB. Iterate once. */
  chunks: AsyncIterable<Buffer>;
  /** File bytes read so far (compressed bytes for gzip); reading runs ahead of converting. */
  bytesRead(): number;
  /** Decompressed bytes `chunks` has handed out so far (with {@link bytesRead}, the gzip ratio so far). */
  bytesOut(): number;
  /** SHA-256 of the file bytes, valid once `chunks` is exhausted. */
  sha256(): string;
  /** Stops reading and releases the file (after a failure elsewhere). */
  close(): void;
}

/** The name that means standard input. */
export const STDIN = '-';
const STDIN_PATHS = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);
const READ_BYTES = 4 << 20;

/**
 * Opens an export, plain or gzip, from a file, a pipe (`/dev/stdin`, a FIFO) or standard input
 * (`-`). Gzip is recognised by its magic bytes, never by the name; other compressors, archives
 * and UTF-16 are recognised the same way and refused with what they are.
 */
export async function openInput(path: string): Promise<OpenedInput> {
  // /dev/stdin is read as standard input itself: opening it fails when stdin is a socket.
  const stdin = path === STDIN || STDIN_PATHS.has(path);
  const name = path === STDIN ? 'standard input' : path;
  let size: number | undefined;
  if (!stdin) {
    try {
      const st = await stat(path);
      if (st.isFile()) size = st.size;
      else if (!st.isFIFO() && !st.isCharacterDevice() && !st.isSocket()) throw new InputError(`${path}: not a regular file`);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot read ${path}: ${describeFsError(err)}`, { cause: err });
    }
  }
  const source: Readable = stdin ? process.stdin : createReadStream(path, { highWaterMark: READ_BYTES });
  source.on('error', () => undefined); // reported through the iterator below
  const reader = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const readNext = async (): Promise<IteratorResult<Buffer>> => {
    try {
      return await reader.next();
    } catch (err) {
      throw new InputError(`cannot read ${name}: ${describeFsError(err)}`, { cause: err });
    }
  };
  // The first bytes decide how the rest is read; they are read once and passed on.
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  try {
    while (headBytes < SNIFF_BYTES) {
      const r = await readNext();
      if (r.done) {
        ended = true;
        break;
      }
      headChunks.push(r.value);
      headBytes += r.value.length;
    }
  } catch (err) {
    source.destroy();
    throw err;
  }
  const head = Buffer.concat(headChunks);
  const compression = head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : 'none';
  if (compression === 'none') refuseForeign(name, head, '', () => source.destroy());

  async function* raw(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let r = await readNext(); !r.done; r = await readNext()) yield r.value;
  }

  const hash = createHash('sha256');
  let read = 0;
  let digest: string | undefined;
  let failure: Error | undefined;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      read += chunk.length;
      callback(null, chunk);
    },
  });
  const rawStream = Readable.from(raw(), { objectMode: false });
  const onDone = (err: NodeJS.ErrnoException | null): void => {
    if (err) failure = toInputError(name, compression, err, () => read);
  };
  const streams = compression === 'gzip' ? [rawStream, hasher, createGunzip({ chunkSize: 1 << 20 })] : [rawStream, hasher];
  // pipeline reports the first error to onDone and the iterator below rethrows it; a later 'error'
  // from a stream already torn down must not crash the process as an unhandled event.
  for (const s of streams) s.on('error', () => undefined);
  const last: Readable =
    compression === 'gzip' ? pipeline(rawStream, hasher, streams[2] as Transform, onDone) : pipeline(rawStream, hasher, onDone);
  const close = (): void => {
    for (const stream of streams) stream.destroy();
    source.destroy();
  };

  let out = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    let first = compression === 'gzip';
    try {
      for await (const chunk of last) {
        // What the gzip holds may itself be something convert cannot read.
        if (first) {
          first = false;
          refuseForeign(name, chunk as Buffer, 'gzip holding ', close);
        }
        out += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw failure ?? toInputError(name, compression, err as NodeJS.ErrnoException, () => read);
    }
    if (failure) throw failure;
    digest = hash.digest('hex');
  }

  return {
    path,
    name,
    bytes: size,
    compression,
    chunks: chunks(),
    bytesRead: () => read,
    bytesOut: () => out,
    close,
    sha256: () => {
      if (digest === undefined) throw new Error('sha256 is known only after the whole input was read');
      return digest;
    },
  };
}

function refuseForeign(name: string, head: Buffer, prefix: string, close: () => void): void {
  const foreign = recogniseForeign(head);
  if (!foreign) return;
  close();
  const how = prefix ? `decompress it, then read it with: ${foreign.hint}` : `read it with: ${foreign.hint}`;
  throw new InputError(`${name} is ${prefix}${foreign.what}, not an export of JSON lines in UTF-8; ${how}; no dataset was written`);
}

function toInputError(name: string, compression: string, err: NodeJS.ErrnoException, read: () => number): InputError {
  if (err instanceof InputError) return err;
  if (compression === 'gzip' && (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR' || err.errno === -5 || err.errno === -3)) {
    const what = err.code === 'Z_BUF_ERROR' ? 'ends unexpectedly (truncated file?)' : `is corrupt (${err.message})`;
    return new InputError(`${name}: gzip data ${what} near compressed byte ${read()}; no dataset was written`, { cause: err });
  }
  return new InputError(`cannot read ${name}: ${describeFsError(err)}`, { cause: err });
}
