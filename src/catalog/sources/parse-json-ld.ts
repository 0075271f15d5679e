/** Members whose JSON number values are identifiers: their literal digits are the id. */
const ID_MEMBERS = new Set(['"courseCode"']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[ \t\n\r]*/y;

/**
 * JSON.parse of a JSON-LD block, except that a `courseCode` given as a JSON number becomes the
 * text of its literal: `12345678901234567890` would otherwise round to 12345678901234567000 and
 * store another course's id. Node 20's JSON.parse cannot show a reviver the source text, so the
 * literal is quoted before parsing. Throws SyntaxError as JSON.parse does.
 */
export function parseJsonLd(text: string): unknown {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i++;
      continue;
    }
    // A string token: skip to its closing quote, over escapes.
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    if (!ID_MEMBERS.has(text.slice(start, i))) continue;
    SPACE.lastIndex = i;
    SPACE.exec(text);
    if (text[SPACE.lastIndex] !== ':') continue;
    SPACE.lastIndex += 1;
    SPACE.exec(text);
    NUMBER.lastIndex = SPACE.lastIndex;
    const m = NUMBER.exec(text);
    if (!m) continue;
    out += `${text.slice(copied, m.index)}"${m[0]}"`;
    copied = NUMBER.lastIndex;
    i = copied;
  }
  return JSON.parse(copied === 0 ? text : out + text.slice(copied));
}
