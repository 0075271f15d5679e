/**
 * `index.html`: one self-contained page summarising a report, written to be handed to a colleague:
 * an "at a glance" block, the key figures, then one section per question (when, how long, what,
 * which videos, who stayed, with what) with its chart, its table and a link to its CSV.
 *
 * No scripts and no external URLs, so it opens the same from a file share, an archive or an
 * air-gapped machine; it only links to the report's own files, which sit next to it.
 */
import type { Report } from './report-types.js';
import { CHART_HEIGHT, CHART_WIDTH } from './chart-base.js';
import { csvFormNote } from './csv-form-note.js';
import { dailySection } from './daily-section.js';
import { glanceBlock } from './glance-block.js';
import { hourOfWeekSection } from './hour-of-week-section.js';
import { chartFigure, downloadNote, escapeHtml, int, link, pageStart } from './html-parts.js';
import { keyFigures } from './key-figures.js';
import { learnersSection } from './learners-section.js';
import { namedSection } from './named-section.js';
import type { PageSection } from './page-section.js';
import { CHART_FILES, CSV_FILES, LEARNERS_PARQUET, SUMMARY_FILE, type ChartFileName } from './report-format.js';
import { REPORT_STYLE } from './report-style.js';
import { retentionSection } from './retention-section.js';
import { sessionsSection } from './sessions-section.js';
import { topUsersSection } from './top-users-section.js';
import { userAgentsSection } from './user-agents-section.js';
import { videosSection } from './videos-section.js';

export { escapeHtml } from './html-parts.js';

/** A file of the report the page should list besides its own (e.g. `learners.parquet`). */
export interface ExtraReportFile {
  /** File name, next to the page. */
  file: string;
  /** What it holds, one short phrase. */
  description: string;
}

/** Options of {@link renderIndexHtml}. */
export interface IndexHtmlOptions {
  /** Page title and heading. */
  title: string;
  /** When the report was made, shown as given (e.g. an ISO 8601 timestamp). */
  generatedAt: string;
  /**
   * Chart file names to show (e.g. `'browser.png'`); they must sit next to the page. Each known
   * chart appears in its own section; others in a last "More charts" section.
   */
  charts: readonly string[];
  /** Rows shown per table before pointing to the CSV. Default {@link HTML_TABLE_ROWS}. */
  maxRows?: number;
  /** Further files written beside the page, listed under "Files". Default: none. */
  extraFiles?: readonly ExtraReportFile[];
  /** The CSVs were written spreadsheet-safe (the page says which form they are in). Default false. */
  spreadsheetSafe?: boolean;
  /** Per chart file, characters it drew as `?` (the chart font lacks them); noted under the chart. Default: none. */
  undrawable?: Readonly<Partial<Record<string, number>>>;
}

/** Default number of rows of each table on the page; the CSVs always have them all. */
export const HTML_TABLE_ROWS = 25;

const CHART_ALT: Record<ChartFileName, string> = {
  'browser.png': 'Bar chart: learners by browser',
  'device.png': 'Bar chart: learners by device type',
  'language.png': 'Bar chart: learners by language',
  'activity-cdf.png': 'Line chart: cumulative distribution of clicks per learner, logarithmic clicks axis',
  'event-types.png': 'Bar chart: events by event type',
  'daily-activity.png': 'Bar and line chart: events and active learners per day',
  'hour-of-week.png': 'Heat map: events by weekday (rows, Monday to Sunday) and hour of the day (columns, 0 to 23)',
  'retention.png': 'Grouped bar chart: learners active and retained in each course week',
  'session-durations.png': 'Bar chart: sessions by duration bucket',
  'videos.png': 'Bar chart: viewers of the most viewed lectures',
};

const FILE_DESCRIPTIONS: Record<string, string> = {
  [SUMMARY_FILE]: 'every figure on this page, exact',
  'browsers.csv': 'events and learners per browser',
  'os.csv': 'events and learners per operating system',
  'devices.csv': 'events and learners per device type',
  'languages.csv': 'events and learners per language',
  'users.csv': 'clicks of every learner',
  'activity-cdf.csv': 'cumulative distribution of clicks per learner',
  'user-agents.csv': 'every distinct user agent and how it was classified',
  'event-types.csv': 'events and learners per event type',
  'sections.csv': 'events and learners per course-site section',
  'referrers.csv': 'events and learners per referring host',
  'daily.csv': 'events, active and new learners per day',
  'hour-of-week.csv': 'events and learners per weekday and hour',
  'retention.csv': 'active, new and retained learners per course week',
  'session-durations.csv': 'sessions per duration bucket',
  'videos.csv': 'events, viewers, actions and furthest position per lecture',
  'learners.csv': 'one row per learner: activity, time on task, videos, device',
};

/**
 * The report's `index.html`. Every string that comes from the data (names, usernames, user
 * agents, lectures, dates) and from the options is HTML-escaped.
 */
export function renderIndexHtml(report: Report, opts: IndexHtmlOptions): string {
  const { summary } = report;
  const maxRows = opts.maxRows ?? HTML_TABLE_ROWS;
  const shownCharts = new Set(opts.charts);
  const chart = (file: ChartFileName): string =>
    shownCharts.has(file) ? chartFigure(file, CHART_ALT[file], CHART_WIDTH, CHART_HEIGHT, opts.undrawable?.[file]) : '';
  const known = new Set<string>(CHART_FILES);
  const otherCharts = opts.charts.filter((f) => !known.has(f));

  const sections: PageSection[] = [
    { id: 'glance', heading: 'At a glance', body: glanceBlock(report) },
    { id: 'figures', heading: 'Key figures', body: keyFigures(report) },
    dailySection(report, maxRows, chart('daily-activity.png')),
    hourOfWeekSection(report, chart('hour-of-week.png')),
    retentionSection(report, maxRows, chart('retention.png')),
    sessionsSection(report, chart('session-durations.png')),
    ...(report.courses !== undefined
      ? [namedSection('courses', 'Courses', 'Events and learners per course (`context.course_id`; `(none)` when the event names none).', 'course', report.courses, summary.users, 'courses.csv', maxRows, '')]
      : []),
    namedSection('event-types', 'Event types', 'What learners did: events of each type (`key`; `(missing)` when absent).', 'event type', report.eventTypes, summary.users, 'event-types.csv', maxRows, chart('event-types.png')),
    namedSection('sections', 'Course sections', 'Where on the course site: the second segment of the page URL’s path (`(root)` when there is none, `unknown` when there is no URL).', 'section', report.sections, summary.users, 'sections.csv', maxRows, ''),
    videosSection(report, maxRows, chart('videos.png')),
    namedSection('referrers', 'Referrers', 'Host names of the referring page (`from`); `(direct)` when there is none.', 'referrer', report.referrers, summary.users, 'referrers.csv', maxRows, ''),
    namedSection('browsers', 'Browsers', '', 'browser', summary.browsers, summary.users, 'browsers.csv', maxRows, chart('browser.png')),
    namedSection('os', 'Operating systems', '', 'operating system', summary.os, summary.users, 'os.csv', maxRows, ''),
    namedSection('devices', 'Devices', '', 'device type', summary.devices, summary.users, 'devices.csv', maxRows, chart('device.png')),
    namedSection('languages', 'Languages', '', 'language', summary.languages, summary.users, 'languages.csv', maxRows, chart('language.png')),
    {
      id: 'activity',
      heading: 'Clicks per learner',
      body: `${chart('activity-cdf.png')}\n${downloadNote('activity-cdf.csv', 'users.csv')}`,
    },
    learnersSection(report, maxRows, (opts.extraFiles ?? []).some((f) => f.file === LEARNERS_PARQUET)),
    topUsersSection(report, maxRows),
    userAgentsSection(report, maxRows),
  ];
  if (otherCharts.length > 0) {
    sections.push({
      id: 'more-charts',
      heading: 'More charts',
      body: otherCharts.map((f) => chartFigure(f, f, CHART_WIDTH, CHART_HEIGHT)).join('\n'),
    });
  }
  const files = [SUMMARY_FILE, ...CSV_FILES, ...opts.charts, ...(opts.extraFiles ?? []).map((f) => f.file)];
  const descriptions: Record<string, string> = { ...FILE_DESCRIPTIONS };
  for (const f of opts.extraFiles ?? []) descriptions[f.file] = f.description;
  sections.push({
    id: 'files',
    heading: 'Files',
    body: `<ul class="files">
${files.map((f) => `<li>${link(f)}${descriptions[f] ? ` <span class="muted">— ${escapeHtml(descriptions[f])}</span>` : ''}</li>`).join('\n')}
</ul>
<p class="note">${csvFormNote(opts.spreadsheetSafe ?? false)}</p>`,
  });

  const title = escapeHtml(opts.title);
  const toc = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.heading)}</a>`).join('\n');
  return `${pageStart(opts.title, REPORT_STYLE)}<header>
<h1>${title}</h1>
<p class="muted">Generated ${escapeHtml(opts.generatedAt)}. ${periodLine(report)}</p>
<nav class="toc">
${toc}
</nav>
</header>

${sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.heading)}</h2>\n${s.body}\n</section>`).join('\n\n')}
</body>
</html>
`;
}

function periodLine(report: Report): string {
  const { time, filter } = report.summary;
  const zone = `Days and hours in time zone ${escapeHtml(time.timezone)}.`;
  const period =
    time.first !== null && time.last !== null
      ? `Events from ${escapeHtml(time.first)} to ${escapeHtml(time.last)} (UTC). ${zone}`
      : `No event has a time stamp. ${zone}`;
  if (!filter) return period;
  const window = [filter.from !== null ? `from ${escapeHtml(filter.from)}` : '', filter.to !== null ? `before ${escapeHtml(filter.to)}` : '']
    .filter(Boolean)
    .join(' ');
  const parts = [window ? `events ${window}` : '', filter.excludeBots ? 'bots excluded' : ''].filter(Boolean).join(', ');
  return `${period} Filtered${parts ? ` (${parts})` : ''}: ${int(filter.events)} events left out.`;
}
