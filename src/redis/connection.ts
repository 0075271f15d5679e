/**
 * ioredis connection options for the coordinator and the workers, and the coordinator's fail-fast
 * reachability check. Connection problems are reported with the URL redacted.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from '../errors.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';

/** Options of {@link redisConnectionOptions}. */
export interface RedisConnectionSettings {
  /** `redis://` or `rediss://` URL (see parseRedisUrl). Required. */
  url: string;
  /**
   * For a BullMQ Worker (blocking commands): `maxRetriesPerRequest: null`, as BullMQ requires, so a
   * command waits for the connection to come back instead of failing. Default false: a command
   * fails after 2 reconnection attempts and the caller decides (the coordinator keeps polling).
   */
  blocking?: boolean;
  /**
   * Receives one line (URL redacted) each time a lost connection is retried, at most one line per
   * `reportEveryMs` (BullMQ opens two or three connections; they all retry together).
   * Default: no report.
   */
  onRetry?: (message: string) => void;
  /** Shortest interval between two retry reports. Default 5000 ms. */
  reportEveryMs?: number;
  /** Longest wait between two reconnection attempts; the wait doubles from 250 ms up to it. Default 10000 ms. */
  maxBackoffMs?: number;
}

/**
 * ioredis options for `url`: credentials, database, TLS for `rediss://`, and a reconnection
 * strategy that retries forever with exponential backoff and reports each retry.
 */
export function redisConnectionOptions(settings: RedisConnectionSettings): RedisOptions {
  const parsed = parseRedisUrl(settings.url);
  const shown = redactRedisUrl(settings.url);
  const maxBackoff = settings.maxBackoffMs ?? 10_000;
  const reportEvery = settings.reportEveryMs ?? 5_000;
  let lastReport = 0;
  return {
    ...parsed,
    connectTimeout: 5_000,
    maxRetriesPerRequest: settings.blocking ? null : 2,
    retryStrategy: (times: number) => {
      const delay = Math.min(maxBackoff, 250 * 2 ** Math.min(times - 1, 16));
      const now = Date.now();
      if (settings.onRetry && now - lastReport >= reportEvery) {
        lastReport = now;
        settings.onRetry(`Redis connection to ${shown} lost or refused; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${times})`);
      }
      return delay;
    },
  };
}

/**
 * Checks that Redis answers at `url` within `timeoutMs`, or throws RedisUnavailableError naming
 * the (redacted) URL and the cause. The coordinator calls this before anything else so that a
 * wrong URL fails in seconds instead of retrying forever.
 */
export async function checkRedisReachable(url: string, timeoutMs = 4_000): Promise<void> {
  const shown = redactRedisUrl(url);
  const client = new Redis({
    ...parseRedisUrl(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const attempt = (async () => {
      await client.connect();
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`unexpected PING answer ${JSON.stringify(pong)}`);
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 500);
    });
    await Promise.race([attempt, timeout]);
  } catch (err) {
    const cause = describeRedisError(lastError && /closed/i.test((err as Error).message) ? lastError : (err as Error));
    throw new RedisUnavailableError(`cannot reach Redis at ${shown}: ${cause}`, { cause: err });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** An error's message, with an AggregateError (several addresses tried) flattened. */
export function describeRedisError(err: Error): string {
  const inner = (err as Error & { errors?: Error[] }).errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.map((e) => e.message).join('; ');
  return err.message || err.name;
}
