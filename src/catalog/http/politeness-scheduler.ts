/** Per-host limits of the {@link PolitenessScheduler}. */
export interface HostLimits {
  /** Requests in flight at once. Default 2 (`--per-host`). */
  maxInFlight: number;
  /** Least time between the starts of two requests, ms. Default 1000 (`--delay`). */
  delayMs: number;
}

interface HostState {
  inFlight: number;
  /** Start time of the latest request, or -Infinity before the first. */
  lastStart: number;
  /** No start before this time (Retry-After). */
  notBefore: number;
  /** Crawl-delay from robots.txt, ms (0 when none). */
  crawlDelayMs: number;
}

/**
 * The politeness rules as a pure state machine over a clock the caller passes in: per host (host
 * and port), at most `maxInFlight` requests at once and at least `max(delayMs, Crawl-delay)`
 * between any two starts, and no start before a Retry-After deadline. {@link HostGate} drives it
 * with real time; tests drive it directly.
 */
export class PolitenessScheduler {
  private readonly hosts = new Map<string, HostState>();

  constructor(private readonly limits: HostLimits) {}

  /** The Crawl-delay robots.txt gives this host, in ms; the larger of it and the delay applies. */
  setCrawlDelay(host: string, ms: number): void {
    this.state(host).crawlDelayMs = Math.max(0, ms);
  }

  /** The gap between starts that applies to a host. */
  delayOf(host: string): number {
    return Math.max(this.limits.delayMs, this.state(host).crawlDelayMs);
  }

  /**
   * Starts a request now if the rules allow: returns 0 and records the start. Otherwise returns
   * how long to wait (ms) before asking again, or Infinity when the host is at its in-flight limit
   * (ask again after a {@link finish}).
   */
  tryStart(host: string, now: number): number {
    const s = this.state(host);
    if (s.inFlight >= this.limits.maxInFlight) return Infinity;
    const earliest = Math.max(s.lastStart + this.delayOf(host), s.notBefore);
    if (now < earliest) return earliest - now;
    s.inFlight++;
    s.lastStart = now;
    return 0;
  }

  /** A request to the host ended (whatever its outcome). */
  finish(host: string): void {
    const s = this.state(host);
    if (s.inFlight > 0) s.inFlight--;
  }

  /** Holds every start to the host until `until` (a Retry-After deadline); never moves it earlier. */
  holdUntil(host: string, until: number): void {
    const s = this.state(host);
    s.notBefore = Math.max(s.notBefore, until);
  }

  inFlight(host: string): number {
    return this.hosts.get(host)?.inFlight ?? 0;
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = { inFlight: 0, lastStart: -Infinity, notBefore: -Infinity, crawlDelayMs: 0 };
      this.hosts.set(host, s);
    }
    return s;
  }
}
