/**
 * `npm run bench`: times clickstream against hand-written DuckDB baselines on a psy-001-sized export,
 * as whole processes, alternating A/B, and writes bench/RESULTS.md.
 *
 * Environment:
 *   CLICKSTREAM_BENCH_CACHE  where generated exports are kept (default ~/.cache/clickstream-bench)
 *   BENCH_REPS               repetitions of each comparison (default 3)
 *   BENCH_EVENTS             events in the main export (default 3500000, about 2 GB)
 *   BENCH_SKIP_4GB=1         skip the 4 GB memory check
 *   BENCH_SKIP_CONVERT=1     skip the convert comparisons (the dataset is still converted when missing)
 *   BENCH_V1_CLI             bin/clickstream.js of a version-1 build (before DATA-CONTRACT §6), to compare
 *                            analyze with what it was; that row is left out when unset
 *   REDIS_URL                Redis for the local-vs-Redis comparison (default redis://127.0.0.1:6379)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, homedir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { TOOL_VERSION } from '../src/version.js';
import { measure, median, type Measurement } from './measure.js';

/** Markers of the Open edX section bench/openedx.ts writes into RESULTS.md (kept here as they are). */
const OPENEDX_BEGIN = '<!-- openedx-bench -->';
const OPENEDX_END = '<!-- /openedx-bench -->';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'bin/clickstream.js');
const baseline = join(root, 'dist/bench/duckdb-baseline.js');
const generator = join(root, 'dist/fixtures/generate.js');
const cache = process.env.CLICKSTREAM_BENCH_CACHE ?? join(homedir(), '.cache', 'clickstream-bench');
const reps = Number(process.env.BENCH_REPS ?? 3);
const events = Number(process.env.BENCH_EVENTS ?? 3_500_000);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const work = join(cache, 'work');

interface Row {
  name: string;
  a: string;
  b: string;
  aRuns: Measurement[];
  bRuns: Measurement[];
  target: string;
  /** True when the ratio A/B meets the target. */
  check: (ratio: number) => boolean;
}

async function ensureExport(name: string, count: number): Promise<string> {
  const path = join(cache, name);
  if (existsSync(path)) return path;
  await mkdir(cache, { recursive: true });
  log(`generating ${path} (${count.toLocaleString('en-US')} events)…`);
  await run('node', [generator, '--out', `${path}.tmp`, '--events', String(count), '--seed', '1', '--force']); // a .tmp left by an interrupted run is replaced
  await rename(`${path}.tmp`, path);
  return path;
}

async function ensureGzip(plain: string): Promise<string> {
  const path = `${plain}.gz`;
  if (existsSync(path)) return path;
  log(`compressing ${path}…`);
  await pipeline(createReadStream(plain), createGzip({ level: 6 }), createWriteStream(`${path}.tmp`));
  await rename(`${path}.tmp`, path);
  return path;
}

/** Runs A and B alternately `reps` times. */
async function compare(
  name: string,
  a: [string, string[]],
  b: [string, string[]],
  target: string,
  check: Row['check'],
  env?: NodeJS.ProcessEnv,
): Promise<Row> {
  const row: Row = { name, a: a[1].join(' '), b: b[1].join(' '), aRuns: [], bRuns: [], target, check };
  for (let i = 0; i < reps; i++) {
    row.aRuns.push(await measure(a[0], a[1], env));
    row.bRuns.push(await measure(b[0], b[1], env));
    log(`${name}: rep ${i + 1}/${reps}: A ${secs(row.aRuns.at(-1)!.wallMs)}, B ${secs(row.bRuns.at(-1)!.wallMs)}`);
  }
  return row;
}

async function main(): Promise<void> {
  await mkdir(work, { recursive: true });
  const plain = await ensureExport(`psy-like-${events}.jsonl`, events);
  const skipConvert = process.env.BENCH_SKIP_CONVERT === '1';
  const gzip = skipConvert ? `${plain}.gz` : await ensureGzip(plain);
  const ds = join(work, 'dataset');
  const rows: Row[] = [];
  const convertArgs = (input: string): string[] => [cli, 'convert', input, '--out', ds, '--force', '--quiet'];
  const base = (input: string): string[] => [baseline, 'convert', input, join(work, 'baseline.parquet')];
  const within = (limit: number) => (r: number) => r <= limit;

  if (!skipConvert) {
    rows.push(await compare('convert, plain', ['node', convertArgs(plain)], ['node', base(plain)], '≤ 1.5×', within(1.5)));
    rows.push(await compare('convert, gzip', ['node', convertArgs(gzip)], ['node', base(gzip)], '≤ 1.5×', within(1.5)));
  }
  if (!skipConvert || !existsSync(join(ds, '_manifest.json'))) await run('node', convertArgs(plain));
  const datasetBytes = await dirBytes(ds, '.parquet');
  const inputBytes = (await stat(plain)).size;

  const rep = join(work, 'report');
  const analyzeArgs = (...extra: string[]): string[] => [cli, 'analyze', ds, '--out', rep, '--force', '--quiet', ...extra];
  rows.push(await compare('analyze (local) vs DuckDB query', ['node', analyzeArgs()], ['node', [baseline, 'query', ds]], '≤ 1.5×', within(1.5)));
  // DATA-CONTRACT §6: analyze always computes the learning analytics; the baseline computes the same tables
  // by hand in one DuckDB session. With a zone and a filter, every §6 code path runs.
  rows.push(
    await compare(
      'analyze with DATA-CONTRACT §6 (local) vs DuckDB analytics by hand',
      ['node', analyzeArgs()],
      ['node', [baseline, 'analytics', ds]],
      '≤ 1.5×',
      within(1.5),
    ),
  );
  rows.push(
    await compare(
      'analyze --tz Europe/Paris --exclude-bots vs DuckDB analytics by hand',
      ['node', analyzeArgs('--tz', 'Europe/Paris', '--exclude-bots')],
      ['node', [baseline, 'analytics', ds]],
      '≤ 1.5×',
      within(1.5),
    ),
  );
  const v1 = process.env.BENCH_V1_CLI;
  if (v1) {
    rows.push(
      await compare('analyze vs version 1 analyze (before DATA-CONTRACT §6)', ['node', analyzeArgs()], ['node', [v1, ...analyzeArgs().slice(1)]], '≤ 1.5×', within(1.5)),
    );
  }
  rows.push(
    await compare('analyze, 2 workers vs 1', ['node', analyzeArgs('--workers', '2')], ['node', analyzeArgs('--workers', '1')], '≤ 1/1.6 = 0.625×', within(1 / 1.6)),
  );
  const redis = await redisComparison(analyzeArgs);
  if (redis) rows.push(redis);

  const memory: { name: string; peak: number }[] = [];
  if (!skipConvert) {
    const convert2 = rows[0]!.aRuns.map((m) => m.peakRssBytes);
    memory.push({ name: `convert ${gb(inputBytes)} plain (max of ${reps})`, peak: Math.max(...convert2) });
  }
  if (process.env.BENCH_SKIP_4GB !== '1' && !skipConvert) {
    const big = await ensureExport(`psy-like-${events * 2}.jsonl`, events * 2);
    const m = await measure('node', [cli, 'convert', big, '--out', join(work, 'dataset-4g'), '--force', '--quiet']);
    memory.push({ name: `convert ${gb((await stat(big)).size)} plain`, peak: m.peakRssBytes });
    await rm(join(work, 'dataset-4g'), { recursive: true, force: true });
  }
  await writeResults(rows, memory, { datasetBytes, inputBytes, plain, gzip });
}

/** Local (2 threads) vs Redis with 2 `clickstream worker` processes, when Redis answers. */
async function redisComparison(analyzeArgs: (...extra: string[]) => string[]): Promise<Row | undefined> {
  const prefix = `bench-${process.pid}`;
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      // The dataset and report live in the bench cache: the workers' data root (they refuse others).
      workers.push(spawn('node', [cli, 'worker', '--redis', redisUrl, '--prefix', prefix, '--data-root', work, '--quiet'], { stdio: 'ignore' }));
    }
    return await compare(
      'analyze, Redis (2 worker processes) vs local (2 threads)',
      ['node', analyzeArgs('--redis', redisUrl, '--prefix', prefix)],
      ['node', analyzeArgs('--workers', '2')],
      '≤ 1.15×',
      (r) => r <= 1.15,
    );
  } catch (err) {
    log(`Redis comparison not run: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  } finally {
    for (const w of workers) w.kill('SIGTERM');
  }
}

async function writeResults(
  rows: Row[],
  memory: { name: string; peak: number }[],
  sizes: { datasetBytes: number; inputBytes: number; plain: string; gzip: string },
): Promise<void> {
  const stat3 = (runs: Measurement[]): string => {
    const w = runs.map((r) => r.wallMs);
    return `${secs(median(w))} (${secs(Math.min(...w))}–${secs(Math.max(...w))})`;
  };
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`Written by \`npm run bench\` on ${new Date().toISOString()}.`, '');
  lines.push('## Machine and versions', '');
  lines.push(`- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; memory ${gb(totalmem())}`);
  lines.push(`- Node ${process.version}; clickstream ${TOOL_VERSION}; @duckdb/node-api ${await packageVersion('@duckdb/node-api')}`);
  lines.push(`- Input: \`${sizes.plain}\` (${gb(sizes.inputBytes)}, ${events.toLocaleString('en-US')} events) and its gzip copy`);
  lines.push(`- Each comparison: A and B alternated, ${reps} repetitions, whole processes; median (min–max) wall time.`, '');
  lines.push('## Results', '');
  lines.push('| comparison | A: clickstream | B: baseline | ratio A/B (median) | target | met |');
  lines.push('|---|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = median(r.aRuns.map((m) => m.wallMs)) / median(r.bRuns.map((m) => m.wallMs));
    lines.push(`| ${r.name} | ${stat3(r.aRuns)} | ${stat3(r.bRuns)} | ${ratio.toFixed(2)}× | ${r.target} | ${r.check(ratio) ? 'yes' : 'no'} |`);
  }
  lines.push('', '| memory and size | value | target | met |', '|---|---|---|---|');
  for (const m of memory) lines.push(`| peak RSS, ${m.name} | ${mib(m.peak)} | ≤ 1024 MiB | ${m.peak <= 1024 ** 3 ? 'yes' : 'no'} |`);
  if (memory.length === 2) {
    const growth = memory[1]!.peak / memory[0]!.peak - 1;
    lines.push(`| peak RSS growth, 2× input | ${(growth * 100).toFixed(1)}% | ≤ 10% | ${Math.abs(growth) <= 0.1 ? 'yes' : 'no'} |`);
  }
  const share = sizes.datasetBytes / sizes.inputBytes;
  lines.push(`| Parquet dataset / input | ${gb(sizes.datasetBytes)} / ${gb(sizes.inputBytes)} = ${(share * 100).toFixed(1)}% | ≤ 10% | ${share <= 0.1 ? 'yes' : 'no'} |`);
  lines.push('', '## Commands', '');
  for (const r of rows) lines.push(`- ${r.name}: A \`node ${r.a.replaceAll(root + '/', '')}\`; B \`node ${r.b.replaceAll(root + '/', '')}\``);
  lines.push('');
  // The hand-written analysis (profiles, what was tried) follows the measured table.
  lines.push(await readFile(join(root, 'bench', 'NOTES.md'), 'utf8'));
  const out = join(root, 'bench', 'RESULTS.md');
  // The Open edX section (`npm run bench:openedx`) is its own run's: kept as it is.
  const previous = existsSync(out) ? await readFile(out, 'utf8') : '';
  const begin = previous.indexOf(OPENEDX_BEGIN);
  const end = previous.indexOf(OPENEDX_END);
  if (begin !== -1 && end > begin) lines.push('', previous.slice(begin, end + OPENEDX_END.length), '');
  await writeFile(out, lines.join('\n'));
  log(`wrote ${out}`);
  process.stdout.write(lines.join('\n') + '\n');
}

async function packageVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function dirBytes(dir: string, suffix: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) if (f.endsWith(suffix)) total += (await stat(join(dir, f))).size;
  return total;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

await main();
