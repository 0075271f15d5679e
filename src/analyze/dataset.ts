import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetError } from '../errors.js';
import { DATASET_SCHEMA_VERSION, type Manifest } from '../types.js';

/** A dataset as `analyze` sees it: its absolute directory and its manifest. */
export interface Dataset {
  dir: string;
  manifest: Manifest;
}

/**
 * Opens a dataset written by `convert`. A directory without `_manifest.json` is incomplete (convert
 * writes the manifest last) and is refused, as is one whose partition files are missing.
 */
export async function openDataset(path: string): Promise<Dataset> {
  const dir = resolve(path);
  const manifestPath = join(dir, '_manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DatasetError(`${path} is not a clickstream dataset (no _manifest.json); create one with \`clickstream convert\``);
    }
    throw new DatasetError(`cannot read ${manifestPath}: ${(err as Error).message}`, { cause: err });
  }
  if (manifest.schemaVersion !== DATASET_SCHEMA_VERSION) {
    throw new DatasetError(
      `${path} has dataset schema version ${String(manifest.schemaVersion)}; this clickstream reads version ${DATASET_SCHEMA_VERSION}; convert the export again`,
    );
  }
  if (!Array.isArray(manifest.partitions) || manifest.partitions.length === 0) {
    throw new DatasetError(`${manifestPath} lists no partitions`);
  }
  for (const p of manifest.partitions) {
    try {
      await stat(join(dir, p.file));
    } catch {
      throw new DatasetError(`${path}: partition file ${p.file} named in the manifest is missing`);
    }
  }
  return { dir, manifest };
}
