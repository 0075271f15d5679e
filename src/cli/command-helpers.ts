/** Small pieces every command's front end shares: typed option values, positionals, interrupts. */
import { UsageError } from '../errors.js';

/** A whole number option, or undefined when absent; anything else is a usage error naming it. */
export function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  return Number(value);
}

/** The one positional argument a command takes. */
export function onePositional(positionals: string[], what: string, help: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? `missing ${what}\n\n${help}` : `expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  return positionals[0]!;
}

/** Aborts on the first SIGINT/SIGTERM so work is cleaned up; a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nclickstream: ${sig} received, stopping and cleaning up (again to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
