/**
 * `npm run bench:openedx`: Open edX tracking logs (DATA-CONTRACT §7) against the same kind of hand-written
 * DuckDB baselines as `npm run bench`: a generated site log (gzip, rotated into several files,
 * several courses, anonymous and dirty lines) converted in one command, then analyzed; whole
 * processes, alternating A/B. Writes its section of bench/RESULTS.md (between the openedx markers,
 * which `npm run bench` keeps).
 *
 * Environment:
 *   CLICKSTREAM_BENCH_CACHE  where generated logs are kept (default ~/.cache/clickstream-bench)
 *   BENCH_REPS               repetitions of each comparison (default 3)
 *   BENCH_OPENEDX_BYTES      text size of the generated log (default 500MB; gzip about 1/16 of it)
 *   BENCH_OPENEDX_FILES      rotated files (default 4)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../src/version.js';
import { measure, median, type Measurement } from './measure.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'bin/clickstream.js');
const baseline = join(root, 'dist/bench/duckdb-baseline.js');
const generator = join(root, 'dist/fixtures/generate.js');
const cache = process.env.CLICKSTREAM_BENCH_CACHE ?? join(homedir(), '.cache', 'clickstream-bench');
const reps = Number(process.env.BENCH_REPS ?? 3);
const size = process.env.BENCH_OPENEDX_BYTES ?? '500MB';
const fileCount = Number(process.env.BENCH_OPENEDX_FILES ?? 4);
const work = join(cache, 'work-openedx');

/** Where `npm run bench:openedx` writes inside bench/RESULTS.md (run.ts keeps what is between them). */
const OPENEDX_BEGIN = '<!-- openedx-bench -->';
const OPENEDX_END = '<!-- /openedx-bench -->';

interface Row {
  name: string;
  a: string;
  b: string;
  aRuns: Measurement[];
  bRuns: Measurement[];
}

interface GeneratedLog {
  files: string[];
  bytes: number;
  fileBytes: number;
  lines: number;
  events: number;
  users: number;
  courses: number;
}

/** The generated log, made once and kept in the cache (files named as logrotate would). */
async function ensureLog(): Promise<GeneratedLog> {
  const dir = join(cache, `openedx-${size}-${fileCount}`);
  const stats = join(dir, 'stats.json');
  if (!existsSync(stats)) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    log(`generating an Open edX log of ${size} in ${fileCount} gzip files in ${dir}…`);
    await run('node', [generator, '--format', 'openedx', '--out', join(dir, 'tracking.log.gz'), '--bytes', size, '--gzip', '--files', String(fileCount),
      '--courses', '6', '--seed', 'bench', '--stats', `${stats}.tmp`, '--quiet']);
    await rename(`${stats}.tmp`, stats);
  }
  const s = JSON.parse(await readFile(stats, 'utf8'));
  return {
    files: s.files.map((f: { path: string }) => f.path),
    bytes: s.bytes,
    fileBytes: s.fileBytes,
    lines: s.lines,
    events: s.events,
    users: s.users,
    courses: s.courses.length,
  };
}

async function compare(name: string, a: string[], b: string[]): Promise<Row> {
  const row: Row = { name, a: a.join(' '), b: b.join(' '), aRuns: [], bRuns: [] };
  for (let i = 0; i < reps; i++) {
    row.aRuns.push(await measure('node', a));
    row.bRuns.push(await measure('node', b));
    log(`${name}: rep ${i + 1}/${reps}: A ${secs(row.aRuns.at(-1)!.wallMs)}, B ${secs(row.bRuns.at(-1)!.wallMs)}`);
  }
  return row;
}

async function main(): Promise<void> {
  await mkdir(work, { recursive: true });
  const gen = await ensureLog();
  const ds = join(work, 'dataset');
  const rep = join(work, 'report');
  const rows: Row[] = [];
  rows.push(
    await compare(
      `convert, ${gen.files.length} gzip files`,
      [cli, 'convert', ...gen.files, '--out', ds, '--force', '--quiet'],
      [baseline, 'convert-many', join(work, 'baseline.parquet'), ...gen.files],
    ),
  );
  const manifest = JSON.parse(await readFile(join(ds, '_manifest.json'), 'utf8'));
  let datasetBytes = 0;
  for (const f of await readdir(ds)) if (f.endsWith('.parquet')) datasetBytes += (await stat(join(ds, f))).size;
  const analyze = (...extra: string[]): string[] => [cli, 'analyze', ds, '--out', rep, '--force', '--quiet', ...extra];
  rows.push(await compare('analyze (local) vs DuckDB analytics by hand', analyze(), [baseline, 'analytics-openedx', ds]));
  const courses = JSON.parse(await readFile(join(rep, 'summary.json'), 'utf8')).courses as { name: string; events: number }[];
  const biggest = courses[0]!.name;
  rows.push(await compare(`analyze --course (${biggest}) vs DuckDB analytics by hand (all courses)`, analyze('--course', biggest), [baseline, 'analytics-openedx', ds]));

  const stat3 = (runs: Measurement[]): string => {
    const w = runs.map((r) => r.wallMs);
    return `${secs(median(w))} (${secs(Math.min(...w))}–${secs(Math.max(...w))})`;
  };
  const rss = (runs: Measurement[]): string => `${(Math.max(...runs.map((r) => r.peakRssBytes)) / 2 ** 20).toFixed(0)} MiB`;
  const lines: string[] = [OPENEDX_BEGIN, '', '## Open edX tracking logs (`npm run bench:openedx`)', ''];
  lines.push(`Written on ${new Date().toISOString()}; ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; Node ${process.version}; clickstream ${TOOL_VERSION}.`, '');
  lines.push(
    `- Input: a generated site log, ${gen.files.length} rotated gzip files, ${gb(gen.bytes)} of text (${gb(gen.fileBytes)} gzip), ` +
      `${gen.lines.toLocaleString('en-US')} lines, ${gen.events.toLocaleString('en-US')} events, ${gen.users.toLocaleString('en-US')} learners, ${gen.courses} courses.`,
  );
  lines.push(`- Dataset: ${manifest.partitions.length} partitions, ${gb(datasetBytes)} of Parquet (${((datasetBytes / gen.bytes) * 100).toFixed(1)}% of the text).`);
  lines.push(`- Each comparison: A and B alternated, ${reps} repetitions, whole processes; median (min–max) wall time; peak RSS, the largest of the repetitions.`, '');
  lines.push('| comparison | A: clickstream | B: DuckDB baseline | ratio A/B (median wall) | peak RSS A / B |');
  lines.push('|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = median(r.aRuns.map((m) => m.wallMs)) / median(r.bRuns.map((m) => m.wallMs));
    lines.push(`| ${r.name} | ${stat3(r.aRuns)} | ${stat3(r.bRuns)} | ${ratio.toFixed(2)}× | ${rss(r.aRuns)} / ${rss(r.bRuns)} |`);
  }
  lines.push('', 'Commands:', '');
  for (const r of rows) lines.push(`- ${r.name}: A \`node ${r.a.replaceAll(root + '/', '')}\`; B \`node ${r.b.replaceAll(root + '/', '')}\``);
  lines.push('', OPENEDX_END);
  const section = lines.join('\n');
  const out = join(root, 'bench', 'RESULTS.md');
  const current = existsSync(out) ? await readFile(out, 'utf8') : '# Benchmark results\n';
  const begin = current.indexOf(OPENEDX_BEGIN);
  const end = current.indexOf(OPENEDX_END);
  const next =
    begin !== -1 && end > begin
      ? current.slice(0, begin) + section + current.slice(end + OPENEDX_END.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(out, next);
  log(`wrote ${out}`);
  process.stdout.write(section + '\n');
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;
function log(msg: string): void {
  process.stderr.write(`bench:openedx: ${msg}\n`);
}

await main();
