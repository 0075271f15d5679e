/**
 * A full disk (ENOSPC) or quota (EDQUOT) anywhere — staging, parse threads, DuckDB, partial results,
 * report — is exit 4 with "no space left on <dir>", one line, and nothing is left behind.
 * Real: a small tmpfs filled to a chosen free space (needs root and mount; skipped, saying why,
 * elsewhere). The mapping of errors as they arrive (codes, or text only once they crossed a
 * thread, a queue or DuckDB) is tested directly everywhere.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { diskFullKind, mapDiskFull } from '../dist/src/util/disk-full.js';
// @ts-ignore -- compiled output, typed only at run time
import { QuarantineWriter } from '../dist/src/convert/quarantine-writer.js';
// @ts-ignore -- compiled output, typed only at run time
import { InternalError, JobFailedError, OutputError } from '../dist/src/index.js';
import { ROOT, cli, describeRun, run, type Run } from './helpers/e2e.js';
import { mountTmpfs, type Tmpfs } from './helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-diskfull-'));
const mnt = join(root, 'mnt');
let tmpfs: Tmpfs | undefined;
let input: string;
let dataset: string;

beforeAll(async () => {
  tmpfs = mountTmpfs(mnt, '48m');
  input = join(root, 'export.jsonl');
  const g = await run(process.execPath, [join(ROOT, 'dist', 'fixtures', 'generate.js'), '--out', input, '--bytes', '8MB', '--seed', 'diskfull']);
  expect(g.code, describeRun('generate', g)).toBe(0);
  dataset = join(root, 'ds');
  const c = await cli(['convert', input, '--out', dataset, '--quiet', '--partitions', '4']);
  expect(c.code, describeRun('convert', c)).toBe(0);
}, 120_000);

afterAll(() => {
  tmpfs?.unmount();
  rmSync(root, { recursive: true, force: true });
});

/** Empties the tmpfs, then fills it until `free` bytes are left. */
function leaveFree(free: number): void {
  for (const name of readdirSync(mnt)) rmSync(join(mnt, name), { recursive: true, force: true });
  const st = statfsSync(mnt);
  const filler = st.bavail * st.bsize - free;
  if (filler > 0) writeFileSync(join(mnt, 'filler'), Buffer.alloc(filler));
}

function du(path: string): number {
  const st = statSync(path);
  return st.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0) : st.size;
}

/** The run either succeeded or failed with the one-line message, leaving only the filler. Returns the stage. */
function outcome(r: Run, what: string, output: string): string {
  if (r.code === 0) {
    expect(readdirSync(mnt).filter((n) => n !== 'filler'), what).toEqual([output]);
    return 'ok';
  }
  expect(r.code, describeRun(what, r)).toBe(4);
  const m = /^clickstream: no space left on (\S+) while (.+); no (dataset|report) was written\n$/.exec(r.stderr);
  expect(m, describeRun(what, r)).not.toBeNull();
  expect(m![1]).toBe(mnt);
  expect(readdirSync(mnt).filter((n) => n !== 'filler'), `${what}: nothing left behind`).toEqual([]);
  return m![2]!;
}

describe('a full disk, for real (tmpfs)', () => {
  it('convert: exit 4 naming the directory, whether staging or Parquet runs out of space; nothing left', async (ctx) => {
    if (!tmpfs?.mounted) {
      console.warn(`skipped: ${tmpfs?.whyNot ?? 'no tmpfs'}`);
      ctx.skip();
    }
    const convertTo = (): Promise<Run> => cli(['convert', input, '--out', join(mnt, 'ds'), '--quiet', '--partitions', '1']);
    leaveFree(40 << 20);
    expect(outcome(await convertTo(), 'convert with room', 'ds')).toBe('ok');
    const parquet = du(join(mnt, 'ds'));
    const size = statSync(input).size;
    const stages: string[] = [];
    // From half the input (staging cannot fit) up to input + dataset + room to spare, in quarters of the dataset.
    for (const free of [0, size / 2, ...Array.from({ length: 12 }, (_, i) => size * 0.9 + (i * parquet) / 4), size + parquet + (4 << 20)]) {
      leaveFree(Math.round(free));
      stages.push(outcome(await convertTo(), `convert with ${Math.round(free)} bytes free`, 'ds'));
    }
    expect(stages[0]).toMatch(/^(creating|staging)/);
    expect(stages[1]).toBe('staging events and rejected lines');
    expect(stages).toContain('writing Parquet partition 0');
    expect(stages.at(-1)).toBe('ok');
  }, 300_000);

  it('analyze: exit 4 naming the directory, whether partial results or the report run out of space; nothing left', async (ctx) => {
    if (!tmpfs?.mounted) {
      console.warn(`skipped: ${tmpfs?.whyNot ?? 'no tmpfs'}`);
      ctx.skip();
    }
    const analyzeTo = (): Promise<Run> => cli(['analyze', dataset, '--out', join(mnt, 'rep'), '--quiet', '--workers', '2']);
    leaveFree(40 << 20);
    expect(outcome(await analyzeTo(), 'analyze with room', 'rep')).toBe('ok');
    const report = du(join(mnt, 'rep'));
    const stages: string[] = [];
    for (let k = 0; k <= 8; k++) {
      leaveFree(Math.round((k * report) / 4));
      stages.push(outcome(await analyzeTo(), `analyze with ${k}/4 of a report free`, 'rep'));
    }
    expect(stages[0]).toBe('writing partial results');
    expect(stages).toContain('writing the report');
    expect(stages.at(-1)).toBe('ok');
  }, 300_000);
});

describe('recognising a full disk in the errors that reach the top', () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const edquot = Object.assign(new Error('EDQUOT: disk quota exceeded, write'), { code: 'EDQUOT' });

  it('by code, by text after a thread, a job or DuckDB, and through causes', () => {
    expect(diskFullKind(enospc)).toBe('full');
    expect(diskFullKind(edquot)).toBe('quota');
    // A parse thread's error reaches the pool as text.
    expect(diskFullKind(new InternalError('parse thread 0 failed: ENOSPC: no space left on device, write'))).toBe('full');
    // DuckDB's own wording.
    expect(diskFullKind(new InternalError('DuckDB could not read …: IO Error: Could not write file "/x/part-00000.parquet": No space left on device'))).toBe('full');
    expect(diskFullKind(new JobFailedError(3, "ENOSPC: no space left on device, open '/r/partition-00003.json.tmp'", 1))).toBe('full');
    expect(diskFullKind(new JobFailedError(3, 'Disk quota exceeded', 1))).toBe('quota');
    expect(diskFullKind(new OutputError('cannot write /x/_rejected.jsonl', { cause: new Error('wrapped', { cause: enospc }) }))).toBe('full');
    expect(diskFullKind(new Error('EACCES: permission denied'))).toBeUndefined();
    expect(diskFullKind(undefined)).toBeUndefined();
  });

  it('maps to a one-line OutputError (exit 4) naming the directory and the stage; leaves other errors alone', () => {
    const mapped = mapDiskFull(enospc, '/data', 'writing Parquet partition 3', 'no dataset was written');
    expect(mapped).toBeInstanceOf(OutputError);
    expect(mapped).toMatchObject({ exitCode: 4, message: 'no space left on /data while writing Parquet partition 3; no dataset was written' });
    expect(mapDiskFull(edquot, '/data', 'writing the report', 'no report was written')).toMatchObject({
      message: 'no space left on /data (disk quota exceeded) while writing the report; no report was written',
    });
    const other = new Error('EACCES');
    expect(mapDiskFull(other, '/data', 'x', 'y')).toBe(other);
  });

  it('a real ENOSPC from the kernel (/dev/full) through the quarantine writer maps too', async () => {
    const writer = await QuarantineWriter.open('/dev/full');
    let caught: unknown;
    try {
      for (let i = 0; i < 100_000; i++) await writer.write({ line: i, reason: 'invalid_json', text: 'x'.repeat(100), bytes: 100 });
      await writer.close();
    } catch (err) {
      caught = err;
    }
    expect(mapDiskFull(caught, '/dev', 'staging events and rejected lines', 'no dataset was written')).toMatchObject({
      exitCode: 4,
      message: 'no space left on /dev while staging events and rejected lines; no dataset was written',
    });
  });
});
