/**
 * A damaged or tampered dataset is bad input, never an internal error: analyze (the built CLI)
 * refuses it with exit 3 and one line naming what is wrong, and writes nothing. Also the pure manifest
 * check on its own, and the dataset format's names.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output (convert starts worker threads from dist/)
import { convert } from '../dist/src/index.js';
import { partitionFileName, partitionNumber, partitionOfFileName } from '../src/dataset/dataset-format.js';
import { validateManifest, type Manifest } from '../src/dataset/manifest.js';
import { DatasetError } from '../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-manifest-'));
const cli = join(__dirname, '..', 'bin', 'clickstream.js');
const fixture = join(__dirname, '..', 'fixtures', 'quirks.jsonl');
let dataset: string;
let original: Manifest;

beforeAll(async () => {
  dataset = join(root, 'ds');
  await convert({ input: fixture, out: dataset, partitions: 4 });
  original = JSON.parse(readFileSync(join(dataset, '_manifest.json'), 'utf8')) as Manifest;
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A copy of the dataset whose manifest is `edit`ed (or replaced by the text it returns). */
function tampered(edit: (m: Manifest) => unknown): string {
  const copy = join(root, `t${n++}`);
  cpSync(dataset, copy, { recursive: true });
  const m = structuredClone(original);
  const result = edit(m);
  const text = typeof result === 'string' ? result : JSON.stringify(result === undefined ? m : result);
  writeFileSync(join(copy, '_manifest.json'), text);
  return copy;
}

function analyzeCli(ds: string): { status: number | null; stderr: string; out: string } {
  const out = join(root, `report-${n++}`);
  const r = spawnSync(process.execPath, [cli, 'analyze', ds, '--out', out, '--workers', '1', '--quiet'], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, out };
}

function expectRefused(ds: string, message: RegExp): void {
  const r = analyzeCli(ds);
  expect(r.stderr).toMatch(message);
  expect(r.status, r.stderr).toBe(3);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(existsSync(r.out)).toBe(false);
  expect(readdirSync(root).filter((f) => f.startsWith('.report-'))).toEqual([]);
}

describe('analyze refuses a damaged manifest with exit 3, naming what is wrong', () => {
  it('counts that do not add up (lines ≠ events + blank + rejected)', () => {
    const ds = tampered((m) => void (m.counts.lines += 1));
    const { lines, events, blank } = original.counts;
    const rejected = lines - events - blank;
    expectRefused(ds, new RegExp(`counts\\.lines is ${lines + 1} but events \\+ blank \\+ rejected = ${events} \\+ ${blank} \\+ ${rejected} = ${lines}`));
  });

  it('events changed on their own: the partitions no longer hold them', () => {
    const ds = tampered((m) => {
      m.counts.events += 2;
      m.counts.lines += 2;
    });
    expectRefused(ds, new RegExp(`the partitions hold ${original.counts.events} rows but counts\\.events is ${original.counts.events + 2}`));
  });

  it('a partition missing from the list', () => {
    const ds = tampered((m) => void m.partitions.splice(2, 1));
    expectRefused(ds, /options\.partitions is 4 but partitions lists 3; partition\(s\) 2 missing/);
  });

  it('a partition listed twice', () => {
    const ds = tampered((m) => void (m.partitions[3] = { ...m.partitions[1]! }));
    expectRefused(ds, /partition\(s\) 3 missing; partition\(s\) 1 listed more than once/);
  });

  it('a partition naming another partition\'s file', () => {
    const ds = tampered((m) => void (m.partitions[0]!.file = 'part-00001.parquet'));
    expectRefused(ds, /partition 0 names the file "part-00001\.parquet", not part-00000\.parquet/);
  });

  it('counts missing', () => {
    const ds = tampered((m) => {
      delete (m as Partial<Manifest>).counts;
    });
    expectRefused(ds, /_manifest\.json is damaged: counts must be an object, not missing/);
  });

  it('a rejected reason missing, and a count that is not a whole number', () => {
    const ds = tampered((m) => {
      delete (m.counts.rejected as Partial<Manifest['counts']['rejected']>).too_long;
      (m.counts as { blank: unknown }).blank = '3';
    });
    expectRefused(ds, /counts\.blank must be a whole number ≥ 0, not "3"; counts\.rejected\.too_long must be a whole number ≥ 0, not missing/);
  });

  it('null, a list, and text that is not JSON', () => {
    expectRefused(tampered(() => 'null'), /_manifest\.json is damaged: it holds null, not a manifest object/);
    expectRefused(tampered(() => '[]'), /_manifest\.json is damaged: it holds a list, not a manifest object/);
    expectRefused(tampered(() => '{"schemaVersion": 1, "counts": '), /_manifest\.json is damaged: it is not JSON/);
  });

  it('another schema version', () => {
    expectRefused(tampered((m) => ({ ...m, schemaVersion: 99 })), /has dataset schema version 99; this clickstream reads versions 1 and 2 \(writes 2\)/);
  });

  it('version 2: an unknown format, columns of another format, per-file counts that do not add up', () => {
    expectRefused(tampered((m) => ({ ...m, format: 'xapi' })), /format must be one of "coursera", "openedx", not "xapi"/);
    expectRefused(tampered((m) => ({ ...m, format: 'openedx' })), /columns are not those of the openedx format/);
    expectRefused(
      tampered((m) => {
        m.inputs![0]!.counts.events -= 1;
        m.inputs![0]!.counts.blank += 1;
      }),
      /the input files' events add up to \d+ but counts\.events is \d+.*the input files' blank add up to/,
    );
    expectRefused(tampered((m) => ({ ...m, inputs: [] })), /inputs lists no input file/);
    expectRefused(tampered((m) => ({ ...m, inputs: undefined })), /inputs must be a list, not missing/);
  });
});

describe('a version-1 dataset (no format, no inputs) stays readable: a Coursera export', () => {
  it('is analyzed as before', () => {
    const v1 = tampered((m) => {
      const { format: _format, inputs: _inputs, ...rest } = m;
      return { ...rest, schemaVersion: 1 };
    });
    const r = analyzeCli(v1);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(r.out, 'summary.json'), 'utf8'));
    expect(summary.events).toBe(original.counts.events);
    expect(summary.courses).toBeUndefined();
    expect(existsSync(join(r.out, 'courses.csv'))).toBe(false);
  });
});

describe('partition files', () => {
  it('refuses a partition file that is a symbolic link leading outside the dataset', () => {
    const ds = tampered(() => undefined);
    const outside = join(root, 'outside.parquet');
    renameSync(join(ds, 'part-00002.parquet'), outside);
    symlinkSync(outside, join(ds, 'part-00002.parquet'));
    expectRefused(ds, /partition file part-00002\.parquet is a symbolic link leading outside the dataset \(to .*outside\.parquet\); refused/);
  });

  it('follows a symbolic link that stays inside the dataset', () => {
    const ds = tampered(() => undefined);
    mkdirSync(join(ds, 'store'));
    renameSync(join(ds, 'part-00002.parquet'), join(ds, 'store', 'p2.parquet'));
    symlinkSync(join('store', 'p2.parquet'), join(ds, 'part-00002.parquet'));
    const r = analyzeCli(ds);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(r.out, 'summary.json'), 'utf8'));
    expect(summary.events).toBe(original.counts.events);
  });

  it('refuses a partition "file" that is a directory', () => {
    const ds = tampered(() => undefined);
    rmSync(join(ds, 'part-00001.parquet'));
    mkdirSync(join(ds, 'part-00001.parquet'));
    expectRefused(ds, /partition file part-00001\.parquet is not a regular file/);
  });
});

describe('analyze given something that is not a dataset', () => {
  it('an export file: says to run convert first (not ENOTDIR)', () => {
    for (const file of [fixture, join(__dirname, '..', 'fixtures', 'quirks.jsonl.gz')]) {
      const r = analyzeCli(file);
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toContain(`${file} is a clickstream export, not a dataset; run \`clickstream convert ${file} --out <dataset-dir>\` first`);
      expect(r.stderr).not.toContain('ENOTDIR');
    }
  });

  it('a partition file, another file, a path that does not exist', () => {
    expectRefused(join(dataset, 'part-00000.parquet'), /part-00000\.parquet is a Parquet file; analyze takes the dataset directory that holds it/);
    expectRefused(join(dataset, '_rejected.jsonl'), /_rejected\.jsonl is a (file, not a dataset directory|clickstream export)/);
    expectRefused(join(root, 'nope'), /nope does not exist/);
  });
});

describe('validateManifest', () => {
  it('accepts the manifest convert wrote, and returns it unchanged', () => {
    expect(validateManifest(structuredClone(original), 'm')).toEqual(original);
  });

  it('throws DatasetError listing at most eight problems, then how many more', () => {
    const bad = structuredClone(original) as unknown as Record<string, unknown>;
    for (const key of ['createdAt', 'input', 'counts', 'options', 'columns', 'partitions', 'durationMs']) delete bad[key];
    bad.tool = { name: 7 };
    bad.extra = 1; // unknown keys are ignored
    let err: unknown;
    try {
      validateManifest(bad, 'm');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(
      'm is damaged: tool.name must be text, not 7; tool.version must be text, not missing; createdAt must be text, not missing; ' +
        'input must be an object, not missing; counts must be an object, not missing; options must be an object, not missing; ' +
        'columns must be a list, not missing; durationMs must be a whole number ≥ 0, not missing; and 1 more problem(s); ' +
        'convert the export again',
    );
  });
});

describe('dataset format names', () => {
  it('pads partition numbers to five digits, and reads them back', () => {
    expect(partitionNumber(7)).toBe('00007');
    expect(partitionFileName(42)).toBe('part-00042.parquet');
    expect(partitionOfFileName('part-00042.parquet')).toBe(42);
    expect(partitionOfFileName('part-42.parquet')).toBeUndefined();
    expect(partitionOfFileName('../part-00042.parquet')).toBeUndefined();
    expect(() => partitionNumber(-1)).toThrow(RangeError);
  });
});
