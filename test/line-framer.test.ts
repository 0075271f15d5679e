import { describe, expect, it } from 'vitest';
import { LineFramer, type Frame } from '../src/convert/line-framer.js';
import { prng } from './helpers/prng.js';

const NL = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const HEAD = 1024;

/**
 * A line as the rules see it: whole (raw bytes, CR included), too long (first 1 KiB of content +
 * length), or, when longer than the limit, blank (spaces and tabs only: blank is decided first).
 */
type Logical = { kind: 'line'; raw: string } | { kind: 'too_long'; head: string; bytes: number } | { kind: 'blank' };

/** Hex, so that failures show bytes and comparisons are exact. */
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** What a line is under DATA-CONTRACT §2: content is the line without one trailing CR; too long beyond `max`. */
function classify(raw: Uint8Array, max: number): Logical {
  const content = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
  if (content.length > max) {
    if (content.every((b) => b === 0x20 || b === 0x09)) return { kind: 'blank' };
    return { kind: 'too_long', head: hex(content.subarray(0, HEAD)), bytes: content.length };
  }
  return { kind: 'line', raw: hex(raw) };
}

/** The reference splitter: the whole input at once, the simplest possible reading of DATA-CONTRACT §2. */
function reference(input: Uint8Array, max: number): Logical[] {
  let data = Buffer.from(input);
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
  if (data.length === 0) return [];
  const lines: Uint8Array[] = [];
  let start = 0;
  for (;;) {
    const nl = data.indexOf(NL, start);
    if (nl === -1) {
      if (start < data.length) lines.push(data.subarray(start));
      break;
    }
    lines.push(data.subarray(start, nl));
    start = nl + 1;
  }
  return lines.map((l) => classify(l, max));
}

/** Runs the framer over `chunks`, checks the frame invariants and returns the lines it handed on. */
function frame(chunks: Uint8Array[], max: number, blockBytes?: number): Logical[] {
  const framer = new LineFramer({ maxLineBytes: max, ...(blockBytes !== undefined ? { blockBytes } : {}) });
  const frames: Frame[] = [];
  let carried = 0;
  for (const c of chunks) {
    frames.push(...framer.push(c));
    carried = Math.max(carried, framer.carriedBytes);
  }
  expect(carried).toBeLessThanOrEqual(max + 1);
  const tail = framer.end();
  frames.push(...tail);
  expect(framer.carriedBytes).toBe(0);
  const out: Logical[] = [];
  frames.forEach((f, fi) => {
    if (f.kind === 'too_long') {
      expect(f.head.length).toBeLessThanOrEqual(HEAD);
      out.push({ kind: 'too_long', head: hex(f.head), bytes: f.bytes });
      return;
    }
    if (f.kind === 'blank') {
      out.push({ kind: 'blank' });
      return;
    }
    expect(f.buffers.length).toBeGreaterThan(0);
    expect(f.bytes).toBe(f.buffers.reduce((s, b) => s + b.length, 0));
    f.buffers.forEach((buf, bi) => {
      expect(buf.length).toBeGreaterThan(0);
      const lastOfAll = fi === frames.length - 1 && bi === f.buffers.length - 1;
      // Lines never span buffers: every buffer ends with \n, except the very last one (end of input).
      if (!lastOfAll) expect(buf[buf.length - 1], `frame ${fi} buffer ${bi}`).toBe(NL);
      let start = 0;
      while (start < buf.length) {
        let nl = buf.indexOf(NL, start);
        if (nl === -1) nl = buf.length;
        out.push(classify(buf.subarray(start, nl), max));
        start = nl + 1;
      }
    });
  });
  return out;
}


const PIECES = ['a', 'b', '{', '"', ':', ' ', '\t', 'é', '中', '😀', '\r', '\ufeff', '\u0000'];

function randomInput(rnd: () => number, max: number): Buffer {
  const int = (n: number): number => Math.floor(rnd() * n);
  const parts: Buffer[] = [];
  if (rnd() < 0.4) parts.push(BOM);
  const count = int(25);
  for (let i = 0; i < count; i++) {
    let body: Buffer;
    const kind = rnd();
    if (kind < 0.15) {
      body = Buffer.from(['', ' ', '\t', ' \t '][int(4)]!);
    } else if (kind < 0.45) {
      // Around the limit: max - 2 … max + 2 bytes, made of bytes that never hold \n.
      const len = Math.max(0, max - 2 + int(5));
      body = Buffer.alloc(len, 'x');
      if (len > 0 && rnd() < 0.3) body[len - 1] = CR; // content then one CR that is itself content or the ending
    } else if (kind < 0.55) {
      body = Buffer.alloc(max * (2 + int(3)) + int(1500), 'y'); // far beyond the limit, often beyond a read
    } else {
      let s = '';
      const n = int(Math.min(3 * max + 10, 200));
      for (let j = 0; j < n; j++) s += PIECES[int(PIECES.length)]!;
      body = Buffer.from(s);
    }
    parts.push(body);
    const last = i === count - 1;
    if (!last || rnd() < 0.5) parts.push(Buffer.from(rnd() < 0.3 ? '\r\n' : '\n'));
  }
  return Buffer.concat(parts);
}

/** Positions where a cut is most likely to go wrong: in the BOM, between CR and LF, inside a UTF-8 character. */
function awkwardCuts(input: Uint8Array): number[] {
  const cuts = [1, 2, 3];
  for (let p = 1; p < input.length; p++) {
    const prev = input[p - 1]!;
    const b = input[p]!;
    if ((prev === CR && b === NL) || (b & 0xc0) === 0x80 || prev === NL) cuts.push(p);
  }
  return cuts.filter((p) => p < input.length);
}

function chunked(input: Buffer, cuts: number[]): Buffer[] {
  const sorted = [...new Set(cuts)].filter((p) => p > 0 && p < input.length).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of [...sorted, input.length]) {
    chunks.push(input.subarray(prev, p));
    prev = p;
  }
  return chunks;
}

function randomChunks(rnd: () => number, input: Buffer, max: number): Buffer[] {
  const mode = Math.floor(rnd() * 5);
  if (mode === 0 && input.length < 20000) return chunked(input, Array.from({ length: input.length }, (_, i) => i)); // 1-byte reads
  if (mode === 1) return chunked(input, awkwardCuts(input));
  if (mode === 2) return [input]; // one read
  const cuts: number[] = [];
  const awkward = awkwardCuts(input);
  const sizeLimit = mode === 3 ? 4 : max * 3 + 8;
  for (let p = 0; p < input.length; ) {
    p += 1 + Math.floor(rnd() * sizeLimit);
    cuts.push(rnd() < 0.3 && awkward.length > 0 ? awkward[Math.floor(rnd() * awkward.length)]! : p);
  }
  const chunks = chunked(input, cuts);
  // Empty reads happen too (a stream may hand one on); they must change nothing.
  if (rnd() < 0.5) chunks.splice(Math.floor(rnd() * chunks.length), 0, Buffer.alloc(0));
  return chunks;
}

describe('LineFramer against a reference splitter', () => {
  it('hands on the same lines however the input is cut (property test)', () => {
    const rnd = prng(20240611);
    let compared = 0;
    for (let iter = 0; iter < 400; iter++) {
      const max = [1, 2, 5, 16, 100, 1100, 3000][Math.floor(rnd() * 7)]!;
      const input = randomInput(rnd, max);
      const expected = reference(input, max);
      for (let k = 0; k < 3; k++) {
        const chunks = randomChunks(rnd, input, max);
        const blockBytes = [1, 7, 100, 4 << 20][Math.floor(rnd() * 4)]!;
        const got = frame(chunks, max, blockBytes);
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          // Narrow the failure down to a readable message.
          expect({ iter, max, chunks: chunks.map((c) => c.length), got }).toEqual({ iter, max, chunks: chunks.map((c) => c.length), got: expected });
        }
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(10000);
  });

  it('accepts a line of exactly maxLineBytes and rejects one more byte, a trailing CR not counting', () => {
    const max = 100;
    const a = (n: number): string => 'a'.repeat(n);
    const text = `${a(100)}\n${a(101)}\n${a(100)}\r\n${a(101)}\r\n${a(99)}\r\r\n${a(100)}\r\r\n${a(100)}\r`;
    const input = Buffer.from(text);
    const expectedKinds = ['line', 'too_long', 'line', 'too_long', 'line', 'too_long', 'line'];
    const expectedBytes = [100, 101, 100, 101, 100, 101, 100];
    for (const chunks of [[input], chunked(input, Array.from({ length: input.length }, (_, i) => i)), chunked(input, awkwardCuts(input))]) {
      const got = frame(chunks, max);
      expect(got.map((l) => l.kind)).toEqual(expectedKinds);
      expect(got.map((l) => (l.kind === 'too_long' ? l.bytes : l.kind === 'line' ? Buffer.from(l.raw, 'hex').length - (l.raw.endsWith('0d') ? 1 : 0) : 0))).toEqual(expectedBytes);
      expect(got).toEqual(reference(input, max));
    }
  });

  it('strips a BOM only at the very start, even when it arrives one byte at a time', () => {
    const input = Buffer.concat([BOM, Buffer.from('{"a":1}\n'), BOM, Buffer.from('x\n')]);
    const one = chunked(input, Array.from({ length: input.length }, (_, i) => i));
    const got = frame(one, 1000);
    expect(got).toEqual([
      { kind: 'line', raw: hex(Buffer.from('{"a":1}')) },
      { kind: 'line', raw: hex(Buffer.concat([BOM, Buffer.from('x')])) },
    ]);
    // Short inputs: a lone BOM is nothing, a partial BOM is a line.
    expect(frame([BOM.subarray(0, 1), BOM.subarray(1)], 10)).toEqual([]);
    expect(frame([BOM.subarray(0, 2)], 10)).toEqual([{ kind: 'line', raw: 'efbb' }]);
    expect(frame([Buffer.from('\n')], 10)).toEqual([{ kind: 'line', raw: '' }]);
    expect(frame([], 10)).toEqual([]);
    expect(frame([Buffer.alloc(0)], 10)).toEqual([]);
  });

  it('keeps input order around too-long lines and never merges lines across a too_long frame', () => {
    const max = 8;
    const input = Buffer.from('ab\n' + 'z'.repeat(50) + '\ncd\n' + 'w'.repeat(30));
    const got = frame(chunked(input, [1, 4, 6, 20, 40, 55, 60, 70]), max, 1);
    expect(got).toEqual(reference(input, max));
    expect(got.map((l) => l.kind)).toEqual(['line', 'too_long', 'line', 'too_long']);
  });
});

describe('LineFramer memory', () => {
  it('never holds a too-long line that spans reads: a 50 MB line in 64 KiB reads with a 1 MiB limit', () => {
    const max = 1 << 20;
    const chunkSize = 64 << 10;
    const framer = new LineFramer({ maxLineBytes: max });
    const frames: Frame[] = [];
    const first = Buffer.alloc(chunkSize, 'a');
    first.write('{"ok":1}\n{"username":"', 0);
    const filler = Buffer.alloc(chunkSize, 'a');
    const rounds = 800; // 800 × 64 KiB = 50 MiB
    let maxCarried = 0;
    const heapBefore = process.memoryUsage().arrayBuffers;
    let maxHeld = 0;
    frames.push(...framer.push(first));
    for (let i = 1; i < rounds; i++) {
      frames.push(...framer.push(filler));
      maxCarried = Math.max(maxCarried, framer.carriedBytes);
      if (i % 50 === 0) maxHeld = Math.max(maxHeld, process.memoryUsage().arrayBuffers - heapBefore);
    }
    frames.push(...framer.push(Buffer.from('"}\r\n{"after":2}\n')));
    frames.push(...framer.end());

    expect(maxCarried).toBeLessThanOrEqual(max + 1);
    // Loose, GC-dependent cross-check: far below the 50 MB the line takes.
    expect(maxHeld).toBeLessThan(20 << 20);
    const longBytes = rounds * chunkSize - '{"ok":1}\n'.length + 2; // + the closing `"}`, CR not counted
    const kinds = frames.map((f) => f.kind);
    expect(kinds).toEqual(['block', 'too_long', 'block']);
    const tooLong = frames[1]!;
    if (tooLong.kind !== 'too_long') throw new Error('unreachable');
    expect(tooLong.bytes).toBe(longBytes);
    expect(tooLong.head.length).toBe(HEAD);
    expect(Buffer.from(tooLong.head).toString('latin1')).toBe('{"username":"' + 'a'.repeat(HEAD - 13));
    const [before, after] = [frames[0]!, frames[2]!];
    if (before.kind !== 'block' || after.kind !== 'block') throw new Error('unreachable');
    expect(Buffer.concat(before.buffers).toString()).toBe('{"ok":1}\n');
    expect(Buffer.concat(after.buffers).toString()).toBe('{"after":2}\n');
  });
});
