#!/usr/bin/env node
/**
 * Records in package-lock.json the optional native packages built for other platforms.
 *
 * Why: the registry this project is developed against serves only the linux-x64 builds of
 * DuckDB, @napi-rs/canvas and msgpackr-extract, so `npm install` leaves the other platforms' builds
 * out of the lock, and `npm ci` then refuses the lock as out of sync with package.json. Each entry
 * gets the version its parent asks for and the os/cpu/libc its name encodes, so npm skips it
 * everywhere but on its own platform (where the public registry serves it).
 *
 * Run after `npm install` changes the lock: node scripts/lock-foreign-platforms.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PARENTS = ['@duckdb/node-bindings', '@napi-rs/canvas', 'msgpackr-extract'];
const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

/** Platform constraints from a package name such as `…-linux-arm64-musl` or `…-win32-x64-msvc`. */
function platformOf(name) {
  const tail = name.slice(name.lastIndexOf('/') + 1);
  const os = ['darwin', 'linux', 'win32', 'android', 'freebsd'].find((o) => tail.includes(`-${o}-`) || tail.startsWith(`${o}-`));
  const cpu = ['arm64', 'x64', 'riscv64', 'ia32', 'arm'].find((c) => new RegExp(`-${c}(-|$)`).test(tail));
  if (!os || !cpu) throw new Error(`cannot tell the platform of ${name}`);
  const entry = { os: [os], cpu: [cpu] };
  if (os === 'linux') entry.libc = [tail.endsWith('-musl') ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const parent of PARENTS) {
  const node = lock.packages[`node_modules/${parent}`];
  if (!node) continue;
  for (const [name, version] of Object.entries(node.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version, ...platformOf(name), optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} foreign-platform optional package(s) recorded`);
