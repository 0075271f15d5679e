/**
 * Helpers of the Redis-mode tests: the built CLI as child processes, small deterministic exports,
 * report comparison, and cleanup of a test's Redis keys. Real processes and a real Redis; no mocks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { noteProgress, watchChild } from './progress.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const BIN = join(ROOT, 'bin', 'clickstream.js');
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique BullMQ prefix for one test. */
export function testPrefix(): string {
  return `cstest-${randomBytes(5).toString('hex')}`;
}

/** Deletes every key of `prefix` (SCAN, never KEYS); returns how many there were. */
export async function deletePrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    let deleted = 0;
    for (const key of await keysOf(redis, prefix)) deleted += await redis.del(key);
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/** Every key starting with `<prefix>:`. */
export async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/** A child process of the CLI whose output is kept and can be waited on line by line. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      this.stdout += s;
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
      this.notify();
    });
    watchChild(this.child, () => `clickstream ${args.join(' ')} (pid ${this.child.pid}); its output ends:\n${this.output.slice(-1500)}`);
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      this.notify();
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /**
   * Waits until stdout+stderr match `pattern` `count` times; rejects if the process exits first.
   * No clock of its own: run it inside `progressing` (helpers/progress.ts), which fails the wait
   * when nothing moves any more.
   */
  async waitFor(pattern: RegExp, count = 1): Promise<void> {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    const matches = (): number => (this.output.match(global) ?? []).length;
    while (matches() < count) {
      // exitCode and signalCode are set before 'exit' is emitted, so no exit can slip between.
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`process exited before ${pattern} x${count}; output:\n${this.output}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Runs the CLI to the end. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const p = new CliProcess(args, env);
  const { code } = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr, ms: Date.now() - started };
}

/** Starts `clickstream worker` and waits until it is connected and listening. */
export async function startWorker(prefix: string, extra: string[] = []): Promise<CliProcess> {
  const w = new CliProcess(['worker', '--redis', REDIS_URL, '--prefix', prefix, ...extra]);
  await w.waitFor(/taking jobs from/);
  return w;
}

/** Stops workers gracefully (SIGTERM) and waits for them. */
export async function stopWorkers(workers: CliProcess[]): Promise<void> {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

/** Partitions a worker log says it finished (`… partition N: R rows in S s`). */
export function donePartitions(log: string, runId?: string): number[] {
  const re = /job (\S+)-p\d+ partition (\d+): \d+ rows in/g;
  const out: number[] = [];
  for (const m of log.matchAll(re)) if (runId === undefined || m[1] === runId) out.push(Number(m[2]));
  return out;
}

import { prng } from './prng.js';

export { prng };

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/28.0.1500.95 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_4) AppleWebKit/536.30.1 (KHTML, like Gecko) Version/6.0.5 Safari/536.30.1',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:22.0) Gecko/20100101 Firefox/22.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 6_1_4 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10B350 Safari/8536.25',
  'Mozilla/5.0 (iPad; CPU OS 6_1_3 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10B329 Safari/8536.25',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)',
  'Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; GT-I9300 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const LANGUAGES = ['en-US,en;q=0.8', 'en-GB', 'fr-FR,fr;q=0.9', 'de-DE', 'es', 'zh-CN,zh;q=0.8', 'pt-BR', ''];

/**
 * Writes a deterministic export: `events` lines for `users` learners with several user agents and
 * languages (some missing), plus a blank line and one invalid line. With `uaVariants` > 1, user
 * agents get numbered variants so partitions hold many distinct ones.
 */
export async function writeExport(path: string, options: { events: number; users: number; seed: number; uaVariants?: number }): Promise<void> {
  const random = prng(options.seed);
  const out = createWriteStream(path);
  const variants = options.uaVariants ?? 1;
  let chunk = '';
  for (let i = 0; i < options.events; i++) {
    const user = `learner-${options.seed}-${Math.floor(random() * random() * options.users)}`;
    const event: Record<string, unknown> = {
      key: random() < 0.5 ? 'pageview' : 'user.video.lecture.action',
      value: '',
      username: user,
      timestamp: 1371315783001 + i * 997,
      page_url: `https://class.example.org/course-${options.seed}/lecture/${i % 37}`,
      session: `${options.seed}-${i % 101}`,
    };
    const ua = USER_AGENTS[Math.floor(random() * USER_AGENTS.length)]!;
    if (random() > 0.03) event.user_agent = variants > 1 ? `${ua} v${Math.floor(random() * variants)}` : ua;
    const lang = LANGUAGES[Math.floor(random() * LANGUAGES.length)]!;
    if (random() > 0.05) event.language = lang;
    chunk += `${JSON.stringify(event)}\n`;
    if (i === 10) chunk += '\n{"not json\n';
    if (chunk.length > 1 << 20) {
      noteProgress();
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Converts an export with the built CLI. */
export async function convertExport(input: string, out: string, partitions: number): Promise<void> {
  const r = await runCli(['convert', input, '--out', out, '--partitions', String(partitions), '--quiet']);
  if (r.code !== 0) throw new Error(`convert failed (${r.code}): ${r.stderr}`);
}

/** The report's files that differ from the reference (index.html without its "Generated" time). */
export async function reportDifferences(expected: string, actual: string): Promise<string[]> {
  const [a, b] = await Promise.all([readdir(expected), readdir(actual)]);
  const diffs: string[] = [];
  if (a.sort().join() !== b.sort().join()) diffs.push(`file lists differ: ${a.join(',')} vs ${b.join(',')}`);
  for (const name of a) {
    if (!b.includes(name)) continue;
    const [x, y] = await Promise.all([readFile(join(expected, name)), readFile(join(actual, name))]);
    // index.html says when it was generated; everything else must be byte for byte the same.
    const mask = (buf: Buffer): Buffer =>
      name === 'index.html' ? Buffer.from(buf.toString('utf8').replace(/Generated [0-9T:.-]+Z/, 'Generated <time>')) : buf;
    if (!mask(x).equals(mask(y))) diffs.push(name);
  }
  return diffs;
}
