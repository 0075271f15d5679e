import type { HttpCache } from './http-cache.js';

/** Default `--per-host`: requests in flight at once to one host (host and port). */
export const DEFAULT_PER_HOST = 2;
/** Default `--delay`: least time between the starts of two requests to one host, ms. */
export const DEFAULT_DELAY_MS = 1000;
/** Redirect hops followed from one URL before giving up (`too_many_redirects`). */
export const DEFAULT_MAX_REDIRECTS = 5;
/** Retries of a 429/503 answer, each after its Retry-After or an exponential backoff. */
export const DEFAULT_MAX_THROTTLE_RETRIES = 4;
/** A Retry-After longer than this gives up on the URL (counted as `http_429`/`http_503`), ms. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 10 * 60_000;
/** One request (headers and body) taking longer than this fails as `timeout`, ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Bodies larger than this (decoded) fail as `too_large`: the sitemap protocol's 50 MB limit. */
export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

/** A robots.txt Crawl-delay above this makes its host unreachable (`crawl_delay_too_long`), ms. */
export const DEFAULT_MAX_CRAWL_DELAY_MS = 60_000;

/** Options of a {@link PoliteFetcher}. */
export interface PoliteFetcherOptions {
  /** Requests in flight at once per host. Default {@link DEFAULT_PER_HOST}. */
  perHost?: number;
  /** Least ms between request starts per host; robots.txt's Crawl-delay wins when larger. Default {@link DEFAULT_DELAY_MS}. */
  delayMs?: number;
  /** Contact URL put in the User-Agent. Default none (the header then names the tool only). */
  contact?: string;
  /** On-disk HTTP cache for ETag / Last-Modified revalidation. Default none. */
  cache?: HttpCache;
  /** Default {@link DEFAULT_MAX_REDIRECTS}. */
  maxRedirects?: number;
  /** Default {@link DEFAULT_MAX_THROTTLE_RETRIES}. */
  maxThrottleRetries?: number;
  /** Default {@link DEFAULT_MAX_RETRY_WAIT_MS}. */
  maxRetryWaitMs?: number;
  /** Base of the exponential backoff, ms. Default the delay, at least 100. */
  backoffBaseMs?: number;
  /** Default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** A robots.txt Crawl-delay above this makes its host unreachable for the crawl. Default {@link DEFAULT_MAX_CRAWL_DELAY_MS}. */
  maxCrawlDelayMs?: number;
  /**
   * Hosts (`host:port` as URL.host writes it) requested even when they are, or resolve to, private
   * addresses: those of the sources named on the command line. Default none.
   */
  allowHosts?: readonly string[];
  /** Request private, loopback, link-local and metadata addresses anywhere (`--allow-private`). Default false. */
  allowPrivate?: boolean;
}
