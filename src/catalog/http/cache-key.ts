import { createHash } from 'node:crypto';

/**
 * The on-disk cache's key of a URL: SHA-256 (hex) of the URL without its fragment, which a server
 * never sees. Host name case and default ports are normalised by WHATWG URL parsing, so
 * `HTTP://Example.org:80/a#x` and `http://example.org/a` share an entry.
 */
export function cacheKey(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return createHash('sha256').update(u.href).digest('hex');
}
