/**
 * The process exit codes, written once: the main `--help` and the README's "Exit codes" table are
 * both made from this list (./options-markdown.ts), and the error classes of ../errors.ts carry
 * these numbers.
 */

/** One exit code: the few words of the main help and the README's sentence (Markdown). */
export interface ExitCodeSpec {
  readonly code: number;
  /** In the main help's one-line list. */
  readonly summary: string;
  /** The README's meaning column. */
  readonly doc: string;
}

export const EXIT_CODES: readonly ExitCodeSpec[] = [
  { code: 0, summary: 'ok', doc: 'success' },
  { code: 1, summary: 'failure', doc: 'another failure (the message says which)' },
  {
    code: 2,
    summary: 'bad usage',
    doc:
      'bad usage (an unknown option, with the closest known one; a misspelt option such as `-out`; a missing argument; ' +
      'a value out of range; `analyze --course` naming no course of the dataset, or on a Coursera dataset; one input given ' +
      'twice to convert (a link, a copy) or one report twice to compare). ' +
      'One line on stderr; `--help` anywhere wins and exits 0',
  },
  {
    code: 3,
    summary: 'unreadable input or dataset',
    doc:
      'the input or dataset cannot be read (missing, truncated gzip, a folder with no file to convert, an export given to ' +
      'analyze, no manifest, a manifest ' +
      'that is damaged or does not add up, a partition file that is missing or a symbolic link leading outside the dataset), ' +
      "or convert's input is not an export (zip, UTF-16, …; no event; more than half of the first 10,000 non-blank lines " +
      'rejected), is in neither format, mixes them, or is not in the one `--format` names',
  },
  {
    code: 4,
    summary: 'output exists or unwritable',
    doc:
      'the output exists and `--force` was not given or may not replace it, or it cannot be written (a file in the way, ' +
      'permission, `no space left on …`)',
  },
  {
    code: 5,
    summary: 'Redis or the warehouse unavailable',
    doc: 'Redis cannot be reached, or the catalog warehouse cannot be opened (its password is never printed)',
  },
  { code: 6, summary: 'a partition job failed', doc: 'a partition job failed (the message names the partition and the cause)' },
  { code: 70, summary: 'internal error', doc: 'internal error (a bug: please report it with the message)' },
  {
    code: 130,
    summary: 'interrupted',
    doc:
      'interrupted (SIGINT/SIGTERM, at any moment once the command has started; a second signal forces the exit); ' +
      'nothing half-written is left',
  },
];

/** The main help's paragraph: `Exit codes: 0 ok, 1 failure, …`, wrapped under its first word. */
export function exitCodesHelp(width = 100): string {
  const head = 'Exit codes: ';
  const lines: string[] = [];
  let line = head;
  const items = EXIT_CODES.map((e, i) => `${e.code} ${e.summary}${i === EXIT_CODES.length - 1 ? '.' : ','}`);
  for (const item of items) {
    if (line.length > head.length && line.length + 1 + item.length > width) {
      lines.push(line);
      line = ' '.repeat(head.length) + item;
    } else {
      line = line.length > head.length ? `${line} ${item}` : `${line}${item}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
