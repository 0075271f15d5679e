/**
 * A real, small tmpfs for the full-disk tests (CI runs as root). Where it cannot be mounted the
 * tests say why and skip, rather than pretend.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** A mounted (or not) tmpfs at `dir`. */
export interface Tmpfs {
  readonly mounted: boolean;
  /** Why it is not mounted ('' when it is). */
  readonly whyNot: string;
  /** Unmounts it (lazily when busy); nothing when it was never mounted. */
  unmount(): void;
}

/** Creates `dir` and mounts a tmpfs of `size` (e.g. `48m`, `512k`) there when running as root. */
export function mountTmpfs(dir: string, size: string): Tmpfs {
  mkdirSync(dir);
  let whyNot = '';
  if (process.getuid?.() !== 0) {
    whyNot = 'mounting a tmpfs needs root';
  } else {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (err) {
      whyNot = `mount -t tmpfs failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
    }
  }
  const mounted = whyNot === '';
  return {
    mounted,
    whyNot,
    unmount: () => {
      if (!mounted) return;
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
    },
  };
}
