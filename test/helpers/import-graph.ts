/**
 * The project's own import graph, read from the TypeScript sources with a regular expression
 * (relative `from '…'`, `import('…')` and bare `import '…'`), and the two checks
 * test/import-layers.test.ts makes on it: no circle between files, no import running up the layers
 * docs/ARCHITECTURE.md draws. Pure functions over plain data, plus one reader of the file system.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** File (relative to the root, `/`-separated) → the project files it imports. */
export type ImportGraph = Map<string, string[]>;

/** One layer: the homes (folders ending in `/`, or single files) that sit at the same level. */
export type Layers = string[][];

const IMPORT = /\bfrom\s*['"](\.\.?\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.\.?\/[^'"]+)['"]\s*\)|^\s*import\s*['"](\.\.?\/[^'"]+)['"]/gm;
const COMMENT = /\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/.*$/gm;

/** The relative module specifiers `text` imports, in order, comments left out. */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(COMMENT, '$1');
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** The `.ts` file a specifier in `from` names (`./x.js` → `dir/x.ts`), `/`-separated. */
export function resolveSpecifier(from: string, specifier: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  return joined.endsWith('.js') ? `${joined.slice(0, -3)}.ts` : joined.endsWith('.ts') ? joined : `${joined}.ts`;
}

/** Reads every `.ts` file under `dirs` (relative to `root`) and what each imports among them. */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(join(root, file), 'utf8')).map((s) => resolveSpecifier(file, s));
    graph.set(file, [...new Set(targets.filter((t) => known.has(t)))]);
  }
  return graph;
}

/**
 * Every circle of imports, one per strongly connected group of files (Tarjan), written as the path
 * that closes it: `['a.ts', 'b.ts', 'a.ts']`. Empty when the graph has none.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups.map((group) => cycleThrough(graph, new Set(group)));
}

/** A shortest path from the group's first file (by name) back to itself, within the group. */
function cycleThrough(graph: ImportGraph, group: Set<string>): string[] {
  const start = [...group].sort()[0]!;
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!group.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The home of `file`: the longest folder or file of `layers` that holds it (undefined if none). */
export function homeOf(file: string, layers: Layers): string | undefined {
  let best: string | undefined;
  for (const layer of layers) {
    for (const home of layer) {
      const holds = home.endsWith('/') ? file.startsWith(home) : file === home;
      if (holds && (best === undefined || home.length > best.length)) best = home;
    }
  }
  return best;
}

/** The level of a home: its layer's position, 0 the lowest. */
function levelOf(home: string, layers: Layers): number {
  return layers.findIndex((layer) => layer.includes(home));
}

/**
 * Imports that break the order: from a file to a home at the same level or above (imports within
 * one home are free). Each as `from → to (home level → home level)`.
 */
export function upwardImports(graph: ImportGraph, layers: Layers): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const a = homeOf(from, layers);
    for (const to of targets) {
      const b = homeOf(to, layers);
      if (a === undefined || b === undefined || a === b) continue;
      const la = levelOf(a, layers);
      const lb = levelOf(b, layers);
      if (lb >= la) found.push(`${from} → ${to} (${a} at level ${la} imports ${b} at level ${lb})`);
    }
  }
  return found;
}

/**
 * The layers drawn in a markdown document: the lines of the block after the
 * `<!-- import-layers -->` marker that start with a level number and `│`, each listing its homes
 * (words starting with src/, jobs/ or workers/), highest level first as drawn, returned lowest first.
 */
export function layersFromMarkdown(markdown: string): Layers {
  const at = markdown.indexOf('<!-- import-layers -->');
  if (at === -1) throw new Error('no <!-- import-layers --> marker');
  const block = /```[^\n]*\n([\s\S]*?)```/.exec(markdown.slice(at));
  if (!block) throw new Error('no code block after the <!-- import-layers --> marker');
  const rows: Array<[number, string[]]> = [];
  for (const line of block[1]!.split('\n')) {
    const m = /^\s*(\d+)\s*│(.*)$/.exec(line);
    if (!m) continue;
    const homes = m[2]!.split(/\s+/).filter((w) => /^(src|jobs|workers)(\/|$)/.test(w));
    rows.push([Number(m[1]), homes]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  rows.forEach(([level], i) => {
    if (level !== i) throw new Error(`layer levels must run 0, 1, 2…; found ${rows.map((r) => r[0]).join(', ')}`);
  });
  return rows.map(([, homes]) => homes);
}
