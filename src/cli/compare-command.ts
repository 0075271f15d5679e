/** `clickstream compare`: its option table, and the front end that calls {@link compareReports}. */
import { COMPARE_CHART_FILES } from '../compare/compare-charts.js';
import { compareReports, defaultCompareTitle, MIN_COMPARE_REPORTS } from '../compare/compare-reports.js';
import { COMPARE_TOP_N } from '../compare/compare-table.js';
import { UsageError } from '../errors.js';
import { commandLine, interruptSignal } from './command-helpers.js';
import { HELP_OPTION, type CommandSpec } from './option-table.js';

export const COMPARE_COMMAND = {
  name: 'compare',
  usage: 'clickstream compare <report-dir> <report-dir>… --out <dir> [options]',
  description: `Puts course runs side by side from the summary.json of reports written by
\`clickstream analyze\` (this version; no dataset needed). Writes compare.csv (one row per report,
named by its folder: events, learners, median and 90th-percentile clicks, sessions, median time
on task, video viewers, and the share of learners of every device type and language among each
report's top ${COMPARE_TOP_N}), ${COMPARE_CHART_FILES.join(', ')} and index.html.
The output directory appears only when complete.`,
  options: [
    { name: 'out', short: 'o', type: 'string', value: '<dir>', required: true, help: 'directory to create' },
    { name: 'title', type: 'string', value: '<text>', help: 'title of index.html', doc: 'title of `index.html`', defaultText: `'${defaultCompareTitle(['a', 'b'])}' for reports named a and b` },
    {
      name: 'force',
      short: 'f',
      type: 'boolean',
      help: 'replace <dir> if it exists and is a comparison written before (never a report or anything else)',
      doc: 'replace `<dir>` if it exists and is a comparison written before (never a report or anything else)',
    },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no summary line' },
    HELP_OPTION,
  ],
  footer: `Exit codes: 0 ok, 2 bad usage, 3 a report without a readable summary.json or with one of another
version (re-run analyze), 4 output exists or unwritable, 130 interrupted.`,
} as const satisfies CommandSpec;

/** Runs `clickstream compare`; returns the exit code. */
export async function runCompare(args: string[]): Promise<number> {
  const line = commandLine(COMPARE_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length < MIN_COMPARE_REPORTS) {
    throw new UsageError(`expected at least ${MIN_COMPARE_REPORTS} <report-dir>, got ${positionals.length}; see clickstream ${COMPARE_COMMAND.name} --help`);
  }
  const { signal, dispose } = interruptSignal();
  try {
    const result = await compareReports({
      reports: positionals,
      out: values.out,
      force: values.force,
      signal,
      ...(values.title !== undefined ? { title: values.title } : {}),
    });
    if (!values.quiet) {
      const { table } = result;
      console.log(
        `compared ${result.reports.length} reports -> ${result.dir}: compare.csv (${table.devices.length} device types, ` +
          `${table.languages.length} languages), ${result.files.length} files`,
      );
    }
    return 0;
  } finally {
    dispose();
  }
}
