import { lookup } from 'node:dns/promises';
import { FetchError, fetchFailedCause } from './fetch-error.js';
import { HostGate } from './host-gate.js';
import type { CachedResponse, HttpCache } from './http-cache.js';
import {
  DEFAULT_DELAY_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CRAWL_DELAY_MS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_MAX_THROTTLE_RETRIES,
  DEFAULT_PER_HOST,
  DEFAULT_TIMEOUT_MS,
  type PoliteFetcherOptions,
} from './polite-fetcher-options.js';
import { isPrivateAddress, literalAddress } from './private-address.js';
import { backoffDelay, parseRetryAfter } from './retry-after.js';
import { RobotsRules } from './robots-rules.js';
import { userAgent } from './user-agent.js';

/** A document the fetcher obtained. */
export interface FetchedDocument {
  /** The URL asked for. */
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  body: Buffer;
  contentType: string | undefined;
  /** `network` (downloaded), `revalidated` (304, cached body) or `cache` (resumed, no request). */
  origin: 'network' | 'revalidated' | 'cache';
}

/** What the fetcher did per host, for progress lines. */
export interface HostStats {
  /** HTTP requests sent (robots.txt, retries and redirect hops included). */
  requests: number;
  /** Of which answered 304 Not Modified. */
  notModified: number;
  /** Documents served from the cache without a request (resume). */
  fromCache: number;
  /** Requests in flight now. */
  inFlight: number;
  /** Requests waiting for their turn. */
  waiting: number;
}

/** Options of one {@link PoliteFetcher.get}. */
export interface GetOptions {
  /** Aborts waiting and the request; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Resume: a cached entry fetched or revalidated at or after this time (ms since the epoch) is
   * used without any request. Default none (every cached entry is revalidated).
   */
  freshSince?: number;
}

/** A host's robots.txt rules, or why nothing of the host may be requested during this crawl. */
interface HostRobots {
  rules: RobotsRules;
  /** `fetch_failed:<code>` (robots.txt got no answer) or `crawl_delay_too_long`. */
  unreachable: string | undefined;
}

interface Exchange {
  status: number;
  headers: Headers;
  body: Buffer;
}

/**
 * Fetches documents politely (DATA-CONTRACT §8 "Politeness", docs/CATALOG-crawl.md): robots.txt per host
 * and port obeyed before every request and every redirect hop, per-host in-flight limit and start
 * delay ({@link HostGate}), Retry-After and exponential backoff on 429/503, one retry on other 5xx
 * and network failures, manual redirects with loop detection, an honest User-Agent, and ETag /
 * Last-Modified revalidation against an on-disk {@link HttpCache}. Failures are {@link FetchError}s
 * naming their cause; an abort rejects with the signal's reason.
 */
export class PoliteFetcher {
  readonly userAgent: string;
  private readonly gate: HostGate;
  private readonly robots = new Map<string, Promise<HostRobots>>();
  /** Host name → whether it resolves to a private address (DNS asked once per fetcher). */
  private readonly resolved = new Map<string, Promise<boolean>>();
  private readonly allowHosts: ReadonlySet<string>;
  private readonly stats = new Map<string, HostStats>();
  private readonly cache: HttpCache | undefined;
  private readonly delayMs: number;

  constructor(private readonly options: PoliteFetcherOptions = {}) {
    this.delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
    this.gate = new HostGate({ maxInFlight: options.perHost ?? DEFAULT_PER_HOST, delayMs: this.delayMs });
    this.userAgent = userAgent(options.contact);
    this.cache = options.cache;
    this.allowHosts = new Set(options.allowHosts ?? []);
  }

  /** Fetches a document, following redirects; throws {@link FetchError} when there is none. */
  async get(url: string, options: GetOptions = {}): Promise<FetchedDocument> {
    const answered = { any: false };
    try {
      return await this.follow(url, options, answered);
    } catch (err) {
      if (err instanceof FetchError) err.answered = answered.any;
      throw err;
    }
  }

  private async follow(url: string, options: GetOptions, answered: { any: boolean }): Promise<FetchedDocument> {
    const { signal, freshSince } = options;
    const seen = new Set<string>([url]);
    let current = url;
    for (let hop = 0; ; hop++) {
      // Every hop is checked: a public page may redirect to the metadata service.
      if (await this.isForbidden(current)) throw new FetchError(current, 'private_address');
      const { rules, unreachable } = await this.rulesFor(current, signal);
      if (unreachable !== undefined) throw new FetchError(current, unreachable);
      if (!rules.isAllowed(current)) throw new FetchError(current, 'robots_disallowed');
      const cached = await this.cache?.get(current);
      if (cached && cached.meta.status === 200 && freshSince !== undefined && cached.meta.validatedAt >= freshSince) {
        this.statsOf(current).fromCache++;
        return { url, finalUrl: current, body: cached.body, contentType: cached.meta.contentType, origin: 'cache' };
      }
      const ex = await this.exchange(current, signal, cached);
      answered.any = true;
      if (ex.status >= 300 && ex.status < 400 && ex.status !== 304) {
        const location = ex.headers.get('location');
        if (!location) throw new FetchError(current, `http_${ex.status}`);
        const next = redirectTarget(location, current);
        if (!next) throw new FetchError(url, 'bad_redirect');
        if (seen.has(next.href)) throw new FetchError(url, 'redirect_loop');
        if (hop + 1 > (this.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) throw new FetchError(url, 'too_many_redirects');
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError(url, 'bad_redirect');
        seen.add(next.href);
        current = next.href;
        continue;
      }
      if (ex.status === 304 && cached) {
        await this.cache!.touch(cached, Date.now(), validators(ex.headers));
        return { url, finalUrl: current, body: cached.body, contentType: cached.meta.contentType, origin: 'revalidated' };
      }
      if (ex.status >= 200 && ex.status < 300) {
        const contentType = ex.headers.get('content-type') ?? undefined;
        await this.cache?.put({ url: current, status: 200, ...validators(ex.headers), ...(contentType ? { contentType } : {}), validatedAt: Date.now() }, ex.body);
        return { url, finalUrl: current, body: ex.body, contentType, origin: 'network' };
      }
      throw new FetchError(current, `http_${ex.status}`);
    }
  }

  private statsOf(url: string): HostStats {
    const host = new URL(url).host;
    let s = this.stats.get(host);
    if (!s) {
      s = { requests: 0, notModified: 0, fromCache: 0, inFlight: 0, waiting: 0 };
      this.stats.set(host, s);
    }
    return s;
  }

  /** Every host's figures (keyed by `host:port`), with in-flight and waiting counts as of now. */
  hostStats(): Map<string, HostStats> {
    const out = new Map<string, HostStats>();
    for (const [host, s] of this.stats) {
      out.set(host, { ...s, inFlight: this.gate.scheduler.inFlight(host), waiting: this.gate.waiting(host) });
    }
    return out;
  }

  /**
   * Whether a URL's host is, or resolves to, an address a crawl must not reach (docs/CATALOG-crawl.md "Hostile
   * numbers and hosts"): not when private addresses are allowed, nor for the hosts of the sources
   * named on the command line. Numeric hosts in any spelling are read as the URL parser normalises
   * them; a DNS name counts as private when any of its addresses is. A name that does not resolve
   * is let through: the request then fails as `fetch_failed:ENOTFOUND`.
   */
  private async isForbidden(url: string): Promise<boolean> {
    if (this.options.allowPrivate) return false;
    const u = new URL(url);
    if (this.allowHosts.has(u.host)) return false;
    const literal = literalAddress(u);
    if (literal !== undefined) return isPrivateAddress(literal);
    let check = this.resolved.get(u.hostname);
    if (!check) {
      check = lookup(u.hostname, { all: true, verbatim: true }).then(
        (addresses) => addresses.some((a) => isPrivateAddress(a.address)),
        () => false,
      );
      this.resolved.set(u.hostname, check);
    }
    return check;
  }

  /** The robots.txt rules of a URL's origin, fetched once per fetcher. */
  private rulesFor(url: string, signal?: AbortSignal): Promise<HostRobots> {
    const origin = new URL(url).origin;
    let rules = this.robots.get(origin);
    if (!rules) {
      rules = this.loadRobots(origin, signal);
      this.robots.set(origin, rules);
      // An interrupted load is not an answer: the next caller asks again.
      rules.catch(() => this.robots.delete(origin));
    }
    return rules;
  }

  private async loadRobots(origin: string, signal?: AbortSignal): Promise<HostRobots> {
    const host = new URL(origin).host;
    let current = `${origin}/robots.txt`;
    let rules: RobotsRules | undefined;
    // RFC 9309 §2.3.1.2: follow at least five redirects.
    for (let hop = 0; hop <= 5 && !rules; hop++) {
      const cached = await this.cache?.get(current);
      let ex: Exchange;
      try {
        ex = await this.exchange(current, signal, cached);
      } catch (err) {
        if (!(err instanceof FetchError)) throw err;
        // No answer at all (refused, DNS, TLS, time-out): nothing of the host is asked for.
        if (err.reason.startsWith('fetch_failed:')) return { rules: RobotsRules.unreachable(), unreachable: err.reason };
        rules = RobotsRules.unreachable();
        break;
      }
      const location = ex.headers.get('location');
      if (ex.status >= 300 && ex.status < 400 && ex.status !== 304 && location) {
        const next = redirectTarget(location, current);
        // Moved to nowhere, or to an address the crawl may not reach: unavailable, as after too many hops.
        if (!next || (await this.isForbidden(next.href))) break;
        current = next.href;
        continue;
      }
      if (ex.status === 304 && cached) {
        await this.cache!.touch(cached, Date.now(), validators(ex.headers));
        rules = RobotsRules.parse(current, cached.body.toString('utf8'));
      } else if (ex.status >= 200 && ex.status < 300) {
        await this.cache?.put({ url: current, status: 200, ...validators(ex.headers), validatedAt: Date.now() }, ex.body);
        rules = RobotsRules.parse(current, ex.body.toString('utf8'));
      } else {
        rules = RobotsRules.fromStatus(ex.status);
      }
    }
    rules ??= RobotsRules.fromStatus(404); // too many redirects: RFC 9309 treats it as unavailable (4xx)
    // A Crawl-delay of days would hold the crawl for ever (and overflow the timers): give the host up.
    if (rules.crawlDelayMs() > (this.options.maxCrawlDelayMs ?? DEFAULT_MAX_CRAWL_DELAY_MS)) return { rules, unreachable: 'crawl_delay_too_long' };
    this.gate.scheduler.setCrawlDelay(host, rules.crawlDelayMs());
    return { rules, unreachable: undefined };
  }

  /** One request (with its retries) through the host's gate; conditional when a cached entry exists. */
  private async exchange(url: string, signal: AbortSignal | undefined, cached: CachedResponse | undefined): Promise<Exchange> {
    const host = new URL(url).host;
    const stats = this.statsOf(url);
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: '*/*' };
    if (cached?.meta.etag) headers['if-none-match'] = cached.meta.etag;
    if (cached?.meta.lastModified) headers['if-modified-since'] = cached.meta.lastModified;
    const backoffBase = this.options.backoffBaseMs ?? Math.max(100, this.delayMs);
    const maxThrottle = this.options.maxThrottleRetries ?? DEFAULT_MAX_THROTTLE_RETRIES;
    let throttled = 0;
    let retriedOnce = false;
    for (;;) {
      await this.gate.acquire(host, signal);
      let ex: Exchange;
      try {
        stats.requests++;
        ex = await this.request(url, headers, signal);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const cause = err instanceof FetchError ? err.reason : fetchFailedCause(err);
        if (retriedOnce || cause === 'too_large') throw err instanceof FetchError ? err : new FetchError(url, cause, `${cause}: ${url}: ${(err as Error).message}`);
        retriedOnce = true;
        await sleep(backoffDelay(0, backoffBase, DEFAULT_MAX_RETRY_WAIT_MS), signal);
        continue;
      } finally {
        this.gate.release(host);
      }
      if (ex.status === 304) stats.notModified++;
      if (ex.status === 429 || ex.status === 503) {
        if (throttled >= maxThrottle) return ex;
        const wait = parseRetryAfter(ex.headers.get('retry-after'), Date.now()) ?? backoffDelay(throttled, backoffBase, DEFAULT_MAX_RETRY_WAIT_MS);
        if (wait > (this.options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS)) return ex;
        throttled++;
        this.gate.holdFor(host, wait);
        continue;
      }
      if (ex.status >= 500 && !retriedOnce) {
        retriedOnce = true;
        await sleep(backoffDelay(0, backoffBase, DEFAULT_MAX_RETRY_WAIT_MS), signal);
        continue;
      }
      return ex;
    }
  }

  /** One HTTP request; the body is read fully (within the size limit) before the gate is released. */
  private async request(url: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Exchange> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await fetch(url, { headers, redirect: 'manual', signal: combined });
      if (res.status !== 200 && !(res.status >= 201 && res.status < 300)) {
        await res.body?.cancel();
        return { status: res.status, headers: res.headers, body: Buffer.alloc(0) };
      }
      const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const chunks: Buffer[] = [];
      let size = 0;
      if (res.body) {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > limit) {
            await res.body.cancel().catch(() => undefined);
            throw new FetchError(url, 'too_large');
          }
          chunks.push(Buffer.from(chunk));
        }
      }
      return { status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
    } catch (err) {
      if (err instanceof FetchError || signal?.aborted) throw err;
      if (timeout.aborted) throw new FetchError(url, 'fetch_failed:ETIMEDOUT');
      throw err;
    }
  }
}

/** Where a Location header points, without fragment; undefined when the server sent something that is no URL. */
function redirectTarget(location: string, base: string): URL | undefined {
  // A hostile or broken server's header must fail this one URL, never the crawl.
  if (!URL.canParse(location, base)) return undefined;
  const next = new URL(location, base);
  next.hash = '';
  return next;
}

function validators(headers: Headers): { etag?: string; lastModified?: string } {
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
