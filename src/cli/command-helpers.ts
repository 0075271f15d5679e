/** Small pieces every command's front end shares: positionals, interrupts. */
import { UsageError } from '../errors.js';
import { nativeWorkDone, nativeWorkPending } from '../util/native-work.js';
import { removeUnfinishedOutputs } from '../util/output-dir.js';
import { helpText, parseCommand, type CommandSpec, type OptionSpec, type ParsedCommand } from './option-table.js';

/**
 * Every command's first step: its arguments parsed with its option table (unknown options are
 * usage errors). With `--help` (which wins over every other mistake) it prints the help and gives
 * undefined: the command exits 0.
 */
export function commandLine<T extends readonly OptionSpec[]>(spec: CommandSpec<T>, args: readonly string[]): ParsedCommand<T> | undefined {
  const line = parseCommand(spec, args);
  if ((line.values as { help?: boolean }).help) {
    console.log(helpText(spec));
    return undefined;
  }
  return line;
}

/** The one positional argument a command takes; otherwise a one-line usage error pointing at the command's help. */
export function onePositional(positionals: string[], what: string, command: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `missing ${what}; see clickstream ${command} --help`
        : `expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  return positionals[0]!;
}

// One handler for the whole process, installed as early as possible (before the command's modules
// load) and never removed: a signal at any moment is an interruption with exit 130, never the
// default death by signal (exit 143 for SIGTERM) with no message.
let interrupts: { controller: AbortController; finished: boolean } | undefined;

/**
 * Aborts on the first SIGINT/SIGTERM so work is cleaned up; a second one exits (exit 130) as soon as
 * no thread is inside DuckDB; a third kills the process after removing its unfinished outputs.
 * Every call returns the same signal. After `dispose` (the command is over and the process is
 * ending) a signal just ends the process with the exit code already decided.
 */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  if (!interrupts) {
    const state = { controller: new AbortController(), finished: false };
    interrupts = state;
    let signals = 0;
    const handler = (sig: NodeJS.Signals): void => {
      signals++;
      if (state.finished) process.exit(typeof process.exitCode === 'number' ? process.exitCode : 130);
      if (signals === 1) {
        process.stderr.write(`\nclickstream: ${sig} received, stopping and cleaning up (again to force)\n`);
        state.controller.abort();
      } else if (signals === 2 && nativeWorkPending()) {
        // Exiting while a thread is inside DuckDB would abort the process: its queries are
        // interrupted already, so this takes moments.
        process.stderr.write(`clickstream: waiting for DuckDB threads to stop (again to kill at once)\n`);
        void nativeWorkDone().then(() => process.exit(130));
      } else if (signals === 2) {
        process.exit(130);
      } else {
        removeUnfinishedOutputs();
        process.kill(process.pid, 'SIGKILL');
      }
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }
  const state = interrupts;
  return {
    signal: state.controller.signal,
    dispose: () => {
      state.finished = true;
    },
  };
}
