/**
 * A convert or analyze killed with SIGKILL cannot clean up: its hidden temporary directory stays.
 * The next run to the same output removes the temporaries of dead processes of this host, and says
 * so in one line each; those of live processes, of other hosts and of other outputs stay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, cli, describeRun, run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-stale-'));
const HOST = hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 64);
let big: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  big = join(root, 'big.jsonl');
  const r = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', big, '--bytes', '30MB', '--seed', 'stale']);
  expect(r.code, describeRun('generate', r)).toBe(0);
}, 120_000);

/** Polls until `check` gives a value; fails after a generous bound (progress, not speed, is awaited). */
async function waitFor<T>(what: string, check: () => T | undefined, child?: ChildProcess): Promise<T> {
  for (let i = 0; i < 6000; i++) {
    const value = check();
    if (value !== undefined) return value;
    if (child && child.exitCode !== null) throw new Error(`${what}: the process ended first (exit ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Bytes under a path; 0 when it vanished meanwhile. */
function du(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
  } catch {
    return 0;
  }
}

const temps = (dir: string, name: string): string[] => readdirSync(dir).filter((f) => f.startsWith(`.${name}.`)).sort();

function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve(signal)));
}

describe('stale temporaries of killed runs', () => {
  it('a later convert to the same place removes what SIGKILLed converts left, one line each', async () => {
    const dir = join(root, 'conv');
    mkdirSync(dir);
    const out = join(dir, 'ds');
    // Kill at three moments: staging just begun, staging well filled, Parquet being written.
    const moments: [string, (temp: string) => boolean][] = [
      ['staging begun', (t) => existsSync(join(t, '_staging'))],
      ['staging over 8 MB', (t) => du(join(t, '_staging')) > 8e6],
      ['Parquet being written', (t) => existsSync(join(t, 'part-00000.parquet'))],
    ];
    // Each convert removes what the one killed before it left; the last convert, what the last kill left.
    const left: { pid: number; bytes: number }[] = [];
    const removals: string[] = [];
    for (const [what, ready] of moments) {
      const before = new Set(temps(dir, 'ds'));
      const child = spawn(process.execPath, [CLI, 'convert', big, '--out', out, '--quiet', '--partitions', '4', '--threads', '1'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = killed(child);
      const temp = await waitFor(what, () => {
        const t = temps(dir, 'ds').find((f) => !before.has(f));
        return t !== undefined && ready(join(dir, t)) ? join(dir, t) : undefined;
      }, child);
      child.kill('SIGKILL');
      expect(await done).toBe('SIGKILL');
      expect(existsSync(temp), `${what}: SIGKILL leaves the temporary`).toBe(true);
      expect(temp).toContain(`.ds.tmp-${HOST}-${child.pid}-`);
      expect(temps(dir, 'ds'), "only the last kill's temporary is there").toEqual([temp.slice(dir.length + 1)]);
      left.push({ pid: child.pid!, bytes: du(temp) });
      removals.push(...stderr.trim().split('\n').filter(Boolean));
    }

    const r = await cli(['convert', big, '--out', out, '--quiet', '--partitions', '4']);
    expect(r.code, describeRun('convert after kills', r)).toBe(0);
    removals.push(...r.stderr.trim().split('\n'));
    expect(removals, removals.join('\n')).toHaveLength(3);
    for (const [i, { pid }] of left.entries()) {
      expect(removals[i]).toMatch(new RegExp(`^clickstream: removed stale temporary \\S+/\\.ds\\.tmp-${HOST}-${pid}-[0-9a-f]+ \\(.+\\) left by process ${pid}$`));
    }
    expect(readdirSync(dir)).toEqual(['ds']);
    expect(left.reduce((s, l) => s + l.bytes, 0), 'the kills did leave data behind').toBeGreaterThan(8e6);
  }, 180_000);

  it('a later analyze removes what a SIGKILLed local analyze left, partial results included', async () => {
    const dir = join(root, 'an');
    mkdirSync(dir);
    const ds = join(dir, 'ds');
    const c = await cli(['convert', big, '--out', ds, '--quiet', '--partitions', '16']);
    expect(c.code, describeRun('convert', c)).toBe(0);
    const out = join(dir, 'rep');
    const child = spawn(process.execPath, [CLI, 'analyze', ds, '--out', out, '--quiet', '--workers', '1'], { stdio: 'ignore' });
    const done = killed(child);
    // Killed once the first partial result is written.
    await waitFor('a partial result', () => {
      const t = temps(dir, 'rep')[0];
      if (t === undefined) return undefined;
      try {
        return readdirSync(join(dir, t), { recursive: true }).some((f) => /partition-\d+\.json$/.test(String(f))) ? true : undefined;
      } catch {
        return undefined; // renamed or removed while being read
      }
    }, child);
    child.kill('SIGKILL');
    expect(await done).toBe('SIGKILL');
    expect(temps(dir, 'rep'), 'the only debris is the temporary report').toHaveLength(1);

    const r = await cli(['analyze', ds, '--out', out, '--quiet']);
    expect(r.code, describeRun('analyze after kill', r)).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^clickstream: removed stale temporary \\S+\\.rep\\.tmp-${HOST}-${child.pid}-[0-9a-f]+ \\(.+\\) left by process ${child.pid}\\n$`));
    expect(readdirSync(dir).sort()).toEqual(['ds', 'rep']);
  }, 180_000);

  it('leaves the temporaries of live processes, of other hosts and of other outputs', async () => {
    const dir = join(root, 'keep');
    mkdirSync(dir);
    const input = join(ROOT, 'fixtures', 'quirks.jsonl');
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('close', r));
    const alive = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const names = {
        dead: `.ds.tmp-${HOST}-${gone.pid}-0a1b2c3d`,
        deadOld: `.ds.tmp-${HOST}-${gone.pid}-0a1b2c3d.old`,
        live: `.ds.tmp-${HOST}-${alive.pid}-0a1b2c3d`,
        otherHost: `.ds.tmp-elsewhere-${gone.pid}-0a1b2c3d`,
        otherOutput: `.ds2.tmp-${HOST}-${gone.pid}-0a1b2c3d`,
        unrelated: `.ds.tmp-notes`,
      };
      for (const name of Object.values(names)) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'f'), 'x'.repeat(1000));
      }
      const r = await cli(['convert', input, '--out', join(dir, 'ds'), '--quiet', '--partitions', '2', '--max-line-bytes', '2048']);
      expect(r.code, describeRun('convert', r)).toBe(0);
      expect(r.stderr.trim().split('\n').sort()).toEqual(
        [names.dead, names.deadOld].map((n) => `clickstream: removed stale temporary ${join(dir, n)} (1.00 KB) left by process ${gone.pid}`).sort(),
      );
      expect(readdirSync(dir).sort()).toEqual(['ds', names.live, names.otherHost, names.otherOutput, names.unrelated].sort());
    } finally {
      alive.kill();
    }
  }, 60_000);
});
