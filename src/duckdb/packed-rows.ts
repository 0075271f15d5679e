/**
 * Many VARCHAR cells handed from DuckDB to JavaScript as one packed BLOB: one conversion instead of
 * one per cell, and no text decoder that could drop a leading U+FEFF.
 */

/** SQL packing VARCHAR `columns` of a row into one text: each `n` for null or `<UTF-8 bytes>:<text>`. */
export function packSql(columns: string[]): string {
  return columns.map((c) => `CASE WHEN ${c} IS NULL THEN 'n' ELSE strlen(${c})::VARCHAR || ':' || ${c} END`).join(' || ');
}

/**
 * Unpacks rows of `width` cells packed by {@link packSql} (many rows concatenated, as bytes) and hands
 * each to `visit` (the same array each time). One conversion from DuckDB for many cells, and no text
 * decoder that could drop a leading U+FEFF. A cell equal to the same cell of the previous row reuses
 * its string rather than decoding the bytes again.
 */
export function unpack(bytes: Buffer, width: number, visit: (row: Array<string | null>) => void): void {
  const previousStart = new Array<number>(width).fill(-1);
  const previousLength = new Array<number>(width).fill(-1);
  const previousText = new Array<string>(width).fill('');
  const row = new Array<string | null>(width).fill(null);
  let c = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0x6e) {
      row[c] = null;
      i++;
    } else {
      let length = 0;
      for (; bytes[i] !== 0x3a; i++) length = length * 10 + (bytes[i] as number) - 0x30;
      i++;
      const start = previousStart[c] as number;
      if (length === previousLength[c] && bytes.compare(bytes, start, start + length, i, i + length) === 0) {
        row[c] = previousText[c] as string;
      } else {
        const text = bytes.toString('utf8', i, i + length);
        previousText[c] = text;
        previousLength[c] = length;
        row[c] = text;
      }
      previousStart[c] = i;
      i += length;
    }
    if (++c === width) {
      visit(row);
      c = 0;
    }
  }
}

/** The bytes of a BLOB value from DuckDB (null stays null). */
export function blobBytes(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  const { bytes } = value as { bytes: Uint8Array };
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
