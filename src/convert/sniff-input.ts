/**
 * Recognises, by their first bytes, files that are certainly not an export of JSON lines in UTF-8:
 * archives and compressors other than gzip, and UTF-16/UTF-32 text. Read as lines they would give
 * nothing but rejected lines; the user is told what the file is and how to read it instead.
 */

/** Bytes {@link recogniseForeign} looks at. */
export const SNIFF_BYTES = 64;

/** What a foreign file is, and the command that turns it into what convert reads. */
export interface ForeignFormat {
  /** E.g. `a zip archive`, `UTF-16 text (little-endian)`. */
  what: string;
  /** A shell pipeline reading it, with FILE and DIR to fill in. */
  hint: string;
}

const starts = (head: Uint8Array, bytes: number[]): boolean => bytes.every((b, i) => head[i] === b);

/** The foreign format `head` (the first bytes of a file or of its gzip content) starts with, if any. */
export function recogniseForeign(head: Uint8Array): ForeignFormat | undefined {
  const pipe = (reader: string): string => `${reader} FILE | clickstream convert - --out DIR`;
  if (starts(head, [0x50, 0x4b, 0x03, 0x04]) || starts(head, [0x50, 0x4b, 0x05, 0x06]) || starts(head, [0x50, 0x4b, 0x07, 0x08])) {
    return { what: 'a zip archive', hint: pipe('unzip -p') };
  }
  if (starts(head, [0x42, 0x5a, 0x68]) && head[3]! >= 0x31 && head[3]! <= 0x39) return { what: 'bzip2-compressed data', hint: pipe('bzcat') };
  if (starts(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { what: 'xz-compressed data', hint: pipe('xzcat') };
  if (starts(head, [0x28, 0xb5, 0x2f, 0xfd])) return { what: 'zstd-compressed data', hint: pipe('zstdcat') };
  if (starts(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { what: 'a 7-Zip archive', hint: pipe('7z x -so') };
  if (starts(head, [0x1f, 0x8b])) return { what: 'gzip data (compressed twice)', hint: pipe('zcat') };
  const iconv = (from: string): string => pipe(`iconv -f ${from} -t UTF-8`);
  if (starts(head, [0xff, 0xfe, 0x00, 0x00])) return { what: 'UTF-32 text (little-endian)', hint: iconv('UTF-32') };
  if (starts(head, [0x00, 0x00, 0xfe, 0xff])) return { what: 'UTF-32 text (big-endian)', hint: iconv('UTF-32') };
  if (starts(head, [0xff, 0xfe])) return { what: 'UTF-16 text (little-endian)', hint: iconv('UTF-16') };
  if (starts(head, [0xfe, 0xff])) return { what: 'UTF-16 text (big-endian)', hint: iconv('UTF-16') };
  // UTF-16 without a byte-order mark: ASCII characters with a zero byte beside each.
  const pairs = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
  if (pairs >= 4) {
    let le = 0;
    let be = 0;
    for (let i = 0; i < pairs; i++) {
      const a = head[2 * i]!;
      const b = head[2 * i + 1]!;
      if (a !== 0 && b === 0) le++;
      if (a === 0 && b !== 0) be++;
    }
    if (le === pairs) return { what: 'UTF-16 text (little-endian)', hint: iconv('UTF-16LE') };
    if (be === pairs) return { what: 'UTF-16 text (big-endian)', hint: iconv('UTF-16BE') };
  }
  return undefined;
}
