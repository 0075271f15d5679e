import { readFile, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, parse, resolve } from 'node:path';
import { MANIFEST_FILE } from '../dataset/dataset-format.js';
import { DEMO_MARKER, isDemoMarker } from '../demo/demo-marker.js';
import { OutputError } from '../errors.js';
import { SUMMARY_FILE, isSummaryShaped } from '../report/report-format.js';
import { isInside } from './is-inside.js';

/** What `--force` may replace, and what it must never touch. */
export interface ReplaceGuard {
  /**
   * The only kind of directory `--force` replaces: a dataset (`_manifest.json`), a report
   * (`summary.json`), a comparison (`compare.csv`), a catalog report (`catalog-summary.json`) or a
   * demo (`clickstream-demo.json`).
   */
  kind: OutputKind;
  /** The command's inputs (export file, dataset directory): never replaced, nor any directory holding one. */
  inputs: string[];
}

/**
 * Throws OutputError (exit 4) saying why, unless `path` is a directory this tool wrote, of the
 * guard's kind, that is neither an input nor holds one, nor the working directory, one of its
 * parents, the home directory or the root. `--force` deletes what it replaces, so it must be sure.
 */
export async function checkReplaceable(path: string, guard: ReplaceGuard): Promise<void> {
  const why = await replaceRefusal(path, guard);
  if (why !== undefined) throw new OutputError(`refusing to replace ${path} with --force: ${why}`);
}

/** Why `--force` may not replace `path` (see {@link checkReplaceable}); undefined when it may. */
export async function replaceRefusal(path: string, guard: ReplaceGuard): Promise<string | undefined> {
  const target = await realOrResolved(path);
  for (const input of guard.inputs) {
    const real = await realOrResolved(input);
    if (real === target) return `it is the input ${input}`;
    if (isInside(target, real)) return `it holds the input ${input}`;
  }
  if (target === parse(target).root) return 'it is the root directory';
  const cwd = await realOrResolved(process.cwd());
  if (isInside(target, cwd)) return 'it is the working directory or one of its parents';
  const home = await realOrResolved(homedir());
  if (isInside(target, home)) return 'it is the home directory or one of its parents';
  const kind = OUTPUT_KINDS[guard.kind];
  if (!(await kind.recognise(target))) return `it is not ${kind.what}`;
  return undefined;
}

/** The kinds of directory this tool writes, each recognised by the file it writes. */
export type OutputKind = 'dataset' | 'report' | 'comparison' | 'catalog-report' | 'demo';

const OUTPUT_KINDS: Record<OutputKind, { what: string; recognise: (dir: string) => Promise<boolean> }> = {
  dataset: { what: 'a clickstream dataset (no valid _manifest.json)', recognise: isDataset },
  report: { what: `a clickstream report (no valid ${SUMMARY_FILE})`, recognise: isReport },
  comparison: { what: 'a clickstream comparison (no compare.csv of ours)', recognise: isComparison },
  'catalog-report': { what: 'a clickstream catalog report (no valid catalog-summary.json)', recognise: isCatalogReport },
  demo: { what: `a directory clickstream demo wrote (no valid ${DEMO_MARKER})`, recognise: async (dir) => isDemoMarker(await readJson(join(dir, DEMO_MARKER))) },
};

/** A directory holding the `_manifest.json` that convert writes last. */
async function isDataset(dir: string): Promise<boolean> {
  const m = await readJson(join(dir, MANIFEST_FILE));
  return (
    m !== undefined &&
    Number.isInteger(m.schemaVersion) &&
    (m.tool as { name?: unknown } | undefined)?.name === 'clickstream' &&
    Array.isArray(m.partitions) &&
    typeof m.counts === 'object'
  );
}

/** A directory holding the `summary.json` that analyze writes. */
async function isReport(dir: string): Promise<boolean> {
  return isSummaryShaped(await readJson(join(dir, SUMMARY_FILE)));
}

/** A directory holding the `compare.csv` that compare writes (its header is ours). */
async function isComparison(dir: string): Promise<boolean> {
  try {
    const head = (await readFile(join(dir, 'compare.csv'), 'utf8')).slice(0, 200);
    return head.startsWith('report,events,learners,');
  } catch {
    return false;
  }
}

/** A directory holding the `catalog-summary.json` that catalog report writes. */
async function isCatalogReport(dir: string): Promise<boolean> {
  const s = await readJson(join(dir, 'catalog-summary.json'));
  return s !== undefined && Array.isArray(s.groups);
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // missing, unreadable, a directory, not JSON: not ours
  }
}

/** The real path (symbolic links resolved); the plain absolute path when it does not exist. */
async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}
