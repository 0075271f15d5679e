import type { CourseRecord } from '../course-record.js';
import type { FetchedDocument, GetOptions } from '../http/polite-fetcher.js';

/** What a source fetches through: the crawl's PoliteFetcher, counting the documents its source obtained. */
export interface DocumentFetcher {
  get(url: string, options?: GetOptions): Promise<FetchedDocument>;
}

/** What a running source may use and report; provided by the crawl (src/catalog/crawl-catalog.ts). */
export interface SourceContext {
  readonly fetcher: DocumentFetcher;
  readonly signal: AbortSignal;
  /** Resume: cached documents validated at or after this time are used without a request. */
  readonly freshSince: number | undefined;
  /**
   * Claims one page (one document fetch) against `--max-pages`. False when the limit is reached:
   * the source stops fetching and the crawl is recorded as not complete.
   */
  takePage(): boolean;
  /** Hands over a record for storage (batched); resolves when it has been accepted. */
  emit(record: CourseRecord): Promise<void>;
  /** Counts one occurrence of an error cause (`http_404`, `no_course`, `missing:price`, …). */
  count(cause: string): void;
  /** Marks the crawl not complete for a reason other than --max-pages (e.g. a sitemap that failed). */
  markIncomplete(reason: string): void;
  /** Logs one line (a page error, with its URL). */
  log(line: string): void;
  /** Reports the source's progress: work items done and, once known, their total. */
  progress(done: number, total: number | undefined, queued: number): void;
}

/** A catalog source: `coursera` or `sitemap:<url>`. */
export interface CatalogSource {
  /** As given on the command line and stored in `crawls.source`. */
  readonly name: string;
  /** `platform` of its records. */
  readonly platform: string;
  /**
   * The hosts (`host:port`) the command line names for this source, which may be private
   * addresses (an intranet catalog, a local fixture). Default: the host of the URL in its name
   * after the first `:` (`sitemap:<url>`), see {@link sourceHosts}.
   */
  readonly hosts?: readonly string[];
  /**
   * Crawls the source, handing records to `ctx.emit`. Throws SourceUnreachableError when its root
   * cannot be fetched or read, and the abort reason when `ctx.signal` aborts.
   */
  run(ctx: SourceContext): Promise<void>;
}

/** The hosts a source may request even on private addresses: its own `hosts`, else its name's URL's host. */
export function sourceHosts(source: CatalogSource): string[] {
  if (source.hosts) return [...source.hosts];
  const rest = source.name.slice(source.name.indexOf(':') + 1);
  return URL.canParse(rest) ? [new URL(rest).host] : [];
}
