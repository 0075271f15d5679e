/**
 * Usage errors that help, for every command, run as a user runs the CLI (issue 18 item 3): an
 * unknown option names the closest known one, a word after one dash that looks like a long option
 * is called a misspelt option, `--help` wins over every other mistake (exit 0), and each mistake is
 * exit 2 with one line on stderr, no stack trace, nothing on stdout and nothing written.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, describeRun } from './helpers/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-usage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const OUT = join(root, 'out');
const QUIRKS = join(ROOT, 'fixtures', 'quirks.jsonl');

interface Case {
  /** The words after `clickstream` that name the command. */
  command: string[];
  /** Arguments that would be right, around which the mistakes are made. */
  args: string[];
  /** A misspelt long option, and the message's end. */
  unknown: [string, string];
  /** A long option typed with one dash, its value, and the message's end. */
  misspelt: [string, string, string];
}

const cases: Case[] = [
  { command: ['convert'], args: [QUIRKS], unknown: ['--output', 'did you mean --out?'], misspelt: ['-out', OUT, 'did you mean --out (-o)?'] },
  { command: ['analyze'], args: [join(root, 'ds')], unknown: ['--output', 'did you mean --out?'], misspelt: ['-out', OUT, 'did you mean --out (-o)?'] },
  {
    command: ['compare'],
    args: [join(root, 'a'), join(root, 'b')],
    unknown: ['--titel', 'did you mean --title?'],
    misspelt: ['-out', OUT, 'did you mean --out (-o)?'],
  },
  { command: ['worker'], args: [], unknown: ['--concurency', 'did you mean --concurrency?'], misspelt: ['-redis', 'redis://127.0.0.1:1', 'did you mean --redis?'] },
  {
    command: ['catalog', 'crawl'],
    args: ['coursera'],
    unknown: ['--warehous', 'did you mean --warehouse?'],
    misspelt: ['-warehouse', join(root, 'w.duckdb'), 'did you mean --warehouse (-w)?'],
  },
  {
    command: ['catalog', 'report'],
    args: ['--warehouse', join(root, 'w.duckdb')],
    unknown: ['--output', 'did you mean --out?'],
    misspelt: ['-out', OUT, 'did you mean --out (-o)?'],
  },
  {
    command: ['catalog', 'serve-fixture'],
    args: [],
    unknown: ['--site-prot', 'did you mean --site-port?'],
    misspelt: ['-version', '2', 'did you mean --version?'],
  },
];

/** Runs a mistaken command line: exit 2, exactly one line on stderr, no stack, nothing else. */
async function expectUsageError(args: string[], message: string): Promise<void> {
  const r = await cli(args);
  const what = describeRun(args.join(' '), r);
  expect(r.code, what).toBe(2);
  expect(r.stdout, what).toBe('');
  expect(r.stderr, what).toBe(`clickstream: ${message}\n`);
  expect(existsSync(OUT), what).toBe(false);
}

describe('usage errors of every command', () => {
  for (const c of cases) {
    const name = c.command.join(' ');
    it(`${name}: an unknown option names the closest known one (exit 2, one line)`, async () => {
      await expectUsageError([...c.command, ...c.args, c.unknown[0], 'x'], `unknown option ${c.unknown[0]} for ${name}: ${c.unknown[1]}`);
      await expectUsageError([...c.command, ...c.args, '--bogus'], `unknown option --bogus for ${name}; see clickstream ${name} --help`);
    }, 60_000);

    it(`${name}: a word after one dash that looks like an option is named a misspelt option`, async () => {
      const [word, value, end] = c.misspelt;
      await expectUsageError([...c.command, ...c.args, word, value], `${word} looks like a misspelt option for ${name}: ${end}`);
    }, 60_000);

    it(`${name}: --help wins over other mistakes and exits 0`, async () => {
      for (const args of [
        [...c.command, '--help', '--bogus'],
        [...c.command, c.misspelt[0], c.misspelt[1], '-h'],
        [...c.command, c.unknown[0], '--help'],
      ]) {
        const r = await cli(args);
        expect(r.code, describeRun(args.join(' '), r)).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: clickstream ${name} `));
        expect(r.stderr).toBe('');
      }
    }, 60_000);
  }

  it('a value of the wrong type or out of range names the option; a missing value or argument is one line too', async () => {
    await expectUsageError(['convert', QUIRKS, '--out', OUT, '--format', 'csv'], "--format must be auto, coursera or openedx, got 'csv'");
    await expectUsageError(['analyze', join(root, 'ds'), '--out', OUT, '--top', '-1'], "--top must be a whole number, got '-1'");
    await expectUsageError(['worker', '--lock-ms', 'soon'], "--lock-ms must be a whole number, got 'soon'");
    await expectUsageError(['catalog', 'crawl', 'coursera', '-w', join(root, 'w.duckdb'), '--per-host', '0'], "--per-host must be a whole number ≥ 1, got '0'");
    await expectUsageError(['catalog', 'serve-fixture', '--version', '3'], "--version must be a whole number from 1 to 2, got '3'");
    await expectUsageError(['compare', join(root, 'a'), join(root, 'b'), '--out'], '--out needs a value <dir>; see clickstream compare --help');
    await expectUsageError(['analyze', '--out', OUT], 'missing <dataset-dir>; see clickstream analyze --help');
    await expectUsageError(['analyse', join(root, 'ds')], "unknown command 'analyse'; did you mean analyze?");
    await expectUsageError(['catalog', 'crawll'], "unknown catalog subcommand 'crawll'; did you mean crawl?");
  }, 60_000);

  it('REDIS_URL is the fallback of --redis: analyze then runs in Redis mode and checks the URL', async () => {
    const r = await cli(['analyze', join(root, 'ds'), '--out', OUT, '--attempts', '2'], { env: { ...process.env, REDIS_URL: 'http://not-redis' } });
    expect(r.code, describeRun('analyze with REDIS_URL', r)).toBe(2);
    expect(r.stderr).toBe("clickstream: --redis must start with redis:// or rediss:// (TLS), got 'http://not-redis'\n");
  }, 60_000);
});
