/**
 * `--redis <url>`: parsing into ioredis connection options, and redaction for logs and errors.
 * Passwords never leave this module except inside the options object handed to ioredis.
 */
import { UsageError } from '../errors.js';

/** The environment variable naming Redis when `--redis` is not given (read by the option tables only). */
export const REDIS_URL_ENV = 'REDIS_URL';

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

/** Said when a URL does not parse or has an `@` where none can be: the usual cause. */
const ENCODE_HINT = 'a password holding / ? # @ or : must be percent-encoded (%2F %3F %23 %40 %3A)';

/**
 * Parses `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS).
 * Throws UsageError for anything else; its message shows the URL only as {@link redactRedisUrl} does.
 */
export function parseRedisUrl(url: string): RedisUrlOptions {
  const shown = redactRedisUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    const hint = url.includes('@') ? `; ${ENCODE_HINT}` : '';
    throw new UsageError(`--redis must be a URL like redis://host:6379 or rediss://user:password@host:6380/0, got '${shown}'${hint}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`--redis must start with redis:// or rediss:// (TLS), got '${shown}'`);
  }
  // An `@` after the host: the user name or password held a `/`, `?` or `#`, which ended the
  // authority early, so part of the password now sits in the path or query.
  if (`${u.pathname}${u.search}${u.hash}`.includes('@')) throw new UsageError(`--redis URL '${shown}' cannot be read: ${ENCODE_HINT}`);
  const host = u.hostname.startsWith('[') && u.hostname.endsWith(']') ? u.hostname.slice(1, -1) : u.hostname;
  if (!host) throw new UsageError(`--redis URL names no host: '${shown}'`);
  if (u.search || u.hash) throw new UsageError(`--redis URL may not have a query or fragment: '${shown}'`);
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--redis URL has a bad port: '${shown}'`);
  const path = u.pathname.replace(/^\/+/, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) {
    throw new UsageError(`--redis URL path must be a database number such as /0: '${shown}'`);
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
 * The URL with its password replaced by `***`, for logs and error messages, whatever the string is
 * (valid URL or not). Everything before the LAST `@` is taken for credentials, since an unencoded
 * password may hold `/ ? # @` while a host, port and database never hold `@`; of the credentials
 * only a plain user name (letters, digits, `. _ ~ % -`) is shown. Without an `@`, text after a `:`
 * that is not a port is hidden too (`redis://:s3cret` forgot its host), and so are the values of a
 * query and a fragment.
 */
export function redactRedisUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)?([\s\S]*)$/i.exec(url)!;
  const scheme = m[1] ?? '';
  let rest = m[2]!;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    const colon = credentials.indexOf(':');
    const user = colon >= 0 ? credentials.slice(0, colon) : credentials;
    const shownUser = /^[A-Za-z0-9._~%-]*$/.test(user) ? user : '***';
    rest = `${shownUser}${colon >= 0 ? ':***' : ''}@${rest.slice(at + 1)}`;
  } else {
    // `host:port` or nothing secret; anything after a colon that is not a port is hidden.
    rest = rest.replace(/^(\[[^\]]*\]|[^/?#:[]*):(?!\d*(?:[/?#]|$))[^/?#]*/, '$1:***');
  }
  return `${scheme}${rest}`.replace(/([?&][^=&#]*=)[^&#]*/g, '$1***').replace(/#[\s\S]*$/, '#***');
}
