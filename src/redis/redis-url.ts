/**
 * `--redis <url>`: parsing into ioredis connection options, and redaction for logs and errors.
 * Passwords never leave this module except inside the options object handed to ioredis.
 */
import { UsageError } from '../errors.js';

/** Where Redis is when neither `--redis` nor `REDIS_URL` says otherwise (the `worker` command only). */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * What a `redis://` or `rediss://` URL says, in the shape ioredis takes as options.
 * Every field is exactly as the URL gives it, percent-decoded.
 */
export interface RedisUrlOptions {
  /** Host name or address (IPv6 without brackets). No default: the URL must name it. */
  host: string;
  /** TCP port. Default 6379. */
  port: number;
  /** ACL user name (`redis://user:pass@…`). Default: none, i.e. the `default` user. */
  username?: string;
  /** Password (`redis://:pass@…` or `redis://user:pass@…`). Default: none. */
  password?: string;
  /** Database number from the path (`/3`). Default 0. */
  db: number;
  /** TLS options: `{}` (Node's defaults, certificate checked) for `rediss://`; absent for `redis://`. */
  tls?: Record<string, never>;
}

/**
 * Parses `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS).
 * Throws UsageError, with the password redacted, for anything else.
 */
export function parseRedisUrl(url: string): RedisUrlOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--redis must be a URL like redis://host:6379 or rediss://user:password@host:6380/0, got '${redactRedisUrl(url)}'`);
  }
  const shown = redactRedisUrl(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`--redis must start with redis:// or rediss:// (TLS), got '${shown}'`);
  }
  const host = u.hostname.startsWith('[') && u.hostname.endsWith(']') ? u.hostname.slice(1, -1) : u.hostname;
  if (!host) throw new UsageError(`--redis URL names no host: '${shown}'`);
  if (u.search || u.hash) throw new UsageError(`--redis URL may not have a query or fragment: '${shown}'`);
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--redis URL has a bad port: '${shown}'`);
  const path = u.pathname.replace(/^\/+/, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) {
    throw new UsageError(`--redis URL path must be a database number such as /0, got '/${path}' in '${shown}'`);
  }
  const options: RedisUrlOptions = { host, port, db: path === '' ? 0 : Number(path) };
  const decode = (s: string, what: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new UsageError(`--redis URL has a badly percent-encoded ${what}: '${shown}'`);
    }
  };
  if (u.username) options.username = decode(u.username, 'user name');
  if (u.password) options.password = decode(u.password, 'password');
  if (u.protocol === 'rediss:') options.tls = {};
  return options;
}

/**
 * The URL with its password replaced by `***`, for logs and error messages. Works on strings that
 * are not valid URLs too (whatever sits between `//user:` and the last `@` of the authority is hidden).
 */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
      return u.toString();
    }
    if (u.protocol === 'redis:' || u.protocol === 'rediss:') return u.toString();
  } catch {
    // fall through to the textual redaction
  }
  // Not parseable: hide anything that could be credentials in an authority.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon >= 0 ? `${auth.slice(0, colon)}:***` : auth}@`;
  });
}
