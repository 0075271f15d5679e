import { FetchError } from '../http/fetch-error.js';
import { SourceUnreachableError } from '../source-unreachable-error.js';
import { TaskPool } from '../task-pool.js';
import type { CatalogSource, SourceContext } from './catalog-source.js';
import { algoliaPageUrl, mapAlgoliaHit, priceUrl, readPrice, readSpecializationCourseIds, specializationUrl, type MappedHit } from './coursera-mapping.js';
import { isObject, type Causes } from './json-values.js';

/** Default `--coursera-api`. */
export const DEFAULT_COURSERA_API = 'https://www.coursera.org/api';
/**
 * Default `--algolia`: the GET query endpoint of the products index coursera.org's browse page
 * searches, with the application id and search-only key that page ships. When Coursera changes them,
 * read the new ones from the browse page's requests to `*.algolia.net` (docs/CATALOG-crawl.md).
 */
export const DEFAULT_ALGOLIA_URL =
  'https://lua9b20g37-dsn.algolia.net/1/indexes/prod_all_launched_products_term_optimization' +
  '?x-algolia-application-id=LUA9B20G37&x-algolia-api-key=dcc55281ffd7ba6f24c3a9b18288499b';
/** Default `--currency` and `--country` of the price API. */
export const DEFAULT_CURRENCY = 'GBP';
export const DEFAULT_COUNTRY = 'GB';
/** Hits asked for per search page (Algolia answers at most 1000). */
export const DEFAULT_HITS_PER_PAGE = 100;
/** Specialization and price requests at once; each host's own limit still applies. */
export const COURSERA_DETAIL_CONCURRENCY = 8;

/** Options of a {@link CourseraSource}. */
export interface CourseraSourceOptions {
  /** Default {@link DEFAULT_COURSERA_API}. */
  api?: string;
  /** Default {@link DEFAULT_ALGOLIA_URL}. */
  algolia?: string;
  /** Default {@link DEFAULT_CURRENCY}. */
  currency?: string;
  /** Default {@link DEFAULT_COUNTRY}. */
  country?: string;
  /** Default {@link DEFAULT_HITS_PER_PAGE}. */
  hitsPerPage?: number;
}

/**
 * `coursera` (DATA-CONTRACT §8): the Algolia products index paged from `page=0` until a short page, the
 * specialization API for each bundle's courses, the price API for each course (404: free).
 * A search page after the first that fails, or that holds only hits already seen, ends the paging
 * and makes the crawl not complete.
 */
export class CourseraSource implements CatalogSource {
  readonly name = 'coursera';
  readonly platform = 'coursera';
  private readonly api: string;
  private readonly algolia: string;
  private readonly currency: string;
  private readonly country: string;
  private readonly hitsPerPage: number;
  /** The API and search hosts: named on the command line (or by default), so never refused as private. */
  readonly hosts: readonly string[];

  constructor(options: CourseraSourceOptions = {}) {
    this.api = options.api ?? DEFAULT_COURSERA_API;
    this.algolia = options.algolia ?? DEFAULT_ALGOLIA_URL;
    this.currency = options.currency ?? DEFAULT_CURRENCY;
    this.country = options.country ?? DEFAULT_COUNTRY;
    this.hitsPerPage = options.hitsPerPage ?? DEFAULT_HITS_PER_PAGE;
    this.hosts = [new URL(this.api).host, new URL(this.algolia).host];
  }

  async run(ctx: SourceContext): Promise<void> {
    const pool = new TaskPool(COURSERA_DETAIL_CONCURRENCY);
    const seen = new Set<string>();
    let done = 0;
    let total: number | undefined;
    let queued = 0;
    const report = (): void => ctx.progress(done, total, queued);
    try {
      paging: for (let page = 0; ; page++) {
        if (!ctx.takePage()) break;
        const url = algoliaPageUrl(this.algolia, page, this.hitsPerPage);
        const body = await this.getJson(ctx, url);
        const answer = 'json' in body && isObject(body.json) && Array.isArray(body.json.hits) ? body.json : undefined;
        if (!answer) {
          const cause = 'cause' in body ? body.cause : 'bad_json';
          ctx.count(cause);
          ctx.log(`${cause} ${url}`);
          if (page === 0) throw new SourceUnreachableError(this.name, cause);
          ctx.markIncomplete(`search page ${page}: ${cause}`);
          break;
        }
        const hits = answer.hits as unknown[];
        if (typeof answer.nbHits === 'number') total = answer.nbHits;
        let fresh = 0;
        for (const hit of hits) {
          const mapped = mapAlgoliaHit(hit);
          if (!mapped) {
            ctx.count('missing:id');
            continue;
          }
          if (seen.has(mapped.record.id)) {
            ctx.count('duplicate_id');
            continue;
          }
          seen.add(mapped.record.id);
          fresh++;
          if (mapped.needs === 'nothing') {
            for (const c of mapped.causes) ctx.count(c);
            await ctx.emit(mapped.record);
            done++;
            continue;
          }
          if (!ctx.takePage()) break paging;
          queued++;
          report();
          await pool.add(async () => {
            queued--;
            await this.complete(ctx, mapped);
            await ctx.emit(mapped.record);
            done++;
            report();
          });
        }
        report();
        // A page of nothing but hits already seen means the endpoint ignores `page`: asking on
        // would repeat it until --max-pages, or for ever. What it did not list was not seen.
        if (hits.length > 0 && fresh === 0) {
          ctx.markIncomplete(`search page ${page}: repeats earlier hits`);
          break;
        }
        const pageSize = typeof answer.hitsPerPage === 'number' ? answer.hitsPerPage : this.hitsPerPage;
        if (hits.length === 0 || hits.length < pageSize) break;
      }
    } catch (err) {
      // Let started requests settle (they end promptly on an abort) so nothing runs after the crawl.
      await pool.drain().catch(() => undefined);
      throw err;
    }
    await pool.drain();
  }

  /**
   * Fills a course's price (a 404 from the price API: free) or a bundle's course ids, and counts
   * the record's causes. A detail that cannot be fetched stays null, its cause counted.
   */
  private async complete(ctx: SourceContext, mapped: MappedHit): Promise<void> {
    const { record } = mapped;
    const causes: Causes = [...mapped.causes];
    if (mapped.needs === 'price') {
      const body = await this.getJson(ctx, priceUrl(this.api, record.id, this.currency, this.country));
      if ('json' in body) Object.assign(record, readPrice(body.json, causes));
      else if (body.cause === 'http_404') Object.assign(record, { price: 0, currency: this.currency });
      else {
        causes.push(body.cause);
        ctx.log(`${body.cause} price of ${record.id}`);
      }
    } else if (mapped.slug === undefined) {
      causes.push('missing:course_ids');
    } else {
      const body = await this.getJson(ctx, specializationUrl(this.api, mapped.slug));
      if ('json' in body) record.course_ids = readSpecializationCourseIds(body.json, causes);
      else {
        causes.push(body.cause);
        ctx.log(`${body.cause} courses of ${record.id}`);
      }
    }
    for (const c of causes) ctx.count(c);
  }

  /** Fetches and parses a JSON document; a failure is returned as its cause (`http_404`, `bad_json`, …), not counted. */
  private async getJson(ctx: SourceContext, url: string): Promise<{ json: unknown } | { cause: string }> {
    let text: string;
    try {
      const doc = await ctx.fetcher.get(url, { signal: ctx.signal, ...(ctx.freshSince !== undefined ? { freshSince: ctx.freshSince } : {}) });
      text = doc.body.toString('utf8');
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      return { cause: err.reason };
    }
    try {
      return { json: JSON.parse(text) as unknown };
    } catch {
      return { cause: 'bad_json' };
    }
  }
}
