import { gunzipSync } from 'node:zlib';
import { FetchError } from '../http/fetch-error.js';
import type { FetchedDocument } from '../http/polite-fetcher.js';
import { DEFAULT_MAX_BODY_BYTES } from '../http/polite-fetcher-options.js';
import { SourceUnreachableError } from '../source-unreachable-error.js';
import { TaskPool } from '../task-pool.js';
import type { CatalogSource, SourceContext } from './catalog-source.js';
import { readHtmlPage } from './html-page.js';
import { findCourseObjects, mapJsonLdCourse } from './json-ld-course.js';
import { parseSitemapXml } from './sitemap-xml.js';

/** Sitemap indexes nested deeper than this are not followed (`sitemap_too_deep`). */
export const MAX_SITEMAP_DEPTH = 3;
/** Course pages fetched at once per sitemap source; each host's own limit still applies. */
export const SITEMAP_PAGE_CONCURRENCY = 16;

/** The platform of a sitemap URL: its host name (no port) without a leading `www.`. */
export function sitemapPlatform(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}

/**
 * `sitemap:<url>` (DATA-CONTRACT §8): the sitemap or sitemap index at `url` (plain or gzip), then every page
 * it lists, each page's JSON-LD courses mapped by {@link mapJsonLdCourse}. Pages are fetched while
 * sitemaps are still being read. A sitemap below the root that fails makes the crawl not complete
 * (its pages were not seen, so they must not be counted gone); a page that fails is counted only.
 */
export class SitemapSource implements CatalogSource {
  readonly name: string;
  readonly platform: string;

  constructor(readonly url: string) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${url}`);
    this.name = `sitemap:${url}`;
    this.platform = sitemapPlatform(url);
  }

  async run(ctx: SourceContext): Promise<void> {
    const pool = new TaskPool(SITEMAP_PAGE_CONCURRENCY);
    const seenSitemaps = new Set<string>([this.url]);
    const seenPages = new Set<string>();
    const seenIds = new Set<string>();
    let started = 0;
    let done = 0;
    let walking = true;
    const report = (): void => ctx.progress(done, walking ? undefined : seenPages.size, seenPages.size - started);
    const queue: { url: string; depth: number }[] = [{ url: this.url, depth: 0 }];
    let stopped = false;
    try {
    while (queue.length > 0 && !stopped) {
      const { url, depth } = queue.shift()!;
      if (!ctx.takePage()) break;
      const doc = await this.fetchSitemap(ctx, url, depth === 0);
      if (!doc) continue;
      for (const loc of doc.locs) {
        let abs: string;
        try {
          const u = new URL(loc);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError('not http');
          u.hash = '';
          abs = u.href;
        } catch {
          ctx.count('bad_url');
          ctx.log(`bad_url ${loc} (in ${url})`);
          continue;
        }
        if (doc.kind === 'index') {
          if (depth + 1 > MAX_SITEMAP_DEPTH) {
            ctx.count('sitemap_too_deep');
            ctx.markIncomplete('sitemap_too_deep');
          } else if (!seenSitemaps.has(abs)) {
            seenSitemaps.add(abs);
            queue.push({ url: abs, depth: depth + 1 });
          }
          continue;
        }
        if (seenPages.has(abs)) continue;
        seenPages.add(abs);
        report();
        if (!ctx.takePage()) {
          stopped = true;
          break;
        }
        await pool.add(async () => {
          started++;
          await this.crawlPage(ctx, abs, seenIds);
          done++;
          report();
        });
      }
    }
    } catch (err) {
      // Let started pages settle (they end promptly on an abort) so nothing runs after the crawl.
      await pool.drain().catch(() => undefined);
      throw err;
    }
    walking = false;
    report();
    await pool.drain();
  }

  /** Fetches and parses one sitemap; failures below the root are counted and end completeness. */
  private async fetchSitemap(ctx: SourceContext, url: string, isRoot: boolean): Promise<ReturnType<typeof parseSitemapXml>> {
    let cause: string;
    try {
      const doc = await ctx.fetcher.get(url, { signal: ctx.signal, ...(ctx.freshSince !== undefined ? { freshSince: ctx.freshSince } : {}) });
      const text = decodeSitemap(doc);
      const parsed = text === undefined ? undefined : parseSitemapXml(text);
      if (parsed) return parsed;
      cause = text === undefined ? 'bad_gzip' : 'bad_xml';
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      cause = err.reason;
    }
    ctx.count(cause);
    ctx.log(`${cause} ${url}`);
    if (isRoot) throw new SourceUnreachableError(this.name, cause);
    ctx.markIncomplete(`sitemap ${url}: ${cause}`);
    return undefined;
  }

  private async crawlPage(ctx: SourceContext, url: string, seenIds: Set<string>): Promise<void> {
    let doc: FetchedDocument;
    try {
      doc = await ctx.fetcher.get(url, { signal: ctx.signal, ...(ctx.freshSince !== undefined ? { freshSince: ctx.freshSince } : {}) });
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      ctx.count(err.reason);
      ctx.log(`${err.reason} ${url}`);
      return;
    }
    const page = readHtmlPage(decodeText(doc), doc.finalUrl);
    for (let i = 0; i < page.badJsonLd; i++) ctx.count('bad_json_ld');
    if (page.tooDeep) {
      ctx.count('page_too_deep');
      ctx.log(`page_too_deep ${url}`);
    }
    const objects = findCourseObjects(page.jsonLd);
    if (objects.length === 0) {
      ctx.count('no_course');
      ctx.log(`no_course ${url}`);
      return;
    }
    for (const o of objects) {
      const { record, causes } = mapJsonLdCourse(o, {
        platform: this.platform,
        canonical: page.canonical,
        finalUrl: doc.finalUrl,
        ogTitle: page.ogTitle,
        title: page.title,
      });
      if (seenIds.has(record.id)) {
        ctx.count('duplicate_id');
        ctx.log(`duplicate_id ${record.id} ${url}`);
        continue;
      }
      seenIds.add(record.id);
      for (const c of causes) ctx.count(c);
      await ctx.emit(record);
    }
  }
}

/** A sitemap's text: gunzipped when the body is gzip (by its magic bytes, whatever the headers say). */
function decodeSitemap(doc: FetchedDocument): string | undefined {
  let body = doc.body;
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) {
    try {
      body = gunzipSync(body, { maxOutputLength: DEFAULT_MAX_BODY_BYTES });
    } catch {
      return undefined;
    }
  }
  return body.toString('utf8');
}

/** A page's text in the charset its Content-Type names (UTF-8 when none or unknown). */
function decodeText(doc: FetchedDocument): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(doc.contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(doc.body);
  } catch {
    return new TextDecoder('utf-8').decode(doc.body);
  }
}
