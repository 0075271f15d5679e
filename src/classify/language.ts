/**
 * The learner's primary language, taken from the raw `Accept-Language` header an event carries.
 *
 * The rule is deliberately small and fully specified, so that the same header always gives the
 * same language and the result can be re-derived by hand or in SQL:
 *
 * 1. Split the header on `,`. In each part the language range is the text before the first `;`,
 *    trimmed of {@link OWS} (space and horizontal tab, the only whitespace HTTP allows between
 *    tokens; RFC 9110 §5.6.3).
 * 2. The part's weight is its `q` parameter (RFC 9110 §12.4.2 qvalue), 1 when absent. A part whose
 *    `q` is malformed or zero, or whose range is empty or `*`, is skipped.
 * 3. The preferred range is the one with the highest weight; the earliest wins a tie.
 * 4. Its primary subtag is the text before the first `-` or `_`, lower-cased.
 * 5. That is the language when it is 2 or 3 ASCII letters; anything else is `unknown`.
 *
 * The preferred range is chosen first and validated only afterwards: `x-klingon, en;q=0.5` is
 * `unknown`, not `en`, because the learner's first choice is not a language we can name.
 */

/** What {@link primaryLanguage} returns when no language can be named. */
export const UNKNOWN_LANGUAGE = 'unknown';

/**
 * Optional whitespace as HTTP defines it (`OWS = *( SP / HTAB )`). Nothing else is trimmed: a
 * header carrying newlines, NBSP or other Unicode spaces is not well-formed HTTP, and such a part
 * ends up `unknown` rather than being guessed at.
 */
const OWS = new Set([' ', '\t']);

/** Removes leading and trailing {@link OWS}, and nothing else (unlike `String.prototype.trim`). */
function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && OWS.has(text[start]!)) start++;
  while (end > start && OWS.has(text[end - 1]!)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Parses an RFC 9110 qvalue into thousandths (0–1000), or returns `undefined` when malformed.
 *
 * Grammar: `( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`. So `0`, `0.`, `0.5`, `0.123`,
 * `1`, `1.`, `1.000` are valid; `.5`, `0.1234`, `1.001`, `-1`, `2`, `1e0`, `0x1` are not.
 * Working in integer thousandths keeps comparisons exact (no floating-point ties to worry about).
 */
export function parseQValue(text: string): number | undefined {
  const first = text[0];
  if (first !== '0' && first !== '1') return undefined;
  if (text.length === 1) return first === '0' ? 0 : 1000;
  if (text[1] !== '.' || text.length > 5) return undefined;
  let thousandths = 0;
  let scale = 100;
  for (let i = 2; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined; // ASCII digits only
    const digit = code - 0x30;
    if (first === '1' && digit !== 0) return undefined; // 1.xxx allows zeros only
    thousandths += digit * scale;
    scale /= 10;
  }
  return first === '0' ? thousandths : 1000;
}

/** True when `text` is 2 or 3 ASCII letters (checked before lower-casing, see below). */
function isLanguageSubtag(text: string): boolean {
  if (text.length < 2 || text.length > 3) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isUpper = code >= 0x41 && code <= 0x5a;
    const isLower = code >= 0x61 && code <= 0x7a;
    if (!isUpper && !isLower) return false;
  }
  return true;
}

/**
 * The weight of one part's parameters (the text after the range's `;`), in thousandths, or
 * `undefined` when its `q` is malformed.
 *
 * Parameters are `;`-separated `name=value` pairs. Decisions where the grammar leaves room:
 * - OWS is tolerated around `;` (RFC 9110) and also around `=` (RFC 9110 forbids it, but
 *   tolerating `q = 0.5` costs nothing and never changes the meaning of a well-formed header);
 * - the name `q` is matched case-insensitively (`Q=0.5` counts); other parameters are ignored,
 *   and so are empty ones (`en;;q=0.5`, allowed by the grammar);
 * - a `q` parameter without `=` (`en;q`) or with a value outside the qvalue grammar is malformed;
 * - when `q` appears more than once, the first one decides and later ones are ignored.
 */
function partWeight(params: readonly string[]): number | undefined {
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = trimOws(eq === -1 ? param : param.slice(0, eq));
    if (name !== 'q' && name !== 'Q') continue;
    if (eq === -1) return undefined;
    return parseQValue(trimOws(param.slice(eq + 1)));
  }
  return 1000;
}

/**
 * The primary language of a raw `Accept-Language` header: a lower-case 2–3 letter ISO 639 code,
 * or `unknown`. Pure and total: any input, string or not, gives an answer and never throws.
 *
 * @example primaryLanguage('en-US,en;q=0.8')       // 'en'
 * @example primaryLanguage('en;q=0.3, fr;q=0.9')   // 'fr'
 * @example primaryLanguage('zh_TW')                // 'zh'
 * @example primaryLanguage('x-klingon,en;q=0.5')   // 'unknown' (preferred range is invalid)
 * @example primaryLanguage(null)                   // 'unknown'
 */
export function primaryLanguage(header: unknown): string {
  if (typeof header !== 'string') return UNKNOWN_LANGUAGE;

  let bestRange: string | undefined;
  let bestWeight = 0;
  for (const part of header.split(',')) {
    const semicolon = part.indexOf(';');
    const range = trimOws(semicolon === -1 ? part : part.slice(0, semicolon));
    if (range === '' || range === '*') continue;
    const weight = semicolon === -1 ? 1000 : partWeight(part.slice(semicolon + 1).split(';'));
    if (weight === undefined || weight === 0) continue;
    // Strictly greater: on a tie the earlier range keeps its place.
    if (weight > bestWeight) {
      bestRange = range;
      bestWeight = weight;
      // 1000 is the highest weight there is: nothing later can beat it.
      if (bestWeight === 1000) break;
    }
  }
  if (bestRange === undefined) return UNKNOWN_LANGUAGE;

  let cut = bestRange.length;
  const dash = bestRange.indexOf('-');
  const underscore = bestRange.indexOf('_');
  if (dash !== -1) cut = dash;
  if (underscore !== -1 && underscore < cut) cut = underscore;
  const subtag = bestRange.slice(0, cut);
  // Validate before lower-casing: toLowerCase maps some non-ASCII letters to ASCII
  // (U+212A KELVIN SIGN becomes 'k'), which must not turn into a language code.
  return isLanguageSubtag(subtag) ? subtag.toLowerCase() : UNKNOWN_LANGUAGE;
}
