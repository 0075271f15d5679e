/**
 * Crawl throughput on a generated fixture site (`node dist/bench/catalog-crawl.js`): the CLI as a
 * whole process against a site served by another process, at the default politeness and relaxed,
 * cold and revalidating (304s), next to a bare fetch loop over the same pages (the HTTP floor the
 * crawler's own work adds to). Writes bench/CATALOG-RESULTS.md.
 *
 * Environment: BENCH_CATALOG_PAGES (default 1000) pages for the relaxed runs;
 * BENCH_CATALOG_POLITE_PAGES (default 20) for the default-politeness run (1 request/s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'bin/clickstream.js');
const siteScript = join(root, 'dist/bench/catalog-bench-site.js');
const relaxedPages = Number(process.env.BENCH_CATALOG_PAGES ?? 1000);
const politePages = Number(process.env.BENCH_CATALOG_POLITE_PAGES ?? 20);
const work = mkdtempSync(join(tmpdir(), 'clickstream-catalog-bench-'));

interface Site {
  origin: string;
  stop(): Promise<void>;
}

async function startSite(pages: number, latencyMs: number): Promise<Site> {
  const dir = mkdtempSync(join(work, 'site-'));
  const child = spawn(process.execPath, [siteScript, dir, String(pages), String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`site exited ${code}`)));
  });
  return {
    origin,
    stop: () =>
      new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

async function crawl(site: Site, args: string[], cacheDir: string): Promise<{ seconds: number; stdout: string }> {
  const t0 = performance.now();
  const out = await new Promise<string>((res, rej) => {
    const child = spawn(process.execPath, [cli, 'catalog', 'crawl', `sitemap:${site.origin}/sitemap-index.xml.gz`, '--warehouse', join(work, `w-${Date.now()}.duckdb`), '--cache-dir', cacheDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => (code === 0 ? res(stdout) : rej(new Error(`crawl exited ${code}: ${stderr}`))));
  });
  return { seconds: (performance.now() - t0) / 1000, stdout: out };
}

async function bareFetch(site: Site, pages: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < pages) {
        const i = next++;
        const res = await fetch(`${site.origin}/courses/c${i}.html`);
        await res.arrayBuffer();
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

const rows: string[][] = [];
const row = (name: string, pages: number, seconds: number, note: string): void => {
  const documents = pages + 3; // the index, the sitemap and robots.txt besides the pages
  rows.push([name, String(pages), seconds.toFixed(2), (documents / seconds).toFixed(1), note]);
  console.log(`${name}: ${pages} pages in ${seconds.toFixed(2)} s = ${(documents / seconds).toFixed(1)} documents/s`);
};

try {
  const polite = await startSite(politePages, 20);
  try {
    const r = await crawl(polite, ['--quiet'], join(work, 'cache-polite'));
    row('default politeness (--per-host 2 --delay 1000)', politePages, r.seconds, 'one request a second to the host, by design');
  } finally {
    await polite.stop();
  }
  for (const latency of [0, 50]) {
    const site = await startSite(relaxedPages, latency);
    try {
      const cache = join(work, `cache-relaxed-${latency}`);
      const cold = await crawl(site, ['--per-host', '8', '--delay', '0', '--quiet'], cache);
      row(`relaxed (--per-host 8 --delay 0), server latency ${latency} ms, cold`, relaxedPages, cold.seconds, 'download, parse, upsert');
      const warm = await crawl(site, ['--per-host', '8', '--delay', '0', '--quiet'], cache);
      row(`relaxed, server latency ${latency} ms, rerun`, relaxedPages, warm.seconds, 'every document revalidated: 304s');
      const bare = await bareFetch(site, relaxedPages, 8);
      rows.push([`bare fetch loop, 8 at once, server latency ${latency} ms`, String(relaxedPages), bare.toFixed(2), (relaxedPages / bare).toFixed(1), 'HTTP only: no robots, parse, cache or store']);
      console.log(`bare fetch, latency ${latency}: ${(relaxedPages / bare).toFixed(1)} pages/s`);
    } finally {
      await site.stop();
    }
  }
  const md = [
    '# Catalog crawl throughput',
    '',
    `Generated site of ~12 KB course pages served by a separate process on 127.0.0.1; the crawl is the CLI as a whole`,
    `process (start-up, DuckDB warehouse and cache included). Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}.`,
    '',
    '| run | pages | seconds | documents/s | note |',
    '|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'CATALOG-RESULTS.md'), md);
  console.log(md);
} finally {
  rmSync(work, { recursive: true, force: true });
}
