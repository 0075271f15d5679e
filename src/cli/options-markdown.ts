/**
 * The README's option tables and exit-code table, made from the commands' option tables and
 * ./exit-codes.ts, and the rewrite of the README between its marker comments
 * (`<!-- options:analyze -->` … `<!-- /options:analyze -->`, `<!-- exit-codes -->` … `<!-- /exit-codes -->`).
 * Pure: `npm run docs:options` (scripts/docs-options.mjs) does the file I/O, and a test checks that
 * the README is what this makes.
 */
import { EXIT_CODES } from './exit-codes.js';
import { defaultOf, flagText, type CommandSpec, type OptionSpec } from './option-table.js';

/** The marker name of a command: its words joined by `-` (`catalog crawl` → `catalog-crawl`). */
export function markerName(spec: CommandSpec): string {
  return spec.name.trim().split(/\s+/).join('-');
}

/** A table cell: `|` escaped (also inside code spans, as GitHub's tables need), no line breaks. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
}

/** Help text as Markdown: placeholders such as `<dir>` become code, or they would read as HTML. */
function helpAsMarkdown(help: string): string {
  return help.replace(/<[^<>\s]+>/g, (m) => `\`${m}\``);
}

/** The README's default column of an option. */
export function docDefault(o: OptionSpec): string {
  if (o.docDefault !== undefined) return o.docDefault;
  if (o.required) return '(required)';
  return defaultOf(o) ?? (o.type === 'boolean' ? 'off' : 'none');
}

/** The Markdown table of a command's options: option, default, meaning. */
export function optionsTable(spec: CommandSpec): string {
  const rows = spec.options.map((o) => `| \`${cell(flagText(o))}\` | ${cell(docDefault(o))} | ${cell(o.doc ?? helpAsMarkdown(o.help))} |`);
  return ['| option | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The Markdown table of the exit codes. */
export function exitCodesTable(): string {
  return ['| code | meaning |', '|---|---|', ...EXIT_CODES.map((e) => `| ${e.code} | ${cell(e.doc)} |`)].join('\n');
}

/** A README whose marked tables do not match the commands: a section is missing or malformed. */
export class ReadmeMarkersError extends Error {}

/**
 * The README with every marked table made again. Every command must have its markers (so every
 * option of every `--help` is in the README), and so must the exit codes.
 */
export function rewriteReadme(readme: string, commands: readonly CommandSpec[]): string {
  let text = readme;
  const sections: Array<[string, string]> = [
    ...commands.map((c): [string, string] => [`options:${markerName(c)}`, optionsTable(c)]),
    ['exit-codes', exitCodesTable()],
  ];
  for (const [marker, table] of sections) {
    const open = `<!-- ${marker} -->`;
    const close = `<!-- /${marker} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start === -1 || end === -1 || end < start || text.indexOf(open, start + 1) !== -1) {
      throw new ReadmeMarkersError(`README.md needs exactly one ${open} … ${close} section`);
    }
    text = `${text.slice(0, start + open.length)}\n${table}\n${text.slice(end)}`;
  }
  return text;
}
