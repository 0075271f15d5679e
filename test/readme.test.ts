/**
 * The README's examples run as written (issue 8): its programmatic-API block, in a project that has
 * clickstream installed the way the README says (`npm install /path/to/clickstream`, which makes
 * node_modules/clickstream a link to the clone: measured with npm 11, here made directly, as npm
 * would, so the test needs no registry), and its local `clickstream convert` / `analyze` lines.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const EXPORT = join(ROOT, 'fixtures', 'quirks.jsonl.gz'); // a small real-looking export, gzip
const root = mkdtempSync(join(tmpdir(), 'clickstream-readme-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every fenced block of the README with its language. */
function blocks(): Array<{ lang: string; code: string }> {
  return [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

describe('README', () => {
  it('the programmatic-API example runs verbatim in a project that installed the clone', () => {
    const js = blocks().filter((b) => b.lang === 'js');
    expect(js, 'one js block: the API example').toHaveLength(1);
    const code = js[0]!.code;
    expect(code).toContain("from 'clickstream'");
    const project = join(root, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(project, 'node_modules', 'clickstream'), 'dir');
    writeFileSync(join(project, 'example.mjs'), code);
    copyFileSync(EXPORT, join(project, 'psy-001.gz'));
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project, 'data', 'psy-001', '_manifest.json'), 'utf8'));
    const summary = JSON.parse(readFileSync(join(project, 'report', 'psy-001', 'summary.json'), 'utf8'));
    expect(manifest.partitions).toHaveLength(16);
    expect(r.stdout).toBe(`${manifest.counts.events} events, ${summary.users} learners\n`);
    expect(summary.events).toBe(manifest.counts.events);
  }, 120_000);

  it('starts with the two commands a newcomer runs, and names the test command', () => {
    expect(blocks()[0]).toEqual({ lang: 'sh', code: 'npm ci\nnpx clickstream demo\n' });
    const setUp = README.slice(README.indexOf('## Set up'), README.indexOf('\n## ', README.indexOf('## Set up') + 1));
    expect(setUp).toMatch(/^npm test\b/m);
  });

  it('its local clickstream commands run in order and succeed', () => {
    // Lines of sh blocks that start with `clickstream` and need neither Redis nor Docker.
    const commands = blocks()
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.code.split('\n'))
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => /^(npx )?clickstream /.test(line) && !/\bworker\b|--redis|docker/.test(line));
    expect(commands.length, commands.join('\n')).toBeGreaterThanOrEqual(3);
    const cwd = join(root, 'cli');
    mkdirSync(cwd);
    for (const line of commands) {
      const args = line.replace(/^(npx )?clickstream /, '').split(/\s+/);
      // The demo as written makes tens of MB per export; a smaller one exercises the same path in CI time.
      if (args[0] === 'demo') args.push('--bytes', '200KB');
      // The export a convert line names: the fixture, under that name.
      if (args[0] === 'convert' && !existsSync(join(cwd, args[1]!))) copyFileSync(EXPORT, join(cwd, args[1]!));
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'clickstream.js'), ...args], { cwd, encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
    expect(existsSync(join(cwd, 'report', 'psy-001', 'index.html'))).toBe(true);
    for (const part of ['coursera', 'openedx']) expect(existsSync(join(cwd, 'clickstream-demo', part, 'report', 'index.html'))).toBe(true);
  }, 120_000);
});
