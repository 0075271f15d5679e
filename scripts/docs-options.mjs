// `npm run docs:options`: rewrites README.md's option tables and exit-code table from the code
// (src/cli/options-markdown.ts). `--check` only says whether the README is up to date (exit 1 if not).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { COMMANDS } = await import('../dist/src/cli/command-list.js');
const { rewriteReadme } = await import('../dist/src/cli/options-markdown.js');
const path = join(root, 'README.md');
const before = readFileSync(path, 'utf8');
const after = rewriteReadme(before, COMMANDS);
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md option tables are out of date: run npm run docs:options');
    process.exit(1);
  }
} else if (after !== before) {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, after);
  renameSync(temp, path);
  console.log('README.md: option tables rewritten');
} else {
  console.log('README.md: option tables up to date');
}
