/**
 * Command-line front end: parses arguments, calls the programmatic API (src/index.ts), shows
 * progress, and turns errors into one-line messages and exit codes. No analysis logic lives here.
 */
import { interruptSignal } from './cli/command-helpers.js';
import { didYouMean } from './cli/edit-distance.js';
import { exitCodesHelp } from './cli/exit-codes.js';
import { ClickstreamError, UsageError } from './errors.js';
import { listFormats } from './formats/format-registry.js';
import { TOOL_VERSION } from './version.js';

const MAIN_HELP = `clickstream ${TOOL_VERSION} — MOOC clickstream exports to Parquet and exact analytics

Usage:
  clickstream demo [--out <dir>] [options]
  clickstream generate --out <file> [--format coursera|openedx] [options]
  clickstream convert <export>... --out <dataset-dir> [options]
  clickstream analyze <dataset-dir> --out <report-dir> [options]
  clickstream compare <report-dir> <report-dir>… --out <dir> [options]
  clickstream worker [--redis <url>] [options]
  clickstream catalog crawl|report|serve-fixture [options]
  clickstream <command> --help

Commands:
  demo      generate a realistic Coursera export and an Open edX site's rotated logs, convert and
            analyze both, and print the two reports' index.html (under a minute; start here)
  generate  write a realistic, seeded Coursera export or Open edX tracking logs, dirt included
  convert   stream ${listFormats((f) => f.label, 'or')} exports (plain, gzip or standard input) into a
            partitioned Parquet dataset
  analyze   exact learning analytics: learners' browsers, devices and languages, clicks, event types,
            sections, daily and hour-of-week activity, sessions and time on task, videos, retention,
            one row per learner; CSVs, charts, index.html (local threads, or Redis workers with --redis)
  compare   put reports side by side from their summary.json: compare.csv, overlaid charts, index.html
  worker    take analyze's partition jobs from Redis until SIGINT/SIGTERM (see docs/distributed.md)
  catalog   crawl course catalogs politely into a DuckDB/PostgreSQL warehouse; report; serve-fixture

Options:
  -h, --help      show help
  -v, --version   show the version

${exitCodesHelp()}`;

const COMMAND_NAMES = ['convert', 'analyze', 'compare', 'worker', 'catalog'];

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      // Commands load only when run. Convert and analyze take over SIGINT/SIGTERM before loading
      // (DuckDB, threads: a noticeable time), so that a signal meanwhile is a clean exit 130 too.
      case 'convert':
        interruptSignal();
        return await (await import('./cli/convert-command.js')).runConvert(rest);
      case 'analyze':
        interruptSignal();
        return await (await import('./cli/analyze-command.js')).runAnalyze(rest);
      case 'demo':
        interruptSignal();
        return await (await import('./cli/demo-command.js')).runDemoCommand(rest);
      case 'generate':
        interruptSignal();
        return await (await import('./cli/generate-command.js')).runGenerate(rest);
      case 'worker':
        return await (await import('./cli/worker-command.js')).runWorker(rest);
      case 'catalog':
        return await (await import('./cli/catalog-command.js')).runCatalog(rest);
      case 'compare':
        return await (await import('./cli/compare-command.js')).runCompare(rest);
      case '-v':
      case '--version':
        console.log(TOOL_VERSION);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(MAIN_HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'; ${didYouMean(command, COMMAND_NAMES, 'run clickstream --help')}`);
    }
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof ClickstreamError) {
    console.error(`clickstream: ${err.message}`);
    return err.exitCode;
  }
  const e = err as Error | undefined;
  console.error('clickstream: internal error (please report it):');
  console.error(e?.stack ?? String(err));
  return 70;
}
