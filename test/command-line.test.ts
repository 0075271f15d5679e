/** commandLine: the preamble every command shares (parse with its table, `--help` prints and exits 0). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandLine } from '../src/cli/command-helpers.js';
import { HELP_OPTION, helpText, type CommandSpec } from '../src/cli/option-table.js';

const demo = {
  name: 'demo',
  usage: 'demo <x> [options]',
  description: 'A demo command.',
  options: [{ name: 'out', type: 'string', value: '<dir>', help: 'where' }, HELP_OPTION],
} as const satisfies CommandSpec;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('commandLine', () => {
  it('gives the values, the positionals and the options given', () => {
    const line = commandLine(demo, ['a', '--out', 'o']);
    expect(line).toEqual({ values: { out: 'o', help: false }, positionals: ['a'], given: new Set(['out']) });
  });

  it('prints the help and gives undefined for --help and -h', () => {
    const printed: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: unknown) => {
      printed.push(text);
    });
    expect(commandLine(demo, ['--help'])).toBeUndefined();
    expect(commandLine(demo, ['x', '-h'])).toBeUndefined();
    expect(printed).toEqual([helpText(demo), helpText(demo)]);
  });

  it('refuses an unknown option (the CLI turns this into exit 2)', () => {
    expect(() => commandLine(demo, ['--bogus'])).toThrow(/--bogus/);
  });
});
