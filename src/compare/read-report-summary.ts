/**
 * Reading a report's summary.json for `compare`, and telling a version-2 summary (DATA-CONTRACT §6) from a
 * version-1 one or from anything else.
 *
 * summary.json carries no version number (src/report/report-format.ts). A version-2 summary is
 * recognised by its §6 keys: all of them present (and the ones compare reads of the right type) is
 * version 2; none of them but version 1's keys present is version 1; anything else is not a summary
 * this tool wrote.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ReportInputError } from '../errors.js';
import type { Summary } from '../report/report-types.js';
import { SUMMARY_FILE, V1_SUMMARY_KEYS, V2_SUMMARY_KEYS } from '../report/report-format.js';
import { describeFsError } from '../util/fs-error.js';

/** A report as compare sees it: its name (the folder's), where it is, and its summary. */
export interface ReportSummary {
  /** The report folder's name, which names its row in compare.csv. */
  name: string;
  /** Absolute path of the report directory. */
  dir: string;
  summary: Summary;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The value at a dotted path of `value`, or undefined. */
function at(value: Json, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

// The numbers compare copies into compare.csv, by dotted path.
const NUMBER_PATHS = [
  'events',
  'users',
  'activity.median',
  'activity.p90',
  'sessions.count',
  'timeOnTaskSeconds.median',
  'video.viewers',
] as const;

function checkNamedCounts(value: unknown, key: string, fail: (why: string) => never): void {
  if (!Array.isArray(value)) fail(`'${key}' is not a list`);
  for (const item of value) {
    if (!isObject(item) || typeof item['name'] !== 'string' || !isNumber(item['events']) || !isNumber(item['users'])) {
      fail(`'${key}' holds an entry that is not { name, events, users }`);
    }
  }
}

/**
 * Checks that `value`, read from `path`, is a version-2 clickstream summary with everything
 * compare uses, and returns it typed. Throws {@link ReportInputError} naming the file otherwise:
 * a version-1 summary is told apart, so the message can say to re-run `analyze`.
 */
export function checkReportSummary(value: unknown, path: string): Summary {
  const rerun = `re-run 'clickstream analyze' on its dataset with this version`;
  const notOurs = (why: string): never => {
    throw new ReportInputError(`${path} is not a clickstream summary (${why}); ${rerun}, or give the right report directory`);
  };
  if (!isObject(value)) return notOurs('not a JSON object');
  const missingV1 = V1_SUMMARY_KEYS.filter((k) => !(k in value));
  if (missingV1.length > 0) return notOurs(`no ${missingV1.map((k) => `'${k}'`).join(', ')}`);
  const missingV2 = V2_SUMMARY_KEYS.filter((k) => !(k in value));
  if (missingV2.length === V2_SUMMARY_KEYS.length) {
    throw new ReportInputError(
      `${path} is a version 1 summary, without the learning analytics compare needs (time, sessions, video, …); ${rerun} first`,
    );
  }
  if (missingV2.length > 0) {
    throw new ReportInputError(
      `${path} is a summary of another version (no ${missingV2.map((k) => `'${k}'`).join(', ')}); ${rerun} first`,
    );
  }
  for (const p of NUMBER_PATHS) {
    if (!isNumber(at(value, p))) notOurs(`'${p}' is not a number`);
  }
  const cdf = at(value, 'activity.cdf');
  if (!Array.isArray(cdf) || !cdf.every((pt) => isObject(pt) && isNumber(pt['clicks']) && isNumber(pt['users']) && isNumber(pt['fraction']))) {
    notOurs(`'activity.cdf' is not a list of { clicks, users, fraction }`);
  }
  checkNamedCounts(value['devices'], 'devices', notOurs);
  checkNamedCounts(value['languages'], 'languages', notOurs);
  return value as unknown as Summary;
}

/**
 * Reads `<dir>/summary.json` and checks it with {@link checkReportSummary}. A missing or
 * unreadable file, or one that is not JSON, is a {@link ReportInputError} naming it.
 */
export async function readReportSummary(dir: string): Promise<ReportSummary> {
  const absolute = resolve(dir);
  const path = join(dir, SUMMARY_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' || code === 'ENOTDIR' ? `; is ${dir} a report directory written by 'clickstream analyze'?` : '';
    throw new ReportInputError(`cannot read ${path}: ${describeFsError(err)}${hint}`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReportInputError(`${path} is not valid JSON (${(err as Error).message}); re-run 'clickstream analyze' to write it again`, {
      cause: err,
    });
  }
  return { name: basename(absolute), dir: absolute, summary: checkReportSummary(value, path) };
}
