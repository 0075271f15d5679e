/**
 * `clickstream demo` as a function: generates a Coursera export and an Open edX site's rotated
 * logs, converts and analyzes both, in one directory that appears only when complete.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { RunProgress } from '../analyze/executor.js';
import { analyze } from '../analyze/analyze.js';
import { convert, type ConvertProgress } from '../convert/convert.js';
import { ClickstreamError, InternalError, InterruptedError, OutputError, UsageError } from '../errors.js';
import { generate } from '../generate/coursera-generator.js';
import { generateOpenEdx } from '../generate/openedx-generator.js';
import { mapDiskFull } from '../util/disk-full.js';
import { describeFsError } from '../util/fs-error.js';
import { StagedOutput } from '../util/output-dir.js';
import { TOOL_VERSION } from '../version.js';
import { formatBytes } from '../util/format-bytes.js';
import { DEMO_MARKER, type DemoMarker } from './demo-marker.js';

/** Where the demo goes when no directory is named. */
export const DEFAULT_DEMO_DIR = 'clickstream-demo';
/** Text bytes of each generated export (before gzip): tens of MB, under a minute on two cores. */
export const DEFAULT_DEMO_BYTES = 40_000_000;
/** The generators' seed: the same seed and size give the same exports and reports. */
export const DEFAULT_DEMO_SEED = 'demo';
/** Rotated files of the Open edX log. */
export const DEMO_OPENEDX_FILES = 3;
/** Courses on the generated Open edX site. */
export const DEMO_OPENEDX_COURSES = 4;
/** The smallest export the demo makes: below it a report has too few learners to show anything. */
export const MIN_DEMO_BYTES = 100_000;
/** Steps the demo reports through {@link DemoOptions.onStep}. */
export const DEMO_STEPS = 6;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Directory to create. Default {@link DEFAULT_DEMO_DIR} (in the working directory). */
  out?: string;
  /** Text bytes of each export (before gzip), at least {@link MIN_DEMO_BYTES}. Default {@link DEFAULT_DEMO_BYTES}. */
  bytes?: number;
  /** Seed of both generators. Default {@link DEFAULT_DEMO_SEED}. */
  seed?: string;
  /** Replace `out` when it is a demo directory written before (never anything else). Default false. */
  force?: boolean;
  /** Aborting stops the demo (InterruptedError) and leaves nothing behind. Default: never. */
  signal?: AbortSignal;
  /** Told as each step starts (1 to {@link DEMO_STEPS}). Default: nothing is told. */
  onStep?: (step: number, text: string) => void;
  /** convert's progress, during the two convert steps. */
  onConvertProgress?: (progress: ConvertProgress) => void;
  /** analyze's progress, during the two analyze steps. */
  onAnalyzeProgress?: (progress: RunProgress) => void;
  /** One-line notices (stale temporaries removed). */
  onNotice?: (line: string) => void;
}

/** One of the demo's two exports, from generation to report. */
export interface DemoPart {
  /** The generated files (oldest first for the Open edX logs). */
  exports: string[];
  dataset: string;
  report: string;
  /** The report's index.html. */
  index: string;
  /** Lines generated, events converted (the rest: blank and rejected lines), learners analyzed. */
  lines: number;
  events: number;
  learners: number;
}

/** What {@link runDemo} wrote: paths are where they are once the demo is complete. */
export interface DemoResult {
  dir: string;
  coursera: DemoPart;
  openedx: DemoPart;
  seconds: number;
}

/**
 * Writes `<out>/coursera/` (`psy-001_clickstream_export.gz`, `dataset/`, `report/`), `<out>/openedx/`
 * (`logs/tracking.log.2.gz` … `tracking.log.gz`, `dataset/`, `report/`) and `<out>/clickstream-demo.json`.
 * Throws OutputExistsError (exit 4) when `out` exists and `force` is not given, OutputError when
 * `force` is given but `out` is not a demo directory or cannot be written.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const bytes = options.bytes ?? DEFAULT_DEMO_BYTES;
  if (!(bytes >= MIN_DEMO_BYTES)) throw new UsageError(`the demo's exports must be at least ${MIN_DEMO_BYTES / 1000}KB, got ${formatBytes(bytes)}`);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const { signal } = options;
  const staged = await StagedOutput.create(options.out ?? DEFAULT_DEMO_DIR, {
    force: options.force ?? false,
    guard: { kind: 'demo', inputs: [] },
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  const stopIfAborted = (): void => {
    if (signal?.aborted) throw new InterruptedError('interrupted; the demo directory was not created');
  };
  const step = (n: number, text: string): void => {
    stopIfAborted();
    options.onStep?.(n, text);
  };
  const size = formatBytes(bytes);
  try {
    const tmp = staged.tempPath;
    step(1, `generating a Coursera export (${size} of text, seed ${JSON.stringify(seed)})`);
    const courseraExport = join(tmp, 'coursera', 'psy-001_clickstream_export.gz');
    await mkdirFor(courseraExport);
    const gen1 = await generate({ out: courseraExport, bytes, gzip: true, seed, dirtyRate: 0.002, maxLineBytes: 16 * 1024 * 1024, ...(signal ? { signal } : {}) });
    step(2, `generating an Open edX site's tracking log (${size} of text in ${DEMO_OPENEDX_FILES} rotated files, ${DEMO_OPENEDX_COURSES} courses)`);
    const gen2 = await generateOpenEdx({
      out: join(tmp, 'openedx', 'logs', 'tracking.log.gz'),
      bytes,
      gzip: true,
      files: DEMO_OPENEDX_FILES,
      courses: DEMO_OPENEDX_COURSES,
      seed,
      dirtyRate: 0.002,
      anonymousRate: 0.03,
      maxLineBytes: 16 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    const parts: DemoPart[] = [];
    const inputs = [[courseraExport], gen2.files.map((f) => f.path)] as const;
    const names = ['Coursera', 'Open edX'] as const;
    for (const [i, folder] of (['coursera', 'openedx'] as const).entries()) {
      const dataset = join(tmp, folder, 'dataset');
      const report = join(tmp, folder, 'report');
      step(3 + 2 * i, `converting the ${names[i]} ${i === 0 ? 'export' : 'logs'}`);
      const c = await convert({
        // Relative paths keep the working directory's layout out of the manifest when they can.
        input: inputs[i]!.map(shortPath),
        out: dataset,
        ...(signal ? { signal } : {}),
        ...(options.onConvertProgress ? { onProgress: options.onConvertProgress } : {}),
        ...(options.onNotice ? { onNotice: options.onNotice } : {}),
      });
      step(4 + 2 * i, `analyzing the ${names[i]} dataset`);
      const a = await analyze({
        dataset,
        out: report,
        // Both reports sit in folders named `report`: the title says which demo each is.
        title: `clickstream demo: ${names[i]}`,
        ...(signal ? { signal } : {}),
        ...(options.onAnalyzeProgress ? { onProgress: options.onAnalyzeProgress } : {}),
        ...(options.onNotice ? { onNotice: options.onNotice } : {}),
      });
      const final = (p: string): string => join(staged.finalPath, relative(tmp, p));
      parts.push({
        exports: inputs[i]!.map(final),
        dataset: final(dataset),
        report: final(report),
        index: final(join(report, 'index.html')),
        lines: c.manifest.counts.lines,
        events: c.manifest.counts.events,
        learners: a.summary.users,
      });
    }
    const expected = [gen1.lines, gen2.lines];
    parts.forEach((p, i) => {
      // The converter accounts for every generated line, or the demo is not what it claims.
      if (p.lines !== expected[i]) throw new InternalError(`the ${names[i]} dataset has ${p.lines} lines where ${expected[i]} were generated`);
    });
    const marker: DemoMarker = { tool: { name: 'clickstream', version: TOOL_VERSION }, kind: 'demo', seed, bytes, createdAt: new Date().toISOString() };
    await writeFile(join(tmp, DEMO_MARKER), JSON.stringify(marker, null, 2) + '\n');
    stopIfAborted();
    await staged.commit();
    return { dir: staged.finalPath, coursera: parts[0]!, openedx: parts[1]!, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    await staged.discard();
    if (signal?.aborted && !(err instanceof InterruptedError)) throw new InterruptedError('interrupted; the demo directory was not created', { cause: err });
    if (err instanceof ClickstreamError) throw err;
    const mapped = mapDiskFull(err, staged.finalPath, 'writing the demo', 'nothing was kept');
    if (mapped === err && typeof (err as { code?: unknown }).code === 'string') {
      throw new OutputError(`cannot write ${staged.finalPath}: ${describeFsError(err)}; nothing was kept`, { cause: err });
    }
    throw mapped;
  }
}

async function mkdirFor(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
}

/** `path` relative to the working directory when it lies under it, else as it is. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}
