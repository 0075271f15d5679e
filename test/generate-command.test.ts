/**
 * `clickstream generate` (issue 18): the generators behind the CLI's front door, with the other
 * commands' habits: an option table and --help, usage errors exit 2, an existing file is refused
 * (exit 4) unless --force, files appear only when complete, an interrupted run exits 130 leaving
 * nothing. `node dist/fixtures/generate.js` (the tests' and benchmarks' path) is the same command.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, cli, describeRun, run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-generate-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const json = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8'));
const lines = (text: Buffer): number => text.toString('latin1').split('\n').length - 1;

describe('clickstream generate', () => {
  it('writes a Coursera export whose counts add up, the same bytes as the fixtures script', async () => {
    const dir = join(root, 'coursera');
    mkdirSync(dir);
    const out = join(dir, 'x.jsonl');
    const r = await cli(['generate', '--out', out, '--events', '3000', '--seed', 's1', '--dirty-rate', '0.05', '--stats', join(dir, 's.json')]);
    expect(r.code, describeRun('generate', r)).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^generated .*x\.jsonl: .* lines = .* events \+ .* blank \+ rejected invalid_json \d+/);
    const s = json(join(dir, 's.json'));
    expect(s.out).toBe(out);
    expect(s.lines).toBe(lines(readFileSync(out)));
    expect(s.events + s.blank + Object.values(s.rejected as Record<string, number>).reduce((a, b) => a + b)).toBe(s.lines);
    const script = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', join(dir, 'y.jsonl'), '--events', '3000', '--seed', 's1', '--dirty-rate', '0.05', '--quiet']);
    expect(script.code, describeRun('fixtures/generate.js', script)).toBe(0);
    expect(readFileSync(join(dir, 'y.jsonl')).equals(readFileSync(out))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['s.json', 'x.jsonl', 'y.jsonl']);
  });

  it('writes an Open edX site log in rotated gzip files, in a folder it makes, with their final paths in --stats', async () => {
    const out = join(root, 'edx', 'logs', 'tracking.log.gz');
    const r = await cli(['generate', '--format', 'openedx', '--out', out, '--bytes', '300KB', '--gzip', '--files', '3', '--courses', '2', '--stats', join(root, 'edx.json'), '--quiet']);
    expect(r.code, describeRun('generate openedx', r)).toBe(0);
    expect(r.stderr).toBe('');
    const s = json(join(root, 'edx.json'));
    const names = ['tracking.log.2.gz', 'tracking.log.1.gz', 'tracking.log.gz'];
    expect(s.files.map((f: { path: string }) => f.path)).toEqual(names.map((n) => join(root, 'edx', 'logs', n)));
    expect(readdirSync(join(root, 'edx', 'logs')).sort()).toEqual([...names].sort());
    expect(s.courses).toHaveLength(2);
    for (const f of s.files) expect(lines(gunzipSync(readFileSync(f.path)))).toBe(f.lines);
  });

  it('refuses to overwrite without --force (exit 4), replaces a file with it, never a directory', async () => {
    const dir = join(root, 'exists');
    mkdirSync(dir);
    const out = join(dir, 'e.jsonl');
    writeFileSync(out, 'mine\n');
    const refused = await cli(['generate', '--out', out, '--events', '10']);
    expect(refused.code, describeRun('generate over a file', refused)).toBe(4);
    expect(refused.stderr).toBe(`clickstream: ${out} already exists; choose another --out or pass --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    const forced = await cli(['generate', '--out', out, '--events', '10', '--force', '--quiet']);
    expect(forced.code, describeRun('generate --force', forced)).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe('mine\n');
    const overDir = await cli(['generate', '--out', dir, '--events', '10', '--force']);
    expect(overDir.code).toBe(4);
    expect(overDir.stderr).toContain(`${dir} is a directory`);
    const unwritable = await cli(['generate', '--out', join(out, 'x.jsonl'), '--events', '10']);
    expect(unwritable.code, describeRun('generate under a file', unwritable)).toBe(4);
    expect(unwritable.stderr).toBe(`clickstream: cannot create ${out}: a file is in the way\n`);
    expect(unwritable.stderr).not.toContain('    at ');
    expect(readdirSync(dir)).toEqual(['e.jsonl']);
  });

  it('answers bad usage with exit 2, naming the option', async () => {
    const cases: [string[], string][] = [
      [['--events', '5'], 'missing -o, --out <file>'],
      [['--out', 'x', '--format', 'moodle'], "--format must be coursera or openedx, got 'moodle'"],
      [['--out', 'x', '--bytes', 'big'], "--bytes must be a size such as 50MB, 2GB or 300KiB, got 'big'"],
      [['--out', 'x', '--bytes', '1MB', '--events', '5'], 'give --bytes or --events, not both'],
      [['--out', 'x', '--dirty-rate', '2'], "--dirty-rate must be a number between 0 and 1, got '2'"],
      [['--out', 'x', '--start', '2013-02-30'], "--start must be a date YYYY-MM-DD, got '2013-02-30'"],
      [['--out', 'x', '--files', '3'], '--files applies to --format openedx only'],
      [['--out', 'x', '--format', 'openedx', '--start', '2017-01-01'], '--start applies to --format coursera only'],
      [['--out', 'x', '--nope'], 'unknown option --nope for generate'],
      [['--out', 'x', '--events', '0'], "--events must be a whole number ≥ 1, got '0'"],
      [['--out', 'y', 'x.jsonl'], "unexpected argument 'x.jsonl'"],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['generate', ...args], { cwd: root });
      expect(r.code, describeRun(args.join(' '), r)).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const help = await cli(['generate', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--format <coursera|openedx>', '--bytes <size>', '(default 500MB)', '--files <n>', 'Open edX only']) expect(help.stdout).toContain(option);
  });

  it('stops on SIGINT with exit 130, leaving neither the file nor its temporary', async () => {
    const dir = join(root, 'interrupted');
    mkdirSync(dir);
    const child = spawn(process.execPath, [CLI, 'generate', '--out', join(dir, 'big.jsonl.gz'), '--bytes', '300MB', '--gzip'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Signalled once its temporary holds data: the generator is writing.
    const writing = (): boolean =>
      readdirSync(dir).some((t) => {
        try {
          return readdirSync(join(dir, t)).some((f) => readFileSync(join(dir, t, f)).length > 0);
        } catch {
          return false;
        }
      });
    while (!writing() && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await closed;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('clickstream: interrupted while generating');
    expect(stderr).not.toContain('    at ');
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});
