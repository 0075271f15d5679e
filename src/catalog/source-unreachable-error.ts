import { ClickstreamError } from '../errors.js';

/**
 * A source's root (the sitemap URL, the first search page) could not be fetched or read at all,
 * so the source crawled nothing. The crawl of the other sources goes on; the command exits 3.
 */
export class SourceUnreachableError extends ClickstreamError {
  override readonly exitCode = 3;
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: its root cannot be fetched (${reason})`);
  }
}
