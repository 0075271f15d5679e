import { describe, expect, it } from 'vitest';
import {
  TOO_LONG_KEPT_BYTES,
  canPassThrough,
  contentEnd,
  countKeyStarts,
  countRawKeys,
  isBlank,
  judgeLine,
  normalizeEvent,
  toTimestamp,
} from '../src/formats/line-rules.js';
import { EXTRA_COLUMN, JSON_FIELDS, STRING_FIELDS } from '../src/types.js';
import { prng } from './helpers/prng.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

/** isBlank over the line's content, as block-processor calls it (after contentEnd). */
function blankLine(s: string): boolean {
  const b = bytes(s);
  return isBlank(b, 0, contentEnd(b, 0, b.length));
}

/** A line as real exports carry it. */
const REAL_LINE =
  '{"key":"pageview","value":"","username":"3f9a1c0e5b7d2468ace013579bdf2468ace01357","timestamp":1371234567000,' +
  '"page_url":"https://class.coursera.org/psy-001/lecture/view?lecture_id=101","client":"spark",' +
  '"session":"81234-4410982317","language":"en-US,en;q=0.8","from":"https://class.coursera.org/psy-001/lecture/index",' +
  '"user_ip":"203.0.113.7","user_agent":"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/28.0.1500.95 Safari/537.36",' +
  '"12":["{\\"height\\":720,\\"width\\":1280}"],"13":[],"14":[],"30":[]}';

const VIDEO_LINE =
  '{"key":"user.video.lecture.action","value":"{\\"currentTime\\":12.5,\\"playbackRate\\":1.25,\\"paused\\":true,\\"type\\":\\"pause\\",\\"lectureID\\":7}",' +
  '"username":"0b5e8c2a9d4f6e1b3c7a5d9e2f4b6c8a0e1d3f5b","timestamp":1371234568001,"page_url":"https://class.coursera.org/psy-001/lecture/7",' +
  '"client":"spark","session":"60417-1029384756","language":"es,en-US;q=0.7","from":"","user_ip":"203.0.113.9","user_agent":"Mozilla/5.0",' +
  '"12":["{\\"height\\":720,\\"width\\":1280}"],"13":[],"14":[],"30":[]}';

describe('TOO_LONG_KEPT_BYTES', () => {
  it('is 1 KiB (DATA-CONTRACT §2: too_long lines keep their first 1 KiB)', () => {
    expect(TOO_LONG_KEPT_BYTES).toBe(1024);
  });
});

describe('contentEnd', () => {
  it('drops exactly one trailing CR', () => {
    const b = bytes('ab\r\r');
    expect(contentEnd(b, 0, 4)).toBe(3);
    expect(contentEnd(b, 0, 3)).toBe(2); // the slice [0,3) is "ab\r"
    expect(contentEnd(b, 0, 2)).toBe(2);
  });

  it('leaves a line without CR alone, including an empty one', () => {
    const b = bytes('abc');
    expect(contentEnd(b, 0, 3)).toBe(3);
    expect(contentEnd(b, 1, 1)).toBe(1);
    expect(contentEnd(new Uint8Array(0), 0, 0)).toBe(0);
  });

  it('works on a slice in the middle of a buffer and never goes before start', () => {
    const b = bytes('x\r\ny\r\n\r\n');
    expect(contentEnd(b, 0, 2)).toBe(1); // "x\r"
    expect(contentEnd(b, 3, 5)).toBe(4); // "y\r"
    expect(contentEnd(b, 6, 7)).toBe(6); // "\r" alone: empty content
    expect(contentEnd(b, 7, 7)).toBe(7);
  });

  it('only looks at CR (0x0d), not at other trailing whitespace', () => {
    expect(contentEnd(bytes('a '), 0, 2)).toBe(2);
    expect(contentEnd(bytes('a\t'), 0, 2)).toBe(2);
    expect(contentEnd(bytes('a\n'), 0, 2)).toBe(2);
  });
});

describe('isBlank', () => {
  it('is true for empty, spaces, tabs and mixes', () => {
    for (const s of ['', ' ', '   ', '\t', '\t\t', ' \t \t ']) expect(blankLine(s), JSON.stringify(s)).toBe(true);
  });

  it('is true for CRLF versions of blank lines (the one trailing CR is not content)', () => {
    for (const s of ['\r', ' \r', '\t\r', ' \t \r']) expect(blankLine(s), JSON.stringify(s)).toBe(true);
  });

  it('is false when a CR remains after contentEnd: "\\r\\r" and "\\r " are not blank', () => {
    expect(blankLine('\r\r')).toBe(false);
    expect(blankLine('\r ')).toBe(false);
    expect(blankLine(' \r\t')).toBe(false);
    // isBlank itself never treats CR as blank
    expect(isBlank(bytes('\r'), 0, 1)).toBe(false);
  });

  it('is false for other whitespace: form feed, vertical tab, NUL, NBSP, U+3000, BOM', () => {
    for (const s of ['\f', '\v', '\0', '\u00a0', '\u3000', '\ufeff', ' x ', '{}', '\n']) {
      expect(blankLine(s), JSON.stringify(s)).toBe(false);
    }
  });

  it('respects start and end', () => {
    const b = bytes('x  \ty');
    expect(isBlank(b, 1, 4)).toBe(true);
    expect(isBlank(b, 0, 4)).toBe(false);
    expect(isBlank(b, 1, 5)).toBe(false);
    expect(isBlank(b, 3, 3)).toBe(true);
  });
});

describe('judgeLine', () => {
  const reason = (text: string): string => {
    const v = judgeLine(text);
    return v.kind === 'rejected' ? v.reason : v.kind;
  };

  it('accepts an object with a non-empty string username as an event, with its parsed value', () => {
    const v = judgeLine(REAL_LINE);
    expect(v.kind).toBe('event');
    if (v.kind === 'event') expect(v.value).toEqual(JSON.parse(REAL_LINE));
    expect(reason('{"username":"x"}')).toBe('event');
    expect(reason('{"username":" "}')).toBe('event'); // one space is a non-empty string
    expect(reason('{"username":"\\u0000"}')).toBe('event');
    expect(reason(' \t{"username":"x"}\t ')).toBe('event'); // JSON whitespace around
    expect(reason('{"username":"x"}\r')).toBe('event'); // CR is JSON whitespace
    expect(reason('{"user\\u006eame":"x"}')).toBe('event'); // an escaped key is the same key
  });

  it('rejects every non-JSON text as invalid_json, with the parser message', () => {
    const cases = [
      '{"username":"x"', // truncated
      '{"username":"x",', // truncated after a comma
      '{"username":"x",}', // trailing comma
      '{"username":"x"}}',
      '{"a":1}{"b":2}',
      '[1,]',
      'NaN',
      'Infinity',
      '-Infinity',
      'undefined',
      "{'username':'x'}",
      '{username:"x"}',
      '{"username":"a\tb"}', // raw tab inside a string
      '{"username":"a\u0001b"}', // raw control character inside a string
      '{"username":"\\x41"}', // bad escape
      '{"username":"\\u12"}', // short unicode escape
      '{"timestamp":01,"username":"x"}', // leading zero
      '{"timestamp":1.,"username":"x"}',
      '{"timestamp":.5,"username":"x"}',
      '{"timestamp":+1,"username":"x"}',
      '\ufeff{"username":"x"}', // a BOM is not JSON whitespace
      '\u00a0{"username":"x"}', // neither is NBSP
      '\r', // what remains of "\r\r\n"
      '{',
      '"',
      '// comment',
    ];
    for (const text of cases) {
      const v = judgeLine(text);
      expect(v.kind, JSON.stringify(text)).toBe('rejected');
      if (v.kind === 'rejected') {
        expect(v.reason, JSON.stringify(text)).toBe('invalid_json');
        expect(typeof v.error).toBe('string');
        expect(v.error!.length).toBeGreaterThan(0);
      }
    }
  });

  it('rejects JSON that is not an object as not_object, without an error message', () => {
    for (const text of ['[]', '[{"username":"x"}]', '42', '-0', '1e400', '"str"', '"{\\"username\\":\\"x\\"}"', 'null', 'true', 'false', ' false ']) {
      const v = judgeLine(text);
      expect(v, text).toEqual({ kind: 'rejected', reason: 'not_object' });
    }
  });

  it('rejects objects whose username is not a non-empty string as missing_username', () => {
    for (const text of [
      '{}',
      '{"username":""}',
      '{"username":42}',
      '{"username":0}',
      '{"username":null}',
      '{"username":[]}',
      '{"username":["x"]}',
      '{"username":{}}',
      '{"username":true}',
      '{"key":"pageview"}', // absent
      '{"Username":"x"}', // keys are case-sensitive
      '{"username ":"x"}',
      '{"username":"x","username":5}', // JSON.parse keeps the last
      '{"username":"x","username":""}',
    ]) {
      expect(judgeLine(text), text).toEqual({ kind: 'rejected', reason: 'missing_username' });
    }
  });

  it('keeps the last of duplicate usernames, as JSON.parse does', () => {
    const v = judgeLine('{"username":"","username":"x"}');
    expect(v.kind).toBe('event');
    if (v.kind === 'event') expect(v.value.username).toBe('x');
  });

  it('treats a "__proto__" key as an ordinary key and pollutes nothing', () => {
    const v = judgeLine('{"__proto__":{"polluted":1},"username":"x"}');
    expect(v.kind).toBe('event');
    if (v.kind === 'event') expect(Object.keys(v.value)).toEqual(['__proto__', 'username']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A username inherited through "__proto__" is not the object's own username.
    expect(reason('{"__proto__":{"username":"x"}}')).toBe('missing_username');
  });
});

describe('toTimestamp', () => {
  it('keeps integer numbers', () => {
    expect(toTimestamp(1371234567000)).toBe(1371234567000);
    expect(toTimestamp(0)).toBe(0);
    expect(toTimestamp(-1)).toBe(-1);
    expect(toTimestamp(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toTimestamp(Number.MIN_SAFE_INTEGER)).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('rounds floats to the nearest millisecond (halves towards +infinity, as Math.round)', () => {
    expect(toTimestamp(1.4)).toBe(1);
    expect(toTimestamp(1.5)).toBe(2);
    expect(toTimestamp(2.5)).toBe(3);
    expect(toTimestamp(-1.5)).toBe(-1);
    expect(toTimestamp(-1.6)).toBe(-2);
    expect(toTimestamp(1371234567000.7)).toBe(1371234567001);
    expect(toTimestamp(1e-300)).toBe(0);
  });

  it('turns -0 (and values rounding to -0) into +0', () => {
    expect(Object.is(toTimestamp(-0), 0)).toBe(true);
    expect(Object.is(toTimestamp(-0.4), 0)).toBe(true);
    expect(Object.is(toTimestamp('-0'), 0)).toBe(true);
    expect(Object.is(toTimestamp('-0.0'), 0)).toBe(true);
  });

  it('reads strings holding a JSON number, surrounding spaces allowed', () => {
    expect(toTimestamp(' 12 ')).toBe(12);
    expect(toTimestamp('12')).toBe(12);
    expect(toTimestamp('\t12\n')).toBe(12);
    expect(toTimestamp('1e3')).toBe(1000);
    expect(toTimestamp('1E+3')).toBe(1000);
    expect(toTimestamp('1.5e1')).toBe(15);
    expect(toTimestamp('-7')).toBe(-7);
    expect(toTimestamp('2.5')).toBe(3);
    expect(toTimestamp('1371234567000')).toBe(1371234567000);
  });

  it('rejects strings that are not JSON numbers', () => {
    for (const s of ['', ' ', 'abc', '12abc', '0x10', '0b1', '0o7', '+5', '05', '.5', '5.', '1_000', '1,5', '1 2', 'Infinity', '-Infinity', 'NaN', 'infinity', '1e', 'e3', '--1', '١٢']) {
      expect(toTimestamp(s), JSON.stringify(s)).toBeNull();
    }
  });

  it('is null beyond 2^53 (not exact as a double), for numbers and strings alike', () => {
    expect(toTimestamp(2 ** 53)).toBeNull();
    expect(toTimestamp(-(2 ** 53))).toBeNull();
    expect(toTimestamp(2 ** 53 - 0.5)).toBeNull(); // 9007199254740991.5 rounds to 2^53
    expect(toTimestamp(1e300)).toBeNull();
    expect(toTimestamp('9007199254740993')).toBeNull();
    expect(toTimestamp('9007199254740991')).toBe(9007199254740991);
    expect(toTimestamp('12345678901234567890')).toBeNull();
    expect(toTimestamp('1e400')).toBeNull(); // a JSON number that overflows to Infinity
    expect(toTimestamp('-1e400')).toBeNull();
  });

  it('is null for non-finite numbers and for every other type', () => {
    for (const v of [Infinity, -Infinity, NaN, true, false, null, undefined, [], [5], ['5'], {}, { t: 5 }, 5n]) {
      expect(toTimestamp(v), String(v)).toBeNull();
    }
  });
});

describe('countRawKeys', () => {
  it('counts keys at every depth', () => {
    expect(countRawKeys('{}')).toBe(0);
    expect(countRawKeys('{"a":1}')).toBe(1);
    expect(countRawKeys('{"a":1,"b":2}')).toBe(2);
    expect(countRawKeys('{"a":{"b":{"c":1}},"d":[{"e":1},{"f":2}]}')).toBe(6);
    expect(countRawKeys('{"":1}')).toBe(1); // an empty key
    expect(countRawKeys(REAL_LINE)).toBe(15);
  });

  it('counts duplicate keys once each', () => {
    expect(countRawKeys('{"a":1,"a":2}')).toBe(2);
    expect(countRawKeys('{"username":"x","user\\u006eame":"y"}')).toBe(2);
  });

  it('does not count quotes and colons inside strings', () => {
    expect(countRawKeys('{"a":"x\\":y"}')).toBe(1);
    expect(countRawKeys('{"a":"\\"b\\":1"}')).toBe(1);
    expect(countRawKeys('{"a":"\\" : "}')).toBe(1);
    expect(countRawKeys(VIDEO_LINE)).toBe(15); // the value's JSON text holds escaped keys
  });

  it('counts keys holding escaped quotes, also right before the closing quote', () => {
    expect(countRawKeys('{"a\\"b":1}')).toBe(1);
    expect(countRawKeys('{"a\\"":1}')).toBe(1);
    expect(countRawKeys('{"\\\\\\"":1}')).toBe(1); // the key \"
  });

  it('counts keys ending in a backslash too', () => {
    expect(countRawKeys('{"a\\\\":1}')).toBe(1);
    expect(countRawKeys('{"a\\\\":1,"b":2}')).toBe(2);
    expect(countRawKeys('{"a\\\\" :1}')).toBe(1);
  });

  it('counts keys with spaces or tabs before the colon', () => {
    expect(countRawKeys('{ "username" : "x" }')).toBe(1);
    expect(countRawKeys('{"a"\t:1, "b"  \t :2,"c":3}')).toBe(3);
    expect(countRawKeys('{"" :1}')).toBe(1);
    expect(countRawKeys('{"a\\"" :1}')).toBe(1);
  });

  it('never counts fewer keys than the text holds (it may count more)', () => {
    // A string value starting with ':' looks like a key end to the scan: counting too many only
    // sends a line to the re-serialising path, which is always safe.
    expect(countRawKeys('{"a":":x"}')).toBeGreaterThanOrEqual(1);
    const rnd = prng(7);
    const names = ['a', 'username', '', 'x"y', 'k:', ' ', '\\"', '::'];
    for (let n = 0; n < 300; n++) {
      const keys: string[] = [];
      const build = (depth: number): string => {
        const parts: string[] = [];
        const k = Math.floor(rnd() * 4);
        for (let i = 0; i < k; i++) {
          const name = names[Math.floor(rnd() * names.length)]!;
          keys.push(name);
          const ws = [' ', '', '\t', '  '][Math.floor(rnd() * 4)]!;
          const value = depth < 2 && rnd() < 0.3 ? build(depth + 1) : JSON.stringify(names[Math.floor(rnd() * names.length)]);
          parts.push(`${JSON.stringify(name)}${rnd() < 0.2 ? ws : ''}:${ws}${value}`);
        }
        return `{${parts.join(',')}}`;
      };
      const text = build(0);
      expect(() => JSON.parse(text)).not.toThrow();
      expect(countRawKeys(text), text).toBeGreaterThanOrEqual(keys.length);
    }
  });
});

describe('countKeyStarts', () => {
  it('counts {" and ," when no white space precedes a quote', () => {
    expect(countKeyStarts('{"a":1,"b":"x","c":{"d":2}}')).toBe(4);
    expect(countKeyStarts('{"a":"{\\"b\\":1,\\"c\\":2}"}')).toBe(1); // escaped quotes never count
    expect(countKeyStarts('{"a":["x","y","z"]}')).toBe(3); // string elements after the first count too
    expect(countKeyStarts('{"a":1,"a":2}')).toBe(2);
  });

  it('falls back to the full count when white space precedes a quote', () => {
    expect(countKeyStarts('{ "a":1, "a":2}')).toBe(2);
    expect(countKeyStarts('{"a":"ends in a space ","b":1}')).toBe(countRawKeys('{"a":"ends in a space ","b":1}'));
  });

  it('never counts fewer keys than the text holds, whatever its white space (property test)', () => {
    const rnd = prng(11);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const strings = ['a', 'username', '', 'x"y', '{"k":1}', ',"', '{"', 'ends ', ' \t', '\\', 'x\\'];
    const ws = ['', '', '', ' ', '\t', '  ', '\r'];
    for (let n = 0; n < 2000; n++) {
      let keys = 0;
      const value = (depth: number): string => {
        const r = rnd();
        if (depth < 3 && r < 0.2) return object(depth + 1);
        if (depth < 3 && r < 0.35) return `[${Array.from({ length: Math.floor(rnd() * 3) }, () => pick(ws) + value(depth + 1) + pick(ws)).join(',')}]`;
        return r < 0.8 ? JSON.stringify(pick(strings)) : String(Math.floor(rnd() * 100));
      };
      const object = (depth: number): string => {
        const members = Array.from({ length: Math.floor(rnd() * 4) }, () => {
          keys++;
          return `${pick(ws)}${JSON.stringify(pick(strings))}${pick(ws)}:${pick(ws)}${value(depth)}${pick(ws)}`;
        });
        return `{${members.join(',')}}`;
      };
      const text = object(0);
      expect(() => JSON.parse(text), text).not.toThrow();
      expect(countKeyStarts(text), text).toBeGreaterThanOrEqual(keys);
    }
  });
});

describe('canPassThrough', () => {
  const pass = (text: string): boolean => canPassThrough(text, parse(text));
  // A line passes only when no key repeats (DuckDB refuses duplicates; JSON.parse keeps the last).
  // `passAlone` checks both sides: the line passes, and the same line with `username` repeated
  // at the end does not, whatever its shape (white space, escapes, JSON fields).
  const withDuplicate = (text: string): string => text.replace(/\s*\}\s*$/, ',"username":"dup"}');
  const passAlone = (text: string): [boolean, boolean] => [pass(text), pass(withDuplicate(text))];

  it('is true for typical real lines', () => {
    expect(pass(REAL_LINE)).toBe(true);
    expect(passAlone(VIDEO_LINE)).toEqual([true, false]);
    expect(passAlone('{"username":"x"}')).toEqual([true, false]);
  });

  it('is true for null string fields and a null timestamp', () => {
    const text = `{${STRING_FIELDS.map((f) => `"${f}":${f === 'username' ? '"u"' : 'null'}`).join(',')},"timestamp":null}`;
    expect(passAlone(text)).toEqual([true, false]);
  });

  it('is true whatever the type of "12", "13", "14" and "30" (stored as text or JSON text)', () => {
    for (const v of ['[]', '"x"', '1', '1e400', 'null', 'true', '[[1,[2]],3]', '["{\\"height\\":720}"]', '{}']) {
      for (const f of JSON_FIELDS) expect(passAlone(`{"username":"x","${f}":${v}}`), `${f}: ${v}`).toEqual([true, false]);
    }
    // A string after the first element of a list looks like a key to the fast count: such a line
    // takes the re-serialising path, which stores the same value.
    expect(pass('{"username":"x","12":["a","b"]}')).toBe(false);
  });

  it('is true for raw non-ASCII text, \\u escapes outside the surrogate range and whitespace variants', () => {
    expect(passAlone('{"username":"é中😀\u2028\uffff","key":"\\u00e9\\u4e2d\\u0000\\n\\/"}')).toEqual([true, false]);
    expect(passAlone('{ "username" : "x" , "timestamp"\t:\t5 }')).toEqual([true, false]);
    expect(pass('{"username":"\\\\ud800"}')).toBe(false); // conservative: looks like an escape
  });

  it('is false for a key not in the table', () => {
    for (const k of ['extra', 'Username', 'KEY', '', '__proto__', '_extra', '12 ', 'constructor']) {
      expect(pass(`{"username":"x",${JSON.stringify(k)}:1}`), k).toBe(false);
    }
  });

  it('is false for a documented string field holding another type', () => {
    for (const f of STRING_FIELDS.filter((f) => f !== 'username')) {
      for (const v of ['1', '0', 'true', 'false', '[]', '["x"]', '{}', '{"a":1}']) {
        expect(pass(`{"username":"x","${f}":${v}}`), `${f}: ${v}`).toBe(false);
      }
    }
  });

  it('is false for a timestamp that is not null or a safe integer', () => {
    for (const v of ['1.5', '"12"', '"abc"', 'true', '[]', '{}', '9007199254740992', '1e400', '12345678901234567890']) {
      expect(pass(`{"username":"x","timestamp":${v}}`), v).toBe(false);
    }
    // Integers however written pass: JSON.parse and DuckDB both read 1e3 as 1000.
    for (const v of ['0', '-0', '1e3', '1.0', '9007199254740991', '-9007199254740991']) {
      expect(pass(`{"username":"x","timestamp":${v}}`), v).toBe(true);
    }
  });

  it('is false when the text holds U+FFFD (a replaced invalid byte)', () => {
    expect(pass('{"username":"a\ufffdb"}')).toBe(false);
    expect(pass('{"username":"x","12":["\ufffd"]}')).toBe(false);
  });

  it('is false for surrogate escapes, lone or paired, in either case, in keys or values at any depth', () => {
    for (const s of ['\\ud800', '\\uDC00', '\\ud83d\\ude00', '\\uD83D\\uDE00', 'x\\udfff']) {
      expect(pass(`{"username":"${s}"}`), s).toBe(false);
      expect(pass(`{"username":"x","12":["${s}"]}`), s).toBe(false);
      expect(pass(`{"username":"x","12":{"${s}":1}}`), s).toBe(false);
    }
  });

  it('is false for duplicate keys and nested object keys', () => {
    for (const text of [
      '{"username":"x","username":"y"}',
      '{"username":"x","user\\u006eame":"y"}',
      '{"session":"a","username":"x","session":"b"}',
      '{"username":"x","12":{"a":1}}',
      '{"username":"x","12":[{"a":1}]}',
      '{"username":"x","13":{"a":1,"a":2}}',
    ]) {
      expect(pass(text), text).toBe(false);
    }
  });

  it('never passes a line whose documented keys JSON.parse and a first-wins reader would read differently', () => {
    // The key count is what protects against duplicates; spaced and escaped variants too.
    for (const text of [
      '{"username":"x" ,"username" :"y"}',
      '{"username":"x","username"\t:"y"}',
      '{"timestamp":1,"username":"x","timestamp":2}',
    ]) {
      expect(pass(text), text).toBe(false);
    }
  });
});

describe('normalizeEvent', () => {
  const extraOf = (out: Record<string, unknown>): unknown => JSON.parse(out[EXTRA_COLUMN] as string);

  it('keeps well-typed documented keys and adds no _extra', () => {
    const value = parse(REAL_LINE);
    const out = normalizeEvent(value);
    expect(out).toEqual(value);
    expect(EXTRA_COLUMN in out).toBe(false);
    expect(JSON.parse(JSON.stringify(out))).toEqual(value);
  });

  it('moves mistyped documented string fields and unknown keys to _extra, leaving the column out', () => {
    const value = parse('{"username":"u","key":5,"value":{"a":[1,{"b":null}]},"client":true,"session":["s"],"zz":1,"Key":"K","":"empty"}');
    const out = normalizeEvent(value);
    expect(out.username).toBe('u');
    for (const f of ['key', 'value', 'client', 'session']) expect(f in out).toBe(false);
    expect(extraOf(out)).toEqual({ key: 5, value: { a: [1, { b: null }] }, client: true, session: ['s'], zz: 1, Key: 'K', '': 'empty' });
  });

  it('keeps null string fields as null, not in _extra', () => {
    const out = normalizeEvent(parse('{"username":"u","value":null,"key":null,"zz":null}'));
    expect(out.value).toBeNull();
    expect(out.key).toBeNull();
    expect(extraOf(out)).toEqual({ zz: null });
  });

  it('turns the timestamp into integer ms, keeping the original in _extra unless it was already one', () => {
    const cases: [string, number | null, unknown][] = [
      ['1371234567000', 1371234567000, undefined],
      ['null', null, undefined],
      ['-0', 0, undefined],
      ['1.5', 2, 1.5],
      ['" 12 "', 12, ' 12 '],
      ['"1e3"', 1000, '1e3'],
      ['"abc"', null, 'abc'],
      ['true', null, true],
      ['[5]', null, [5]],
      ['{"t":5}', null, { t: 5 }],
      ['9007199254740993', null, 9007199254740992],
    ];
    for (const [raw, ts, extra] of cases) {
      const out = normalizeEvent(parse(`{"username":"u","timestamp":${raw}}`));
      expect(Object.is(out.timestamp, ts), raw).toBe(true);
      if (extra === undefined) expect(EXTRA_COLUMN in out, raw).toBe(false);
      else expect(extraOf(out), raw).toEqual({ timestamp: extra });
    }
  });

  it('keeps "12", "13", "14", "30" whatever their type, not in _extra', () => {
    const value = parse('{"username":"u","12":["{\\"height\\":720}"],"13":"text","14":{"a":{"b":[1,2]}},"30":null}');
    const out = normalizeEvent(value);
    expect(out['12']).toEqual(['{"height":720}']);
    expect(out['13']).toBe('text');
    expect(out['14']).toEqual({ a: { b: [1, 2] } });
    expect(out['30']).toBeNull();
    expect(EXTRA_COLUMN in out).toBe(false);
  });

  it('keeps a "__proto__" key as an ordinary key, in _extra and inside "12"', () => {
    const value = parse('{"username":"u","__proto__":{"polluted":1},"12":{"__proto__":{"polluted":2}}}');
    const out = normalizeEvent(value);
    expect(Object.getPrototypeOf(out)).toBeNull();
    const text = JSON.stringify(out);
    const back = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(JSON.parse(back[EXTRA_COLUMN] as string) as object)).toEqual(['__proto__']);
    expect(JSON.parse(back[EXTRA_COLUMN] as string)).toEqual(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(Object.keys(back['12'] as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a key named "_extra" goes into _extra, it does not replace it', () => {
    const out = normalizeEvent(parse('{"username":"u","_extra":"mine","zz":1}'));
    expect(extraOf(out)).toEqual({ _extra: 'mine', zz: 1 });
  });

  it('replaces lone surrogates in columns with U+FFFD, keeps valid pairs, keeps _extra exact', () => {
    const value = parse('{"username":"a\\ud800b","key":"\\ud83d\\ude00","value":"\\udc00","12":["\\ud800",{"k\\udfff":"\\udbff"}],"zz":"\\ud800","\\udc01":1}');
    const out = normalizeEvent(value);
    expect(out.username).toBe('a\ufffdb');
    expect(out.key).toBe('😀');
    expect(out.value).toBe('\ufffd');
    expect(JSON.parse(JSON.stringify(out['12']))).toEqual(['\ufffd', { 'k\ufffd': '\ufffd' }]);
    const text = JSON.stringify(out);
    expect((text as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
    // _extra holds the exact strings: JSON.stringify escapes lone surrogates, JSON.parse restores them.
    const extra = extraOf(JSON.parse(text) as Record<string, unknown>) as Record<string, unknown>;
    expect(extra.zz).toBe('\ud800');
    expect(extra['\udc01']).toBe(1);
  });

  it('keeps nested values in _extra exactly', () => {
    const nested = { a: [1, -2.5, 1e21, 'x', null, true, { b: { c: ['\u0000', '"\\'] } }], d: {} };
    const value = { username: 'u', deep: nested };
    expect(extraOf(normalizeEvent(value))).toEqual({ deep: nested });
  });

  it('always produces one line of valid JSON', () => {
    const out = JSON.stringify(normalizeEvent(parse('{"username":"a\\nb\\r\\u2028","zz":"\\n\\r"}')));
    expect(out.includes('\n')).toBe(false);
    expect(out.includes('\r')).toBe(false);
    expect(() => JSON.parse(out)).not.toThrow();
  });
});

describe('canPassThrough and unknown keys', () => {
  it('passes the documented keys only: a look-alike key is re-serialised into _extra', () => {
    for (const k of [...STRING_FIELDS.filter((f) => f !== 'username'), ...JSON_FIELDS]) {
      expect(canPassThrough(`{"username":"u","${k}":null}`, { username: 'u', [k]: null }), k).toBe(true);
    }
    for (const k of ['Username', '_extra', '', '__proto__', 'constructor', '12 ', '15', 'toString']) {
      const text = `{"username":"u",${JSON.stringify(k)}:null}`;
      expect(canPassThrough(text, JSON.parse(text)), k).toBe(false);
    }
  });
});

