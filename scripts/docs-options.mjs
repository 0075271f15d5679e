// `npm run docs:options`: rewrites the option tables and exit-code table of README.md and of the
// docs/*.md that have markers, from the code (src/cli/options-markdown.ts). `--check` only says
// whether they are up to date (exit 1 if not).
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { COMMANDS } = await import('../dist/src/cli/command-list.js');
const { rewriteMarkedTables, rewriteReadme } = await import('../dist/src/cli/options-markdown.js');
const check = process.argv.includes('--check');
const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
let stale = 0;
for (const file of files) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = file === 'README.md' ? rewriteReadme(before, COMMANDS) : rewriteMarkedTables(before, COMMANDS);
  if (after === before) continue;
  stale++;
  if (check) {
    console.error(`${file}: option tables are out of date; run npm run docs:options`);
  } else {
    const temp = `${path}.tmp-${process.pid}`;
    writeFileSync(temp, after);
    renameSync(temp, path);
    console.log(`${file}: option tables rewritten`);
  }
}
if (stale === 0) console.log('option tables up to date');
if (check && stale > 0) process.exit(1);
