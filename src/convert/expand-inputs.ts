/**
 * `convert <folder>`: a folder given as an input stands for the files in it, in rotation order
 * ({@link rotationOrder}). Hidden files (a name starting with `.`) and anything that is not a
 * regular file (folders, sockets, FIFOs, links to them) are skipped; folders are not descended.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { describeFsError } from '../util/fs-error.js';
import { STDIN } from './open-input.js';
import { describeOrder, rotationOrder } from './rotation-order.js';

/** The inputs of a convert once folders are replaced by their files. */
export interface ExpandedInputs {
  /** Files (and `-`, pipes, devices) to read, in order. */
  paths: string[];
  /** One line for each folder given: which files it stood for, in the order read. */
  notices: string[];
}

/**
 * Replaces each folder among `inputs` by its regular files in rotation order; other inputs stay as
 * given (a missing file is reported later, when it is opened, as before). A folder with no file to
 * read is an InputError (exit 3) naming it, as is one that cannot be listed.
 */
export async function expandInputs(inputs: readonly string[]): Promise<ExpandedInputs> {
  const paths: string[] = [];
  const notices: string[] = [];
  for (const input of inputs) {
    if (input === STDIN || !(await isDirectory(input))) {
      paths.push(input);
      continue;
    }
    let names: string[];
    try {
      names = await readdir(input);
    } catch (err) {
      throw new InputError(`cannot list the folder ${input}: ${describeFsError(err)}; no dataset was written`, { cause: err });
    }
    const files: string[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const st = await stat(join(input, name)).catch(() => undefined); // a dangling link is no file to read
      if (st?.isFile() === true) files.push(name);
    }
    if (files.length === 0) throw new InputError(`the folder ${input} holds no file to convert (hidden files and folders are skipped); no dataset was written`);
    const ordered = rotationOrder(files);
    paths.push(...ordered.map((name) => join(input, name)));
    notices.push(`reading ${ordered.length} file${ordered.length === 1 ? '' : 's'} of ${input} in rotation order (oldest first): ${describeOrder(ordered)}`);
  }
  return { paths, notices };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // not there or unreadable: openInput says so, naming it
  }
}
