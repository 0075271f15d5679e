/**
 * `analyze --redis` with no worker running says once, after a while without any job taken, how to
 * start one, and keeps waiting: a worker started then finishes the run. Real Redis, real processes;
 * the wait is shortened through CLICKSTREAM_NO_WORKER_HINT_MS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_WORKER_HINT_MS, noWorkerHint } from '../src/redis/redis-executor.js';
import { CliProcess, convertExport, deletePrefix, REDIS_URL, startWorker, stopWorkers, testPrefix, writeExport } from './helpers/redis-harness.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-no-worker-'));
const prefix = testPrefix();
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await deletePrefix(prefix);
});

describe('the hint to start a worker', () => {
  it('names the Redis URL as shown, the prefix when not the default, and roots holding the dataset and the report', () => {
    expect(NO_WORKER_HINT_MS).toBe(15_000);
    const payload = { dataset: '/data/ds', resultDir: '/data/.report.run-abc/partials' };
    expect(noWorkerHint('redis://:***@h:6379', 'clickstream', payload)).toBe(
      'analyze: no worker has taken a job yet: start one with clickstream worker --redis redis://:***@h:6379 --data-root /data',
    );
    expect(noWorkerHint('redis://h', 'p1', { dataset: '/data/ds', resultDir: '/reports/.r.run-abc/partials' })).toBe(
      'analyze: no worker has taken a job yet: start one with clickstream worker --redis redis://h --prefix p1 --data-root /data --data-root /reports',
    );
  });

  it('is printed once when no worker takes a job, and the run still finishes once one starts', async () => {
    const input = join(root, 'export.jsonl');
    const dataset = join(root, 'ds');
    await writeExport(input, { events: 400, users: 30, seed: 18 });
    await convertExport(input, dataset, 3);
    const analyze = new CliProcess(['analyze', dataset, '--out', join(root, 'report'), '--redis', REDIS_URL, '--prefix', prefix], {
      CLICKSTREAM_NO_WORKER_HINT_MS: '500',
    });
    const hint = `analyze: no worker has taken a job yet: start one with clickstream worker --redis ${REDIS_URL} --prefix ${prefix} --data-root ${root}`;
    try {
      await analyze.waitFor(/no worker has taken a job yet/);
      expect(analyze.stderr).toContain(`${hint}\n`);
      const worker = await startWorker(prefix, ['--data-root', root]);
      try {
        expect(await analyze.exited).toEqual({ code: 0, signal: null });
      } finally {
        await stopWorkers([worker]);
      }
      expect(analyze.stderr.split(hint).length - 1).toBe(1);
    } finally {
      analyze.kill('SIGTERM');
    }
  }, 120_000);
});
