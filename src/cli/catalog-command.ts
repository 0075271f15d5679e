/** `clickstream catalog crawl | report | serve-fixture`: option tables and front ends. */
import { setMaxListeners } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { crawlCatalog, type CrawlProgress, type CrawlOutcome } from '../catalog/crawl-catalog.js';
import { CatalogFixtures, DEFAULT_FIXTURE_PORT, DEFAULT_FIXTURE_VERSION } from '../catalog/fixture/catalog-fixtures.js';
import { DEFAULT_DELAY_MS, DEFAULT_MAX_CRAWL_DELAY_MS, DEFAULT_PER_HOST } from '../catalog/http/polite-fetcher-options.js';
import { catalogReport } from '../catalog/report/catalog-report.js';
import type { CatalogSource } from '../catalog/sources/catalog-source.js';
import {
  CourseraSource,
  DEFAULT_ALGOLIA_URL,
  DEFAULT_COUNTRY,
  DEFAULT_COURSERA_API,
  DEFAULT_CURRENCY,
} from '../catalog/sources/coursera-source.js';
import { SitemapSource } from '../catalog/sources/sitemap-source.js';
import { SourceUnreachableError } from '../catalog/source-unreachable-error.js';
import { openWarehouse } from '../catalog/warehouse/open-warehouse.js';
import { InterruptedError, UsageError } from '../errors.js';
import { commandLine, interruptSignal } from './command-helpers.js';
import { didYouMean } from './edit-distance.js';
import { formatCount, formatDuration, perSecond } from './format.js';
import { HELP_OPTION, type CommandSpec } from './option-table.js';
import { StatusLine } from './status-line.js';

/** Default `--cache-dir`: `$XDG_CACHE_HOME/clickstream/catalog`, else `~/.cache/clickstream/catalog`. */
export const DEFAULT_CACHE_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'clickstream', 'catalog');

export const CATALOG_CRAWL_COMMAND = {
  name: 'catalog crawl',
  usage: 'clickstream catalog crawl <source>... --warehouse <file.duckdb | postgres://user@host/db> [options]',
  description: `Crawls course catalogs politely into a warehouse, incrementally (docs/CATALOG-crawl.md).
Sources: coursera | sitemap:<url of a sitemap or sitemap index>. Sources crawl in parallel; every
host gets its own politeness limits. Exits 0 when the crawl completes, even with counted page errors;
3 when a source's root cannot be fetched; 4 when the disk under --cache-dir is full; 5 when the
warehouse cannot be opened or written; 130 on Ctrl-C (what was stored stays, and a rerun resumes).
Whatever stops a crawl, what it extracted is stored and its crawls row finished, not complete.`,
  options: [
    {
      name: 'warehouse',
      short: 'w',
      type: 'string',
      value: '<target>',
      required: true,
      help: 'DuckDB file (created when missing) or postgres:// URL',
      doc: 'a DuckDB file (created when missing; embedded, nothing to set up) or a `postgres://` URL (an existing database a team shares)',
    },
    {
      name: 'cache-dir',
      type: 'string',
      value: '<dir>',
      help: 'on-disk HTTP cache (ETag / Last-Modified revalidation) and resume state',
      doc: 'on-disk HTTP cache (ETag / Last-Modified revalidation) and resume state; delete it to reclaim space',
      default: DEFAULT_CACHE_DIR,
      docDefault: '`$XDG_CACHE_HOME/clickstream/catalog` (`~/.cache/…`)',
    },
    {
      name: 'per-host',
      type: 'string',
      value: '<n>',
      integer: true,
      min: 1,
      help: 'requests in flight at once per host (host and port)',
      doc: 'requests in flight at once per host (and port)',
      default: DEFAULT_PER_HOST,
    },
    {
      name: 'delay',
      type: 'string',
      value: '<ms>',
      integer: true,
      help: "least time between the starts of two requests to a host; robots.txt's Crawl-delay wins when larger",
      doc: "least time between the starts of two requests to a host; robots.txt's `Crawl-delay` wins when larger",
      default: DEFAULT_DELAY_MS,
    },
    {
      name: 'contact',
      type: 'string',
      value: '<url>',
      help: 'contact URL sent in the User-Agent (clickstream-catalog/<version> (+<url>))',
      doc: 'a contact URL in the honest User-Agent `clickstream-catalog/<version> (+<url>)`',
      defaultText: 'none',
    },
    {
      name: 'max-pages',
      type: 'string',
      value: '<n>',
      integer: true,
      help: 'stop each source after this many documents (the crawl is then not complete)',
      doc: 'documents per source; such a crawl is not complete and counts nothing gone',
      defaultText: 'no limit',
    },
    {
      name: 'max-crawl-delay',
      type: 'string',
      value: '<s>',
      integer: true,
      help: 'a robots.txt Crawl-delay above this many seconds makes its host unreachable for the crawl (crawl_delay_too_long)',
      doc: "a robots.txt `Crawl-delay` above this many seconds makes its host unreachable for the crawl (`crawl_delay_too_long`), never an endless wait",
      default: DEFAULT_MAX_CRAWL_DELAY_MS / 1000,
    },
    {
      name: 'allow-private',
      type: 'boolean',
      help: "request loopback, private, link-local and metadata addresses found in sitemaps, pages and redirects (the sources' own hosts always are)",
    },
    {
      name: 'coursera-api',
      type: 'string',
      value: '<url>',
      help: "Coursera's API root (specialization and price APIs)",
      doc: 'root of the specialization and price APIs',
      default: DEFAULT_COURSERA_API,
      docDefault: `\`${DEFAULT_COURSERA_API}\``,
      group: 'Coursera:',
    },
    {
      name: 'algolia',
      type: 'string',
      value: '<url>',
      help: "GET query endpoint of Coursera's products index, with its application id and search key (see docs/CATALOG-crawl.md to update it)",
      doc: "the index's GET query endpoint with its application id and search key; [how to update it](docs/CATALOG-crawl.md)",
      default: DEFAULT_ALGOLIA_URL,
      docDefault: "Coursera's products index",
      group: 'Coursera:',
    },
    {
      name: 'currency',
      type: 'string',
      value: '<code>',
      help: 'currency asked of the price API',
      default: DEFAULT_CURRENCY,
      docDefault: `\`${DEFAULT_CURRENCY}\``,
      group: 'Coursera:',
    },
    {
      name: 'country',
      type: 'string',
      value: '<code>',
      help: 'country asked of the price API',
      default: DEFAULT_COUNTRY,
      docDefault: `\`${DEFAULT_COUNTRY}\``,
      group: 'Coursera:',
    },
    {
      name: 'quiet',
      short: 'q',
      type: 'boolean',
      help: 'no progress, no page error lines and no summary',
      doc: 'no progress, no page-error lines, no summary',
      group: 'Output:',
    },
    HELP_OPTION,
  ],
} as const satisfies CommandSpec;

export const CATALOG_REPORT_COMMAND = {
  name: 'catalog report',
  usage: 'clickstream catalog report --warehouse <file.duckdb | postgres://user@host/db> --out <dir> [options]',
  description: `Writes a report of the warehouse's current courses (those not gone): catalog-summary.json,
courses.csv, top-enrolments.csv, charts and index.html. The directory appears only when complete.`,
  options: [
    { name: 'warehouse', short: 'w', type: 'string', value: '<target>', required: true, help: 'DuckDB file or postgres:// URL', doc: 'a DuckDB file or a `postgres://` URL' },
    { name: 'out', short: 'o', type: 'string', value: '<dir>', required: true, help: 'report directory to create' },
    {
      name: 'spreadsheet-safe',
      type: 'boolean',
      help:
        "write the CSVs for spreadsheets: a text starting with = + - @, tab or CR gets a leading ' (OWASP) so it cannot run " +
        'as a formula; without it the CSVs are exact (RFC 4180)',
    },
    {
      name: 'force',
      short: 'f',
      type: 'boolean',
      help: 'replace <dir> if it exists and is a catalog report written before (never anything else)',
      doc: 'replace `<dir>` if it exists and is a catalog report written before (never anything else)',
    },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no summary line' },
    HELP_OPTION,
  ],
} as const satisfies CommandSpec;

const MAX_PORT = 65535;

export const CATALOG_SERVE_FIXTURE_COMMAND = {
  name: 'catalog serve-fixture',
  usage: 'clickstream catalog serve-fixture [options]',
  description: `Serves the bundled fixture course site and fixture Coursera on 127.0.0.1 (two hosts) until
Ctrl-C, and prints the crawl command to try them without the internet.`,
  options: [
    { name: 'site-port', type: 'string', value: '<n>', integer: true, max: MAX_PORT, help: `port of the fixture site (${DEFAULT_FIXTURE_PORT}: any free port)`, default: DEFAULT_FIXTURE_PORT },
    { name: 'coursera-port', type: 'string', value: '<n>', integer: true, max: MAX_PORT, help: `port of the fixture Coursera (${DEFAULT_FIXTURE_PORT}: any free port)`, default: DEFAULT_FIXTURE_PORT },
    {
      name: 'version',
      type: 'string',
      value: '<1|2>',
      integer: true,
      min: 1,
      max: 2,
      help: 'site version: 2 is the site after a change (one course changed, one added, one removed)',
      default: DEFAULT_FIXTURE_VERSION,
    },
    HELP_OPTION,
  ],
} as const satisfies CommandSpec;

const CATALOG_HELP = `Usage:
  ${CATALOG_CRAWL_COMMAND.usage}
  ${CATALOG_REPORT_COMMAND.usage}
  ${CATALOG_SERVE_FIXTURE_COMMAND.usage}
  clickstream catalog <subcommand> --help

Subcommands:
  crawl           crawl coursera and sitemap:<url> sources politely into a DuckDB or PostgreSQL warehouse
  report          summarise the warehouse's current courses into a report directory
  serve-fixture   serve a local fixture site and fixture Coursera to try crawl without the internet`;

/** Runs `clickstream catalog …`; returns the exit code. */
export async function runCatalog(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'crawl':
      return runCrawl(rest);
    case 'report':
      return runReport(rest);
    case 'serve-fixture':
      return runServeFixture(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(CATALOG_HELP);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown catalog subcommand '${sub}'; ${didYouMean(sub, ['crawl', 'report', 'serve-fixture'], 'run clickstream catalog --help')}`);
  }
}

/** The sources named on the command line. */
export function parseSources(names: readonly string[], coursera: ConstructorParameters<typeof CourseraSource>[0]): CatalogSource[] {
  const sources: CatalogSource[] = [];
  for (const name of names) {
    let source: CatalogSource;
    if (name === 'coursera') source = new CourseraSource(coursera);
    else if (name.startsWith('sitemap:')) {
      const url = name.slice('sitemap:'.length);
      try {
        source = new SitemapSource(url);
      } catch {
        throw new UsageError(`'${name}': sitemap:<url> needs an http(s) URL`);
      }
    } else throw new UsageError(`unknown source '${name}'; sources are coursera and sitemap:<url>`);
    if (sources.some((s) => s.name === source.name)) throw new UsageError(`source '${name}' given twice`);
    sources.push(source);
  }
  return sources;
}

async function runCrawl(args: string[]): Promise<number> {
  const line = commandLine(CATALOG_CRAWL_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length === 0) throw new UsageError(`missing <source>; see clickstream ${CATALOG_CRAWL_COMMAND.name} --help`);
  const { 'per-host': perHost, delay: delayMs, 'max-pages': maxPages, 'max-crawl-delay': maxCrawlDelay } = values;
  for (const [name, value] of [['coursera-api', values['coursera-api']], ['algolia', values.algolia], ['contact', values.contact]] as const) {
    if (value !== undefined && !/^https?:\/\/[^/]/.test(value) && !(name === 'contact' && /^mailto:/.test(value))) {
      throw new UsageError(`--${name} must be an http(s) URL${name === 'contact' ? ' or mailto:' : ''}, got '${value}'`);
    }
  }
  const sources = parseSources(positionals, {
    api: values['coursera-api'],
    algolia: values.algolia,
    currency: values.currency,
    country: values.country,
  });
  const quiet = values.quiet;
  if (!values.contact && !quiet) {
    process.stderr.write('clickstream: no --contact given: the User-Agent names the tool only; sites prefer a way to reach you\n');
  }
  const warehouse = await openWarehouse(values.warehouse);
  const status = new StatusLine(process.stderr, Boolean(process.stderr.isTTY) && !quiet);
  const { signal, dispose } = interruptSignal();
  setMaxListeners(0, signal);
  let outcome: CrawlOutcome;
  try {
    outcome = await crawlCatalog({
      sources,
      warehouse,
      cacheDir: values['cache-dir'],
      http: {
        perHost,
        delayMs,
        ...(values.contact ? { contact: values.contact } : {}),
        maxCrawlDelayMs: maxCrawlDelay * 1000,
        ...(values['allow-private'] ? { allowPrivate: true } : {}),
      },
      ...(maxPages !== undefined ? { maxPages } : {}),
      signal,
      onProgress: (p) => status.update(progressLine(p)),
      log: quiet
        ? undefined
        : (line) => {
            status.clear();
            process.stderr.write(`${line}\n`);
          },
    });
  } finally {
    status.clear();
    dispose();
    await warehouse.close();
  }
  if (!quiet) for (const line of summaryLines(outcome)) console.log(line);
  if (outcome.interrupted) throw new InterruptedError('interrupted: what was crawled is stored; run the same command again to resume');
  const unreachable = outcome.sources.filter((s) => s.unreachable !== undefined);
  if (unreachable.length > 0) {
    const first = unreachable[0]!;
    const e = new SourceUnreachableError(first.source, first.unreachable!);
    if (unreachable.length > 1) e.message = unreachable.map((s) => `${s.source}: its root cannot be fetched (${s.unreachable})`).join('; ');
    throw e;
  }
  return 0;
}

/** The one-line progress of a crawl: pages and rate, ETA, queue, records, page errors by cause, hosts. */
export function progressLine(p: CrawlProgress): string {
  const pages = p.sources.reduce((n, s) => n + s.pages, 0);
  const queued = p.sources.reduce((n, s) => n + s.queued, 0);
  const records = p.sources.reduce((n, s) => n + s.records, 0);
  // Page errors only: null fields (missing:*, wrong_type:*) are for the summary.
  const pageCauses = Object.entries(p.errorCauses).filter(([c]) => !isFieldCause(c));
  const errors = pageCauses.reduce((n, [, k]) => n + k, 0);
  const causes = pageCauses
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([c, k]) => `${c} ${k}`);
  const hosts = [...p.hosts]
    .map(([h, s]) => (s.inFlight + s.waiting > 0 ? `${h} ${s.inFlight} active ${s.waiting} waiting` : `${h} idle`))
    .slice(0, 3)
    .join(', ');
  // An ETA only when every source knows its total.
  const known = p.sources.every((s) => s.total !== undefined && s.total > 0);
  const done = p.sources.reduce((n, s) => n + s.done, 0);
  const total = p.sources.reduce((n, s) => n + (s.total ?? 0), 0);
  const eta = known && done > 0 && total >= done ? `, ETA ${formatDuration((p.elapsedMs / done) * (total - done))}` : '';
  return (
    `catalog  ${formatCount(pages)} pages (${formatCount(perSecond(pages, p.elapsedMs))}/s)${eta} | ${formatCount(queued)} queued | ` +
    `${formatCount(records)} records | ${formatCount(errors)} errors${causes.length ? `: ${causes.join(', ')}` : ''} | ${hosts}`
  );
}

/** Whether a counted cause is a field left null (`missing:`, `wrong_type:`, `out_of_range:`) rather than a page or request error. */
export function isFieldCause(cause: string): boolean {
  return /^(?:missing|wrong_type|out_of_range):/.test(cause);
}

/** The closing summary: one line per source, one for the hosts. */
export function summaryLines(o: CrawlOutcome): string[] {
  const lines: string[] = [];
  for (const s of o.sources) {
    const r = s.row;
    const state = r.complete
      ? 'complete'
      : s.unreachable !== undefined
        ? `not complete: root cannot be fetched (${s.unreachable})`
        : o.interrupted
          ? 'not complete: interrupted'
          : s.incomplete.length > 0
            ? `not complete: ${s.incomplete[0]}${s.incomplete.length > 1 ? ` and ${s.incomplete.length - 1} more` : ''}`
            : 'not complete: --max-pages reached';
    const page = Object.entries(r.error_causes).filter(([c]) => !isFieldCause(c));
    const fields = Object.entries(r.error_causes).reduce((n, [c, k]) => (isFieldCause(c) ? n + k : n), 0);
    const causes = page
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    lines.push(
      `${s.source}: ${state}${s.resumed ? ' (resumed)' : ''}; ${formatCount(r.pages)} pages; inserted ${r.inserted}, updated ${r.updated}, ` +
        `unchanged ${r.unchanged}, gone ${r.gone}; ${formatCount(r.errors)} errors: ` +
        `${formatCount(r.errors - fields)} page errors${causes ? ` (${causes})` : ''}, ${formatCount(fields)} null fields (missing:* / wrong_type:* / out_of_range:*)`,
    );
  }
  let requests = 0;
  let notModified = 0;
  let fromCache = 0;
  for (const h of o.hosts.values()) {
    requests += h.requests;
    notModified += h.notModified;
    fromCache += h.fromCache;
  }
  lines.push(
    `${formatCount(requests)} requests to ${o.hosts.size} host(s), ${formatCount(notModified)} answered 304 Not Modified, ` +
      `${formatCount(fromCache)} documents reused from the interrupted crawl, in ${formatDuration(o.elapsedMs)}`,
  );
  return lines;
}

async function runReport(args: string[]): Promise<number> {
  const line = commandLine(CATALOG_REPORT_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const result = await catalogReport({
    warehouse: values.warehouse,
    out: values.out,
    force: values.force,
    spreadsheetSafe: values['spreadsheet-safe'],
  });
  if (!values.quiet) console.log(`wrote ${result.out}: ${formatCount(result.courses)} current courses in ${result.summary.groups.length} platform/kind groups`);
  return 0;
}

async function runServeFixture(args: string[]): Promise<number> {
  const line = commandLine(CATALOG_SERVE_FIXTURE_COMMAND, args);
  if (line === undefined) return 0;
  const { values, positionals } = line;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { 'site-port': sitePort, 'coursera-port': courseraPort } = values;
  const fixtures = await CatalogFixtures.start({
    version: values.version as 1 | 2,
    ...(sitePort !== undefined ? { sitePort } : {}),
    ...(courseraPort !== undefined ? { courseraPort } : {}),
    // A little think time, as real servers have, so that the per-host limit shows in the progress.
    latencyMs: 20,
  });
  const { signal, dispose } = interruptSignal();
  try {
    console.log(`fixture site      ${fixtures.site.origin}  (sitemap index ${fixtures.sitemapUrl})`);
    console.log(`fixture Coursera  ${fixtures.coursera.origin}`);
    console.log('');
    console.log('Try, in another terminal:');
    console.log(
      `  clickstream catalog crawl sitemap:${fixtures.sitemapUrl} coursera --coursera-api ${fixtures.courseraApi} ` +
        `--algolia '${fixtures.algoliaUrl}' --warehouse catalog.duckdb --cache-dir .catalog-cache --delay 100`,
    );
    console.log('  clickstream catalog report --warehouse catalog.duckdb --out catalog-report');
    console.log('');
    console.log('Serving until Ctrl-C.');
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return 0;
  } finally {
    dispose();
    await fixtures.close();
  }
}
