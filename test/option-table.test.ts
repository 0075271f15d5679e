import { describe, expect, it } from 'vitest';
import { ANALYZE_COMMAND } from '../src/cli/analyze-command.js';
import { CONVERT_COMMAND } from '../src/cli/convert-command.js';
import { helpText, parseCommand, parseConfig, type CommandSpec } from '../src/cli/option-table.js';
import { WORKER_COMMAND } from '../src/cli/worker-command.js';
import { DEFAULT_MAX_LINE_BYTES } from '../src/convert/convert.js';
import { DEFAULT_MEMORY_LIMIT } from '../src/convert/write-parquet.js';
import { DEFAULT_LOCK_MS } from '../src/redis/queue.js';

const demo = {
  usage: 'demo <x> [options]',
  description: 'A demo command.',
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', help: 'where to write' },
    { name: 'tag', type: 'string', multiple: true, value: '<t>', help: 'a tag, repeatable', default: 'none' },
    { name: 'loud', type: 'boolean', help: 'a flag', group: 'Other:' },
  ],
  footer: 'Exit codes: 0 ok.',
} as const satisfies CommandSpec;

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
        '',
        'Other:',
        '      --loud                 a flag',
        '',
        'Exit codes: 0 ok.',
      ].join('\n'),
    );
  });

  it('configures parseArgs from the same table: short names, lists, strict', () => {
    expect(parseConfig(demo.options)).toEqual({
      out: { type: 'string', short: 'o' },
      tag: { type: 'string', multiple: true },
      loud: { type: 'boolean' },
    });
    const { values, positionals } = parseCommand(demo, ['x', '-o', 'd', '--tag', 'a', '--tag', 'b', '--loud']);
    expect(positionals).toEqual(['x']);
    expect(values).toEqual({ out: 'd', tag: ['a', 'b'], loud: true });
    expect(() => parseCommand(demo, ['--nope'])).toThrow(/Unknown option '--nope'/);
  });

  it("shows the code's own defaults in each command's help", () => {
    expect(helpText(CONVERT_COMMAND)).toContain(`(default ${DEFAULT_MAX_LINE_BYTES})`);
    expect(helpText(CONVERT_COMMAND)).toContain(`(default ${DEFAULT_MEMORY_LIMIT})`);
    expect(helpText(WORKER_COMMAND)).toContain(`(default ${DEFAULT_LOCK_MS})`);
    for (const command of [CONVERT_COMMAND, ANALYZE_COMMAND, WORKER_COMMAND] as CommandSpec[]) {
      const text = helpText(command);
      for (const o of command.options) expect(text).toContain(`--${o.name}`);
    }
  });

  it('wraps long help to the column and never past 100 characters', () => {
    for (const command of [CONVERT_COMMAND, ANALYZE_COMMAND, WORKER_COMMAND] as CommandSpec[]) {
      const options = helpText(command).split('\n\n').slice(2).join('\n');
      for (const line of options.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    }
  });
});
