/**
 * Ctrl-C (SIGINT) and SIGTERM stop a local analyze at any moment with exit 130, one message, no
 * advice about --run-id (local runs do not resume) and nothing left behind. Stopping a worker thread
 * from outside while DuckDB runs in it used to abort the process (`Napi::Error`, exit 134).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, cli, describeRun, run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-interrupt-'));
let dataset: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  const input = join(root, 'export.jsonl');
  const g = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', input, '--bytes', '40MB', '--seed', 'interrupt']);
  expect(g.code, describeRun('generate', g)).toBe(0);
  dataset = join(root, 'ds');
  const c = await cli(['convert', input, '--out', dataset, '--quiet', '--partitions', '24']);
  expect(c.code, describeRun('convert', c)).toBe(0);
  rmSync(input);
}, 180_000);

/** Partial results written so far by the run writing `out` (wherever the version keeps them). */
function partials(out: string): number {
  const dir = join(out, '..');
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('.rep.')) continue;
    try {
      n += readdirSync(join(dir, name), { recursive: true }).filter((f) => /partition-\d+\.json$/.test(String(f))).length;
    } catch {
      // removed while being read: the run ended
    }
  }
  return n;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs analyze, and signals it as soon as `ready` holds (never after a fixed time). */
async function interrupted(signals: NodeJS.Signals[], ready: (out: string) => boolean): Promise<Outcome> {
  const out = join(root, 'rep');
  const child = spawn(process.execPath, [CLI, 'analyze', dataset, '--out', out, '--workers', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<Outcome>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  for (let i = 0; !ready(out); i++) {
    if (child.exitCode !== null || child.signalCode !== null || i > 60_000) break; // ended first (seen in the assertions below)
    await new Promise((r) => setTimeout(r, 5));
  }
  for (const [i, sig] of signals.entries()) {
    if (i > 0) await waitUntil(() => stderr.includes('received') || child.exitCode !== null || child.signalCode !== null); // the first was heard
    child.kill(sig);
  }
  return closed;
}

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

describe('interrupting a local analyze', () => {
  const temp = (out: string): boolean => readdirSync(join(out, '..')).some((f) => f.startsWith('.rep.tmp-'));
  const moments: [string, NodeJS.Signals[], (out: string) => boolean][] = [
    ['as soon as its temporary report exists (threads starting)', ['SIGINT'], temp],
    ['after the first partition', ['SIGINT'], (out) => partials(out) >= 1],
    ['after 2 partitions, by SIGTERM', ['SIGTERM'], (out) => partials(out) >= 2],
    ['after 4 partitions', ['SIGINT'], (out) => partials(out) >= 4],
    ['after 6 partitions, by SIGTERM', ['SIGTERM'], (out) => partials(out) >= 6],
    ['after 8 partitions', ['SIGINT'], (out) => partials(out) >= 8],
    ['twice (forced) after 3 partitions', ['SIGINT', 'SIGINT'], (out) => partials(out) >= 3],
    ['twice (forced) while threads start', ['SIGTERM', 'SIGTERM'], temp],
  ];
  for (const [when, signals, ready] of moments) {
    it(`${when}: exit 130, no --run-id advice, nothing left`, async () => {
      const r = await interrupted(signals, ready);
      const what = `analyze stopped ${when}: exit ${r.code} signal ${r.signal}\n${r.stderr}`;
      expect(r.stderr, what).not.toContain('Napi');
      expect(r.code, what).toBe(130);
      expect(r.stderr, what).toContain(`clickstream: ${signals[0]} received`);
      if (signals.length === 1) expect(r.stderr, what).toContain('clickstream: analyze interrupted; no report was written');
      expect(r.stderr, what).not.toContain('--run-id');
      expect(r.stderr, what).not.toContain('    at ');
      expect(readdirSync(root), what).toEqual(['ds']);
    });
  }
});
