import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { redisConnectionOptions } from '../src/redis/connection.js';
import { parseRedisUrl, redactRedisUrl } from '../src/redis/redis-url.js';

describe('parseRedisUrl', () => {
  it('takes host and port, with 6379 and db 0 as defaults', () => {
    expect(parseRedisUrl('redis://cache.internal')).toEqual({ host: 'cache.internal', port: 6379, db: 0 });
    expect(parseRedisUrl('redis://10.0.0.5:6380')).toEqual({ host: '10.0.0.5', port: 6380, db: 0 });
    expect(parseRedisUrl('redis://10.0.0.5:6380/')).toEqual({ host: '10.0.0.5', port: 6380, db: 0 });
  });

  it('takes user, password and database', () => {
    expect(parseRedisUrl('redis://alice:s3cret@redis:6379/4')).toEqual({
      host: 'redis',
      port: 6379,
      db: 4,
      username: 'alice',
      password: 's3cret',
    });
    // Password only (the `default` user), percent-encoded characters decoded.
    expect(parseRedisUrl('redis://:p%40ss%3Aw0rd%2F@h/15')).toEqual({ host: 'h', port: 6379, db: 15, password: 'p@ss:w0rd/' });
  });

  it('turns rediss:// into TLS', () => {
    expect(parseRedisUrl('rediss://u:p@secure.example.com:6380/1')).toEqual({
      host: 'secure.example.com',
      port: 6380,
      db: 1,
      username: 'u',
      password: 'p',
      tls: {},
    });
    expect(parseRedisUrl('redis://h').tls).toBeUndefined();
  });

  it('takes IPv6 addresses', () => {
    expect(parseRedisUrl('redis://[::1]:6379/2')).toEqual({ host: '::1', port: 6379, db: 2 });
  });

  it.each([
    ['http://h:6379', /redis:\/\/ or rediss:\/\//],
    ['tcp://h:6379', /redis:\/\/ or rediss:\/\//],
    ['localhost:6379', /redis:\/\/ or rediss:\/\//],
    ['not a url', /must be a URL/],
    ['', /must be a URL/],
    ['redis://', /no host/],
    ['redis://h:0', /bad port/],
    ['redis://h/db1', /database number/],
    ['redis://h/1/2', /database number/],
    ['redis://h:6379?family=6', /query/],
  ])('refuses %j with a UsageError', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(UsageError);
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it('never shows the password in its errors', () => {
    for (const url of ['http://u:hunter2@h', 'redis://u:hunter2@h/x', 'redis://u:hunter2@h:99999', 'redis://u:hunter2@h?x=1']) {
      let message = '';
      try {
        parseRedisUrl(url);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('hunter2');
      expect(message).toContain('***');
    }
  });
});

describe('redactRedisUrl', () => {
  it('replaces the password and keeps the rest', () => {
    expect(redactRedisUrl('redis://alice:s3cret@redis:6379/4')).toBe('redis://alice:***@redis:6379/4');
    expect(redactRedisUrl('rediss://:s3cret@h:6380')).toBe('rediss://:***@h:6380');
    expect(redactRedisUrl('redis://alice@h')).toBe('redis://alice@h');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('redacts strings that are not valid URLs too', () => {
    expect(redactRedisUrl('redis://u:s3cret@h:notaport')).not.toContain('s3cret');
    expect(redactRedisUrl('redis://u:s3cret@h:notaport')).toBe('redis://u:***@h:notaport');
  });
});

describe('redisConnectionOptions', () => {
  it('builds ioredis options: BullMQ workers need maxRetriesPerRequest null', () => {
    const worker = redisConnectionOptions({ url: 'rediss://u:p@h:6380/3', blocking: true });
    expect(worker).toMatchObject({ host: 'h', port: 6380, db: 3, username: 'u', password: 'p', tls: {}, maxRetriesPerRequest: null });
    const coordinator = redisConnectionOptions({ url: 'redis://h' });
    expect(coordinator.maxRetriesPerRequest).toBe(2);
  });

  it('retries forever with capped exponential backoff and reports without the password', () => {
    const lines: string[] = [];
    const o = redisConnectionOptions({ url: 'redis://u:hunter2@h', onRetry: (l) => lines.push(l), reportEveryMs: 0, maxBackoffMs: 4000 });
    const delays = [1, 2, 3, 4, 5, 6, 50].map((n) => o.retryStrategy!(n));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toContain('redis://u:***@h');
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});

describe('no password in any message (issue 8, finding 7)', () => {
  // Passwords with unencoded reserved characters, typos, and passwords in odd places.
  const urls = [
    'redis://:S3cret/p@ss@host',
    'redis://:S3cret/p@ss@host:6379/0',
    'rediss://admin:S3cret?x@ss@host',
    'redis://admin:S3cret#p@ss@host',
    'redis://user:6379/S3cret@host',
    'redis://:S3cret',
    'redis://h:6379/0?password=S3cret',
    'redis://h:6379/0#S3cret',
    'http://u:S3cret@h',
    'u:S3cret@h',
    'redis://u:S3cret@h:99999',
    'redis://u:S3cret@h/x',
    'redis://u:S3cret@h/%zz',
    'redis://u:%zzS3cret@h',
  ];

  it.each(urls)('%s: the usage error and the redacted form hide the password', (url) => {
    let message = '';
    try {
      parseRedisUrl(url);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      message = (err as Error).message;
    }
    expect(message).not.toBe('');
    for (const text of [message, redactRedisUrl(url)]) {
      expect(text).not.toMatch(/S3cret|p@ss/);
      expect(text).toContain('***');
    }
  });

  it('says why a password with reserved characters fails, and how to write it', () => {
    expect(() => parseRedisUrl('redis://:S3cret/p@ss@host')).toThrow(
      "--redis must be a URL like redis://host:6379 or rediss://user:password@host:6380/0, got 'redis://:***@host'; " +
        'a password holding / ? # @ or : must be percent-encoded (%2F %3F %23 %40 %3A)',
    );
    expect(parseRedisUrl('redis://:S3cret%2Fp%40ss@host')).toEqual({ host: 'host', port: 6379, db: 0, password: 'S3cret/p@ss' });
  });

  it('keeps what is not secret', () => {
    expect(redactRedisUrl('redis://h:6379/2')).toBe('redis://h:6379/2');
    expect(redactRedisUrl('redis://[::1]:6379')).toBe('redis://[::1]:6379');
    expect(redactRedisUrl('localhost:6379')).toBe('localhost:6379');
    expect(redactRedisUrl('not a url')).toBe('not a url');
  });

  it('hides the password of a URL that is valid with @ in its password', () => {
    // WHATWG URLs end the credentials at the last @: this parses, with password "S3cret@p@ss".
    expect(parseRedisUrl('redis://admin:S3cret@p@ss@host').password).toBe('S3cret%40p%40ss'.replace(/%40/g, '@'));
    expect(redactRedisUrl('redis://admin:S3cret@p@ss@host')).toBe('redis://admin:***@host');
    expect(redactRedisUrl('redis://admin:p@ss:S3cret@host')).toBe('redis://admin:***@host');
  });
});

describe('the CLI never prints the password of a malformed --redis URL', () => {
  const bin = join(__dirname, '..', 'bin', 'clickstream.js');
  it.each([
    ['analyze', 'x', '--out', 'y', '--redis'],
    ['worker', '--redis'],
  ])('%s', (...args) => {
    const r = spawnSync(process.execPath, [bin, ...args, 'redis://:S3cret/p@ss@host'], { encoding: 'utf8', env: { ...process.env, REDIS_URL: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("got 'redis://:***@host'");
    expect(r.stdout + r.stderr).not.toMatch(/S3cret|p@ss/);
  });
});
