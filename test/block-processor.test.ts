import { describe, expect, it } from 'vitest';
import { processBlock, type BlockOptions, type BlockResult, type StagingSink } from '../src/convert/block-processor.js';
import { partitionOf } from '../src/convert/partition-hash.js';

/** Keeps every staged record, in order, with how it was written. */
class MemorySink implements StagingSink {
  records: { partition: number; raw: boolean; bytes: Buffer }[] = [];
  writeRaw(partition: number, bytes: Uint8Array, start: number, end: number): void {
    this.records.push({ partition, raw: true, bytes: Buffer.from(bytes.subarray(start, end)) });
  }
  writeText(partition: number, text: string): void {
    expect(text.includes('\n')).toBe(false);
    this.records.push({ partition, raw: false, bytes: Buffer.from(text, 'utf8') });
  }
  parsed(): Record<string, unknown>[] {
    return this.records.map((r) => JSON.parse(r.bytes.toString('utf8')) as Record<string, unknown>);
  }
}

const options = (over: Partial<BlockOptions> = {}): BlockOptions => ({ maxLineBytes: 1 << 20, partitions: 4, ...over });
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function run(buffers: (string | Uint8Array)[], over: Partial<BlockOptions> = {}): { result: BlockResult; sink: MemorySink } {
  const sink = new MemorySink();
  const bufs = buffers.map((b) => (typeof b === 'string' ? Buffer.from(b, 'utf8') : b));
  return { result: processBlock(bufs, options(over), sink), sink };
}

describe('processBlock counts', () => {
  it('counts lines, events, blank and each rejection, numbering rejects across buffers', () => {
    const { result, sink } = run([
      '{"username":"a"}\n\n   \n[1]\n',
      '{"username":""}\r\n\t\r\n{"username":\n',
      '42\n{"username":"b","zz":1}\r\n{"username":"c"}', // the very last line lacks its \n
    ]);
    expect(result.lines).toBe(10);
    expect(result.events).toBe(3);
    expect(result.blank).toBe(3);
    expect(result.rejected).toEqual({ invalid_json: 1, not_object: 2, missing_username: 1, too_long: 0 });
    expect(result.lines).toBe(result.events + result.blank + Object.values(result.rejected).reduce((a, b) => a + b, 0));
    expect(result.rejects.map((r) => [r.index, r.reason])).toEqual([
      [3, 'not_object'],
      [4, 'missing_username'],
      [6, 'invalid_json'],
      [7, 'not_object'],
    ]);
    expect(sink.records.filter((r) => !r.raw)).toHaveLength(1);
    expect(sink.parsed().map((v) => v.username)).toEqual(['a', 'b', 'c']);
  });

  it('handles empty input, a lone newline, CRLF blank lines and "\\r\\r"', () => {
    expect(run([]).result).toMatchObject({ lines: 0, events: 0, blank: 0, rejects: [] });
    expect(run(['\n']).result).toMatchObject({ lines: 1, blank: 1 });
    expect(run(['\r\n', ' \t\r\n']).result).toMatchObject({ lines: 2, blank: 2 });
    const rr = run(['\r\r\n']).result;
    expect(rr).toMatchObject({ lines: 1, blank: 0 });
    expect(rr.rejects).toEqual([expect.objectContaining({ index: 0, reason: 'invalid_json', text: '\r', bytes: 1 })]);
  });

  it('accepts Uint8Array views at an offset, as worker threads receive them', () => {
    const backing = Buffer.from('XXXX{"username":"view"}\n{"username":"v2"}\nYYYY');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 4, backing.length - 8);
    expect(Buffer.isBuffer(view)).toBe(false);
    const { result, sink } = run([view]);
    expect(result).toMatchObject({ lines: 2, events: 2 });
    expect(sink.records.map((r) => r.bytes.toString())).toEqual(['{"username":"view"}', '{"username":"v2"}']);
  });
});

describe('processBlock rejects', () => {
  it('keeps the text (without CR), the byte length and, for invalid_json, the parser message', () => {
    const { result } = run(['{"username":"é"\r\n[]\r\n{"username":null}\n']);
    const [a, b, c] = result.rejects;
    expect(a).toMatchObject({ index: 0, reason: 'invalid_json', text: '{"username":"é"', bytes: 16 });
    expect(typeof a!.error).toBe('string');
    expect(a!.error!.length).toBeGreaterThan(0);
    expect(b).toEqual({ index: 1, reason: 'not_object', text: '[]', bytes: 2 });
    expect(c).toEqual({ index: 2, reason: 'missing_username', text: '{"username":null}', bytes: 17 });
  });

  it('rejects a U+FEFF opening a line inside the file as invalid_json, keeping it in the text', () => {
    const { result, sink } = run(['{"username":"a"}\n\ufeff{"username":"b"}\n']);
    expect(result.events).toBe(1);
    expect(sink.records).toHaveLength(1);
    expect(result.rejects).toEqual([expect.objectContaining({ index: 1, reason: 'invalid_json', text: '\ufeff{"username":"b"}', bytes: 19 })]);
  });

  it('rejects lines over maxLineBytes as too_long: exact at the limit, a trailing CR not counting', () => {
    const max = 2000;
    const line = (n: number): string => `{"username":"${'u'.repeat(n - 15)}"}`;
    expect(Buffer.byteLength(line(max))).toBe(max);
    const { result } = run([`${line(max)}\n${line(max + 1)}\n${line(max)}\r\n${line(max + 1)}\r\n${line(max + 1)}`], { maxLineBytes: max });
    expect(result.events).toBe(2);
    expect(result.rejects.map((r) => [r.index, r.reason, r.bytes])).toEqual([
      [1, 'too_long', max + 1],
      [3, 'too_long', max + 1],
      [4, 'too_long', max + 1],
    ]);
  });

  it('keeps the first 1024 bytes of a too_long line, a split character becoming U+FFFD', () => {
    const content = Buffer.from('{"username":"x' + '中'.repeat(2000) + '"}'); // 14 + 3 × 2000 + 2 bytes: byte 1024 splits a 中
    const { result } = run([Buffer.concat([content, Buffer.from('\r\n{"username":"next"}\n')])], { maxLineBytes: 4096 });
    expect(result.events).toBe(1);
    const [r] = result.rejects;
    expect(r).toMatchObject({ index: 0, reason: 'too_long', bytes: content.length });
    expect(r!.text).toBe(utf8.decode(content.subarray(0, 1024)));
    expect(r!.text).toBe('{"username":"x' + '中'.repeat(336) + '\ufffd'); // (1024 - 14) = 3 × 336 + 2
  });

  it('never takes the head of a too_long line past its end (limits under 1 KiB)', () => {
    const { result } = run(['aaaaaaaaaaaaaaaaaaaa\r\n{"username":"next"}\nbbbbbbbbbbbb'], { maxLineBytes: 10 });
    expect(result.rejects).toEqual([
      { index: 0, reason: 'too_long', text: 'a'.repeat(20), bytes: 20 },
      { index: 1, reason: 'too_long', text: '{"username":"next"}', bytes: 19 },
      { index: 2, reason: 'too_long', text: 'b'.repeat(12), bytes: 12 },
    ]);
  });
});

describe('processBlock events', () => {
  it('passes ordinary lines through byte for byte, without their CR', () => {
    const line = '{"key":"pageview","username":"ü","timestamp":1371234567000,"12":["{\\"h\\":1}"],"13":[]}';
    const { result, sink } = run([`${line}\r\n${line}\n`]);
    expect(result).toMatchObject({ events: 2 });
    for (const r of sink.records) {
      expect(r.raw).toBe(true);
      expect(r.bytes.equals(Buffer.from(line))).toBe(true);
    }
  });

  it('turns invalid UTF-8 into U+FFFD and still makes an event, re-serialised', () => {
    const bad = Buffer.concat([
      Buffer.from('{"username":"a'),
      Buffer.from([0xff, 0xc3, 0x41, 0xed, 0xa0, 0x80]), // 0xff, a lead byte before 'A', an encoded surrogate
      Buffer.from('","key":"k'),
      Buffer.from([0x80]),
      Buffer.from('"}\n'),
    ]);
    const { result, sink } = run([bad]);
    expect(result).toMatchObject({ events: 1, rejects: [] });
    const rec = sink.records[0]!;
    expect(rec.raw).toBe(false);
    const value = sink.parsed()[0]!;
    const expected = JSON.parse(utf8.decode(bad.subarray(0, bad.length - 1))) as Record<string, unknown>;
    expect(value).toEqual(expected);
    expect(value.username).toMatch(/^a\ufffd+A\ufffd+$/);
    expect(value.key).toBe('k\ufffd');
    expect(rec.bytes.toString('utf8').includes('\ufffd')).toBe(true);
  });

  it('re-serialises unknown keys, mistyped fields and lone surrogates into valid, well-formed JSON', () => {
    const { sink } = run(['{"username":"u","key":5,"zz":{"a":[1]},"timestamp":"12","value":"\\ud800"}\n']);
    expect(sink.records[0]!.raw).toBe(false);
    const text = sink.records[0]!.bytes.toString('utf8');
    expect((text as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
    const v = JSON.parse(text) as Record<string, unknown>;
    expect(v).toMatchObject({ username: 'u', timestamp: 12, value: '\ufffd' });
    expect(JSON.parse(v._extra as string)).toEqual({ key: 5, zz: { a: [1] }, timestamp: '12' });
  });

  it('never passes a line with a duplicate key through: it is re-serialised with the last value', () => {
    const line = '{"username":"u","key":"a","key":"b"}\n';
    const { sink } = run([line]);
    expect(sink.records[0]!.raw).toBe(false);
    expect(sink.parsed()[0]).toEqual({ username: 'u', key: 'b' });
  });

  it('routes every event of a learner to one partition, the one partitionOf names', () => {
    const users = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'é', '😀', ' '];
    const lines = users.flatMap((u, i) => [`{"username":${JSON.stringify(u)},"session":"${i}"}`, `{"username":${JSON.stringify(u)},"zz":${i}}`]);
    const { sink } = run([lines.join('\n') + '\n'], { partitions: 3 });
    const seen = new Map<string, Set<number>>();
    sink.records.forEach((r, i) => {
      const u = sink.parsed()[i]!.username as string;
      expect(r.partition).toBe(partitionOf(u, 3));
      expect(r.partition).toBeGreaterThanOrEqual(0);
      expect(r.partition).toBeLessThan(3);
      seen.set(u, (seen.get(u) ?? new Set()).add(r.partition));
    });
    for (const parts of seen.values()) expect(parts.size).toBe(1);
    expect(new Set(sink.records.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('routes usernames the dataset stores alike (lone surrogates, U+FFFD) to one partition', () => {
    const lines = ['"x\\ud800"', '"x\\udfff"', '"x\\udbff"', '"x\\ufffd"', '"x\ufffd"'].map((u) => `{"username":${u}}`);
    lines.push(Buffer.concat([Buffer.from('{"username":"x'), Buffer.from([0xff]), Buffer.from('"}')]).toString('latin1'));
    const buf = Buffer.concat(lines.map((l, i) => (i === lines.length - 1 ? Buffer.from(l, 'latin1') : Buffer.from(l + '\n', 'utf8'))));
    const { result, sink } = run([buf], { partitions: 7 });
    expect(result.events).toBe(6);
    for (const r of sink.parsed()) expect(r.username).toBe('x\ufffd');
    expect(new Set(sink.records.map((r) => r.partition)).size).toBe(1);
    // A valid surrogate pair is a different learner, hashed as before.
    expect(partitionOf('😀', 1 << 30)).not.toBe(partitionOf('\ufffd\ufffd', 1 << 30));
  });
});
