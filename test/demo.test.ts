/**
 * `clickstream demo` (issue 18): one command from nothing to two reports. Its datasets account for
 * exactly the lines `clickstream generate` says it wrote for the same seed and size, the two
 * index.html paths are all it prints on stdout, --force replaces only a demo, and an interrupted
 * demo leaves nothing behind. The runs use --bytes 1MB: the default size (40 MB) is for people.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli, describeRun, type Run } from './helpers/e2e.js';

const TIMEOUT = 600_000;
const root = mkdtempSync(join(tmpdir(), 'clickstream-demo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const json = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8'));

describe('clickstream demo', () => {
  const cwd = join(root, 'first');
  const dir = join(cwd, 'clickstream-demo');
  let demo: Run;

  beforeAll(async () => {
    mkdirSync(cwd);
    demo = await cli(['demo', '--bytes', '1MB'], { cwd }); // no --out: ./clickstream-demo
  }, TIMEOUT);

  it('prints exactly the two reports index.html, shows its steps, and leaves no temporary', () => {
    expect(demo.code, describeRun('demo', demo)).toBe(0);
    const indexes = [join(dir, 'coursera', 'report', 'index.html'), join(dir, 'openedx', 'report', 'index.html')];
    expect(demo.stdout).toBe(indexes.map((p) => `${p}\n`).join(''));
    for (const p of indexes) expect(readFileSync(p, 'utf8')).toContain('</html>');
    for (let n = 1; n <= 6; n++) expect(demo.stderr).toContain(`demo [${n}/6] `);
    expect(demo.stderr).not.toContain('    at ');
    expect(readdirSync(cwd)).toEqual(['clickstream-demo']);
    expect(json(join(dir, 'clickstream-demo.json'))).toMatchObject({ kind: 'demo', tool: { name: 'clickstream' }, seed: 'demo', bytes: 1_000_000 });
  });

  it('converts and analyzes exactly what clickstream generate writes for the same seed and size', async () => {
    expect(demo.code, describeRun('demo', demo)).toBe(0);
    const gen = join(root, 'generated');
    const c = await cli(['generate', '--out', join(gen, 'c.gz'), '--bytes', '1MB', '--gzip', '--seed', 'demo', '--stats', join(root, 'c.json'), '--quiet']);
    expect(c.code, describeRun('generate', c)).toBe(0);
    const o = await cli([
      'generate', '--format', 'openedx', '--out', join(gen, 'tracking.log.gz'), '--bytes', '1MB', '--gzip', '--files', '3', '--courses', '4',
      '--seed', 'demo', '--stats', join(root, 'o.json'), '--quiet',
    ]);
    expect(o.code, describeRun('generate openedx', o)).toBe(0);
    const parts = [
      { folder: 'coursera', stats: json(join(root, 'c.json')), exports: [join(dir, 'coursera', 'psy-001_clickstream_export.gz')], format: 'coursera' },
      {
        folder: 'openedx',
        stats: json(join(root, 'o.json')),
        exports: ['tracking.log.2.gz', 'tracking.log.1.gz', 'tracking.log.gz'].map((f) => join(dir, 'openedx', 'logs', f)),
        format: 'openedx',
      },
    ];
    expect(sha(parts[0]!.exports[0]!)).toBe(sha(join(gen, 'c.gz')));
    expect(parts[1]!.exports.map(sha)).toEqual(['tracking.log.2.gz', 'tracking.log.1.gz', 'tracking.log.gz'].map((f) => sha(join(gen, f))));
    for (const p of parts) {
      const manifest = json(join(dir, p.folder, 'dataset', '_manifest.json'));
      const summary = json(join(dir, p.folder, 'report', 'summary.json'));
      expect(manifest.format).toBe(p.format);
      expect(manifest.counts).toEqual({ lines: p.stats.lines, events: p.stats.events, blank: p.stats.blank, rejected: p.stats.rejected });
      expect(manifest.inputs.map((i: { path: string }) => i.path.split('/').slice(-1)[0])).toEqual(p.exports.map((e) => e.split('/').slice(-1)[0]));
      expect(summary.events).toBe(p.stats.events);
      expect(summary.users).toBe(p.stats.users);
    }
    // The dirt is there, even at this size: rejected lines in each export.
    for (const p of parts) expect(Object.values(p.stats.rejected as Record<string, number>).reduce((a, b) => a + b)).toBeGreaterThan(0);
  }, TIMEOUT);

  it('refuses an existing directory (exit 4), replaces a demo with --force, never anything else', async () => {
    expect(demo.code, describeRun('demo', demo)).toBe(0);
    const again = await cli(['demo', '--bytes', '1MB'], { cwd });
    expect(again.code, describeRun('demo again', again)).toBe(4);
    expect(again.stderr).toContain('clickstream-demo already exists');

    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    const forced = await cli(['demo', '--out', mine, '--force', '--bytes', '1MB']);
    expect(forced.code, describeRun('demo --force over a folder of mine', forced)).toBe(4);
    expect(forced.stderr).toContain('not a directory clickstream demo wrote');
    expect(readdirSync(mine)).toEqual(['notes.txt']);
    const report = join(dir, 'coursera', 'report');
    const overReport = await cli(['demo', '--out', report, '--force', '--bytes', '1MB']);
    expect(overReport.code, describeRun('demo --force over a report', overReport)).toBe(4);
    expect(existsSync(join(report, 'summary.json'))).toBe(true);

    const marker = json(join(dir, 'clickstream-demo.json'));
    const replaced = await cli(['demo', '--force', '--bytes', '100KB', '--seed', 'other', '--quiet'], { cwd });
    expect(replaced.code, describeRun('demo --force over a demo', replaced)).toBe(0);
    expect(replaced.stderr).toBe('');
    expect(json(join(dir, 'clickstream-demo.json'))).toMatchObject({ seed: 'other', bytes: 100_000 });
    expect(json(join(dir, 'clickstream-demo.json')).createdAt).not.toBe(marker.createdAt);
    expect(readdirSync(cwd)).toEqual(['clickstream-demo']);
  }, TIMEOUT);

  it('answers bad usage with exit 2 and its help', async () => {
    const bad = await cli(['demo', '--bytes', 'lots'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--bytes must be a size such as 40MB or 500KB, got 'lots'");
    const small = await cli(['demo', '--bytes', '99KB'], { cwd: root });
    expect(small.code).toBe(2);
    expect(small.stderr).toContain("--bytes must be at least 100KB, got '99KB'");
    const extra = await cli(['demo', 'somewhere'], { cwd: root });
    expect(extra.code).toBe(2);
    const help = await cli(['demo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: clickstream demo [--out <dir>] [options]');
    expect(help.stdout).toContain('(default ./clickstream-demo)');
    const main = await cli(['--help']);
    expect(main.stdout).toMatch(/^ {2}demo {6}/m);
    expect(main.stdout).toMatch(/^ {2}generate {2}/m);
  });
});

describe('an interrupted demo', () => {
  it('exits 130 and leaves nothing behind, whichever step it was in', async () => {
    for (const step of [1, 3, 6]) {
      const cwd = join(root, `interrupted-${step}`);
      mkdirSync(cwd);
      const child = spawn(process.execPath, [CLI, 'demo', '--bytes', '3MB'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes(`demo [${step}/6]`) && child.exitCode === null && !child.killed) child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      const what = `demo interrupted in step ${step}: exit ${code}\n${stderr}`;
      expect(code, what).toBe(130);
      expect(stderr, what).toContain('clickstream: SIGINT received');
      expect(stderr, what).not.toContain('    at ');
      expect(stdout, what).toBe('');
      expect(readdirSync(cwd), what).toEqual([]);
    }
  }, TIMEOUT);
});
