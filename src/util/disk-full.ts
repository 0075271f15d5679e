import { OutputError } from '../errors.js';

/** How a full file system (ENOSPC) or an exhausted quota (EDQUOT) shows, in codes and in messages. */
const CODES = new Set(['ENOSPC', 'EDQUOT']);
// Errors cross threads and DuckDB as text only: "ENOSPC: no space left on device, write",
// DuckDB's "IO Error: Could not write file …: No space left on device", "Disk quota exceeded".
const MESSAGES = /\b(ENOSPC|EDQUOT)\b|no space left on device|disk quota exceeded/i;

/**
 * Whether `err`, or any error in its `cause` chain, says the disk is full or the quota exhausted:
 * by its code (Node's file system errors) or by its message (errors that crossed a worker thread,
 * a job queue or DuckDB keep only their text). Returns which, or undefined.
 */
export function diskFullKind(err: unknown): 'full' | 'quota' | undefined {
  for (let e = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? '');
    if ((typeof code === 'string' && CODES.has(code)) || MESSAGES.test(message)) {
      return code === 'EDQUOT' || /EDQUOT|quota/i.test(message) ? 'quota' : 'full';
    }
  }
  return undefined;
}

/**
 * `err` as the one-line OutputError (exit 4) a user can act on when it is a full disk or quota,
 * naming the directory the output was being written to and what was being written; otherwise `err`.
 */
export function mapDiskFull(err: unknown, dir: string, doing: string, nothingWritten: string): unknown {
  const kind = diskFullKind(err);
  if (!kind) return err;
  const quota = kind === 'quota' ? ' (disk quota exceeded)' : '';
  return new OutputError(`no space left on ${dir}${quota} while ${doing}; ${nothingWritten}`, { cause: err });
}
