/**
 * The CLI's promises that the README makes: exit codes, help, options that change nothing in the
 * results, clean interruption, and progress reports. Runs the built CLI as a user does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { convert, type ConvertProgress } from '../dist/src/index.js';
import { CLI, ROOT, cli, describeRun, run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-cli-'));
const QUIRKS = join(ROOT, 'fixtures', 'quirks.jsonl');
let big: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  big = join(root, 'big.jsonl');
  const r = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', big, '--bytes', '60MB', '--seed', 'cli']);
  expect(r.code, describeRun('generate', r)).toBe(0);
}, 120_000);

describe('clickstream CLI', () => {
  it('prints help with every option and exits 0; --version prints the version', async () => {
    for (const [command, options] of [
      ['convert', ['--out', '--partitions', '--max-line-bytes', '--threads', '--memory-limit', '--accept-rejects', '--force', '--quiet']],
      ['analyze', ['--out', '--workers', '--top', '--run-id', '--force', '--quiet', '--redis', '--attempts', '--prefix']],
      ['worker', ['--redis', '--concurrency', '--attempts', '--prefix', '--lock-ms', '--quiet']],
    ] as const) {
      const r = await cli([command, '--help']);
      expect(r.code, describeRun(`${command} --help`, r)).toBe(0);
      for (const option of options) expect(r.stdout, `${command} --help lists ${option}`).toContain(option);
    }
    const v = await cli(['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('exits 2 with a one-line message, no stack trace, on bad usage', async () => {
    for (const args of [
      ['convert', QUIRKS],
      ['convert', QUIRKS, '--out', join(root, 'x'), '--bogus'],
      ['convert', QUIRKS, '--out', join(root, 'x'), '--partitions', 'many'],
      ['convert', QUIRKS, '--out', join(root, 'x'), '--partitions', '0'],
      ['analyze', join(root, 'nothing'), '--out', join(root, 'y'), '--top', '-1'],
      ['analyze', join(root, 'nothing'), '--out', join(root, 'y'), '--attempts', '2'], // --attempts needs --redis
      ['convert', QUIRKS, '--out', join(root, 'x'), '--memory-limit', 'banana'],
      ['frobnicate'],
    ]) {
      const r = await cli(args);
      expect(r.code, describeRun(args.join(' '), r)).toBe(2);
      expect(r.stderr).toMatch(/^clickstream: /);
      expect(r.stderr).not.toContain('    at ');
      expect(existsSync(join(root, 'x'))).toBe(false);
    }
  });

  it('exits 4 with a one-line message when the output cannot be created', async () => {
    const r = await cli(['convert', QUIRKS, '--out', join(QUIRKS, 'inside-a-file')]);
    expect(r.code, describeRun('convert into a file', r)).toBe(4);
    expect(r.stderr).toContain('a file is in the way');
    expect(r.stderr).not.toContain('    at ');
  });

  it('gives the same dataset whatever --threads and --memory-limit say', async () => {
    const a = await cli(['convert', big, '--out', join(root, 'ds-a'), '--quiet', '--partitions', '4']);
    const b = await cli(['convert', big, '--out', join(root, 'ds-b'), '--quiet', '--partitions', '4', '--threads', '1', '--memory-limit', '256MB']);
    expect(a.code, describeRun('convert', a)).toBe(0);
    expect(b.code, describeRun('convert --threads 1', b)).toBe(0);
    const manifest = (dir: string) => JSON.parse(readFileSync(join(root, dir, '_manifest.json'), 'utf8'));
    expect(manifest('ds-b').counts).toEqual(manifest('ds-a').counts);
    expect(manifest('ds-b').partitions.map((p: { rows: number }) => p.rows)).toEqual(manifest('ds-a').partitions.map((p: { rows: number }) => p.rows));
    expect(readFileSync(join(root, 'ds-b', '_rejected.jsonl'))).toEqual(readFileSync(join(root, 'ds-a', '_rejected.jsonl')));
  }, 120_000);

  // Signals are sent when the run has reached a stage (seen on disk), never after a fixed time:
  // on a loaded machine a fixed delay can fall before the CLI has even started.
  for (const [signal, times, stage, reached] of [
    ['SIGINT', 1, 'while reading', (temp: string) => existsSync(join(temp, '_staging'))],
    ['SIGTERM', 1, 'while writing Parquet', (temp: string) => existsSync(join(temp, 'part-00000.parquet'))],
    ['SIGINT', 2, 'while writing Parquet', (temp: string) => existsSync(join(temp, 'part-00000.parquet'))],
  ] as const) {
    it(`stops on ${signal}${times > 1 ? ' twice (forced)' : ''} ${stage} with exit 130, leaving neither the dataset nor its temporary directory`, async () => {
      const name = `ds-${signal}-${times}`;
      const child = spawn(process.execPath, [CLI, 'convert', big, '--out', join(root, name), '--quiet', '--threads', '1', '--partitions', '4'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
      const temp = (): string | undefined => readdirSync(root).find((f) => f.startsWith(`.${name}.tmp-`));
      while (child.exitCode === null) {
        const t = temp();
        if (t !== undefined && reached(join(root, t))) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill(signal);
      if (times > 1) {
        while (!stderr.includes('received') && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
        child.kill(signal);
      }
      const r = await closed;
      expect(r, stderr).toEqual({ code: 130, signal: null });
      expect(stderr).toContain(`clickstream: ${signal} received`);
      if (times === 1) expect(stderr).toContain('clickstream: convert interrupted; no dataset was written');
      expect(stderr).not.toMatch(/Napi|    at /);
      expect(readdirSync(root).filter((f) => f.includes(name))).toEqual([]);
    }, 60_000);
  }

  it('reports progress: bytes read growing to the whole file, then every partition written', async () => {
    const seen: ConvertProgress[] = [];
    const { manifest } = await convert({ input: big, out: join(root, 'ds-progress'), partitions: 3, onProgress: (p) => seen.push({ ...p }) });
    const read = seen.filter((p) => p.phase === 'read');
    const write = seen.filter((p) => p.phase === 'write');
    expect(read.length).toBeGreaterThan(0);
    for (let i = 1; i < read.length; i++) expect(read[i]!.bytesRead).toBeGreaterThanOrEqual(read[i - 1]!.bytesRead);
    expect(read.every((p) => p.bytesTotal === manifest.input.bytes)).toBe(true);
    expect(write.at(-1)!.partitionsWritten).toBe(3);
    expect(write.every((p) => p.partitions === 3 && p.lines === manifest.counts.lines)).toBe(true);
  }, 120_000);
});
