/**
 * The package works installed (issue 18): `npm pack` makes a tarball with the built code and the
 * catalog fixtures, an empty project installs it (from the local npm cache when it can), and there
 * `npx clickstream demo` writes both reports and `catalog serve-fixture` serves the fixture site.
 * From a tarball `serve-fixture` used to exit 70 with a stack trace (fixtures/catalog was not in
 * `files`), and an unpinned @napi-rs/canvas resolved to a version that draws chart text bold.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/e2e.js';

const TIMEOUT = 900_000;
const root = mkdtempSync(join(tmpdir(), 'clickstream-package-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  // --ignore-scripts: the tests run on the dist/ the suite built; `prepare` would rebuild it under the other suites' feet.
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
}

describe('the package, installed from its tarball', () => {
  it('packs dist/, bin/ and fixtures/catalog, pins @napi-rs/canvas to the locked version, and runs installed', async () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@napi-rs/canvas']).toBe(lock.packages['node_modules/@napi-rs/canvas'].version);

    const packDir = join(root, 'pack');
    mkdirSync(packDir);
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    for (const f of ['bin/clickstream.js', 'dist/src/cli.js', 'dist/src/generate/coursera-generator.js', 'dist/src/demo/run-demo.js', 'fixtures/catalog/site/robots.txt']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(fonts|test|src|dist\/test|dist\/bench)\//.test(f))).toEqual([]);

    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-clickstream', private: true }));
    const install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(packDir, packed.filename)], app);
    expect(install.status, install.stderr).toBe(0);
    const canvas = JSON.parse(readFileSync(join(app, 'node_modules', '@napi-rs', 'canvas', 'package.json'), 'utf8'));
    expect(canvas.version).toBe(lock.packages['node_modules/@napi-rs/canvas'].version);

    const demo = spawnSync('npx', ['--no', 'clickstream', 'demo', '--out', 'demo', '--bytes', '200KB', '--quiet'], { cwd: app, encoding: 'utf8' });
    expect(demo.status, demo.stderr).toBe(0);
    const reports = ['coursera', 'openedx'].map((f) => join(app, 'demo', f, 'report', 'index.html'));
    expect(demo.stdout).toBe(reports.map((r) => `${r}\n`).join(''));
    for (const r of reports) expect(existsSync(r), r).toBe(true);
    for (const f of ['coursera', 'openedx']) expect(existsSync(join(app, 'demo', f, 'report', 'activity-cdf.png')), f).toBe(true);

    // serve-fixture until it says where it serves, then one request to it, then Ctrl-C.
    const server = spawn('npx', ['--no', 'clickstream', 'catalog', 'serve-fixture'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      while (!out.includes('Serving until Ctrl-C.') && server.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      const origin = /fixture site\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(origin, `${out}\n${err}`).toBeDefined();
      const robots = await fetch(`${origin}/robots.txt`);
      expect(robots.status).toBe(200);
      expect(await robots.text()).toMatch(/^# Fixture robots\.txt/); // the bundled fixtures/catalog/site/robots.txt
      process.kill(-server.pid!, 'SIGINT'); // npx and the CLI under it, as a terminal's Ctrl-C does
      expect(await closed, err).not.toBe(70);
      expect(err).not.toContain('    at ');
    } finally {
      // A failed assertion above must not leave the server running after the suite.
      if (server.exitCode === null && server.signalCode === null) process.kill(-server.pid!, 'SIGKILL');
    }
  }, TIMEOUT);
});
