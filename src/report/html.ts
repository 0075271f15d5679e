/**
 * `index.html`: one self-contained page summarising a report, written to be handed to a colleague:
 * an "at a glance" block, the key figures, then one section per question (when, how long, what,
 * which videos, who stayed, with what) with its chart, its table and a link to its CSV.
 *
 * No scripts and no external URLs, so it opens the same from a file share, an archive or an
 * air-gapped machine; it only links to the report's own files, which sit next to it.
 */
import { REJECT_REASONS, type NamedCount, type Report, type RejectReason } from '../types.js';
import { CHART_HEIGHT, CHART_WIDTH } from './chart-base.js';
import { CHART_FILES, type ChartFileName } from './charts.js';
import { formatSeconds } from './duration-text.js';
import {
  chartFigure,
  dataTable,
  dataText,
  dec,
  downloadNote,
  escapeHtml,
  figureTable,
  int,
  link,
  namedCountColumns,
  namedCountRows,
  share,
  truncationNote,
  pageStart,
} from './html-parts.js';
import { retentionCard, retentionLead, retentionTable } from './retention-html.js';
import { CSV_FILES, type CsvFileName } from './tables.js';

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

const REJECT_LABELS: Record<RejectReason, string> = {
  invalid_json: 'invalid JSON',
  not_object: 'not a JSON object',
  missing_username: 'missing username',
  too_long: 'line too long',
  other_format: 'of the other format',
};

const FILE_DESCRIPTIONS: Record<string, string> = {
  'summary.json': 'every figure on this page, exact',
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

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The stylesheet of the report pages (also the catalog report's and the comparison's, which add their own rules). */
export const REPORT_STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222; background: #fff; margin: 0 auto; max-width: 1240px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.8em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.muted, .note { color: #666; }
.note { font-size: 0.9em; margin: 6px 0; }
.lead { margin: 4px 0 12px; max-width: 60em; }
nav.toc { font-size: 0.92em; margin: 12px 0 0; }
nav.toc a { margin-right: 14px; white-space: nowrap; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin: 8px 0; }
.card { border: 1px solid #dde3ea; border-radius: 6px; padding: 12px 14px; background: #f7f9fb; }
.card .value { font-size: 1.5em; font-weight: bold; font-variant-numeric: tabular-nums; }
.card .label { font-weight: bold; margin-top: 2px; }
.card .sub { color: #555; font-size: 0.86em; margin-top: 2px; }
.figures { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.figures table { min-width: 280px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.95em; }
caption { text-align: left; font-weight: bold; padding-bottom: 2px; }
th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #eee; vertical-align: top; }
thead th { border-bottom: 2px solid #ccc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { word-break: break-all; font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.8em; }
.nowrap { white-space: nowrap; }
td.ua { word-break: break-all; max-width: 640px; font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.85em; }
table.grid { font-size: 0.78em; }
table.grid th, table.grid td { padding: 3px 6px 3px 0; }
.side { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
figure { margin: 16px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
ul.files { columns: 2; }
`;

/** One section of the page: an id for the contents, a heading and its body. */
interface PageSection {
  id: string;
  heading: string;
  body: string;
}

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
    learnersSection(report, maxRows, (opts.extraFiles ?? []).some((f) => f.file === 'learners.parquet')),
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
  const files = ['summary.json', ...CSV_FILES, ...opts.charts, ...(opts.extraFiles ?? []).map((f) => f.file)];
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

// Text between backticks in a plain-text lead becomes <code>; everything is escaped first.
function lead(text: string): string {
  if (text === '') return '';
  return `<p class="lead">${escapeHtml(text).replace(/`([^`]*)`/g, '<code>$1</code>')}</p>`;
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

function card(value: string, label: string, sub: string): string {
  return `<div class="card"><div class="value">${value}</div><div class="label">${label}</div><div class="sub">${sub}</div></div>`;
}

/** The six figures a reader wants first; values and labels are built from numbers and escaped text only. */
function glanceBlock(report: Report): string {
  const { summary } = report;
  const { time, video, timeOnTaskSeconds, activity } = summary;
  const firstDay = report.daily[0]?.date;
  const lastDay = report.daily.at(-1)?.date;
  const retentionGlance = retentionCard(report);
  return `<div class="glance">
${card(int(summary.users), 'learners', summary.users > 0 ? `median ${dec(activity.median)} clicks per learner` : 'none')}
${card(int(summary.events), 'events', summary.events === 0 ? 'none' : time.untimed > 0 ? `${int(time.untimed)} without a time stamp${time.implausible > 0 ? ` (${int(time.implausible)} implausible)` : ''}` : 'all with a time stamp')}
${card(int(time.activeDays), 'active days', firstDay && lastDay ? `of ${int(time.days)} days, <span class="nowrap">${escapeHtml(firstDay)}</span> to <span class="nowrap">${escapeHtml(lastDay)}</span>` : 'no timed events')}
${card(escapeHtml(formatSeconds(timeOnTaskSeconds.median)), 'median time on task', `per learner with a timed event; total ${escapeHtml(formatSeconds(timeOnTaskSeconds.total))}`)}
${card(int(video.viewers), 'video viewers', `${share(video.viewers, summary.users)} of learners; ${int(video.lectures)} lectures`)}
${card(retentionGlance.value, retentionGlance.label, retentionGlance.sub)}
</div>`;
}

function keyFigures(report: Report): string {
  const { summary } = report;
  const { input, activity, time, sessions, timeOnTaskSeconds } = summary;
  const rejectedTotal = REJECT_REASONS.reduce((sum, r) => sum + (input.rejected[r] ?? 0), 0);
  const seconds = (s: number): string => `${escapeHtml(formatSeconds(s))}`;
  const tables = [
    figureTable('Input', [
      ['events', int(summary.events)],
      ['learners', int(summary.users)],
      ['input lines', int(input.lines)],
      ['blank lines', int(input.blank)],
      ['rejected lines', int(rejectedTotal)],
      ...REJECT_REASONS.filter((r) => input.rejected[r] !== undefined).map((r): [string, string] => [`&nbsp;&nbsp;${escapeHtml(REJECT_LABELS[r])}`, int(input.rejected[r]!)]),
    ]),
    figureTable('Clicks per learner', [
      ['minimum', dec(activity.min)],
      ['median', dec(activity.median)],
      ['mean', dec(activity.mean)],
      ['90th percentile', dec(activity.p90)],
      ['99th percentile', dec(activity.p99)],
      ['maximum', dec(activity.max)],
    ]),
    figureTable('Time', [
      ['time zone', escapeHtml(time.timezone)],
      ['first event (UTC)', time.first === null ? '–' : escapeHtml(time.first)],
      ['last event (UTC)', time.last === null ? '–' : escapeHtml(time.last)],
      ['days, first to last', int(time.days)],
      ['active days', int(time.activeDays)],
      ['untimed events', int(time.untimed)],
      ['of which implausible times (before 1990 or from 2100 on)', int(time.implausible)],
      ['course start (week 0)', summary.retention.courseStart === null ? '–' : escapeHtml(summary.retention.courseStart)],
    ]),
    figureTable(`Sessions (a new one after ${dec(sessions.gapMinutes)} min without events)`, [
      ['sessions', int(sessions.count)],
      ['sessions per learner, median', dec(sessions.perLearner.median)],
      ['sessions per learner, mean', dec(sessions.perLearner.mean)],
      ['session duration, median', seconds(sessions.durationSeconds.median)],
      ['session duration, 90th percentile', seconds(sessions.durationSeconds.p90)],
      ['session duration, maximum', seconds(sessions.durationSeconds.max)],
    ]),
    figureTable('Time on task per learner', [
      ['median', seconds(timeOnTaskSeconds.median)],
      ['mean', seconds(timeOnTaskSeconds.mean)],
      ['90th percentile', seconds(timeOnTaskSeconds.p90)],
      ['maximum', seconds(timeOnTaskSeconds.max)],
      ['total, all learners', seconds(timeOnTaskSeconds.total)],
    ]),
  ];
  return `<div class="figures">\n${tables.join('\n')}\n</div>\n<p class="note">Durations are rounded here; summary.json and the CSVs have them exact, in seconds.</p>`;
}

function section(id: string, heading: string, body: string): PageSection {
  return { id, heading, body };
}

function namedSection(
  id: string,
  heading: string,
  leadText: string,
  nameHeader: string,
  counts: readonly NamedCount[],
  learners: number,
  csv: CsvFileName | 'courses.csv',
  maxRows: number,
  figure: string,
): PageSection {
  const shown = counts.slice(0, maxRows);
  return section(
    id,
    heading,
    [
      lead(leadText),
      figure,
      dataTable(namedCountColumns(nameHeader), namedCountRows(shown, learners)),
      truncationNote(shown.length, counts.length, csv) + downloadNote(csv),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function dailySection(report: Report, maxRows: number, figure: string): PageSection {
  const shown = report.daily.slice(0, maxRows);
  const table = dataTable(
    [{ header: 'date' }, { header: 'events', numeric: true }, { header: 'active learners', numeric: true }, { header: 'new learners', numeric: true }],
    shown.map((d) => [escapeHtml(d.date), int(d.events), int(d.learners), int(d.newLearners)]),
  );
  return section(
    'daily',
    'Activity per day',
    [
      lead(`Every day from the first event to the last, in time zone ${report.summary.time.timezone}, quiet days included. New learners: those whose first event falls on that day.`),
      figure,
      table,
      truncationNote(shown.length, report.daily.length, 'daily.csv') + downloadNote('daily.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function hourOfWeekSection(report: Report, figure: string): PageSection {
  // A 7 × 24 grid reads far better than 168 rows; the CSV has the rows (and the learners).
  const cells = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const r of report.hourOfWeek) {
    const line = cells[r.weekday - 1];
    if (line && r.hour >= 0 && r.hour < 24) line[r.hour] = r.events;
  }
  const columns = [{ header: 'weekday' }, ...Array.from({ length: 24 }, (_, h) => ({ header: String(h), numeric: true }))];
  const rows = WEEKDAYS.map((day, i) => [escapeHtml(day.slice(0, 3)), ...cells[i]!.map((n) => int(n))]);
  return section(
    'hours',
    'Hour of the week',
    [
      lead(`Events by weekday and hour of the day (0–23) in time zone ${report.summary.time.timezone}. The CSV also has the distinct learners of each hour.`),
      figure,
      dataTable(columns, rows, 'grid'),
      downloadNote('hour-of-week.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function retentionSection(report: Report, maxRows: number, figure: string): PageSection {
  return section(
    'retention',
    'Retention',
    [
      lead(retentionLead(report)),
      figure,
      retentionTable(report, maxRows),
      truncationNote(Math.min(maxRows, report.retention.length), report.retention.length, 'retention.csv') + downloadNote('retention.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function sessionsSection(report: Report, figure: string): PageSection {
  const { sessions } = report.summary;
  const table = dataTable(
    [{ header: 'duration' }, { header: 'sessions', numeric: true }, { header: '% of sessions', numeric: true }],
    report.sessionDurations.map((b) => [escapeHtml(b.bucket), int(b.sessions), share(b.sessions, sessions.count)]),
  );
  return section(
    'sessions',
    'Sessions',
    [
      lead(
        `A learner's timed events form sessions: a new one starts after more than ${dec(sessions.gapMinutes)} minutes without an event. A session lasts from its first event to its last (0 for a single event); a learner's time on task is the sum of their sessions.`,
      ),
      figure,
      table,
      downloadNote('session-durations.csv'),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function videosSection(report: Report, maxRows: number, figure: string): PageSection {
  const { video, users } = report.summary;
  const shown = report.videos.slice(0, maxRows);
  const table = dataTable(
    [
      { header: 'lecture' },
      { header: 'events', numeric: true },
      { header: 'viewers', numeric: true },
      { header: 'play', numeric: true },
      { header: 'pause', numeric: true },
      { header: 'seeked', numeric: true },
      { header: 'rate change', numeric: true },
      { header: 'other', numeric: true },
      { header: 'median furthest position', numeric: true },
    ],
    shown.map((v) => [
      dataText(v.lecture),
      int(v.events),
      int(v.viewers),
      int(v.play),
      int(v.pause),
      int(v.seeked),
      int(v.ratechange),
      int(v.other),
      v.medianFurthestSeconds === null ? '–' : escapeHtml(formatSeconds(v.medianFurthestSeconds)),
    ]),
  );
  const actions = dataTable(namedCountColumns('action'), namedCountRows(video.actions, users), '', 'Video actions');
  const rates = dataTable(
    [{ header: 'playback rate', numeric: true }, { header: 'events', numeric: true }, { header: 'learners', numeric: true }],
    video.playbackRates.map((r) => [escapeHtml(String(r.rate)), int(r.events), int(r.users)]),
    '',
    'Playback rates set',
  );
  return section(
    'videos',
    'Videos',
    [
      lead(
        `${int(video.events)} video events by ${int(video.viewers)} learners (${share(video.viewers, users)}) on ${int(video.lectures)} known lectures. Median furthest position: over the lecture's viewers with a position, the median of each one's furthest point.`,
      ),
      figure,
      table,
      truncationNote(shown.length, report.videos.length, 'videos.csv') + downloadNote('videos.csv'),
      `<div class="side">\n${actions}\n${rates}\n</div>`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function learnersSection(report: Report, maxRows: number, parquet: boolean): PageSection {
  const shown = report.learners.slice(0, maxRows);
  const table = dataTable(
    [
      // Real usernames are 40-character hashes: monospace, allowed to wrap.
      { header: 'username', className: 'id' },
      { header: 'events', numeric: true },
      { header: 'active days', numeric: true },
      { header: 'sessions', numeric: true },
      { header: 'time on task', numeric: true },
      { header: 'video events', numeric: true },
      { header: 'lectures', numeric: true },
      { header: 'first day (UTC)', className: 'nowrap' },
      { header: 'device' },
      { header: 'language' },
    ],
    shown.map((l) => [
      dataText(l.username),
      int(l.events),
      int(l.activeDays),
      int(l.sessions),
      escapeHtml(formatSeconds(l.timeOnTaskSeconds)),
      int(l.videoEvents),
      int(l.lectures),
      l.firstEvent === null ? '<span class="muted">untimed</span>' : escapeHtml(l.firstEvent.slice(0, 10)),
      dataText(l.device),
      dataText(l.language),
    ]),
  );
  return section(
    'learners',
    'Learners',
    [
      lead('One row per learner, most clicks first; the CSV adds the first and last event’s exact time, page views, browser and operating system.'),
      table,
      truncationNote(shown.length, report.learners.length, 'learners.csv') +
        (parquet ? downloadNote('learners.csv', 'learners.parquet') : downloadNote('learners.csv')),
    ].join('\n'),
  );
}

function topUsersSection(report: Report, maxRows: number): PageSection {
  const topUsers = report.summary.topUsers.slice(0, maxRows);
  const table = dataTable(
    [{ header: '#', numeric: true }, { header: 'username' }, { header: 'clicks', numeric: true }],
    topUsers.map((u, i) => [String(i + 1), dataText(u.username), int(u.clicks)]),
  );
  return section('top', 'Most active learners', `${table}\n${truncationNote(topUsers.length, report.users.length, 'users.csv')}${downloadNote('users.csv')}`);
}

function userAgentsSection(report: Report, maxRows: number): PageSection {
  const agents = report.userAgents.slice(0, maxRows);
  const rows = agents.map((a) => [
    a.userAgent === '' ? '<span class="muted">(missing)</span>' : escapeHtml(a.userAgent),
    dataText(a.browser),
    dataText(a.os),
    dataText(a.device),
    int(a.events),
    int(a.users),
  ]);
  const table = dataTable(
    // Raw user agents are long and unbroken: monospace, wrapping anywhere.
    [{ header: 'user agent', className: 'ua' }, { header: 'browser' }, { header: 'OS' }, { header: 'device' }, { header: 'events', numeric: true }, { header: 'learners', numeric: true }],
    rows,
  );
  return section(
    'user-agents',
    'User agents',
    `${table}\n${truncationNote(agents.length, report.userAgents.length, 'user-agents.csv')}${downloadNote('user-agents.csv')}`,
  );
}

/**
 * What the page says about the form of the CSVs: exact, or neutralised for spreadsheets. `command`
 * is the one to rerun (default `analyze`), `whose` says who chooses the texts (default user agents
 * and usernames, analyze's).
 */
export function csvFormNote(spreadsheetSafe: boolean, command = 'analyze', whose = 'User agents and usernames are chosen by anyone'): string {
  return spreadsheetSafe
    ? 'These CSV files are spreadsheet-safe (<code>--spreadsheet-safe</code>): a text starting with =, +, -, @, a tab or a ' +
        'carriage return is written with a leading \' so that no value opens as a formula; such values differ from the data by ' +
        `that character (${command === 'analyze' ? 'summary.json' : 'the warehouse'} and a run without the option have them exactly).`
    : `These CSV files are exact (RFC 4180), for pandas, DuckDB or R. ${whose}: a value ` +
        'starting with =, +, -, @, a tab or a carriage return may run as a formula if a CSV is opened in a spreadsheet. To open ' +
        `them in one, rerun <code>clickstream ${command}</code> with <code>--spreadsheet-safe</code>.`;
}
