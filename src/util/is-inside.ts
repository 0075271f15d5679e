import { isAbsolute, relative, sep } from 'node:path';

/** True when `path` is `dir` or lies inside it (both absolute and already resolved). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
