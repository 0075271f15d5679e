/**
 * A request that gave no usable document. `reason` is the counted error cause: `http_<status>`,
 * `redirect_loop`, `too_many_redirects`, `bad_redirect`, `robots_disallowed`, `network`, `timeout`, `too_large`.
 */
export class FetchError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    message?: string,
  ) {
    super(message ?? `${reason}: ${url}`);
    this.name = 'FetchError';
  }
}
