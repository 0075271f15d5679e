import { readFileSync } from 'node:fs';

/** The tool's version, from package.json (recorded in every manifest). */
export const TOOL_VERSION: string = (() => {
  // Compiled code lives one directory deeper (dist/src) than the sources (src).
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'clickstream' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
})();
