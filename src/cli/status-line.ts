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
    const width = this.stream.columns ?? 120;
    this.stream.write(`\r\x1b[2K${text.length >= width ? text.slice(0, width - 1) : text}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.enabled || !this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
