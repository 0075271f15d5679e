/**
 * A request that gave no usable document. `reason` is the counted error cause: `http_<status>`,
 * `redirect_loop`, `too_many_redirects`, `bad_redirect`, `robots_disallowed`, `too_large`,
 * `fetch_failed:<code>` (no answer: `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, a TLS code, …),
 * `private_address`, and for every URL of a host whose robots.txt could not be fetched or asks for
 * too long a Crawl-delay, that reason (`fetch_failed:<code>`, `crawl_delay_too_long`).
 */
export class FetchError extends Error {
  /** A server answered some request for the URL (a status, a redirect) before it failed: it counts as a page. */
  answered = false;
  constructor(
    readonly url: string,
    readonly reason: string,
    message?: string,
  ) {
    super(message ?? `${reason}: ${url}`);
    this.name = 'FetchError';
  }
}

/**
 * The counted cause of a request that got no answer: `fetch_failed:` and the code of the socket,
 * DNS or TLS error undici wraps in its "fetch failed" TypeError (`ECONNREFUSED`, `ENOTFOUND`,
 * `CERT_HAS_EXPIRED`, `UND_ERR_SOCKET`, …), else `fetch_failed:unknown`.
 */
export function fetchFailedCause(err: unknown): string {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return `fetch_failed:${code}`;
  }
  return 'fetch_failed:unknown';
}
