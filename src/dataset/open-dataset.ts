/**
 * Opening a dataset for analysis: the directory, its checked manifest, and its partition files, each a
 * regular file inside the dataset (a symbolic link is followed only when it stays inside).
 */
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetError } from '../errors.js';
import { MANIFEST_FILE } from './dataset-format.js';
import { isInside } from '../util/is-inside.js';
import { readManifest, type Manifest } from './manifest.js';

/** A dataset as `analyze` sees it: its absolute directory and its checked manifest. */
export interface Dataset {
  dir: string;
  manifest: Manifest;
}

/**
 * Opens a dataset written by `convert`. Refused (DatasetError, exit 3), each with a message saying
 * what to do: a path that does not exist; a file (an export is told to run `convert` first); a
 * directory without `_manifest.json` (convert writes it last, so the dataset is incomplete); a
 * manifest that is damaged (see validateManifest); a partition file that is missing, not a regular
 * file, or a symbolic link leading outside the dataset.
 */
export async function openDataset(path: string): Promise<Dataset> {
  const dir = resolve(path);
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(`${path} does not exist; give the dataset directory \`clickstream convert\` wrote`);
    throw new DatasetError(`cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!info.isDirectory()) throw new DatasetError(await describeNonDirectory(path, dir));
  const manifest = await readManifest(dir, path);
  const realDir = await realpath(dir);
  for (const p of manifest.partitions) {
    const file = join(dir, p.file);
    let link;
    try {
      link = await lstat(file);
    } catch {
      throw new DatasetError(`${path}: partition file ${p.file} named in the manifest is missing`);
    }
    if (link.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(file);
      } catch {
        throw new DatasetError(`${path}: partition file ${p.file} is a symbolic link to nothing`);
      }
      if (!isInside(realDir, target)) {
        throw new DatasetError(`${path}: partition file ${p.file} is a symbolic link leading outside the dataset (to ${target}); refused`);
      }
    }
    if (!(await stat(file)).isFile()) throw new DatasetError(`${path}: partition file ${p.file} is not a regular file`);
  }
  return { dir, manifest };
}

/** Why a file is not a dataset, recognising the usual mistakes by their first bytes. */
async function describeNonDirectory(path: string, full: string): Promise<string> {
  const head = Buffer.alloc(64);
  let n = 0;
  try {
    const handle = await open(full, 'r');
    try {
      n = (await handle.read(head, 0, head.length, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch {
    // unreadable: the generic message below
  }
  const bytes = head.subarray(0, n);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if ((bytes[0] === 0x1f && bytes[1] === 0x8b) || text.startsWith('{')) {
    return `${path} is a clickstream export, not a dataset; run \`clickstream convert ${path} --out <dataset-dir>\` first, then analyze <dataset-dir>`;
  }
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') {
    return `${path} is a Parquet file; analyze takes the dataset directory that holds it and its ${MANIFEST_FILE}`;
  }
  return `${path} is a file, not a dataset directory; analyze takes the directory \`clickstream convert\` wrote`;
}
