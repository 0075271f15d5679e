/**
 * The generators' I/O edge: writes a generated export (one Coursera file, or an Open edX site's
 * rotated logs) so that it appears only when complete, refuses to overwrite without `force`, and
 * turns file-system failures into one-line errors naming the file.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InterruptedError, OutputError, OutputExistsError } from '../errors.js';
import { diskFullKind } from '../util/disk-full.js';
import { describeFsError } from '../util/fs-error.js';
import { trackUnfinished, untrackUnfinished } from '../util/output-dir.js';
import { tempName } from '../util/stale-temps.js';
import { generate, type GenerateOptions, type GenerateStats } from './coursera-generator.js';
import { generateOpenEdx, rotatedNames, type GenerateOpenEdxOptions, type GenerateOpenEdxStats } from './openedx-generator.js';

/** The formats `generate` writes. */
export const GENERATE_FORMATS = ['coursera', 'openedx'] as const;
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];

/** Options of {@link generateExport}: a format and that generator's options. */
export type GenerateExportOptions = (
  | ({ format: 'coursera' } & Omit<GenerateOptions, 'signal'>)
  | ({ format: 'openedx' } & Omit<GenerateOpenEdxOptions, 'signal'>)
) & {
  /** Replace files of these names that exist (files only, never a directory). Default false. */
  force?: boolean;
  /** Stops the writing (InterruptedError) when aborted; nothing is left behind. Default: never. */
  signal?: AbortSignal;
};

/** What {@link generateExport} wrote, with the generator's counts (paths are the final ones). */
export type GenerateExportResult =
  | { format: 'coursera'; files: string[]; stats: GenerateStats }
  | { format: 'openedx'; files: string[]; stats: GenerateOpenEdxStats };

/** The files a generation writes: the Coursera export, or the rotated logs oldest first. */
export function generatedFiles(opts: GenerateExportOptions): string[] {
  return opts.format === 'openedx' ? rotatedNames(opts.out, opts.files) : [opts.out];
}

/**
 * Generates into a hidden temporary folder beside `out` and moves the files into place at the end:
 * an interrupted or failed run leaves nothing. Throws OutputExistsError (exit 4) when a file exists
 * and `force` is not given, OutputError (exit 4) when it cannot be written.
 */
export async function generateExport(opts: GenerateExportOptions): Promise<GenerateExportResult> {
  const finals = generatedFiles(opts).map((f) => resolve(f));
  for (const file of finals) await checkTarget(file, opts.force ?? false);
  const dir = dirname(finals[finals.length - 1]!);
  const stage = tempName(resolve(opts.out));
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw writeError(err, dir, `cannot create ${dir}`);
  }
  try {
    await mkdir(stage);
  } catch (err) {
    throw writeError(err, dir, `cannot write in ${dir}`);
  }
  trackUnfinished(stage);
  const staged = join(stage, basename(opts.out));
  try {
    const result = await run({ ...opts, out: staged });
    opts.signal?.throwIfAborted();
    for (const file of finals) await rename(join(stage, basename(file)), file);
    const files = generatedFiles(opts);
    // The counts name the files where they now are, not where they were written.
    if (result.format === 'coursera') return { format: 'coursera', files, stats: { ...result.stats, out: opts.out } };
    return { format: 'openedx', files, stats: { ...result.stats, files: result.stats.files.map((f, i) => ({ ...f, path: files[i]! })) } };
  } catch (err) {
    if (opts.signal?.aborted) throw new InterruptedError('interrupted while generating', { cause: err });
    throw writeError(err, dir, `cannot write ${opts.out}`);
  } finally {
    await rm(stage, { recursive: true, force: true });
    untrackUnfinished(stage);
  }
}

type Generated = { format: 'coursera'; stats: GenerateStats } | { format: 'openedx'; stats: GenerateOpenEdxStats };

async function run(opts: GenerateExportOptions): Promise<Generated> {
  const { force: _force, ...rest } = opts;
  if (rest.format === 'coursera') {
    const { format: _f, ...o } = rest;
    return { format: 'coursera', stats: await generate(o) };
  }
  const { format: _f, ...o } = rest;
  return { format: 'openedx', stats: await generateOpenEdx(o) };
}

async function checkTarget(file: string, force: boolean): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(file)).isDirectory();
  } catch {
    return; // absent (or unreadable, which the write will say)
  }
  if (isDirectory) throw new OutputError(`${file} is a directory; choose another --out`);
  if (!force) throw new OutputExistsError(file);
}

function writeError(err: unknown, dir: string, what: string): unknown {
  if (err instanceof OutputError || err instanceof OutputExistsError || err instanceof InterruptedError) return err;
  if (diskFullKind(err)) return new OutputError(`no space left on ${dir} while generating; nothing was written`, { cause: err });
  return new OutputError(`${what}: ${describeFsError(err)}`, { cause: err });
}
