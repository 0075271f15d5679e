import { describe, expect, it } from 'vitest';
import { parseQValue, primaryLanguage } from '../src/classify/language.js';

describe('primaryLanguage', () => {
  // [header, expected, why]
  const cases: Array<[unknown, string, string]> = [
    // The examples of the rule.
    ['en-US,en;q=0.8', 'en', 'first range, weight 1'],
    ['es,en-US;q=0.7', 'es', 'first range, weight 1'],
    ['en;q=0.3, fr;q=0.9', 'fr', 'highest weight wins over order'],
    ['zh_TW', 'zh', 'underscore separates subtags too'],
    ['EN-au', 'en', 'lower-cased'],
    ['English US', 'unknown', 'not a 2-3 letter subtag'],
    ['*', 'unknown', 'wildcard only'],
    ['', 'unknown', 'empty header'],
    ['x-klingon', 'unknown', 'private-use singleton'],
    [42, 'unknown', 'a number'],
    [null, 'unknown', 'null'],
    [undefined, 'unknown', 'undefined'],

    // qvalue grammar.
    ['de;q=1.000, fr;q=0.9', 'de', 'q=1.000 is valid and is 1'],
    ['de;q=0.001', 'de', 'q=0.001 is the smallest non-zero weight'],
    ['de;q=1.001, fr;q=0.5', 'fr', 'q=1.001 malformed: de skipped'],
    ['de;q=0.1234, fr;q=0.1', 'fr', 'four decimals malformed: de skipped'],
    ['de;q=-1, fr;q=0.1', 'fr', 'negative malformed'],
    ['de;q=2, fr;q=0.1', 'fr', 'above 1 malformed'],
    ['de;q=.5, fr;q=0.1', 'fr', 'leading dot malformed'],
    ['de;q=, fr;q=0.1', 'fr', 'empty value malformed'],
    ['de;q, fr;q=0.1', 'fr', 'q without = malformed'],
    ['de;q=1e0, fr;q=0.1', 'fr', 'exponent malformed'],
    ['de;q=0.5x, fr;q=0.1', 'fr', 'trailing junk malformed'],
    ['de;q=0., fr;q=0.1', 'fr', 'q=0. is valid and is zero: skipped'],
    ['de;q=1., fr;q=0.9', 'de', 'q=1. is valid and is 1'],
    ['de;q=0, fr;q=0.001', 'fr', 'q=0 means not acceptable'],
    ['de;q=0.000', 'unknown', 'q=0.000 is zero; nothing left'],
    ['de;Q=0.5, fr;q=0.4', 'de', 'Q is case-insensitive'],
    ['de;Q=0.4, fr;q=0.5', 'fr', 'Q is case-insensitive (other order)'],
    ['de;q=0.5;q=0.1, fr;q=0.4', 'de', 'first q parameter decides'],

    // Whitespace: SP and HTAB only.
    ['  de  ;  q=0.5  ,  fr  ;  q=0.6  ', 'fr', 'spaces around range and ;'],
    ['\tde\t;\tq=0.7\t,\tfr;q=0.6', 'de', 'tabs are OWS'],
    ['de;q = 0.5, fr;q=0.4', 'de', 'OWS tolerated around ='],
    ['\u00a0de', 'unknown', 'NBSP is not OWS: range is "\\u00a0de"'],
    ['\nde', 'unknown', 'newline is not OWS'],

    // Empty parts, empty ranges, parameters.
    ['en,,fr', 'en', 'empty part skipped'],
    [',,fr', 'fr', 'leading empty parts skipped'],
    [';q=0.5', 'unknown', 'empty range with q'],
    [';q=0.5, it;q=0.2', 'it', 'empty range skipped'],
    ['fr;level=1;q=0.9, de;q=0.8', 'fr', 'other parameters ignored'],
    ['fr;level=1, de;q=0.8', 'fr', 'other parameters only: weight 1'],
    ['fr;;q=0.3, de;q=0.8', 'de', 'empty parameter ignored, q still read'],
    ['fr;quality=0, de;q=0.8', 'fr', 'parameter name must be exactly q'],
    ['*;q=1, en;q=0.9', 'en', 'wildcard skipped even with the highest weight'],
    ['*, en', 'en', 'wildcard skipped'],

    // Ties: earliest wins.
    ['fr;q=0.5, de;q=0.5', 'fr', 'tie: earliest'],
    ['fr;q=0.500, de;q=0.5', 'fr', 'equal values written differently tie'],
    ['fr, de', 'fr', 'tie at weight 1'],
    ['fr;q=0.5, de;q=0.5, it;q=0.6', 'it', 'tie broken by a later higher weight'],

    // Subtag validation (after picking the preferred range).
    ['x-klingon, en;q=0.5', 'unknown', 'preferred range invalid: unknown, not en'],
    ['abcd-EF', 'unknown', 'four-letter primary subtag'],
    ['i-klingon', 'unknown', 'one-letter primary subtag'],
    ['ast-ES', 'ast', 'three letters'],
    ['FIL', 'fil', 'three letters upper-case'],
    ['12-ab', 'unknown', 'digits'],
    ['é-FR', 'unknown', 'non-ASCII letter'],
    ['\u212Aa', 'unknown', 'KELVIN SIGN lower-cases to ASCII k, still invalid'],
    ['e1', 'unknown', 'letter and digit'],
    ['-US', 'unknown', 'empty primary subtag'],
    ['_US', 'unknown', 'empty primary subtag (underscore)'],
    ['en-', 'en', 'trailing separator'],
    ['pt_BR-x', 'pt', 'first separator wins'],
    ['sr-Latn_RS', 'sr', 'first of - and _'],
    ['*-US', 'unknown', 'range "*-US" is not "*", but its subtag is not letters'],
    ['en US', 'unknown', 'inner space is part of the range'],

    // Non-strings.
    [['en'], 'unknown', 'an array'],
    [{ language: 'en' }, 'unknown', 'an object'],
    [true, 'unknown', 'a boolean'],
  ];

  it.each(cases)('%j → %s (%s)', (header, expected) => {
    expect(primaryLanguage(header)).toBe(expected);
  });

  it('has a substantial table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it('reads long adversarial headers', () => {
    const long = `${'x;q=0.1;'.repeat(50_000)}, ${'a-'.repeat(50_000)};q=0.05, ${' '.repeat(100_000)}en;q=0.2`;
    expect(primaryLanguage(long)).toBe('en');
  });
});

describe('parseQValue', () => {
  it.each([
    ['0', 0],
    ['0.', 0],
    ['0.0', 0],
    ['0.5', 500],
    ['0.05', 50],
    ['0.123', 123],
    ['0.999', 999],
    ['1', 1000],
    ['1.', 1000],
    ['1.0', 1000],
    ['1.000', 1000],
  ])('%s → %d thousandths', (text, expected) => {
    expect(parseQValue(text)).toBe(expected);
  });

  it.each(['', '.5', '00', '01', '0.1234', '1.001', '1.1', '1.0000', '-1', '2', ' 1', '1 ', '0,5', '1e0', '0x1', '٠.5'])(
    '%j is malformed',
    (text) => {
      expect(parseQValue(text)).toBeUndefined();
    },
  );
});
