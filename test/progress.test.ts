/**
 * The progress-bounded wait the slow suites use (helpers/progress.ts): a body that takes longer
 * than the stall time passes while its child processes work (CPU or output), and one whose
 * processes sit idle fails with a message naming them. Real child processes; stall times short.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { noteProgress, StalledError, watchChild, whileProgressing } from './helpers/progress.js';
import { CliProcess } from './helpers/redis-harness.js';

/** A node child running `code`, watched; resolves when it exits. */
function child(code: string): { exited: Promise<unknown>; kill(): void } {
  const c = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  watchChild(c, () => `node -e ${JSON.stringify(code)} (pid ${c.pid})`);
  const exited = once(c, 'exit');
  return { exited, kill: () => c.kill('SIGKILL') };
}

describe('whileProgressing', () => {
  it('lets a silent child that keeps using CPU run past the stall time', async () => {
    const started = performance.now();
    // Busy for three stall times, printing nothing: its CPU time is the only sign of life.
    const busy = child('const end = Date.now() + 3000; while (Date.now() < end);');
    await whileProgressing('busy child', () => busy.exited, 1000);
    expect(performance.now() - started).toBeGreaterThan(3000);
  });

  it('lets an idle child run past the stall time while it prints', async () => {
    const started = performance.now();
    const chatty = child('let n = 0; const t = setInterval(() => { console.log(n); if (++n === 12) clearInterval(t); }, 250);');
    await whileProgressing('chatty child', () => chatty.exited, 1000);
    expect(performance.now() - started).toBeGreaterThan(3000);
  });

  it('counts noteProgress() from the test itself', async () => {
    const started = performance.now();
    await whileProgressing('ticking test', async () => {
      while (performance.now() - started < 3000) {
        noteProgress();
        await new Promise((r) => setTimeout(r, 100));
      }
    }, 1000);
  });

  it('fails with StalledError naming the idle child when nothing moves for the stall time', async () => {
    const idle = child('setTimeout(() => {}, 600000);');
    try {
      const err = await whileProgressing('idle child', () => idle.exited, 1500).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StalledError);
      expect((err as StalledError).code).toBe('TEST_STALLED');
      expect((err as Error).message).toMatch(/^idle child: no progress for 2 s/);
      expect((err as Error).message).toContain('setTimeout(() => {}, 600000);');
    } finally {
      idle.kill();
      await idle.exited;
    }
  });
});

describe('CliProcess.waitFor', () => {
  it('rejects as soon as the process exits without the awaited line, with no clock of its own', async () => {
    const p = new CliProcess(['--version']);
    const err = await whileProgressing('waitFor', () => p.waitFor(/never printed/), 60_000).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/process exited before \/never printed\/ x1/);
  });
});
