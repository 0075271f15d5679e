import { setMaxListeners } from 'node:events';
import type { CourseRecord } from './course-record.js';
import { FetchError } from './http/fetch-error.js';
import { HttpCache } from './http/http-cache.js';
import { PoliteFetcher, type HostStats } from './http/polite-fetcher.js';
import type { PoliteFetcherOptions } from './http/polite-fetcher-options.js';
import { ClickstreamError } from '../errors.js';
import { mapDiskFull } from '../util/disk-full.js';
import { dropOutOfRange } from './numeric-range.js';
import { ResumeJournal } from './resume-journal.js';
import { sourceHosts, type CatalogSource, type SourceContext } from './sources/catalog-source.js';
import { SourceUnreachableError } from './source-unreachable-error.js';
import type { CatalogWarehouse, CrawlRow } from './warehouse/catalog-warehouse.js';

/** Records per warehouse upsert (one transaction each). */
export const DEFAULT_BATCH_SIZE = 100;
/** How often progress is reported, ms. */
export const PROGRESS_INTERVAL_MS = 250;

/** Options of {@link crawlCatalog}. */
export interface CrawlCatalogOptions {
  sources: readonly CatalogSource[];
  /** Opened by the caller, who also closes it. */
  warehouse: CatalogWarehouse;
  /**
   * Politeness: per-host limit, delay, contact, private addresses. Defaults as
   * {@link PoliteFetcherOptions} says; the sources' own hosts are always added to `allowHosts`.
   */
  http?: Omit<PoliteFetcherOptions, 'cache'>;
  /** On-disk HTTP cache and resume journals. Default none: no revalidation, no resume. */
  cacheDir?: string;
  /** Documents fetched per source before it stops (the crawl is then not complete). Default no limit. */
  maxPages?: number;
  /** Default {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
  /** Aborting stops every source; what was stored stays, and the crawls are recorded not complete. */
  signal?: AbortSignal;
  /** Called every {@link PROGRESS_INTERVAL_MS} while crawling, and once at the end. */
  onProgress?: (progress: CrawlProgress) => void;
  /** One line per page error (cause and URL). Default: dropped. */
  log?: (line: string) => void;
}

/** One source's progress. */
export interface SourceProgress {
  source: string;
  /** URLs a server answered: documents fetched or revalidated (304), and error statuses. */
  pages: number;
  /** Work items (pages, hits) done, and their total once known. */
  done: number;
  total: number | undefined;
  /** Items found and not yet started. */
  queued: number;
  records: number;
  errors: number;
}

/** The whole crawl's progress. */
export interface CrawlProgress {
  elapsedMs: number;
  sources: SourceProgress[];
  /** Cause → count over all sources. */
  errorCauses: Record<string, number>;
  /** Per host (`host:port`). */
  hosts: Map<string, HostStats>;
}

/** How one source's crawl ended. */
export interface SourceOutcome {
  source: string;
  /** Its finished `crawls` row. */
  row: CrawlRow;
  /** Why its root could not be fetched, when it could not. */
  unreachable: string | undefined;
  /** Why it is not complete besides an interrupt or --max-pages (a failed sitemap, search page). */
  incomplete: string[];
  /** It resumed an interrupted crawl (documents fetched then were reused). */
  resumed: boolean;
}

/** What {@link crawlCatalog} did. */
export interface CrawlOutcome {
  sources: SourceOutcome[];
  /** The signal aborted the crawl. */
  interrupted: boolean;
  elapsedMs: number;
  hosts: Map<string, HostStats>;
}

/**
 * Crawls every source in parallel (hosts shared by sources share one politeness gate) into the
 * warehouse: one `crawls` row per source, records upserted in batches as they come. A source whose
 * root cannot be fetched, a --max-pages limit or an abort leave a crawl that is not complete
 * (nothing counted gone); rerunning finishes the job, reusing what the interrupted run fetched.
 * Throws only for failures of the warehouse (WarehouseError), of the cache's disk (OutputError: no
 * space left) or of the tool itself; even then every source first stores the records it extracted
 * and finishes its `crawls` row, not complete.
 */
export async function crawlCatalog(options: CrawlCatalogOptions): Promise<CrawlOutcome> {
  const t0 = performance.now();
  const cache = options.cacheDir ? await HttpCache.open(options.cacheDir) : undefined;
  const allowHosts = [...(options.http?.allowHosts ?? []), ...options.sources.flatMap(sourceHosts)];
  const fetcher = new PoliteFetcher({ ...options.http, allowHosts, ...(cache ? { cache } : {}) });
  // One controller for all sources: the user's abort, or a warehouse failure in any source, stops them all.
  const controller = new AbortController();
  // Every waiting request listens to it: far more than the default ten listeners, none leaked.
  setMaxListeners(0, controller.signal);
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const progress: SourceProgress[] = [];
  const errorCauses: Record<string, number> = {};
  const snapshot = (): CrawlProgress => ({
    elapsedMs: performance.now() - t0,
    sources: progress.map((p) => ({ ...p })),
    errorCauses: { ...errorCauses },
    hosts: fetcher.hostStats(),
  });
  const timer = options.onProgress ? setInterval(() => options.onProgress!(snapshot()), PROGRESS_INTERVAL_MS) : undefined;
  try {
    const results = await Promise.allSettled(
      options.sources.map((source) => {
        const p: SourceProgress = { source: source.name, pages: 0, done: 0, total: undefined, queued: 0, records: 0, errors: 0 };
        progress.push(p);
        return crawlSource(source, p, errorCauses, fetcher, controller, options).catch((err: unknown) => {
          controller.abort(err);
          throw err;
        });
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      // The warehouse names its own failures (exit 5); a bare full-disk error came from the cache.
      if (options.cacheDir === undefined || failed.reason instanceof ClickstreamError) throw failed.reason;
      throw mapDiskFull(failed.reason, options.cacheDir, 'caching pages', 'what was crawled before is stored and the crawl recorded not complete');
    }
    options.onProgress?.(snapshot());
    return {
      sources: results.map((r) => (r as PromiseFulfilledResult<SourceOutcome>).value),
      interrupted: options.signal?.aborted ?? false,
      elapsedMs: performance.now() - t0,
      hosts: fetcher.hostStats(),
    };
  } finally {
    if (timer) clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function crawlSource(
  source: CatalogSource,
  p: SourceProgress,
  allCauses: Record<string, number>,
  fetcher: PoliteFetcher,
  controller: AbortController,
  options: CrawlCatalogOptions,
): Promise<SourceOutcome> {
  const { warehouse } = options;
  const started = new Date();
  const journal = options.cacheDir ? await ResumeJournal.open(options.cacheDir, source.name, started.getTime()) : undefined;
  const crawl = await warehouse.beginCrawl(source.name, source.platform, started);
  const causes: Record<string, number> = {};
  const incomplete: string[] = [];
  let cutShort = false;
  let claimed = 0;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let batch: CourseRecord[] = [];
  // Batches are written one after another while the crawl goes on; emit waits only when a second
  // full batch is ready before the first is written, which holds the crawl to the warehouse's pace.
  let writes: Promise<unknown> = Promise.resolve();
  let pendingWrites = 0;
  const flush = (): Promise<unknown> => {
    if (batch.length === 0) return writes;
    const records = batch;
    batch = [];
    pendingWrites++;
    writes = writes.then(() => warehouse.upsert(crawl, records)).finally(() => pendingWrites--);
    return writes;
  };
  const ctx: SourceContext = {
    fetcher: {
      async get(url, getOptions) {
        // Only URLs a server answered (a document, a 304, an error status): not ones refused before
        // any request (robots.txt, private address, unreachable host), nor ones reused on resume.
        try {
          const doc = await fetcher.get(url, getOptions);
          if (doc.origin !== 'cache') p.pages++;
          return doc;
        } catch (err) {
          if (err instanceof FetchError && err.answered) p.pages++;
          throw err;
        }
      },
    },
    signal: controller.signal,
    freshSince: journal?.since,
    takePage() {
      if (options.maxPages !== undefined && claimed >= options.maxPages) {
        cutShort = true;
        return false;
      }
      claimed++;
      return true;
    },
    async emit(given) {
      const { record, causes: outOfRange } = dropOutOfRange(given);
      for (const cause of outOfRange) ctx.count(cause);
      batch.push(record);
      p.records++;
      if (batch.length < batchSize) return;
      const written = flush();
      // A failed write surfaces here or at the final flush; never as an unhandled rejection.
      written.catch(() => undefined);
      if (pendingWrites > 1) await written;
    },
    count(cause) {
      causes[cause] = (causes[cause] ?? 0) + 1;
      allCauses[cause] = (allCauses[cause] ?? 0) + 1;
      p.errors++;
    },
    markIncomplete(reason) {
      incomplete.push(reason);
    },
    log(line) {
      options.log?.(`${source.name}: ${line}`);
    },
    progress(done, total, queued) {
      p.done = done;
      p.total = total;
      p.queued = queued;
    },
  };
  let unreachable: string | undefined;
  let failure: unknown;
  try {
    await source.run(ctx);
  } catch (err) {
    if (err instanceof SourceUnreachableError) unreachable = err.reason;
    else if (!controller.signal.aborted) failure = err;
  }
  // A failure (full disk, warehouse) stops the other sources now; each then records its own end.
  if (failure !== undefined) controller.abort(failure);
  // Whatever stopped the crawl, the records already extracted are whole: store them, and finish the
  // crawls row (not complete) so the run is never left looking as if it were still going.
  let stored = true;
  try {
    await flush();
  } catch (err) {
    stored = false;
    failure ??= err;
  }
  const complete = stored && failure === undefined && !controller.signal.aborted && !cutShort && unreachable === undefined && incomplete.length === 0;
  let row: CrawlRow;
  try {
    row = await warehouse.finishCrawl(crawl, { finished: new Date(), complete, pages: p.pages, errorCauses: causes });
  } catch (err) {
    throw failure ?? err;
  }
  if (failure !== undefined) throw failure;
  if (complete || unreachable !== undefined) await journal?.finish();
  return { source: source.name, row, unreachable, incomplete, resumed: journal?.resuming ?? false };
}
