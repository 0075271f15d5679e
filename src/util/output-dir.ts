import { rmSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputError, OutputExistsError } from '../errors.js';
import { diskFullKind } from './disk-full.js';
import { formatBytes } from './format-bytes.js';
import { describeFsError } from './fs-error.js';
import { checkReplaceable, replaceRefusal, type ReplaceGuard } from './replace-guard.js';
import { removeStaleTemps, tempName } from './stale-temps.js';

/** Options of {@link StagedOutput.create}. */
export interface StagedOutputOptions {
  /** Replace an existing output, when {@link checkReplaceable} allows it. Default false. */
  force?: boolean;
  /** What `force` may replace and what it must never touch. */
  guard: ReplaceGuard;
  /** Told, in one line, about each stale temporary removed. Default: nothing is told. */
  onNotice?: (line: string) => void;
}

// Temporary outputs not yet committed or discarded: removed even when the process exits at once
// (a second Ctrl-C calls process.exit), so an unfinished dataset is never left behind.
const live = new Set<string>();
let cleanupInstalled = false;
function track(path: string): void {
  live.add(path);
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', removeUnfinishedOutputs);
}

/**
 * Counts `path` (a temporary file or directory) among the unfinished outputs removed at exit and
 * by {@link removeUnfinishedOutputs}, until {@link untrackUnfinished}; for outputs that are files.
 */
export function trackUnfinished(path: string): void {
  track(path);
}

/** `path` is finished or removed: exits no longer remove it. */
export function untrackUnfinished(path: string): void {
  live.delete(path);
}

/** Removes every temporary output not yet committed or discarded, at once; for exits that cannot wait. */
export function removeUnfinishedOutputs(): void {
  // Parse threads may still be appending while this runs: retry a directory that refills.
  for (const p of live) {
    try {
      rmSync(p, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    } catch {
      // nothing more can be done while exiting
    }
  }
}

/**
 * An output directory that appears only when complete: everything is written into a temporary
 * sibling (same file system, so the final rename is atomic) which is renamed into place at the end.
 */
export class StagedOutput {
  private constructor(
    /** Where the output will finally be. */
    readonly finalPath: string,
    /** Where it is being written. */
    readonly tempPath: string,
    private readonly options: StagedOutputOptions,
  ) {}

  /**
   * Fails early with OutputExistsError when `path` exists and `force` is false, and with OutputError
   * when `force` is given but `path` is not something `--force` may replace (see {@link checkReplaceable}).
   * Removes what earlier processes of this host left behind for the same output when they died.
   */
  static async create(path: string, options: StagedOutputOptions): Promise<StagedOutput> {
    const finalPath = resolve(path);
    for (const stale of await removeStaleTemps(finalPath, live)) {
      options.onNotice?.(`removed stale temporary ${stale.path} (${formatBytes(stale.bytes)}) left by process ${stale.pid}`);
    }
    if (await exists(finalPath)) {
      if (options.force) {
        await checkReplaceable(path, options.guard);
      } else {
        // Advising --force where it would be refused would only lead to a second refusal.
        const why = await replaceRefusal(path, options.guard);
        if (why !== undefined) throw new OutputError(`${path} already exists and --force would not replace it (${why}); choose another --out`);
        throw new OutputExistsError(path);
      }
    }
    const tempPath = tempName(finalPath);
    try {
      await mkdir(dirname(finalPath), { recursive: true });
      await mkdir(tempPath);
    } catch (err) {
      if (diskFullKind(err)) throw new OutputError(`no space left on ${dirname(finalPath)} while creating ${path}`, { cause: err });
      throw new OutputError(`cannot create ${path}: ${describeFsError(err)}`, { cause: err });
    }
    track(tempPath);
    return new StagedOutput(finalPath, tempPath, options);
  }

  /** Moves the finished output into place, replacing an old one only with `force`. */
  async commit(): Promise<void> {
    try {
      await this.moveIntoPlace();
      live.delete(this.tempPath);
    } catch (err) {
      if (err instanceof OutputExistsError || err instanceof OutputError) throw err;
      throw new OutputError(`cannot move the finished output to ${this.finalPath}: ${describeFsError(err)}`, { cause: err });
    }
  }

  private async moveIntoPlace(): Promise<void> {
    if (await exists(this.finalPath)) {
      if (!this.options.force) throw new OutputExistsError(this.finalPath);
      await checkReplaceable(this.finalPath, this.options.guard); // it may have changed meanwhile
      const old = `${this.tempPath}.old`;
      await rename(this.finalPath, old);
      await rename(this.tempPath, this.finalPath);
      await rm(old, { recursive: true, force: true });
      return;
    }
    await rename(this.tempPath, this.finalPath);
  }

  /** Removes the unfinished output. */
  async discard(): Promise<void> {
    await rm(this.tempPath, { recursive: true, force: true });
    live.delete(this.tempPath);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
