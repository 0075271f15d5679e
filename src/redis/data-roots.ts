/**
 * Where a `clickstream worker` may read datasets and write results: under the directories it was
 * started with (`--data-root`, default the current directory). A job comes from whoever can write to
 * the queue; its paths are checked against these roots — as written and after resolving symbolic
 * links — before anything is opened or created, and a job that reaches outside is refused for good.
 */
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AggregatePartitionPayload } from '../analyze/partition-job.js';
import { isInside } from '../util/is-inside.js';
import { InvalidPayloadError, UsageError } from '../errors.js';

/** The directories a worker reads datasets from and writes results into. */
export class DataRoots {
  private constructor(
    /** The roots as given, resolved to absolute paths. */
    readonly roots: readonly string[],
    /** The same with symbolic links resolved. */
    private readonly real: readonly string[],
  ) {}

  /**
   * The roots a worker was started with; each must be an existing directory (UsageError otherwise).
   * @param roots directories (relative ones against `cwd`). Default: `[cwd]`.
   * @param cwd default `process.cwd()`.
   */
  static create(roots: readonly string[] = [], cwd: string = process.cwd()): DataRoots {
    const given = (roots.length > 0 ? roots : [cwd]).map((r) => resolve(cwd, r));
    const real = given.map((r) => {
      try {
        return realpathSync.native(r);
      } catch (err) {
        throw new UsageError(`--data-root ${r} cannot be used: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    });
    return new DataRoots(given, real);
  }

  /** For the start-up line. */
  describe(): string {
    return this.roots.join(', ');
  }

  /**
   * Refuses (InvalidPayloadError, never retried) a job whose dataset, partition file or result
   * directory is outside the roots, as written or through a symbolic link; a partition file must
   * also stay inside its dataset. Paths that do not exist (yet) are checked as far as they exist:
   * a missing dataset is left to the caller's "not visible here" error, which is retried.
   */
  async check(payload: AggregatePartitionPayload): Promise<void> {
    const refuse = (why: string): never => {
      throw new InvalidPayloadError(`refusing job payload: ${why}`);
    };
    const dataset = resolve(payload.dataset);
    if (!this.holds(this.roots, dataset)) refuse(`dataset ${dataset} is outside this worker's data roots (${this.describe()})`);
    const resultDir = resolve(payload.resultDir);
    if (!this.holds(this.roots, resultDir)) refuse(`resultDir ${resultDir} is outside this worker's data roots (${this.describe()})`);

    const realResult = await realpathOfExisting(resultDir);
    if (!this.holds(this.real, realResult)) refuse(`resultDir ${resultDir} leads outside this worker's data roots (to ${realResult})`);
    const realDataset = await realpath(dataset).catch(() => undefined);
    if (realDataset === undefined) return; // not visible here: the caller says so (and retries)
    if (!this.holds(this.real, realDataset)) refuse(`dataset ${dataset} leads outside this worker's data roots (to ${realDataset})`);
    const file = resolve(dataset, payload.file);
    const realFile = await realpath(file).catch(() => undefined);
    if (realFile !== undefined && !isInside(realDataset, realFile)) {
      refuse(`partition file ${file} leads outside its dataset (to ${realFile})`);
    }
  }

  private holds(roots: readonly string[], path: string): boolean {
    return roots.some((root) => isInside(root, path));
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realpathOfExisting(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return resolve(await realpath(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(current.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
      current = parent;
    }
  }
}
