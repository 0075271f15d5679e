/**
 * One self-overwriting status line on a terminal's stderr. Silent when stderr is not a terminal or
 * with --quiet, so logs and pipes get only the final summary.
 */
export class StatusLine {
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled: boolean = Boolean(stream.isTTY),
  ) {}

  update(text: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[2K${fitStatusLine(text, this.stream.columns)}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.enabled || !this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

/** Columns assumed when the terminal does not say (a serial console, some CI terminals). */
export const DEFAULT_COLUMNS = 80;

/** What separates the parts of a status line; the first part says what runs, the last is the ETA or time. */
export const STATUS_SEPARATOR = ' | ';

/**
 * The status line made to fit a terminal of `columns` columns (default {@link DEFAULT_COLUMNS}), one
 * column spare: writing into the last column makes many terminals wrap, and the next update would
 * then overwrite only the second row. Parts (separated by {@link STATUS_SEPARATOR}) are dropped from
 * the one before the last backwards, so what runs and its ETA stay in sight; a line still too long is
 * cut, ending in `…`. Counts characters, which is columns for the ASCII and `…` the lines hold.
 */
export function fitStatusLine(text: string, columns: number | undefined = DEFAULT_COLUMNS): string {
  const room = Math.max(1, (columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS) - 1);
  if (text.length <= room) return text;
  const parts = text.split(STATUS_SEPARATOR);
  while (parts.length > 2) {
    parts.splice(parts.length - 2, 1);
    const shorter = parts.join(STATUS_SEPARATOR);
    if (shorter.length <= room) return shorter;
  }
  const last = parts.join(STATUS_SEPARATOR);
  return last.length <= room ? last : `${last.slice(0, room - 1)}…`;
}
