/**
 * The format registry (src/formats/format-registry.ts): one adapter object per format, the names
 * derived from it, every adapter honouring the InputFormat contract, and no other file of src/
 * naming a format.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDuckDB } from '../src/duckdb/session.js';
import { COURSERA_FORMAT } from '../src/formats/coursera.js';
import { DATASET_COLUMNS } from '../src/formats/dataset-columns.js';
import { MODEL_COLUMNS } from '../src/formats/event-format.js';
import { DEFAULT_FORMAT_NAME, FORMAT_NAMES, INPUT_FORMATS, eventFormat, inputFormat, isFormatName, listFormats, type FormatName } from '../src/formats/format-registry.js';
import type { InputFormat } from '../src/formats/input-format.js';
import { canPassThrough, serializeEvent } from '../src/formats/line-rules.js';
import { OPENEDX_COLUMNS, OPENEDX_FORMAT, openEdxRecord } from '../src/formats/openedx.js';

const ROOT = join(import.meta.dirname, '..');
const COURSERA =
  '{"key":"pageview","value":"","username":"3f9a1c0e5b7d2468ace013579bdf2468ace01357","timestamp":1371234567000,' +
  '"page_url":"https://class.coursera.org/psy-001/lecture/view?lecture_id=101","user_agent":"Mozilla/5.0"}';
const EDX = '{"username": "staff", "event_type": "play_video", "time": "2014-05-15T19:03:19.487373+00:00", "event": {"id": "v"}, "context": {"course_id": "X/Y/Z"}}';

describe('the registry', () => {
  it('lists each format once; the names, the default and the lookups all come from it', () => {
    expect(INPUT_FORMATS).toEqual([COURSERA_FORMAT, OPENEDX_FORMAT]);
    expect(FORMAT_NAMES).toEqual(['coursera', 'openedx']);
    // FormatName is derived from the list: a name not in it does not type-check.
    const names: FormatName[] = ['coursera', 'openedx'];
    // @ts-expect-error 'xapi' is no format of the registry
    const unknown: FormatName = 'xapi';
    expect(names.map((n) => inputFormat(n).name)).toEqual(names);
    expect(unknown).toBe('xapi');
    expect(DEFAULT_FORMAT_NAME).toBe('coursera');
    expect(eventFormat('openedx')).toBe(OPENEDX_FORMAT);
    expect(eventFormat('xapi')).toBeUndefined();
    expect([isFormatName('coursera'), isFormatName('xapi'), isFormatName(undefined)]).toEqual([true, false, false]);
  });

  it('lists the formats as a sentence does, in registry order', () => {
    expect(listFormats((f) => f.title, 'or')).toBe('a Coursera clickstream export or an Open edX tracking log');
    expect(listFormats((f, i) => `${i}:${f.name}`, 'and')).toBe('0:coursera and 1:openedx');
    // What analyze's --course help and refusal say: the formats whose events name their course.
    expect(listFormats((f) => f.label, 'and', (f) => f.hasCourses)).toBe('Open edX');
  });

  it('each format has the columns, pass-through and serialiser convert uses', () => {
    expect(inputFormat('coursera').columns).toBe(DATASET_COLUMNS);
    expect(inputFormat('openedx').columns).toBe(OPENEDX_COLUMNS);
    const c = inputFormat('coursera');
    const cv = JSON.parse(COURSERA) as Record<string, unknown>;
    expect(c.recognizes(cv)).toBe(true);
    expect(c.canPassThrough?.(COURSERA, cv)).toBe(canPassThrough(COURSERA, cv));
    expect(c.canPassThrough?.(COURSERA, cv)).toBe(true);
    expect(c.serialize(cv, COURSERA)).toBe(serializeEvent(cv, COURSERA));
    // Open edX always re-serialises (event and context become text, time becomes timestamp).
    const e = inputFormat('openedx');
    const ev = JSON.parse(EDX) as Record<string, unknown>;
    expect(e.recognizes(ev)).toBe(true);
    expect(e.canPassThrough).toBeUndefined();
    expect(e.serialize(ev, EDX)).toBe(JSON.stringify(openEdxRecord(ev)));
    expect(c.recognizes(ev)).toBe(false);
    expect(e.recognizes(cv)).toBe(false);
  });

  it('each format keeps its measured gzip ratio and its titles', () => {
    expect(INPUT_FORMATS.map((f) => [f.name, f.gzipRatio])).toEqual([
      ['coursera', 6.4],
      ['openedx', 16],
    ]);
    expect(INPUT_FORMATS.map((f) => f.shortTitle)).toEqual(['a Coursera export', 'an Open edX log']);
  });
});

describe('every format honours the InputFormat contract', () => {
  it.each(INPUT_FORMATS.map((f) => [f.name, f] as const))('%s', async (_name, format: InputFormat) => {
    expect(format.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(format.label).not.toBe('');
    expect(format.title).toMatch(/^an? /);
    expect(format.shortTitle).toMatch(/^an? /);
    expect(format.description.startsWith(format.title)).toBe(true);
    expect(Number.isFinite(format.gzipRatio) && format.gzipRatio >= 1).toBe(true);
    const names = format.columns.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    // Its SQL runs over a table of its own columns and yields the model, named and ordered.
    const described = await withDuckDB({ threads: 1 }, async (conn) => {
      await conn.run(`CREATE TABLE t (${format.columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
      const model = (await conn.runAndReadAll(`DESCRIBE SELECT ${format.modelSelect} FROM t`)).getRows().map((r) => String(r[0]));
      const course = (await conn.runAndReadAll(`DESCRIBE SELECT ${format.courseSelect} AS course FROM t`)).getRows().map((r) => String(r[1]));
      return { model, course };
    });
    expect(described.model).toEqual([...MODEL_COLUMNS]);
    expect(described.course).toEqual(['VARCHAR']);
  });
});

/** Files that may name a format: its own adapter, the generators and demo, and the catalog (platforms, not formats). */
const MAY_NAME_FORMATS = [
  'src/formats/coursera.ts',
  'src/formats/openedx.ts',
  'src/generate/',
  'src/demo/',
  'src/catalog/',
  'src/cli/generate-command.ts',
  'src/cli/demo-command.ts',
  'src/cli/catalog-command.ts',
];

describe('the rest of src/', () => {
  it('names no format: convert, analyze, the manifest and the CLI go through the registry', () => {
    const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
      .map((f) => `src/${f.split('\\').join('/')}`)
      .filter((f) => f.endsWith('.ts') && !MAY_NAME_FORMATS.some((p) => f.startsWith(p)));
    expect(files.length).toBeGreaterThan(50);
    const hits: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
          if (/['"`](coursera|openedx)['"`]|\b(coursera|openedx)\??\s*:/.test(code)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
