/**
 * `.gitignore` covers every path the README's examples write when someone runs them from the
 * repository root, so trying the examples never leaves untracked files for `git add -A` to commit.
 * The paths are read from the README itself (its fenced blocks), and git decides (`check-ignore`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Relative paths the README's commands and API example write: outputs, warehouses, caches. */
function writtenPaths(): string[] {
  const code = [...README.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).join('\n');
  const paths = new Set<string>();
  const flag = /(?:--out|-o|--warehouse|-w|--cache-dir)[ =](\S+)/g;
  const apiOut = /\bout: '([^']+)'/g;
  for (const m of [...code.matchAll(flag), ...code.matchAll(apiOut)]) {
    const p = m[1]!.replace(/^['"]|['"]$/g, '');
    // Placeholders (<dir>), absolute paths (containers, shared disks) and URLs are not the user's tree.
    if (/[<>]/.test(p) || p.startsWith('/') || p.startsWith('~') || p.includes('://') || p.startsWith('$')) continue;
    paths.add(p);
  }
  return [...paths].sort();
}

/** The paths among `paths` that git would not ignore in this checkout. */
function notIgnored(paths: string[]): string[] {
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT, encoding: 'utf8' });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') {
    throw new Error(`this test needs git and a git checkout of the project at ${ROOT} (git rev-parse: ${inside.stderr || inside.error})`);
  }
  // --no-index: decide by the patterns alone, as for a file the example has just created.
  const r = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: ROOT, input: paths.join('\n'), encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`git check-ignore failed: ${r.stderr}`);
  const ignored = new Set(r.stdout.split('\n').filter(Boolean));
  return paths.filter((p) => !ignored.has(p));
}

describe('.gitignore', () => {
  it("ignores every path the README's examples write, and what they write inside", () => {
    const paths = writtenPaths();
    // The ones the README shows today; more may come, each checked the same way.
    expect(paths).toEqual(expect.arrayContaining(['data/psy-001', 'report/psy-001', 'report/cmp', 'catalog.duckdb', '.catalog-cache', 'catalog-report']));
    const written = paths.flatMap((p) => [p, `${p}/index.html`]);
    // DuckDB keeps a write-ahead log beside the file; `clickstream demo` writes clickstream-demo/ by
    // default, and the data generator's example writes x.jsonl.gz.
    written.push('catalog.duckdb.wal', 'clickstream-demo/report/index.html', 'x.jsonl.gz');
    expect(notIgnored(written)).toEqual([]);
  });

  it('still tracks the sources whose folders share those names', () => {
    expect(notIgnored(['src/report/html.ts', 'src/catalog/report/catalog-report.ts', 'fixtures/analytics.jsonl', 'docs/report-screenshot.png'])).toEqual([
      'src/report/html.ts',
      'src/catalog/report/catalog-report.ts',
      'fixtures/analytics.jsonl',
      'docs/report-screenshot.png',
    ]);
  });
});
