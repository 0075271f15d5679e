/**
 * Which characters the chart font can draw, read from the font's own `cmap` table, and text with
 * every other character replaced by a visible `?`.
 *
 * A canvas draws a character its font lacks as an empty box (or as nothing): a label like
 * `user.reaction.Ａ` or a Chinese course name would come out as boxes that look like data. Replacing
 * such characters with `?` and counting them lets the report say how many could not be drawn
 * instead of showing something silently wrong.
 */
import { InternalError } from '../errors.js';

/** The code points a font maps to a real glyph (glyph 0 is the "missing" box and does not count). */
export type GlyphCoverage = ReadonlySet<number>;

/** The character drawn in place of one the font lacks. */
export const MISSING_GLYPH = '?';

// Zero-width joiners and variation selectors only shape their neighbours; a font need not have a
// glyph for them and nothing visible is lost when they are left out.
function isInvisibleJoiner(cp: number): boolean {
  return cp === 0x200d || cp === 0x200c || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/**
 * The code points a TrueType/OpenType font covers, from its `cmap` subtables of format 4 (the
 * Basic Multilingual Plane) and 12 (all of Unicode) for the Unicode and Windows platforms.
 * Throws {@link InternalError} when the bytes hold no such table: the font shipped with the tool
 * is broken, not the user's input.
 */
export function fontCoverage(font: Uint8Array): Set<number> {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const numTables = view.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    const tag = String.fromCharCode(font[rec]!, font[rec + 1]!, font[rec + 2]!, font[rec + 3]!);
    if (tag === 'cmap') cmap = view.getUint32(rec + 8);
  }
  if (cmap < 0) throw new InternalError('the chart font has no cmap table');
  const covered = new Set<number>();
  const subtables = view.getUint16(cmap + 2);
  let read = 0;
  for (let i = 0; i < subtables; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = view.getUint16(rec);
    const encoding = view.getUint16(rec + 2);
    // Unicode (0, any encoding) or Windows Unicode BMP (3, 1) / full repertoire (3, 10).
    if (!(platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10)))) continue;
    const table = cmap + view.getUint32(rec + 4);
    const format = view.getUint16(table);
    if (format === 4) {
      readFormat4(view, table, covered);
      read++;
    } else if (format === 12) {
      readFormat12(view, table, covered);
      read++;
    }
  }
  if (read === 0) throw new InternalError('the chart font has no Unicode cmap subtable of format 4 or 12');
  return covered;
}

function readFormat4(view: DataView, table: number, covered: Set<number>): void {
  const segCount = view.getUint16(table + 6) / 2;
  const ends = table + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;
  for (let s = 0; s < segCount; s++) {
    const end = view.getUint16(ends + s * 2);
    const start = view.getUint16(starts + s * 2);
    const delta = view.getUint16(deltas + s * 2);
    const rangeOffsetAt = rangeOffsets + s * 2;
    const rangeOffset = view.getUint16(rangeOffsetAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        // The offset counts from the idRangeOffset entry itself into the glyph id array.
        const raw = view.getUint16(rangeOffsetAt + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) covered.add(c);
    }
  }
}

function readFormat12(view: DataView, table: number, covered: Set<number>): void {
  const groups = view.getUint32(table + 12);
  for (let g = 0; g < groups; g++) {
    const at = table + 16 + g * 12;
    const start = view.getUint32(at);
    const end = view.getUint32(at + 4);
    const startGlyph = view.getUint32(at + 8);
    for (let c = start; c <= end; c++) if (startGlyph + (c - start) !== 0) covered.add(c);
  }
}

/** `text` as the chart draws it, and how many of its characters the font lacks. */
export interface DrawableText {
  /** Every character the font lacks replaced by {@link MISSING_GLYPH}; joiners and variation selectors left out. */
  text: string;
  /** How many characters (code points) were replaced. */
  missing: number;
}

/**
 * Replaces each character of `text` that `coverage` lacks with `?` (one per code point, so an
 * emoji is one `?`), and counts them. Zero-width joiners and variation selectors are dropped
 * without counting: they have no glyph of their own in any font.
 */
export function drawableText(text: string, coverage: GlyphCoverage): DrawableText {
  let out = '';
  let missing = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (coverage.has(cp)) out += ch;
    else if (isInvisibleJoiner(cp)) continue;
    else {
      out += MISSING_GLYPH;
      missing++;
    }
  }
  return { text: out, missing };
}

/** The characters of `text` that `coverage` lacks, in order, each once. */
export function missingCharacters(text: string, coverage: GlyphCoverage): string[] {
  const seen = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!coverage.has(cp) && !isInvisibleJoiner(cp)) seen.add(ch);
  }
  return [...seen];
}
