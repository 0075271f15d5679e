import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYZE_COMMAND } from '../src/cli/analyze-command.js';
import { CATALOG_SERVE_FIXTURE_COMMAND } from '../src/cli/catalog-command.js';
import { COMMANDS } from '../src/cli/command-list.js';
import { CONVERT_COMMAND } from '../src/cli/convert-command.js';
import { closest, editDistance } from '../src/cli/edit-distance.js';
import { EXIT_CODES, exitCodesHelp } from '../src/cli/exit-codes.js';
import { helpText, parseCommand, type CommandSpec } from '../src/cli/option-table.js';
import { optionsTable, ReadmeMarkersError, rewriteMarkedTables, rewriteReadme } from '../src/cli/options-markdown.js';
import { WORKER_COMMAND } from '../src/cli/worker-command.js';
import { DEFAULT_FIXTURE_VERSION } from '../src/catalog/fixture/catalog-fixtures.js';
import { DEFAULT_MAX_LINE_BYTES } from '../src/convert/convert.js';
import { DEFAULT_MEMORY_LIMIT } from '../src/convert/write-parquet.js';
import * as errors from '../src/errors.js';
import { DEFAULT_FORMAT_CHOICE, DEFAULT_PEEK_BYTES, FORMAT_SAMPLE_LINES } from '../src/formats/detect-format.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LOCK_MS } from '../src/redis/queue.js';
import { DEFAULT_REDIS_URL, REDIS_URL_ENV } from '../src/redis/redis-url.js';

const ROOT = join(__dirname, '..');

const demo = {
  name: 'demo',
  usage: 'demo <x> [options]',
  description: 'A demo command.',
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', help: 'where to write' },
    { name: 'tag', type: 'string', multiple: true, value: '<t>', help: 'a tag, repeatable', defaultText: 'none' },
    { name: 'count', short: 'n', type: 'string', value: '<n>', integer: true, min: 1, max: 9, help: 'how many', default: 3 },
    { name: 'mode', type: 'string', value: '<a|b>', choices: ['a', 'b'], help: 'a mode', default: 'a' },
    { name: 'url', type: 'string', value: '<url>', env: 'DEMO_URL_FOR_TEST', help: 'a URL' },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'a flag' },
    { name: 'force', short: 'f', type: 'boolean', help: 'another flag' },
    { name: 'loud', type: 'boolean', help: 'a flag', group: 'Other:' },
    { name: 'help', short: 'h', type: 'boolean', help: 'show this help' },
  ],
  footer: 'Exit codes: 0 ok.',
} as const satisfies CommandSpec;

/** The error a parse throws, to look at its class, code and message. */
function mistake(spec: CommandSpec, args: string[]): errors.ClickstreamError {
  try {
    parseCommand(spec, args);
  } catch (err) {
    return err as errors.ClickstreamError;
  }
  throw new Error(`no error for ${args.join(' ')}`);
}

describe('edit distance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('out', 'out')).toBe(0);
    expect(editDistance('output', 'out')).toBe(3);
    expect(editDistance('ouptut', 'output')).toBe(1); // one swap
    expect(editDistance('froce', 'force')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3); // optimal string alignment: no edit of a swapped pair
  });

  it('suggests the closest name only when it is close, or a prefix', () => {
    const names = ['out', 'workers', 'top', 'to', 'tz', 'force', 'quiet'];
    expect(closest('output', names)).toBe('out');
    expect(closest('froce', names)).toBe('force');
    expect(closest('worker', names)).toBe('workers');
    expect(closest('bogus', names)).toBeUndefined();
    expect(closest('x', names)).toBeUndefined();
  });
});

describe('option table', () => {
  it('renders usage, description, grouped options with defaults, and the footer', () => {
    expect(helpText(demo)).toBe(
      [
        'Usage: demo <x> [options]',
        '',
        'A demo command.',
        '',
        'Options:',
        '  -o, --out <dir>            where to write',
        '      --tag <t>              a tag, repeatable (default none)',
        '  -n, --count <n>            how many (default 3)',
        '      --mode <a|b>           a mode (default a)',
        '      --url <url>            a URL (default env DEMO_URL_FOR_TEST)',
        '  -q, --quiet                a flag',
        '  -f, --force                another flag',
        '',
        'Other:',
        '      --loud                 a flag',
        '  -h, --help                 show this help',
        '',
        'Exit codes: 0 ok.',
      ].join('\n'),
    );
  });

  it('parses with the table: short names, grouped flags, lists, typed values, defaults', () => {
    const { values, positionals, given } = parseCommand(demo, ['x', '-o', 'd', '--tag', 'a', '--tag=b', '-qf', '-n7', '--mode', 'b', '--', '-y']);
    expect(positionals).toEqual(['x', '-y']);
    expect(values).toEqual({ out: 'd', tag: ['a', 'b'], count: 7, mode: 'b', url: undefined, quiet: true, force: true, loud: false, help: false });
    expect([...given].sort()).toEqual(['count', 'force', 'mode', 'out', 'quiet', 'tag']);
    const defaults = parseCommand(demo, ['-o/tmp/x']).values;
    expect(defaults.out).toBe('/tmp/x'); // a value glued to its short option is not a misspelt option
    expect(defaults.count).toBe(3);
    expect(defaults.mode).toBe('a');
  });

  it('reads the environment variable of an option only when the option is not given', () => {
    process.env.DEMO_URL_FOR_TEST = 'http://env';
    try {
      expect(parseCommand(demo, []).values.url).toBe('http://env');
      expect(parseCommand(demo, ['--url', 'http://arg']).values.url).toBe('http://arg');
      expect(parseCommand(demo, []).given.has('url')).toBe(false);
    } finally {
      delete process.env.DEMO_URL_FOR_TEST;
    }
    expect(parseCommand(demo, []).values.url).toBeUndefined();
  });

  it('names an unknown option with the closest known one (ERR_UNKNOWN_OPTION)', () => {
    expect(mistake(demo, ['--output', 'r']).message).toBe('unknown option --output for demo: did you mean --out?');
    const e = mistake(demo, ['--ouput', 'r']);
    expect(e).toBeInstanceOf(errors.UnknownOptionError);
    expect(e.code).toBe('ERR_UNKNOWN_OPTION');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('unknown option --ouput for demo: did you mean --out?');
    expect(mistake(demo, ['--bogus']).message).toBe('unknown option --bogus for demo; see clickstream demo --help');
    expect(mistake(demo, ['-z']).message).toBe('unknown option -z for demo; see clickstream demo --help');
  });

  it('names a word after one dash that looks like a long option as a misspelt option', () => {
    expect(mistake(demo, ['x', '-out', 'r']).message).toBe('-out looks like a misspelt option for demo: did you mean --out (-o)?');
    expect(mistake(demo, ['-force']).message).toBe('-force looks like a misspelt option for demo: did you mean --force (-f)?');
    expect(mistake(demo, ['--out', '-quiet']).message).toBe('-quiet looks like a misspelt option for demo: did you mean --quiet (-q)?');
    expect(mistake(demo, ['-loud']).message).toBe('-loud looks like a misspelt option for demo: did you mean --loud?');
  });

  it('says what is wrong with a value (ERR_OPTION_VALUE)', () => {
    const cases: Array<[string[], string]> = [
      [['--count', 'many'], "--count must be a whole number from 1 to 9, got 'many'"],
      [['--count', '0'], "--count must be a whole number from 1 to 9, got '0'"],
      [['--count', '-1'], "--count must be a whole number from 1 to 9, got '-1'"],
      [['--mode', 'c'], "--mode must be a or b, got 'c'"],
      [['--out'], '--out needs a value <dir>; see clickstream demo --help'],
      [['--out', '--quiet'], '--out needs a value <dir>; see clickstream demo --help'],
      [['--quiet=yes'], "--quiet takes no value, got '--quiet=yes'"],
    ];
    for (const [args, message] of cases) {
      const e = mistake(demo, args);
      expect(e, args.join(' ')).toBeInstanceOf(errors.OptionValueError);
      expect(e.code).toBe('ERR_OPTION_VALUE');
      expect(e.message).toBe(message);
    }
  });

  it('lets --help win over every other mistake', () => {
    for (const args of [['--help', '--bogus'], ['--bogus', '-h'], ['-out', 'r', '--help'], ['--count', 'many', '-qh'], ['--out', '--help']]) {
      expect(parseCommand(demo, args).values.help, args.join(' ')).toBe(true);
    }
  });

  it('requires what is required, after --help', () => {
    const required = { ...demo, options: [{ name: 'out', short: 'o', type: 'string', value: '<dir>', required: true, help: 'where' }, ...demo.options.slice(1)] } as const;
    expect(mistake(required, []).message).toBe('missing -o, --out <dir> (where); see clickstream demo --help');
    expect(parseCommand(required, ['-h']).values.help).toBe(true);
    expect(helpText(required)).toContain('where (required)');
  });

  it("shows the code's own defaults in each command's help, never retyped", () => {
    expect(helpText(CONVERT_COMMAND)).toContain(`(default ${DEFAULT_MAX_LINE_BYTES})`);
    expect(helpText(CONVERT_COMMAND)).toContain(`(default ${DEFAULT_MEMORY_LIMIT})`);
    expect(helpText(CONVERT_COMMAND)).toContain(`(default ${DEFAULT_FORMAT_CHOICE})`);
    expect(helpText(WORKER_COMMAND)).toContain(`(default ${DEFAULT_LOCK_MS})`);
    expect(helpText(WORKER_COMMAND)).toContain(`(default ${DEFAULT_CONCURRENCY})`);
    expect(helpText(WORKER_COMMAND).replace(/\s+/g, ' ')).toContain(`(default env ${REDIS_URL_ENV}, else ${DEFAULT_REDIS_URL})`);
    expect(helpText(CATALOG_SERVE_FIXTURE_COMMAND)).toContain(`(default ${DEFAULT_FIXTURE_VERSION})`);
    for (const command of COMMANDS) {
      const text = helpText(command);
      for (const o of command.options) expect(text).toContain(`--${o.name}`);
    }
  });

  it('gives the parsed values the same defaults the help shows', () => {
    const worker = parseCommand(WORKER_COMMAND, []).values;
    expect(worker.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(worker['lock-ms']).toBe(DEFAULT_LOCK_MS);
    expect(parseCommand(CONVERT_COMMAND, ['-o', 'd']).values.format).toBe(DEFAULT_FORMAT_CHOICE);
    expect(parseCommand(CATALOG_SERVE_FIXTURE_COMMAND, []).values.version).toBe(DEFAULT_FIXTURE_VERSION);
  });

  it('says true things in help (issue 13 item 7)', () => {
    const convert = helpText(CONVERT_COMMAND).replace(/\s+/g, ' ');
    expect(convert).not.toContain('first 1000 lines');
    expect(convert).toContain(
      `first ${FORMAT_SAMPLE_LINES.toLocaleString('en-US')} JSON objects of each file (read in at most 10,000 lines or ${DEFAULT_PEEK_BYTES / 1024 / 1024} MiB)`,
    );
    const runId = ANALYZE_COMMAND.options.find((o) => o.name === 'run-id')!;
    expect(runId.help).toContain('with --redis, rerun with the same id to resume');
    expect(runId.help).toContain('a local run never resumes');
    for (const command of COMMANDS) {
      for (const o of command.options.filter((x) => x.name === 'force')) {
        expect(o.help, `${command.name} --force`).toMatch(/^replace <[a-z-]+> if it exists and is a/);
      }
    }
  });

  it('wraps long help to the column and never past 100 characters (but a word longer than a line)', () => {
    for (const command of COMMANDS) {
      const options = helpText(command).split('\n\n').slice(2).join('\n');
      for (const line of options.split('\n').filter((l) => l.trim().includes(' '))) expect(line.length, line).toBeLessThanOrEqual(100);
    }
    for (const line of exitCodesHelp().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('the README made from the tables', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('is exactly what the option tables and the exit-code table make (npm run docs:options)', () => {
    expect(rewriteReadme(readme, COMMANDS)).toBe(readme);
  });

  it('and so are the tables of the docs that have markers', () => {
    const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    let marked = 0;
    for (const file of docs) {
      const text = readFileSync(join(ROOT, 'docs', file), 'utf8');
      if (text.includes('<!-- options:')) marked++;
      expect(rewriteMarkedTables(text, COMMANDS), file).toBe(text);
    }
    expect(marked).toBeGreaterThanOrEqual(2); // distributed.md and COMPARE.md
  });

  it('makes a table of some options when the marker names them, in the table order', () => {
    const doc = 'x\n<!-- options:demo count quiet -->\nold\n<!-- /options:demo -->\ny';
    expect(rewriteMarkedTables(doc, [demo])).toBe(
      'x\n<!-- options:demo count quiet -->\n| option | default | meaning |\n|---|---|---|\n' +
        '| `-n, --count <n>` | 3 | how many |\n| `-q, --quiet` | off | a flag |\n<!-- /options:demo -->\ny',
    );
    expect(() => rewriteMarkedTables('<!-- options:demo nope -->\n<!-- /options:demo -->', [demo])).toThrow('demo has no --nope');
    expect(() => rewriteMarkedTables('<!-- options:demo -->\n', [demo])).toThrow('has no <!-- /options:demo -->');
  });

  it('lists every option of every --help, and every exit code the errors use', () => {
    for (const command of COMMANDS) {
      for (const o of command.options) expect(readme, `${command.name} --${o.name}`).toContain(`--${o.name}`);
      expect(readme).toContain(optionsTable(command));
    }
    const codes = new Set(EXIT_CODES.map((e) => e.code));
    for (const value of Object.values(errors)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      const instance = Object.create(value.prototype) as errors.ClickstreamError;
      const exitCode = Reflect.construct(value, ['x', 'y', 'z'].slice(0, value.length)) as errors.ClickstreamError;
      expect(codes.has(exitCode.exitCode), `${instance.constructor.name} exit ${exitCode.exitCode}`).toBe(true);
    }
  });

  it('refuses a README without the markers of a command', () => {
    const extra = { ...demo, name: 'demo extra' };
    expect(() => rewriteReadme(readme, [...COMMANDS, extra])).toThrow(ReadmeMarkersError);
    expect(() => rewriteReadme(readme, [...COMMANDS, extra])).toThrow('<!-- options:demo-extra -->');
  });

  it('gives every error a stable code', () => {
    expect(new errors.UsageError('x').code).toBe('ERR_USAGE');
    expect(new errors.OutputExistsError('/x').code).toBe('ERR_OUTPUT_EXISTS');
    expect(new errors.InputFormatError('x').code).toBe('ERR_INPUT_FORMAT');
    expect(new errors.JobFailedError(1, 'x', 2).code).toBe('ERR_JOB_FAILED');
    expect(errors.errorCode('ClickstreamError')).toBe('ERR_CLICKSTREAM');
  });
});
