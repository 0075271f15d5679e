/**
 * The import graph of src/, jobs/ and workers/ has no circle between files, and no file imports a
 * folder at its own level or above in the layers docs/ARCHITECTURE.md draws (a new folder must be
 * placed there first). The checker itself is tested on small graphs first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  homeOf,
  importCycles,
  importSpecifiers,
  layersFromMarkdown,
  readImportGraph,
  resolveSpecifier,
  upwardImports,
  type ImportGraph,
} from './helpers/import-graph.js';

const ROOT = join(import.meta.dirname, '..');
const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('the import checker', () => {
  it('reads relative static, dynamic, bare and re-export imports, not comments or packages', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "import './side-effect.js';",
      "const d = await import('./d.js');",
      "import { DuckDBInstance } from '@duckdb/node-api';",
      "// import { e } from './e.js';",
      "/* from './f.js' */",
      "const url = 'https://example.org/x';",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', '../b/b.js', './c.js', './side-effect.js', './d.js']);
  });

  it('resolves a specifier to the .ts file it names', () => {
    expect(resolveSpecifier('src/analyze/reduce.ts', '../analytics/distribution.js')).toBe('src/analytics/distribution.ts');
    expect(resolveSpecifier('jobs/aggregate-partition.ts', '../src/errors.js')).toBe('src/errors.ts');
  });

  it('finds each circle once, as the path that closes it', () => {
    const g = graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts', 'd.ts'], 'd.ts': [], 'e.ts': ['e.ts'] });
    expect(importCycles(g)).toEqual(expect.arrayContaining([['a.ts', 'b.ts', 'c.ts', 'a.ts'], ['e.ts', 'e.ts']]));
    expect(importCycles(g)).toHaveLength(2);
    expect(importCycles(graphOf({ 'a.ts': ['b.ts'], 'b.ts': [] }))).toEqual([]);
  });

  it('names an import at the same level or above, not one within a home or downward', () => {
    const layers = [['src/base.ts'], ['src/low/'], ['src/mid/', 'src/side/'], ['src/top/']];
    const g = graphOf({
      'src/low/x.ts': ['src/low/y.ts', 'src/base.ts', 'src/mid/m.ts'],
      'src/mid/m.ts': ['src/low/x.ts', 'src/side/s.ts'],
      'src/top/t.ts': ['src/mid/m.ts', 'src/side/s.ts'],
    });
    expect(upwardImports(g, layers)).toEqual([
      'src/low/x.ts → src/mid/m.ts (src/low/ at level 1 imports src/mid/ at level 2)',
      'src/mid/m.ts → src/side/s.ts (src/mid/ at level 2 imports src/side/ at level 2)',
    ]);
    expect(homeOf('src/low/deep/z.ts', layers)).toBe('src/low/');
    expect(homeOf('src/elsewhere/z.ts', layers)).toBeUndefined();
  });

  it('reads the layers from the marked block, lowest first', () => {
    const md = 'intro\n<!-- import-layers -->\n```text\nlevel│ homes\n  1 │ src/a/ src/b/   what\n  0 │ src/x.ts   leaves\n```\n';
    expect(layersFromMarkdown(md)).toEqual([['src/x.ts'], ['src/a/', 'src/b/']]);
  });
});

describe('the project', () => {
  const layers = layersFromMarkdown(readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8'));
  const graph = readImportGraph(ROOT, ['src', 'jobs', 'workers']);

  it('places every file in a layer of docs/ARCHITECTURE.md', () => {
    expect([...graph.keys()].filter((f) => homeOf(f, layers) === undefined)).toEqual([]);
  });

  it('has no import circle between files', () => {
    expect(importCycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('imports only downward in the layers', () => {
    expect(upwardImports(graph, layers)).toEqual([]);
  });
});
