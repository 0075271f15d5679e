/**
 * What the end-to-end suites share: running the CLI as a user does, and reading its CSVs strictly.
 * Independent of src/ on purpose: the e2e tests share nothing with the product.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { watchChild } from './progress.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The CLI under test; CLICKSTREAM_CLI may point at another build of it. */
export const CLI = process.env.CLICKSTREAM_CLI ?? join(ROOT, 'bin', 'clickstream.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface NamedCount {
  name: string;
  events: number;
  users: number;
}

/** Where and with what environment a command runs. Default: the repository root, this environment. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command (from the repository root unless told otherwise); never rejects. */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(cmd, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, maxBuffer: 512 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
    // Its output, CPU time and exit are progress for tests that wait bounded by progress.
    watchChild(child, () => `${cmd} ${args.join(' ')} (pid ${child.pid})`);
  });
}

/** Runs `clickstream <args>` as a child process. */
export const cli = (args: string[], options: RunOptions = {}): Promise<Run> => run(process.execPath, [CLI, ...args], options);

/** A run's outcome, for assertion messages. */
export function describeRun(what: string, r: Run): string {
  return `${what} exited ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 4000)}`;
}

/** RFC 4180 parser that also reports records ended by a bare LF and malformed quoting. */
export function parseCsv(text: string): { rows: string[][]; bareLf: number; malformed: number } {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  let bareLf = 0;
  let malformed = 0;
  const endRecord = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
    fieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        const next = text[i + 1];
        if (!(next === undefined || next === ',' || next === '\r')) malformed++;
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (fieldStart) quoted = true;
      else {
        malformed++;
        field += ch;
      }
      fieldStart = false;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStart = true;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else if (ch === '\n') {
      bareLf++;
      endRecord();
    } else {
      field += ch;
      fieldStart = false;
    }
  }
  if (!fieldStart || field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { rows, bareLf, malformed };
}

/** A CSV file's records; fails the test on a bare LF record end or bad quoting. */
export function readCsv(path: string): string[][] {
  const parsed = parseCsv(readFileSync(path, 'utf8'));
  expect(parsed.bareLf, `${path}: records must end with CRLF`).toBe(0);
  expect(parsed.malformed, `${path}: malformed quoting`).toBe(0);
  return parsed.rows;
}

/** Summary list entries as CSV rows. */
export const named = (list: NamedCount[]): string[][] => list.map((r) => [r.name, String(r.events), String(r.users)]);
