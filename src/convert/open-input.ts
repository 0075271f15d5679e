import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { describeFsError } from '../util/fs-error.js';

/** An export opened for one streaming pass. */
export interface OpenedInput {
  path: string;
  /** Size of the file on disk. */
  bytes: number;
  compression: 'gzip' | 'none';
  /** The decompressed bytes, in reads of up to a few MiB. Iterate once. */
  chunks: AsyncIterable<Buffer>;
  /** File bytes read so far (compressed bytes for gzip): the basis of progress and ETA. */
  bytesRead(): number;
  /** SHA-256 of the file bytes, valid once `chunks` is exhausted. */
  sha256(): string;
  /** Stops reading and releases the file (after a failure elsewhere). */
  close(): void;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const READ_BYTES = 4 << 20;

/** Opens an export, plain or gzip. Gzip is recognised by its magic bytes, never by the file name. */
export async function openInput(path: string): Promise<OpenedInput> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  }
  const magic = Buffer.alloc(2);
  try {
    const fh = await open(path, 'r');
    try {
      await fh.read(magic, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  }
  const compression = magic[0] === GZIP_MAGIC[0] && magic[1] === GZIP_MAGIC[1] ? 'gzip' : 'none';

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
  const raw = createReadStream(path, { highWaterMark: READ_BYTES });
  const onDone = (err: NodeJS.ErrnoException | null): void => {
    if (err) failure = toInputError(path, compression, err, () => read);
  };
  const streams = compression === 'gzip' ? [raw, hasher, createGunzip({ chunkSize: 1 << 20 })] : [raw, hasher];
  // pipeline reports the first error to onDone and the iterator below rethrows it; a later 'error'
  // from a stream already torn down must not crash the process as an unhandled event.
  for (const s of streams) s.on('error', () => undefined);
  const last: Readable = compression === 'gzip' ? pipeline(raw, hasher, streams[2] as Transform, onDone) : pipeline(raw, hasher, onDone);

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of last) yield chunk as Buffer;
    } catch (err) {
      throw failure ?? toInputError(path, compression, err as NodeJS.ErrnoException, () => read);
    }
    if (failure) throw failure;
    digest = hash.digest('hex');
  }

  return {
    path,
    bytes: size,
    compression,
    chunks: chunks(),
    bytesRead: () => read,
    close: () => {
      for (const stream of streams) stream.destroy();
    },
    sha256: () => {
      if (digest === undefined) throw new Error('sha256 is known only after the whole input was read');
      return digest;
    },
  };
}

function toInputError(path: string, compression: string, err: NodeJS.ErrnoException, read: () => number): InputError {
  if (err instanceof InputError) return err;
  if (compression === 'gzip' && (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR' || err.errno === -5 || err.errno === -3)) {
    const what = err.code === 'Z_BUF_ERROR' ? 'ends unexpectedly (truncated file?)' : `is corrupt (${err.message})`;
    return new InputError(`${path}: gzip data ${what} near compressed byte ${read()}; no dataset was written`, { cause: err });
  }
  return new InputError(`cannot read ${path}: ${describeFsError(err)}`, { cause: err });
}
