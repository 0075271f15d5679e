/**
 * `_manifest.json`: reading it, checking it, writing it. The manifest is the dataset's accounting
 * (`lines = events + blank + rejected`) and its list of partitions; analyze trusts nothing else about
 * a dataset, so a manifest that is damaged or edited by hand is refused here, naming what is wrong,
 * before any job is planned.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError, InternalError } from '../errors.js';
import { DEFAULT_FORMAT_NAME, FORMAT_NAMES, inputFormat, isFormatName, type FormatName } from '../formats/format-registry.js';
import { REJECT_REASONS, type ColumnInfo, type InputCounts } from '../types.js';
import { DATASET_SCHEMA_VERSION, MANIFEST_FILE, MAX_PARTITIONS, READABLE_SCHEMA_VERSIONS, partitionFileName } from './dataset-format.js';

/** A partition of the dataset, as the manifest lists it. */
export interface PartitionInfo {
  /** 0-based partition number; each username lives in exactly one partition. */
  id: number;
  /** Parquet file path relative to the dataset directory. */
  file: string;
  rows: number;
  bytes: number;
}

/** One input file of a convert, as the manifest accounts for it (schema version 2). */
export interface ManifestInput {
  /** As given to convert (`-` for standard input). */
  path: string;
  bytes: number;
  /** Bytes after decompression (equal to `bytes` for a plain file). */
  decompressedBytes: number;
  compression: 'gzip' | 'none';
  sha256: string;
  /** This file's lines: `lines = events + blank + rejected`; the files' counts add up to the dataset's. */
  counts: InputCounts;
}

/** `_manifest.json`, written last: a dataset without it is incomplete. */
export interface Manifest {
  schemaVersion: number;
  tool: { name: string; version: string };
  createdAt: string;
  /** The first input file (schema version 1 had only one), without its counts: those are `counts`. */
  input: Omit<ManifestInput, 'counts'>;
  counts: InputCounts;
  /**
   * Input format: a name of the format registry (src/formats/format-registry.ts). Schema version 2; a version-1 manifest has none and is a
   * Coursera export (see `datasetFormat`).
   */
  format?: FormatName;
  /** Every input file in the order read (schema version 2); `input` is the first of them. */
  inputs?: ManifestInput[];
  options: { partitions: number; maxLineBytes: number };
  columns: ColumnInfo[];
  partitions: PartitionInfo[];
  durationMs: number;
}

/** Format of a dataset whose manifest records none (schema version 1: Coursera exports only). */
export const VERSION_1_FORMAT: FormatName = DEFAULT_FORMAT_NAME;

/** The input format of a (checked) dataset: `format`, or Coursera for a version-1 manifest. */
export function datasetFormat(manifest: Manifest): FormatName {
  const format = manifest.format ?? VERSION_1_FORMAT;
  // checkManifest refused any other name; a manifest built in code names a registry format too.
  if (!isFormatName(format)) throw new InternalError(`manifest names unknown format ${JSON.stringify(format)}`);
  return format;
}

/** Problems listed in one error message at most; the rest are counted. */
const MAX_PROBLEMS_SHOWN = 8;

/**
 * Checks a parsed `_manifest.json` against the dataset schema and the accounting identity, and returns
 * it typed. Pure. Throws {@link DatasetError} (exit 3) naming every problem found (up to eight):
 *
 * - the schema version must be one this tool reads (1 or 2);
 * - every field of {@link Manifest} must be there with its type; counts and sizes are whole numbers ≥ 0;
 * - `counts.lines = counts.events + counts.blank + Σ counts.rejected` (every reason present);
 * - partitions are numbered 0 … N−1, each exactly once, N = `options.partitions`, each in the file
 *   `part-NNNNN.parquet` of its number; their rows add up to `counts.events`;
 * - version 2: `format` is a known format and `columns` are its columns; `inputs` lists every input
 *   file (the first one is `input`), each with its own counts, and the files' counts add up to `counts`.
 *
 * Keys the schema does not name are ignored (a later minor version may add some).
 *
 * @param where how to name the manifest in messages, e.g. its path.
 */
export function validateManifest(value: unknown, where: string): Manifest {
  if (!isObject(value)) throw new DatasetError(`${where} is damaged: it holds ${describe(value)}, not a manifest object`);
  if (typeof value.schemaVersion !== 'number' || !READABLE_SCHEMA_VERSIONS.includes(value.schemaVersion)) {
    throw new DatasetError(
      `${where} has dataset schema version ${JSON.stringify(value.schemaVersion) ?? 'undefined'}; this clickstream reads versions ` +
        `${READABLE_SCHEMA_VERSIONS.join(' and ')} (writes ${DATASET_SCHEMA_VERSION}); convert the export again`,
    );
  }
  const version2 = value.schemaVersion >= 2;
  const problems: string[] = [];
  const check = new Checker(value, problems);

  check.object('tool', (t) => {
    t.string('name');
    t.string('version');
  });
  check.string('createdAt');
  check.object('input', (i) => {
    i.string('path');
    i.count('bytes');
    i.count('decompressedBytes');
    i.oneOf('compression', ['gzip', 'none']);
    i.string('sha256');
  });
  const checkCounts = (c: Checker): void => {
    c.count('lines');
    c.count('events');
    c.count('blank');
    c.object('rejected', (r) => {
      // other_format is newer than the manifest format: counted only when such lines occurred.
      for (const reason of REJECT_REASONS) (reason === 'other_format' ? r.optionalCount(reason) : r.count(reason));
    });
  };
  const countsOk = check.object('counts', checkCounts);
  let formatOk = false;
  let inputsOk = false;
  if (version2) {
    formatOk = check.oneOf('format', FORMAT_NAMES);
    inputsOk = check.array('inputs', (item, path) => {
      if (!isObject(item)) {
        problems.push(`${path} must be an object, not ${describe(item)}`);
        return;
      }
      const i = new Checker(item, problems, path);
      i.string('path');
      i.count('bytes');
      i.count('decompressedBytes');
      i.oneOf('compression', ['gzip', 'none']);
      i.string('sha256');
      i.object('counts', checkCounts);
    });
  }
  check.object('options', (o) => {
    o.count('partitions');
    o.count('maxLineBytes');
  });
  check.array('columns', (column, path) => {
    if (!isObject(column) || typeof column.name !== 'string' || (column.type !== 'VARCHAR' && column.type !== 'BIGINT')) {
      problems.push(`${path} must be { "name": <text>, "type": "VARCHAR" | "BIGINT" }`);
    }
  });
  check.count('durationMs');

  const partitionsOk = check.array('partitions', (p, path) => {
    if (!isObject(p)) {
      problems.push(`${path} must be an object, not ${describe(p)}`);
      return;
    }
    const c = new Checker(p, problems, path);
    c.count('id');
    c.string('file');
    c.count('rows');
    c.count('bytes');
  });

  if (countsOk && problems.length === 0) {
    const counts = (value as unknown as Manifest).counts;
    const rejected = REJECT_REASONS.reduce((sum, reason) => sum + (counts.rejected[reason] ?? 0), 0);
    if (counts.lines !== counts.events + counts.blank + rejected) {
      problems.push(
        `counts.lines is ${counts.lines} but events + blank + rejected = ${counts.events} + ${counts.blank} + ${rejected} = ` +
          `${counts.events + counts.blank + rejected}`,
      );
    }
  }
  if (partitionsOk && problems.length === 0) checkPartitions(value as unknown as Manifest, problems);
  if (version2 && formatOk && inputsOk && countsOk && problems.length === 0) checkInputs(value as unknown as Manifest, problems);

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ');
    const more = problems.length > MAX_PROBLEMS_SHOWN ? `; and ${problems.length - MAX_PROBLEMS_SHOWN} more problem(s)` : '';
    throw new DatasetError(`${where} is damaged: ${shown}${more}; convert the export again`);
  }
  return value as unknown as Manifest;
}

/** Version 2: columns of the format, and per-file counts that add up (the fields are known to be well typed here). */
function checkInputs(m: Manifest, problems: string[]): void {
  const format = m.format as FormatName;
  const want = inputFormat(format).columns;
  const same = m.columns.length === want.length && m.columns.every((c, i) => c.name === want[i]!.name && c.type === want[i]!.type);
  if (!same) problems.push(`columns are not those of the ${format} format (${want.map((c) => c.name).join(', ')})`);
  const inputs = m.inputs ?? [];
  if (inputs.length === 0) {
    problems.push('inputs lists no input file');
    return;
  }
  const first = inputs[0]!;
  if (first.path !== m.input.path || first.sha256 !== m.input.sha256) problems.push('input is not the first of inputs');
  const sum: InputCounts = { lines: 0, events: 0, blank: 0, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 } };
  inputs.forEach((i, n) => {
    const rejected = REJECT_REASONS.reduce((s, reason) => s + (i.counts.rejected[reason] ?? 0), 0);
    if (i.counts.lines !== i.counts.events + i.counts.blank + rejected) {
      problems.push(`inputs[${n}].counts.lines is ${i.counts.lines} but events + blank + rejected = ${i.counts.events + i.counts.blank + rejected}`);
    }
    sum.lines += i.counts.lines;
    sum.events += i.counts.events;
    sum.blank += i.counts.blank;
    for (const reason of REJECT_REASONS) sum.rejected[reason] = (sum.rejected[reason] ?? 0) + (i.counts.rejected[reason] ?? 0);
  });
  for (const key of ['lines', 'events', 'blank'] as const) {
    if (sum[key] !== m.counts[key]) problems.push(`the input files' ${key} add up to ${sum[key]} but counts.${key} is ${m.counts[key]}`);
  }
  for (const reason of REJECT_REASONS) {
    if ((sum.rejected[reason] ?? 0) !== (m.counts.rejected[reason] ?? 0)) {
      problems.push(`the input files' rejected.${reason} add up to ${sum.rejected[reason] ?? 0} but counts.rejected.${reason} is ${m.counts.rejected[reason] ?? 0}`);
    }
  }
}

/** Partition numbering, files and row totals (the fields are known to be well typed here). */
function checkPartitions(m: Manifest, problems: string[]): void {
  const n = m.partitions.length;
  if (n === 0) problems.push('partitions lists no partition');
  if (n > MAX_PARTITIONS) problems.push(`partitions lists ${n} partitions; at most ${MAX_PARTITIONS} are possible`);
  if (m.options.partitions !== n) problems.push(`options.partitions is ${m.options.partitions} but partitions lists ${n}`);
  const seen = new Map<number, number>();
  for (const p of m.partitions) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
  const expected = Math.max(n, m.options.partitions);
  const missing: number[] = [];
  for (let id = 0; id < Math.min(expected, MAX_PARTITIONS); id++) if (!seen.has(id)) missing.push(id);
  if (missing.length > 0) problems.push(`partition(s) ${list(missing)} missing`);
  const duplicated = [...seen].filter(([, k]) => k > 1).map(([id]) => id);
  if (duplicated.length > 0) problems.push(`partition(s) ${list(duplicated)} listed more than once`);
  const outOfRange = [...seen.keys()].filter((id) => id >= expected);
  if (outOfRange.length > 0) problems.push(`partition number(s) ${list(outOfRange)} beyond ${expected - 1}`);
  for (const p of m.partitions) {
    if (p.id < MAX_PARTITIONS && p.file !== partitionFileName(p.id)) {
      problems.push(`partition ${p.id} names the file ${JSON.stringify(p.file)}, not ${partitionFileName(p.id)}`);
    }
  }
  const rows = m.partitions.reduce((sum, p) => sum + p.rows, 0);
  if (rows !== m.counts.events) problems.push(`the partitions hold ${rows} rows but counts.events is ${m.counts.events}`);
}

/** Reads and checks `<dir>/_manifest.json`. A missing manifest is a DatasetError saying so. */
export async function readManifest(dir: string, shownAs: string = dir): Promise<Manifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatasetError(`${shownAs} is not a clickstream dataset (no ${MANIFEST_FILE}); create one with \`clickstream convert\``);
    }
    throw new DatasetError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DatasetError(`${path} is damaged: it is not JSON (${(err as Error).message}); convert the export again`, { cause: err });
  }
  return validateManifest(parsed, path);
}

/**
 * Writes `<dir>/_manifest.json`. The manifest is checked first: convert must never write one that
 * analyze would refuse (that would be a bug, hence InternalError).
 */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  try {
    validateManifest(manifest, 'the manifest about to be written');
  } catch (err) {
    throw new InternalError((err as Error).message, { cause: err });
  }
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

/** Field checks that record a problem per bad field and say whether the field was fine. */
class Checker {
  constructor(
    private readonly value: unknown,
    private readonly problems: string[],
    private readonly path = '',
  ) {}

  private field(key: string): { ok: boolean; v: unknown; name: string } {
    const name = this.path ? `${this.path}.${key}` : key;
    if (!isObject(this.value)) return { ok: false, v: undefined, name };
    return { ok: true, v: this.value[key], name };
  }

  /** A count that may be absent. */
  optionalCount(key: string): boolean {
    return isObject(this.value) && !(key in this.value) ? true : this.count(key);
  }

  count(key: string): boolean {
    const { ok, v, name } = this.field(key);
    if (ok && Number.isSafeInteger(v) && (v as number) >= 0) return true;
    this.problems.push(`${name} must be a whole number ≥ 0, not ${describe(v)}`);
    return false;
  }

  string(key: string): boolean {
    const { ok, v, name } = this.field(key);
    if (ok && typeof v === 'string') return true;
    this.problems.push(`${name} must be text, not ${describe(v)}`);
    return false;
  }

  oneOf(key: string, allowed: readonly string[]): boolean {
    const { ok, v, name } = this.field(key);
    if (ok && typeof v === 'string' && allowed.includes(v)) return true;
    this.problems.push(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, not ${describe(v)}`);
    return false;
  }

  object(key: string, inner: (c: Checker) => void): boolean {
    const { ok, v, name } = this.field(key);
    if (!ok || !isObject(v)) {
      this.problems.push(`${name} must be an object, not ${describe(v)}`);
      return false;
    }
    const before = this.problems.length;
    inner(new Checker(v, this.problems, name));
    return this.problems.length === before;
  }

  array(key: string, each: (item: unknown, path: string) => void): boolean {
    const { ok, v, name } = this.field(key);
    if (!ok || !Array.isArray(v)) {
      this.problems.push(`${name} must be a list, not ${describe(v)}`);
      return false;
    }
    const before = this.problems.length;
    v.forEach((item, i) => each(item, `${name}[${i}]`));
    return this.problems.length === before;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function list(ids: number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  return sorted.length <= 10 ? sorted.join(', ') : `${sorted.slice(0, 10).join(', ')} and ${sorted.length - 10} more`;
}
