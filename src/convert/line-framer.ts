/**
 * Cuts a byte stream into blocks of whole lines without ever holding a too-long line whole.
 * Runs on the main thread; the parse threads then apply the line rules to each block.
 */
import { TOO_LONG_KEPT_BYTES } from '../formats/line-rules.js';

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf] as const;

/** What the framer hands on, in input order. */
export type Frame =
  /** Whole lines; the last buffer's last line may lack its `\n` only at end of input. */
  | { kind: 'block'; buffers: Uint8Array[]; bytes: number }
  /** One line longer than the limit that spanned reads: only its head was kept. */
  | { kind: 'too_long'; head: Uint8Array; bytes: number }
  /** One such line that held only spaces and tabs: blank whatever its length (blank before length). */
  | { kind: 'blank' };

export interface LineFramerOptions {
  /** Longest line accepted, in bytes without its line ending. */
  maxLineBytes: number;
  /** A block is handed on once it holds at least this many bytes. Default 4 MiB. */
  blockBytes?: number;
}

export class LineFramer {
  private readonly maxLineBytes: number;
  private readonly blockBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Start of a line whose end has not been seen yet (copied: the read buffer may be handed on). */
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  /** Set while skipping the rest of a too-long line. */
  private skipping: { head: Uint8Array; bytes: number; lastByte: number; blankBeforeLast: boolean } | undefined;
  private atStart = true;
  private startBytes: Uint8Array[] = [];

  constructor(options: LineFramerOptions) {
    this.maxLineBytes = options.maxLineBytes;
    this.blockBytes = options.blockBytes ?? 4 << 20;
  }

  /** Bytes held of a line whose end has not been seen yet: at most maxLineBytes + 1 between calls (read-only, for tests). */
  get carriedBytes(): number {
    return this.carryBytes;
  }

  /** Feeds the next read; returns the frames that are complete. */
  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    if (this.atStart) {
      // The BOM check needs the first three bytes, which a tiny first read may not hold.
      this.startBytes.push(chunk);
      const head = concat(this.startBytes);
      if (head.length < BOM.length) return out;
      this.atStart = false;
      this.startBytes = [];
      chunk = hasBom(head) ? head.subarray(BOM.length) : head;
    }
    this.take(chunk, out);
    if (this.pendingBytes >= this.blockBytes) this.flushBlock(out);
    return out;
  }

  /** Ends the input: returns the last frames (a final line without `\n` included). */
  end(): Frame[] {
    const out: Frame[] = [];
    if (this.atStart) {
      this.atStart = false;
      const head = concat(this.startBytes);
      this.take(hasBom(head) ? head.subarray(BOM.length) : head, out);
    }
    if (this.skipping) {
      this.flushBlock(out);
      out.push(this.endSkipping());
    } else if (this.carryBytes > 0) {
      this.pending.push(concat(this.carry));
      this.pendingBytes += this.carryBytes;
      this.carry = [];
      this.carryBytes = 0;
    }
    this.flushBlock(out);
    return out;
  }

  private take(chunk: Uint8Array, out: Frame[]): void {
    let start = 0;
    if (this.skipping || this.carryBytes > 0) {
      const nl = chunk.indexOf(NEWLINE);
      const upTo = nl === -1 ? chunk.length : nl;
      if (this.skipping) {
        const skipping = this.skipping;
        skipping.bytes += upTo;
        if (upTo > 0) {
          // Whether every byte but the last is a space or tab: the last may be the CR that is dropped.
          skipping.blankBeforeLast &&= isSpaceOrTab(skipping.lastByte) && allSpaceOrTab(chunk, 0, upTo - 1);
          skipping.lastByte = chunk[upTo - 1]!;
        }
        // With a limit under 1 KiB the head may still be short of the 1 KiB the quarantine keeps.
        if (upTo > 0 && skipping.head.length < TOO_LONG_KEPT_BYTES) {
          const more = chunk.slice(0, Math.min(upTo, TOO_LONG_KEPT_BYTES - skipping.head.length));
          skipping.head = Buffer.concat([skipping.head, more]);
        }
      } else {
        this.carry.push(chunk.slice(0, upTo));
        this.carryBytes += upTo;
        this.startSkippingIfTooLong();
      }
      if (nl === -1) return;
      this.finishCarriedLine(out);
      start = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl >= start) {
      this.pending.push(chunk.subarray(start, lastNl + 1));
      this.pendingBytes += lastNl + 1 - start;
      start = lastNl + 1;
    }
    if (start < chunk.length) {
      this.carry.push(chunk.slice(start));
      this.carryBytes += chunk.length - start;
      this.startSkippingIfTooLong();
    }
  }

  /** A carried line is dropped to its head as soon as it is surely too long (+1: a CR may follow). */
  private startSkippingIfTooLong(): void {
    if (this.carryBytes <= this.maxLineBytes + 1) return;
    const all = concat(this.carry);
    this.skipping = {
      head: all.slice(0, TOO_LONG_KEPT_BYTES),
      bytes: all.length,
      lastByte: all[all.length - 1]!,
      blankBeforeLast: allSpaceOrTab(all, 0, all.length - 1),
    };
    this.carry = [];
    this.carryBytes = 0;
  }

  private finishCarriedLine(out: Frame[]): void {
    if (this.skipping) {
      this.flushBlock(out); // keep input order: lines before it go first
      out.push(this.endSkipping());
      return;
    }
    const line = new Uint8Array(this.carryBytes + 1);
    let offset = 0;
    for (const part of this.carry) {
      line.set(part, offset);
      offset += part.length;
    }
    line[offset] = NEWLINE;
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.carry = [];
    this.carryBytes = 0;
  }

  /** The too_long frame of the line being skipped: its length and head without the one trailing CR. */
  private endSkipping(): Frame {
    const { head, bytes, lastByte, blankBeforeLast } = this.skipping!;
    this.skipping = undefined;
    if (blankBeforeLast && (isSpaceOrTab(lastByte) || lastByte === CR)) return { kind: 'blank' };
    const length = lastByte === CR ? bytes - 1 : bytes;
    return { kind: 'too_long', head: head.length > length ? head.subarray(0, length) : head, bytes: length };
  }

  private flushBlock(out: Frame[]): void {
    if (this.pending.length === 0) return;
    out.push({ kind: 'block', buffers: this.pending, bytes: this.pendingBytes });
    this.pending = [];
    this.pendingBytes = 0;
  }
}

function isSpaceOrTab(b: number): boolean {
  return b === 0x20 || b === 0x09;
}

function allSpaceOrTab(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpaceOrTab(buf[i]!)) return false;
  return true;
}

function hasBom(b: Uint8Array): boolean {
  return b[0] === BOM[0] && b[1] === BOM[1] && b[2] === BOM[2];
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
}
