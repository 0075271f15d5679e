import { describe, expect, it } from 'vitest';
import { compareCodePoints, sortCodePoints } from '../src/util/compare.js';
import { prng } from './helpers/prng.js';


/** Code points drawn to hit every region where UTF-16 and UTF-8 order could disagree. */
const POOLS: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x7f], // ASCII (incl. NUL)
  [0x80, 0x7ff], // two-byte UTF-8
  [0x800, 0xd7ff], // three-byte, below surrogates
  [0xd7f0, 0xd7ff], // just below surrogates
  [0xe000, 0xe010], // just above surrogates
  [0xe000, 0xffff], // private use .. specials
  [0xfff0, 0xffff], // top of the BMP
  [0x10000, 0x10010], // first astral
  [0x1f600, 0x1f64f], // emoji
  [0x10000, 0x10ffff], // any astral
];

function randomString(random: () => number): string {
  const length = Math.floor(random() * 6);
  let text = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = POOLS[Math.floor(random() * POOLS.length)]!;
    text += String.fromCodePoint(lo + Math.floor(random() * (hi - lo + 1)));
  }
  return text;
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareCodePoints', () => {
  it.each([
    ['', '', 0],
    ['a', '', 1],
    ['', 'a', -1],
    ['a', 'b', -1],
    ['ab', 'a', 1],
    ['B', 'a', -1], // upper-case before lower-case, as bytes
    ['\uffff', '\u{10000}', -1], // code unit order would say +1
    ['\ue000', '\u{1f600}', -1], // code unit order would say +1
    ['\ud7ff', '\u{10000}', -1],
    ['\u{1f600}', '\u{1f601}', -1], // same high surrogate, low surrogates differ
    ['\u{10000}', '\u{10400}', -1], // high surrogates differ
    ['x\u{1f600}', 'x\uff21', 1],
  ])('%j vs %j → %d', (a, b, expected) => {
    expect(sign(compareCodePoints(a, b))).toBe(expected);
    expect(sign(compareCodePoints(b, a))).toBe(expected === 0 ? 0 : -expected);
    expect(sign(utf8Compare(a, b))).toBe(expected);
  });

  it('agrees with UTF-8 byte order on random strings, astral characters included', () => {
    const random = prng(20240601);
    for (let i = 0; i < 200_000; i++) {
      const a = randomString(random);
      // Often share a prefix so the comparison reaches deep positions.
      const b = random() < 0.5 ? a.slice(0, Math.floor(random() * (a.length + 1))) + randomString(random) : randomString(random);
      const expected = sign(utf8Compare(a, b));
      if (sign(compareCodePoints(a, b)) !== expected) {
        expect.fail(`compareCodePoints(${JSON.stringify(a)}, ${JSON.stringify(b)}) should have sign ${expected}`);
      }
    }
  });

  it('sorts like Buffer.compare', () => {
    const random = prng(7);
    const strings = Array.from({ length: 5000 }, () => randomString(random));
    const ours = [...strings].sort(compareCodePoints);
    const bytes = [...strings].sort(utf8Compare);
    expect(ours).toEqual(bytes);
    // And the default sort really would differ somewhere, or this test proves nothing.
    expect([...strings].sort()).not.toEqual(bytes);
  });
});

describe('sortCodePoints', () => {
  it('matches sort(compareCodePoints) with and without surrogates', () => {
    const random = prng(99);
    const withAstral = Array.from({ length: 3000 }, () => randomString(random));
    expect(sortCodePoints([...withAstral])).toEqual([...withAstral].sort(utf8Compare));
    const bmpOnly = withAstral.map((text) => text.replace(/[\ud800-\udfff]/g, '\ue000'));
    expect(sortCodePoints([...bmpOnly])).toEqual([...bmpOnly].sort(compareCodePoints));
  });

  it('sorts in place and returns the same array', () => {
    const strings = ['b', 'a'];
    expect(sortCodePoints(strings)).toBe(strings);
    expect(strings).toEqual(['a', 'b']);
  });

  it('puts U+FFFF before an astral character (native order would not)', () => {
    expect(sortCodePoints(['\u{10000}', '\uffff'])).toEqual(['\uffff', '\u{10000}']);
  });
});
