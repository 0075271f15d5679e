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

/** A document whose marked tables do not match the commands: a section is missing, unknown or malformed. */
export class ReadmeMarkersError extends Error {}

const OPEN = /^<!-- (options:([a-z-]+)((?: [a-z-]+)*)|exit-codes) -->$/gm;

/**
 * A document with every marked table made again. `<!-- options:worker -->` is a command's whole
 * table; `<!-- options:analyze redis attempts -->` only the options named, in the table's order.
 * With `requireEvery` (the README), every command must have a whole table (so every option of
 * every `--help` is there) and the exit codes theirs. A marker is a line of its own: one quoted in
 * a sentence is text.
 */
export function rewriteMarkedTables(text: string, commands: readonly CommandSpec[], options: { requireEvery?: boolean } = {}): string {
  const byMarker = new Map(commands.map((c) => [markerName(c), c]));
  const whole = new Set<string>();
  let out = '';
  let from = 0;
  for (const m of text.matchAll(OPEN)) {
    if (m.index < from) continue;
    const marker = m[2] === undefined ? 'exit-codes' : `options:${m[2]}`;
    const close = `<!-- /${marker} -->`;
    const end = text.indexOf(close, m.index);
    if (end === -1) throw new ReadmeMarkersError(`${m[0]} has no ${close}`);
    let table: string;
    if (m[2] === undefined) {
      table = exitCodesTable();
      whole.add(marker);
    } else {
      const command = byMarker.get(m[2]);
      if (!command) throw new ReadmeMarkersError(`${m[0]}: no command ${m[2]}`);
      const names = (m[3] ?? '').trim().split(' ').filter(Boolean);
      for (const n of names) if (!command.options.some((o) => o.name === n)) throw new ReadmeMarkersError(`${m[0]}: ${command.name} has no --${n}`);
      table = optionsTable(names.length === 0 ? command : { ...command, options: command.options.filter((o) => names.includes(o.name)) });
      if (names.length === 0) whole.add(marker);
    }
    const head = m.index + m[0].length;
    out += `${text.slice(from, head)}\n${table}\n`;
    from = end;
  }
  out += text.slice(from);
  if (options.requireEvery) {
    for (const marker of [...byMarker.keys()].map((k) => `options:${k}`).concat('exit-codes')) {
      if (!whole.has(marker)) throw new ReadmeMarkersError(`README.md needs a <!-- ${marker} --> … <!-- /${marker} --> section`);
    }
  }
  return out;
}

/** The README with its marked tables made again; every command and the exit codes must have theirs. */
export function rewriteReadme(readme: string, commands: readonly CommandSpec[]): string {
  return rewriteMarkedTables(readme, commands, { requireEvery: true });
}
