/**
 * `--force` deletes what it replaces, so it replaces only what is recognisably ours and of the
 * command's own kind: a dataset (convert) or a report (analyze), never an input, a directory holding
 * one, the working directory or its parents, the home directory. Everything else is exit 4, with why.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, describeRun, type Run } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-force-'));
const QUIRKS = join(ROOT, 'fixtures', 'quirks.jsonl');
const OPTS = ['--quiet', '--partitions', '2', '--max-line-bytes', '2048'];
afterAll(() => rmSync(root, { recursive: true, force: true }));

let input: string;
let dataset: string;
let report: string;
beforeAll(async () => {
  const dir = join(root, 'base');
  mkdirSync(dir);
  input = join(dir, 'in.jsonl');
  copyFileSync(QUIRKS, input);
  dataset = join(root, 'ds');
  report = join(root, 'rep');
  const c = await cli(['convert', input, '--out', dataset, ...OPTS]);
  expect(c.code, describeRun('convert', c)).toBe(0);
  const a = await cli(['analyze', dataset, '--out', report, '--quiet']);
  expect(a.code, describeRun('analyze', a)).toBe(0);
}, 120_000);

/** A directory's names and file contents, to show it was not touched. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${join(e.parentPath, e.name)}:${readFileSync(join(e.parentPath, e.name)).toString('base64').slice(0, 200)}`)
    .sort()
    .join('\n');
}

function expectRefused(r: Run, what: string, why: string): void {
  expect(r.code, describeRun(what, r)).toBe(4);
  expect(r.stderr, what).toContain('refusing to replace');
  expect(r.stderr, what).toContain(why);
  expect(r.stderr.trim().split('\n'), 'one line').toHaveLength(1);
  expect(r.stderr).not.toContain('    at ');
}

describe('--force replaces only what is ours', () => {
  it('convert refuses to replace its own input file, and without --force does not advise it', async () => {
    const before = readFileSync(input);
    const r = await cli(['convert', input, '--out', input, ...OPTS, '--force']);
    expectRefused(r, 'convert in --out in --force', 'it is the input');
    const plain = await cli(['convert', input, '--out', input, ...OPTS]);
    expect(plain.code, describeRun('convert in --out in', plain)).toBe(4);
    expect(plain.stderr).toBe(`clickstream: ${input} already exists and --force would not replace it (it is the input ${input}); choose another --out\n`);
    expect(readFileSync(input)).toEqual(before);
    expect(readdirSync(join(root, 'base'))).toEqual(['in.jsonl']);
  });

  it('convert refuses to replace the directory holding its input, also through a symbolic link', async () => {
    const base = join(root, 'base');
    const before = snapshot(base);
    expectRefused(await cli(['convert', input, '--out', base, ...OPTS, '--force']), 'convert --out <input dir>', 'it holds the input');
    const link = join(root, 'link-to-base');
    symlinkSync(base, link);
    expectRefused(await cli(['convert', input, '--out', link, ...OPTS, '--force']), 'convert --out <link to input dir>', 'it holds the input');
    expect(snapshot(base)).toBe(before);
    rmSync(link);
  });

  it('analyze refuses to replace its input dataset, and convert a report', async () => {
    const ds = snapshot(dataset);
    const rep = snapshot(report);
    expectRefused(await cli(['analyze', dataset, '--out', dataset, '--force', '--quiet']), 'analyze ds --out ds', 'it is the input');
    expectRefused(await cli(['convert', input, '--out', report, ...OPTS, '--force']), 'convert --out <report>', 'not a clickstream dataset');
    expect(snapshot(dataset)).toBe(ds);
    expect(snapshot(report)).toBe(rep);
  });

  it('analyze refuses to replace a dataset that is not its input', async () => {
    const other = join(root, 'ds-other');
    const c = await cli(['convert', input, '--out', other, ...OPTS]);
    expect(c.code, describeRun('convert', c)).toBe(0);
    const before = snapshot(other);
    expectRefused(await cli(['analyze', dataset, '--out', other, '--force', '--quiet']), 'analyze --out <other dataset>', 'not a clickstream report');
    expect(snapshot(other)).toBe(before);
  });

  it('refuses a directory that is not ours, and a file', async () => {
    const mine = join(root, 'my-notes');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.tex'), 'years of work');
    // A look-alike: a _manifest.json that convert did not write.
    writeFileSync(join(mine, '_manifest.json'), '{"partitions": []}');
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'keep me');
    expectRefused(await cli(['convert', input, '--out', mine, ...OPTS, '--force']), 'convert --out <foreign dir>', 'not a clickstream dataset');
    expectRefused(await cli(['analyze', dataset, '--out', mine, '--force', '--quiet']), 'analyze --out <foreign dir>', 'not a clickstream report');
    expectRefused(await cli(['convert', input, '--out', file, ...OPTS, '--force']), 'convert --out <file>', 'not a clickstream dataset');
    expect(readFileSync(join(mine, 'thesis.tex'), 'utf8')).toBe('years of work');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses the working directory, its parents and the home directory, even when they look like a dataset', async () => {
    // The working directory is itself a real dataset: only where it is makes it untouchable.
    const work = join(root, 'work');
    const c = await cli(['convert', input, '--out', work, ...OPTS]);
    expect(c.code, describeRun('convert', c)).toBe(0);
    const before = snapshot(work);
    expectRefused(await cli(['convert', input, '--out', '.', ...OPTS, '--force'], { cwd: work }), 'convert --out .', 'working directory');
    mkdirSync(join(work, 'sub'));
    expectRefused(await cli(['convert', input, '--out', '..', ...OPTS, '--force'], { cwd: join(work, 'sub') }), 'convert --out ..', 'working directory');
    rmSync(join(work, 'sub'), { recursive: true });
    expectRefused(
      await cli(['convert', input, '--out', work, ...OPTS, '--force'], { env: { ...process.env, HOME: work } }),
      'convert --out $HOME',
      'home directory',
    );
    expect(snapshot(work)).toBe(before);
  });

  it('replaces a dataset with --force, and a report', async () => {
    const ds = join(root, 'ds-replace');
    let r = await cli(['convert', input, '--out', ds, ...OPTS]);
    expect(r.code, describeRun('convert', r)).toBe(0);
    r = await cli(['convert', input, '--out', ds, '--quiet', '--partitions', '3', '--max-line-bytes', '2048', '--force']);
    expect(r.code, describeRun('convert --force', r)).toBe(0);
    expect(JSON.parse(readFileSync(join(ds, '_manifest.json'), 'utf8')).partitions).toHaveLength(3);
    r = await cli(['analyze', dataset, '--out', report, '--force', '--quiet']);
    expect(r.code, describeRun('analyze --force', r)).toBe(0);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
