/**
 * Applies the line rules to a block of whole lines and writes the events to a staging sink.
 * Runs inside the parse threads; pure apart from the sink, so tests call it directly.
 */
import { classifyEvent } from '../formats/detect-format.js';
import { DEFAULT_FORMAT_NAME, inputFormat, type FormatName } from '../formats/format-registry.js';
import type { RejectCounts, RejectReason } from '../types.js';
import { TOO_LONG_KEPT_BYTES, contentEnd, isBlank, judgeLine } from '../formats/line-rules.js';
import { partitionOf } from './partition-hash.js';

const NEWLINE = 0x0a;

/** Where events go: one staging NDJSON line per event, in the event's partition. */
export interface StagingSink {
  /** Appends `bytes[start, end)` followed by a newline. */
  writeRaw(partition: number, bytes: Uint8Array, start: number, end: number): void;
  /** Appends `text` (already one JSON line, no newline) followed by a newline. */
  writeText(partition: number, text: string): void;
}

/** How lines are judged and routed. */
export interface BlockOptions {
  /** Longest line accepted, in bytes without its line ending. */
  maxLineBytes: number;
  /** Number of partitions events are routed to (by {@link partitionOf} of the username). */
  partitions: number;
  /** The input format, which says how an event becomes its staging line. Default {@link DEFAULT_FORMAT_NAME} (`coursera`). */
  format?: FormatName;
}

/** A rejected line, numbered within its block (0-based); the caller knows where the block starts. */
export interface BlockReject {
  index: number;
  reason: RejectReason;
  text: string;
  bytes: number;
  error?: string;
}

export interface BlockResult {
  lines: number;
  events: number;
  blank: number;
  rejected: RejectCounts;
  rejects: BlockReject[];
  /** Indexes of the blank lines among the block's first {@link BLANK_INDEX_LIMIT} lines (for the reject gate). */
  blankAt: number[];
}

/** Blank lines a block result locates: enough for the reject gate's sample of the first lines. */
export const BLANK_INDEX_LIMIT = 10_000;

export function emptyRejectCounts(): RejectCounts {
  return { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 };
}

/**
 * Processes `buffers`, each holding whole lines: every line ends with `\n`, except that the last
 * line of the last buffer may lack it (end of file). Lines never span buffers.
 */
export function processBlock(buffers: readonly Uint8Array[], options: BlockOptions, sink: StagingSink): BlockResult {
  const result: BlockResult = {
    lines: 0,
    events: 0,
    blank: 0,
    rejected: emptyRejectCounts(),
    rejects: [],
    blankAt: [],
  };
  for (const bytes of buffers) {
    // Buffer's UTF-8 decoding replaces bad bytes with U+FFFD like TextDecoder, but unlike it never
    // drops a BOM: only the one at the very start of the file is ignored (by the framer).
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    while (start < buf.length) {
      let nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) nl = buf.length;
      processLine(buf, start, nl, options, sink, result);
      start = nl + 1;
    }
  }
  return result;
}

function processLine(
  buf: Buffer,
  start: number,
  rawEnd: number,
  options: BlockOptions,
  sink: StagingSink,
  result: BlockResult,
): void {
  const index = result.lines++;
  const end = contentEnd(buf, start, rawEnd);
  const length = end - start;
  // Blank is decided before length: a line of only spaces and tabs is never rejected.
  if (isBlank(buf, start, end)) {
    result.blank++;
    if (index < BLANK_INDEX_LIMIT) result.blankAt.push(index);
    return;
  }
  if (length > options.maxLineBytes) {
    const text = buf.toString('utf8', start, Math.min(end, start + TOO_LONG_KEPT_BYTES)); // never past the line
    reject(result, { index, reason: 'too_long', text, bytes: length });
    return;
  }
  const text = buf.toString('utf8', start, end);
  const formatName = options.format ?? DEFAULT_FORMAT_NAME;
  const verdict = judgeLine(text, (value) => isOtherFormat(value, formatName));
  if (verdict.kind === 'event') {
    result.events++;
    const partition = partitionOf(verdict.value.username as string, options.partitions);
    const format = inputFormat(formatName);
    if (format.canPassThrough?.(text, verdict.value) === true) {
      sink.writeRaw(partition, buf, start, end);
    } else {
      sink.writeText(partition, format.serialize(verdict.value, text));
    }
  } else if (verdict.kind === 'rejected') {
    const r: BlockReject = { index, reason: verdict.reason, text, bytes: length };
    if (verdict.error !== undefined) r.error = verdict.error;
    reject(result, r);
  }
}

/**
 * DATA-CONTRACT §2: once a dataset's format is decided, a line of another format anywhere in a file is
 * rejected, never read as an event of the wrong shape (a Coursera line in an edX log would be an
 * untimed edX event with no type). The shapes are detection's own (classifyEvent): a line that
 * looks like several formats, or none, is judged by the dataset's format.
 */
function isOtherFormat(value: Readonly<Record<string, unknown>>, format: FormatName): boolean {
  const shape = classifyEvent(value);
  return shape !== 'unknown' && shape !== format;
}

function reject(result: BlockResult, r: BlockReject): void {
  result.rejected[r.reason] = (result.rejected[r.reason] ?? 0) + 1;
  result.rejects.push(r);
}

/**
 * The result of one line the framer could not hand on whole because it spanned reads: blank, or
 * too long with only its head kept (the same rules processLine applies to lines within a block).
 */
export function spanningLineResult(line: { kind: 'blank' } | { kind: 'too_long'; head: Uint8Array; bytes: number }): BlockResult {
  const result: BlockResult = { lines: 1, events: 0, blank: 0, rejected: emptyRejectCounts(), rejects: [], blankAt: [] };
  if (line.kind === 'blank') {
    result.blank = 1;
    result.blankAt.push(0);
  } else {
    const head = Buffer.from(line.head.buffer, line.head.byteOffset, line.head.byteLength);
    reject(result, { index: 0, reason: 'too_long', text: head.toString('utf8'), bytes: line.bytes });
  }
  return result;
}
