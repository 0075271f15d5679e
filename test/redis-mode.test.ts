/**
 * Redis mode end to end: the built CLI as coordinator and worker processes against the real Redis
 * at TEST_REDIS_URL (default 127.0.0.1:6379). Every test has its own key prefix and deletes its
 * keys afterwards.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../src/redis/redis-url.js';
import {
  CliProcess,
  convertExport,
  deletePrefix,
  donePartitions,
  keysOf,
  REDIS_URL,
  reportDifferences,
  runCli,
  startWorker,
  stopWorkers,
  testPrefix,
  writeExport,
} from './helpers/redis-harness.js';
import { progressing } from './helpers/progress.js';

/** The keys a queue keeps between runs (documented in docs/distributed.md); none names a run. */
const QUEUE_BOOKKEEPING = ['events', 'id', 'meta', 'stalled-check', 'marker'];

let dir: string;
let small: string; // 8 partitions, ~4,000 events, 50 learners
let other: string; // 8 partitions, another export
let big: string; // 2 partitions of ~150,000 rows: jobs long enough to kill a worker in one
let single: string; // the same export in 1 partition: a job that outlives a short lock
let many: string; // the same export in 256 partitions: a worker stays busy for many seconds
const local: Record<string, string> = {};
const prefixes: string[] = [];
const processes: CliProcess[] = [];
let redis: Redis;
let peakMemory = 0;
let memoryTimer: NodeJS.Timeout;

function prefix(): string {
  const p = testPrefix();
  prefixes.push(p);
  return p;
}

function track<T extends CliProcess>(p: T): T {
  processes.push(p);
  return p;
}

/** A worker whose data root is the test's directory (the datasets and reports are all in it). */
async function worker(p: string, extra: string[] = []): Promise<CliProcess> {
  return track(await startWorker(p, ['--data-root', dir, ...extra]));
}

function coordinator(dataset: string, out: string, p: string, extra: string[] = []): CliProcess {
  return track(new CliProcess(['analyze', dataset, '--out', out, '--redis', REDIS_URL, '--prefix', p, ...extra]));
}

function runIdOf(stderr: string): string {
  const m = /run id (\S+) on/.exec(stderr);
  if (!m) throw new Error(`no run id in:\n${stderr}`);
  return m[1]!;
}

/** Waits until the job is in `state` (polling Redis; `progressing` fails it when nothing moves). */
async function waitForState(queue: Queue, id: string, state: string): Promise<Job> {
  for (;;) {
    const job = await Job.fromId(queue, id);
    if (job && (await job.getState()) === state) return (await Job.fromId(queue, id))!;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expectSameReport(expected: string, actual: string): Promise<void> {
  expect(await reportDifferences(expected, actual)).toEqual([]);
}

// Preparing the datasets takes minutes on a loaded machine: bounded by progress, not by a clock.
beforeAll(progressing(async () => {
  redis = new Redis(REDIS_URL);
  memoryTimer = setInterval(() => {
    redis.info('memory').then(
      (info) => {
        const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
        peakMemory = Math.max(peakMemory, used);
      },
      () => undefined,
    );
  }, 100);
  dir = await mkdtemp(join(tmpdir(), 'cs-redis-'));
  small = join(dir, 'small');
  other = join(dir, 'other');
  big = join(dir, 'big');
  single = join(dir, 'single', 'big'); // same base name as `big`: the same report title
  many = join(dir, 'many', 'big');
  await Promise.all([
    writeExport(join(dir, 'small.jsonl'), { events: 4000, users: 50, seed: 1 }),
    writeExport(join(dir, 'other.jsonl'), { events: 3000, users: 40, seed: 2 }),
    writeExport(join(dir, 'big.jsonl'), { events: 300_000, users: 3000, seed: 3, uaVariants: 200 }),
  ]);
  await Promise.all([
    convertExport(join(dir, 'small.jsonl'), small, 8),
    convertExport(join(dir, 'other.jsonl'), other, 8),
    convertExport(join(dir, 'big.jsonl'), big, 2),
    convertExport(join(dir, 'big.jsonl'), single, 1),
    convertExport(join(dir, 'big.jsonl'), many, 256),
  ]);
  await rm(join(dir, 'big.jsonl'));
  await Promise.all(
    [small, other, big].map(async (ds) => {
      const out = `${ds}-local`;
      const r = await runCli(['analyze', ds, '--out', out, '--workers', '2', '--quiet']);
      if (r.code !== 0) throw new Error(`local analyze failed: ${r.stderr}`);
      local[ds] = out;
    }),
  );
}, 'preparing the datasets and local reports'), 0);

afterAll(async () => {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  clearInterval(memoryTimer);
  for (const p of prefixes) await deletePrefix(p);
  redis?.disconnect();
  console.log(`peak Redis used_memory during the Redis-mode tests: ${(peakMemory / 1024 / 1024).toFixed(2)} MiB`);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('analyze --redis', () => {
  it('(a, g) gives the local report byte for byte with two worker processes, and leaves no run keys', progressing(async () => {
    const p = prefix();
    const workers = await Promise.all([worker(p), worker(p)]);
    const out = join(dir, 'a-report');
    const c = coordinator(small, out, p);
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    await expectSameReport(local[small]!, out);
    const runId = runIdOf(c.stderr);

    // Exactly once: every partition computed by exactly one worker.
    await stopWorkers(workers);
    expect(workers.map((w) => w.exited)).toHaveLength(2);
    for (const w of workers) expect((await w.exited).code).toBe(0);
    const done = workers.flatMap((w) => donePartitions(w.stdout, runId)).sort((x, y) => x - y);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    // (g) Nothing of the run is left: only the queue's own bookkeeping keys.
    const keys = await keysOf(redis, p);
    expect(keys.filter((k) => k.includes(runId))).toEqual([]);
    for (const k of keys) expect(QUEUE_BOOKKEEPING, k).toContain(k.slice(`${p}:analyze:`.length));
    // …and the scratch directory of partial results is gone with it.
    expect((await readdir(dir)).filter((f) => f.includes(`run-${runId}`))).toEqual([]);
  }), 0);

  it('(b) survives a worker killed (SIGKILL) while it holds a job', progressing(async () => {
    const p = prefix();
    const victim = await worker(p, ['--lock-ms', '2000']);
    const out = join(dir, 'b-report');
    const c = coordinator(big, out, p);
    await victim.waitFor(/partition \d+: started/);
    victim.kill('SIGKILL');
    const killedPartition = Number(/partition (\d+): started/.exec(victim.stdout)![1]);
    expect(donePartitions(victim.stdout)).toEqual([]); // killed before it finished anything
    // The survivor holds its own jobs with a longer lock: with 2 s, a loaded machine once let one of
    // them stall and run twice ([0, 1, 1]). It still finds the victim's job within its 10 s checks.
    const survivor = await worker(p, ['--lock-ms', '10000']);
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    await expectSameReport(local[big]!, out);

    // The killed job was handed back by stall detection and run again, by the survivor.
    const runId = runIdOf(c.stderr);
    expect(donePartitions(survivor.stdout, runId).sort()).toEqual([0, 1]);
    expect(survivor.stdout).toMatch(new RegExp(`partition ${killedPartition}: started \\(attempt 2\\)`));
    const events = await redis.xrange(`${p}:analyze:events`, '-', '+');
    const stalled = events.filter(([, f]) => f[1] === 'stalled' && f[3] === `${runId}-p${String(killedPartition).padStart(5, '0')}`);
    expect(stalled).toHaveLength(1);
    await stopWorkers([survivor]);
  }), 0);

  it('(c) resumes after the coordinator is killed, without redoing finished partitions', progressing(async () => {
    const p = prefix();
    const out = join(dir, 'c-report');
    const first = coordinator(small, out, p, ['--run-id', 'resume-me']);
    await first.waitFor(/8 partition job\(s\) queued/);
    const w1 = await worker(p);
    await w1.waitFor(/rows in/, 2);
    first.kill('SIGKILL');
    w1.kill('SIGTERM'); // finishes the job in hand, then exits 0
    expect((await w1.exited).code).toBe(0);
    expect((await first.exited).signal).toBe('SIGKILL');
    const before = donePartitions(w1.stdout, 'resume-me');
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(8);

    const second = coordinator(small, out, p, ['--run-id', 'resume-me']);
    await second.waitFor(/partition job\(s\) queued/);
    expect(second.stderr).toContain(`${before.length} already done`);
    const w2 = await worker(p);
    const { code } = await second.exited;
    expect(code, second.stderr).toBe(0);
    await expectSameReport(local[small]!, out);
    await stopWorkers([w2]);
    const after = donePartitions(w2.stdout, 'resume-me');
    expect(after.filter((x) => before.includes(x))).toEqual([]); // nothing done twice
    expect([...before, ...after].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  }), 0);

  it('(k) resumes at once after a kill while workers are busy, over and over, and never redoes a partition', progressing(async () => {
    const p = prefix();
    const runId = 'busy-resume';
    const out = join(dir, 'k-report');
    const w = await worker(p);
    const args = ['--run-id', runId];
    const resumes = 8;
    let c = coordinator(many, out, p, args);
    await w.waitFor(/rows in/); // the worker is busy with the run
    for (let i = 0; i < resumes; i++) {
      // Killed, and rerun at once, while the worker keeps finishing jobs of the run.
      c.kill('SIGKILL');
      await c.exited;
      c = coordinator(many, out, p, args);
      // The resume is done when it says what it queued; one that read a job's result before the job
      // had completed failed before that (exit 6 "returned an unexpected value null", or 70).
      await c.waitFor(/partition job\(s\) queued/);
      expect(existsSync(join(dir, `.k-report.run-${runId}`)), 'the scratch of a resumable run is kept').toBe(true);
    }
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    await expectSameReport(local[big]!, out);
    // Every partition was computed once: no resume lost the finished ones.
    await stopWorkers([w]);
    const done = donePartitions(w.stdout, runId).sort((a, b) => a - b);
    expect(done).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(existsSync(join(dir, `.k-report.run-${runId}`)), 'a finished run removes its scratch').toBe(false);
  }), 0);

  it('(d) fails with exit 6 naming the partition whose job always throws, after --attempts 2', progressing(async () => {
    const p = prefix();
    const broken = join(dir, 'broken');
    await cp(small, broken, { recursive: true });
    await writeFile(join(broken, 'part-00003.parquet'), 'this is not a parquet file\n'.repeat(100));
    const w = await worker(p);
    const out = join(dir, 'd-report');
    const r = await runCli(['analyze', broken, '--out', out, '--redis', REDIS_URL, '--prefix', p, '--attempts', '2']);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/partition 3 failed after 2 attempt\(s\): cannot read partition file .*part-00003\.parquet/);
    expect((await readdir(dir)).includes('d-report')).toBe(false);
    const failures = w.stderr.match(/partition 3: failed/g) ?? [];
    expect(failures).toHaveLength(2);
    // The failed run's jobs are removed too.
    const runId = runIdOf(r.stderr);
    expect((await keysOf(redis, p)).filter((k) => k.includes(runId))).toEqual([]);
    await stopWorkers([w]);
  }), 0);

  it('(e) refuses, without retrying, jobs that reach outside the worker\'s data roots or their dataset', progressing(async () => {
    const p = prefix();
    const rootA = join(dir, 'root-a');
    const inside = join(rootA, 'small');
    await cp(small, inside, { recursive: true });
    await symlink(small, join(rootA, 'link-out')); // a dataset path inside the root that leads out
    const leaky = join(rootA, 'leaky');
    await cp(small, leaky, { recursive: true });
    await rm(join(leaky, 'part-00002.parquet'));
    await symlink(join(small, 'part-00002.parquet'), join(leaky, 'part-00002.parquet'));
    const evil = join(dir, 'evil-target'); // outside root-a: must never be created
    const run = (name: string): string => join(rootA, `.${name}.run-e`, 'partials');
    const a = track(await startWorker(p, ['--data-root', rootA]));
    expect(a.stdout).toContain(`data roots ${rootA})`);
    const cases: Array<{ id: string; data: Record<string, unknown>; reason: RegExp }> = [
      {
        id: 'outside-dataset',
        data: { dataset: small, partition: 0, file: 'part-00000.parquet', rows: 1, resultDir: run('r1') },
        reason: new RegExp(`dataset ${small} is outside this worker's data roots \\(${rootA}\\)`),
      },
      {
        id: 'outside-result',
        data: { dataset: inside, partition: 0, file: 'part-00000.parquet', rows: 1, resultDir: join(evil, '.r.run-e', 'partials') },
        reason: /resultDir .*evil-target.* is outside this worker's data roots/,
      },
      {
        id: 'not-a-run-dir',
        data: { dataset: inside, partition: 0, file: 'part-00000.parquet', rows: 1, resultDir: join(rootA, 'anywhere') },
        reason: /resultDir .* is not a run's result directory/,
      },
      {
        id: 'mismatch',
        data: { dataset: inside, partition: 3, file: 'part-00005.parquet', rows: 1, resultDir: run('r2') },
        reason: /partition file "part-00005\.parquet" is not partition 3's \(part-00003\.parquet\)/,
      },
      {
        id: 'traversal',
        data: { dataset: inside, partition: 0, file: '../../etc/passwd', rows: 1, resultDir: run('r3') },
        reason: /partition file "..\/..\/etc\/passwd" is not a part-NNNNN.parquet inside the dataset/,
      },
      {
        id: 'symlinked-dataset',
        data: { dataset: join(rootA, 'link-out'), partition: 0, file: 'part-00000.parquet', rows: 1, resultDir: run('r4') },
        reason: new RegExp(`dataset .*link-out leads outside this worker's data roots \\(to ${small}\\)`),
      },
      {
        id: 'symlinked-file',
        data: { dataset: leaky, partition: 2, file: 'part-00002.parquet', rows: 1, resultDir: run('r5') },
        reason: /partition file .*leaky\/part-00002\.parquet leads outside its dataset/,
      },
    ];
    const queue = new Queue('analyze', { connection: parseRedisUrl(REDIS_URL), prefix: p });
    try {
      for (const c of cases) {
        // With the analysis settings every coordinator sends (DATA-CONTRACT §6.3): only the paths are wrong.
        const data = { ...c.data, settings: { format: 'coursera', timeZone: 'UTC', fromMs: null, toMs: null, excludeBots: false, sessionGapMinutes: 30 } };
        await queue.add('aggregate-partition', data, { jobId: `evil-${c.id}`, attempts: 3, backoff: { type: 'fixed', delay: 100 } });
      }
      for (const c of cases) {
        const job = await waitForState(queue, `evil-${c.id}`, 'failed');
        // 'failed' is final: a job with attempts left would be delayed or waiting instead.
        expect(job.attemptsStarted, c.id).toBe(1);
        expect(job.failedReason, c.id).toMatch(c.reason);
        expect(a.stderr).toMatch(new RegExp(`job evil-${c.id}: refusing job payload.*\\(not retried\\)`));
      }
      expect(a.stdout).not.toMatch(/evil-.*started/);
      // Nothing was created or written by any of them.
      expect(existsSync(evil)).toBe(false);
      expect((await readdir(rootA)).sort()).toEqual(['leaky', 'link-out', 'small']);
    } finally {
      await queue.close();
    }
    await stopWorkers([a]);

    // Without --data-root, the root is the current directory (the repository, for these workers):
    // a dataset in the temporary directory is refused.
    const d = track(await startWorker(p));
    const q2 = new Queue('analyze', { connection: parseRedisUrl(REDIS_URL), prefix: p });
    try {
      const settings = { format: 'coursera', timeZone: 'UTC', fromMs: null, toMs: null, excludeBots: false, sessionGapMinutes: 30 };
      await q2.add('aggregate-partition', { dataset: inside, partition: 0, file: 'part-00000.parquet', rows: 1, resultDir: run('r6'), settings }, { jobId: 'evil-default', attempts: 3 });
      const job = await waitForState(q2, 'evil-default', 'failed');
      expect(job.failedReason).toMatch(/dataset .* is outside this worker's data roots \(\/.*\)/);
      expect(job.attemptsStarted).toBe(1);
    } finally {
      await q2.close();
    }
    await stopWorkers([d]);
  }), 0);

  it('(f) exits 5 with a clear message when Redis is unreachable', progressing(async () => {
    const r = await runCli(['analyze', small, '--out', join(dir, 'f-report'), '--redis', 'redis://user:hunter2@127.0.0.1:1']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1: connect ECONNREFUSED/);
    expect(r.stderr).not.toContain('hunter2');
    expect((await readdir(dir)).filter((f) => f.includes('f-report'))).toEqual([]);
  }), 0);

  it('(h) runs two analyses at once on one queue, each with its exact report', progressing(async () => {
    const p = prefix();
    const workers = await Promise.all([worker(p), worker(p)]);
    const outA = join(dir, 'h-small');
    const outB = join(dir, 'h-other');
    const a = coordinator(small, outA, p);
    const b = coordinator(other, outB, p);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect(ra.code, a.stderr).toBe(0);
    expect(rb.code, b.stderr).toBe(0);
    await expectSameReport(local[small]!, outA);
    await expectSameReport(local[other]!, outB);
    await stopWorkers(workers);
    const log = workers.map((w) => w.stdout).join('');
    expect(donePartitions(log, runIdOf(a.stderr)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(donePartitions(log, runIdOf(b.stderr)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  }), 0);

  it('(j) renews the lock of a running job: long jobs are not stalls', progressing(async () => {
    const p = prefix();
    // BullMQ extends a lock every half lock duration: with 800 ms, the first extension comes 200-400 ms
    // into the job (shorter than any run of this 300,000-row job seen), and a renewal may be up to
    // ~400 ms late before the lock expires: enough slack for a loaded 2-core machine (300 ms, i.e.
    // 150 ms of slack, once let the job stall and start twice).
    const lockMs = 800;
    const w = await worker(p, ['--lock-ms', String(lockMs)]);
    const out = join(dir, 'j-report');
    const c = coordinator(single, out, p, ['--run-id', 'lock-test']);
    const lockKey = `${p}:analyze:lock-test-p00000:lock`;
    // Sample the job's lock until the worker reports the job done (`progressing` bounds this).
    const samples: number[] = [];
    while (!/rows in/.test(w.stdout)) {
      samples.push(await redis.pttl(lockKey));
      await new Promise((r) => setTimeout(r, 20));
    }
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    await expectSameReport(local[big]!, out); // same export, other partitioning: same report
    const held = samples.map((ttl) => ttl > 0);
    const first = held.indexOf(true);
    const last = held.lastIndexOf(true);
    expect(first, 'the lock was never seen').toBeGreaterThanOrEqual(0);
    // Held without a gap while the job ran, and extended at least once (its time to live went up).
    expect(held.slice(first, last + 1).every(Boolean), JSON.stringify(samples)).toBe(true);
    let renewals = 0;
    for (let i = first + 1; i <= last; i++) if (samples[i]! > samples[i - 1]! + 50) renewals++;
    expect(renewals, JSON.stringify(samples)).toBeGreaterThanOrEqual(1);
    // And nothing stalled: one start, attempt 1.
    expect(w.stdout.match(/started/g)).toHaveLength(1);
    expect(w.stdout).toContain('started (attempt 1)');
    const events = await redis.xrange(`${p}:analyze:events`, '-', '+');
    expect(events.filter(([, f]) => f[1] === 'stalled')).toEqual([]);
    await stopWorkers([w]);
  }), 0);

  it('(i) a worker exits 0 on SIGTERM while idle', progressing(async () => {
    const p = prefix();
    const w = await worker(p);
    w.kill('SIGTERM');
    const { code } = await w.exited;
    expect(code).toBe(0);
    expect(w.stdout).toMatch(/closed/);
  }), 0);
});
