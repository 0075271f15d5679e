import { randomBytes } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * This host's name as it appears in temporary names: letters and digits only, so that the name
 * parses back. Temporaries carry it because a process id means something only on its own machine
 * (datasets and reports often live on shared storage).
 */
export const HOST_TAG = hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 64) || 'host';

/** `.NAME.tmp-<host>-<pid>-<hex>`: the hidden sibling an output is written into before its rename. */
export function tempName(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.tmp-${HOST_TAG}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** A temporary found beside an output, and the process that made it. */
export interface StaleTemp {
  path: string;
  pid: number;
  /** Bytes it held. */
  bytes: number;
}

/**
 * Removes the temporaries of `finalPath` that processes of this host left when they died without
 * cleaning up (SIGKILL, power loss): those whose process is gone, and those bearing this process's
 * own id that it does not own (an earlier process had the same id). Temporaries of live processes
 * and of other hosts are left alone. Returns what was removed.
 */
export async function removeStaleTemps(finalPath: string, owned: ReadonlySet<string>): Promise<StaleTemp[]> {
  const dir = dirname(finalPath);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return []; // no parent directory yet: nothing can be left there
  }
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(finalPath))}\\.tmp-([A-Za-z0-9_]+)-(\\d+)-[0-9a-f]+(\\.old)?$`);
  const removed: StaleTemp[] = [];
  for (const name of entries) {
    const m = pattern.exec(name);
    if (!m || m[1] !== HOST_TAG) continue;
    const pid = Number(m[2]);
    const path = join(dir, name);
    const ours = owned.has(m[3] ? path.slice(0, -'.old'.length) : path);
    if (pid === process.pid ? ours : isAlive(pid)) continue;
    const bytes = await diskBytes(path);
    await rm(path, { recursive: true, force: true });
    removed.push({ path, pid, bytes });
  }
  return removed;
}

/** Whether a process with this id runs on this host (EPERM: it does, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function diskBytes(path: string): Promise<number> {
  try {
    const st = await lstat(path);
    if (!st.isDirectory()) return st.size;
    let total = 0;
    for (const name of await readdir(path)) total += await diskBytes(join(path, name));
    return total;
  } catch {
    return 0;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
