/**
 * Writes realistic Open edX tracking logs (DATA-CONTRACT §7), streaming, deterministic for a seed.
 *
 *   clickstream generate --format openedx --out FILE [--bytes 500MB | --events N] [--gzip]
 *        [--files N] [--courses N] [--seed S] [--dirty-rate 0.002] [--anonymous-rate 0.03]
 *        [--max-line-bytes N] [--stats FILE] [--quiet]
 *
 * What a site's tracking.log looks like, in the shapes of edX's own documentation and test fixtures
 * (docs/OPENEDX.md, "Sources"):
 * - one JSON object per line as Python's json.dumps writes it (`", "`, `": "`), in time order,
 *   learners' sessions interleaved; several courses, old (`Org/Num/Run`) and new
 *   (`course-v1:Org+Num+Run`) course ids; learners enrolled in one to three of them;
 * - server events (`event_type` the request path: courseware, info, progress, discussion, wiki,
 *   xblock handlers, `/dashboard`; `event` a JSON text of GET/POST; `page` null; forum and
 *   problem_check events with `event` an object and `page` `x_module`), browser events (video
 *   events, problem_check, seq_goto, page_close with `event` as JSON text and `page` the URL),
 *   mobile app events (legacy event_type with `name` edx.video.*, or the new name as event_type;
 *   `event` an object or a JSON text; empty ip, session, referer and accept_language; device time,
 *   sometimes hours behind);
 * - `time` as Python's isoformat writes it (`+00:00`, microseconds, no fraction when they are 0),
 *   with rare variants (`Z`, no zone, milliseconds, another offset, unparsable); speeds as text;
 * - anonymous requests (username `""`, `--anonymous-rate` per session) and enrolment events by the
 *   `anonymous` management user;
 * - with probability `--dirty-rate` per event, a dirty line before it (truncated JSON, two objects
 *   on a line, an nginx error page, a non-object, a null or missing username, a blank line, a
 *   20–60 kB line) and, independently, a quirk in the event (agent missing or a number, no
 *   accept_language, no context, course_id "", no event_type, CRLF, an invalid UTF-8 byte).
 *
 * `--files N` splits the span into N rotated files, oldest first: `FILE.N-1` … `FILE.1`, then `FILE`
 * (a `.gz` suffix stays last: `tracking.log.gz` → `tracking.log.1.gz`). `--bytes` counts the text
 * written (before gzip); `--events N` writes exactly N ordinary events (plus dirty lines).
 *
 * The generator knows what every line is, so it reports DATA-CONTRACT §2's counts (per file and in total):
 * lines, events, blank and rejected lines by reason, and learners. fixtures/recount_openedx.py
 * recounts everything else independently.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LogSink } from './log-sink.js';
import { makeCourses, type Course } from './openedx-courses.js';
import { EventMaker, type Fields } from './openedx-event-maker.js';
import { BOT_AGENT, DESKTOP_AGENTS, LearnerPicker, makeLearners } from './openedx-learners.js';
import { DIRTY_LINES, EVENT_QUIRKS, type EventQuirk } from './openedx-quirks.js';
import { HOST, SPAN_DAYS, SPAN_START_US, SessionHeap, newSession, type Session } from './openedx-sessions.js';
import { step } from './openedx-step.js';
import { parseSize } from './parse-size.js';
import { isoformat, py } from './python-json.js';
import { Rng } from './rng.js';
import { pickWeighted } from './weighted.js';

export interface GenerateOpenEdxOptions {
  /** The current log; rotated files are named after it. */
  out: string;
  /** Text bytes to write (before gzip), within about 1 %. Default 500 MB when `events` is not given. */
  bytes?: number;
  /** Ordinary events to write (dirty lines come on top). */
  events?: number;
  /** Gzip every file. Default false. */
  gzip: boolean;
  /** Rotated files the span is split into. Default 1. */
  files: number;
  /** Courses on the site. Default 4. */
  courses: number;
  /** Default `edx`. Same seed, same bytes. */
  seed: string;
  /** Chance per event of a dirty line before it and, independently, of a quirk in it. Default 0.002. */
  dirtyRate: number;
  /** Chance per session of anonymous requests before it. Default 0.03. */
  anonymousRate: number;
  /** Only for the report: which long lines count as `too_long`. Default 16 MiB. */
  maxLineBytes: number;
  /** Stops the writing with an InterruptedError when aborted. Default: never. */
  signal?: AbortSignal;
}

export interface RejectCounts {
  invalid_json: number;
  not_object: number;
  missing_username: number;
  too_long: number;
}

export interface FileStats {
  path: string;
  /** Text bytes (before gzip). */
  bytes: number;
  fileBytes: number;
  lines: number;
  events: number;
  blank: number;
  rejected: RejectCounts;
}

/** What the whole log holds: the same counts as each file's, added up, and more. */
export interface GenerateOpenEdxStats extends Omit<FileStats, 'path'> {
  seed: string;
  gzip: boolean;
  /** Files in the order to convert them (oldest first). */
  files: FileStats[];
  /** Learners with at least one event (the `anonymous` management user included). */
  users: number;
  courses: string[];
  maxLineBytes: number;
  seconds: number;
}

/** The names of `files` rotated logs after `out`, oldest first, `out` itself last. */
export function rotatedNames(out: string, files: number): string[] {
  const m = /^(.*?)(\.gz)?$/.exec(out)!;
  const names: string[] = [];
  for (let k = files - 1; k >= 1; k--) names.push(`${m[1]}.${k}${m[2] ?? ''}`);
  names.push(out);
  return names;
}

function emptyRejects(): RejectCounts {
  return { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 };
}

/** Average bytes per event line, measured on a sample, to turn --bytes into events. */
function calibrate(opts: GenerateOpenEdxOptions): number {
  const rng = new Rng(`${opts.seed}/calibrate`);
  const courses = makeCourses(rng, opts.courses);
  const learners = makeLearners(rng, 500, courses.length);
  const maker = new EventMaker(rng);
  let bytes = 0;
  let n = 0;
  for (let i = 0; i < 400; i++) {
    const learner = rng.pick(learners);
    const s = newSession(rng, learner, courses, 0);
    for (let k = 0; k < 10; k++) {
      for (const f of step(rng, maker, s, SPAN_START_US + k * 60_000_000)) {
        bytes += Buffer.byteLength(py(f)) + 1;
        n++;
      }
    }
  }
  return bytes / n;
}

/** Generates the logs; resolves with what DATA-CONTRACT §2 says of every line written. */
export async function generateOpenEdx(opts: GenerateOpenEdxOptions): Promise<GenerateOpenEdxStats> {
  const started = process.hrtime.bigint();
  // The rotated files go beside --out: make its folder, as a user naming a new one expects.
  mkdirSync(dirname(opts.out), { recursive: true });
  const targetBytes = opts.events === undefined ? (opts.bytes ?? parseSize('500MB')) : Infinity;
  const expectedEvents = opts.events ?? Math.max(1, Math.round(targetBytes / calibrate(opts)));
  const rng = new Rng(opts.seed);
  const courses = makeCourses(rng, opts.courses);
  const learners = makeLearners(rng, Math.max(5, Math.round(expectedEvents / 120)), courses.length);
  const picker = new LearnerPicker(learners);
  const maker = new EventMaker(rng);
  // Sessions start as a Poisson process over the span, at the rate that spends the events in it.
  const spanUs = SPAN_DAYS * 86_400_000_000;
  const meanEventsPerSession = 27;
  const meanGapUs = spanUs / Math.max(1, expectedEvents / meanEventsPerSession);
  const names = rotatedNames(opts.out, opts.files);
  const fileStats: FileStats[] = [];
  const seen = new Set<string>();
  let fileIndex = 0;
  let sink = new LogSink(names[0]!, opts.gzip, opts.signal);
  let stats: FileStats = { path: names[0]!, bytes: 0, fileBytes: 0, lines: 0, events: 0, blank: 0, rejected: emptyRejects() };
  let written = 0;
  /** Ordinary events written (what --events counts; long dirty lines within the limit are events too). */
  let ordinary = 0;

  const closeFile = async (): Promise<void> => {
    stats.fileBytes = await sink.close();
    stats.bytes = sink.bytes;
    fileStats.push(stats);
  };
  const nextFile = (): void => {
    fileIndex++;
    sink = new LogSink(names[fileIndex]!, opts.gzip, opts.signal);
    stats = { path: names[fileIndex]!, bytes: 0, fileBytes: 0, lines: 0, events: 0, blank: 0, rejected: emptyRejects() };
  };
  const rotateTo = async (at: number): Promise<void> => {
    const want = Math.min(opts.files - 1, Math.floor(((at - SPAN_START_US) / spanUs) * opts.files));
    while (fileIndex < want) {
      await closeFile();
      nextFile();
    }
  };
  const write = async (text: string | Buffer): Promise<void> => {
    await sink.add(text);
    written += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  };

  const eventLine = async (fields: Fields, quirk: EventQuirk | undefined): Promise<void> => {
    const f = { ...fields };
    let eol = '\n';
    switch (quirk) {
      case 'no_agent':
        delete f.agent;
        break;
      case 'agent_number':
        f.agent = 12345;
        break;
      case 'no_language':
        delete f.accept_language;
        break;
      case 'no_context':
        delete f.context;
        break;
      case 'empty_course':
        if (typeof f.context === 'object' && f.context !== null) f.context = { ...(f.context as Fields), course_id: '' };
        break;
      case 'no_event_type':
        delete f.event_type;
        break;
      case 'crlf':
        eol = '\r\n';
        break;
      case 'time_variant': {
        const t = String(f.time);
        const base = t.slice(0, 19);
        const frac = t.length > 25 ? t.slice(19, 26) : '';
        f.time = rng.pick([`${base}${frac}Z`, `${base}${frac}`, `${base}${frac.slice(0, 4)}+00:00`, `${base}Z`]);
        break;
      }
      case 'bad_time':
        f.time = rng.pick([String(f.time).slice(0, 16).replace('T', ' '), '', 'None', '2017-02-30T10:00:00+00:00']);
        break;
      default:
        break;
    }
    stats.lines++;
    stats.events++;
    ordinary++;
    seen.add(String(f.username));
    const text = py(f);
    if (quirk === 'invalid_utf8' && typeof f.page === 'string') {
      // A raw byte that is not UTF-8 inside the page URL: still an event (it decodes to U+FFFD).
      const at = text.indexOf(f.page as string) + (f.page as string).length;
      await write(text.slice(0, at));
      await write(Buffer.from([rng.pick([0xe9, 0xff, 0xc3])]));
      await write(text.slice(at) + eol);
    } else {
      await write(text + eol);
    }
  };

  const dirtyLine = async (s: Session, now: number): Promise<void> => {
    const kind = pickWeighted(rng, DIRTY_LINES);
    const sample = py(maker.server(s, isoformat(now), `/courses/${s.course.id}/courseware/`));
    stats.lines++;
    switch (kind) {
      case 'truncated':
        stats.rejected.invalid_json++;
        await write(sample.slice(0, rng.range(1, sample.length - 2)) + '\n');
        return;
      case 'two_objects':
        stats.rejected.invalid_json++;
        await write(sample + sample + '\n');
        return;
      case 'html':
        stats.rejected.invalid_json++;
        await write(rng.pick(['<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', 'Traceback (most recent call last):']) + '\n');
        return;
      case 'not_object':
        stats.rejected.not_object++;
        await write(rng.pick(['"tracking log rotated"', '[]', 'null', '0']) + '\n');
        return;
      case 'null_username':
        stats.rejected.missing_username++;
        await write(sample.replace(/^\{"username": "[^"]*"/, '{"username": null') + '\n');
        return;
      case 'no_username':
        stats.rejected.missing_username++;
        await write(sample.replace(/^\{"username": "[^"]*", /, '{') + '\n');
        return;
      case 'blank':
        stats.blank++;
        await write(rng.pick(['\n', '   \n', '\t\n', '\r\n']));
        return;
      case 'long': {
        // A problem_check with a huge answer: an event unless longer than the line limit.
        const answer = 'x'.repeat(rng.range(20_000, 60_000));
        const text = py(maker.browser(s, isoformat(now), 'problem_check', JSON.stringify(`input_${rng.hex(8)}_2_1=${answer}`)));
        if (Buffer.byteLength(text) > opts.maxLineBytes) stats.rejected.too_long++;
        else {
          stats.events++;
          seen.add(s.learner.username);
        }
        await write(text + '\n');
        return;
      }
    }
  };

  const anonymous = async (now: number, course: Course): Promise<void> => {
    const path = rng.pick(['/', '/login', '/register', `/courses/${course.id}/about`, '/courses']);
    const f: Fields = {
      username: '',
      host: HOST,
      event_source: 'server',
      event_type: path,
      context: { username: '', user_id: '', org_id: '', course_id: '', path },
      time: isoformat(now),
      ip: '198.51.100.23',
      event: '{"POST": {}, "GET": {}}',
      agent: rng.chance(0.2) ? BOT_AGENT : rng.pick(DESKTOP_AGENTS),
      referer: rng.pick(['', 'https://www.google.com/', 'https://www.edx.org/']),
      accept_language: rng.pick(['en-US,en;q=0.8', '']),
      page: null,
    };
    stats.lines++;
    stats.rejected.missing_username++;
    await write(py(f) + '\n');
  };

  const heap = new SessionHeap();
  let nextStart = SPAN_START_US;
  const done = (): boolean => (opts.events !== undefined ? ordinary >= opts.events : written >= targetBytes);
  try {
    while (!done()) {
      const top = heap.peek();
      // Start the next session when it comes before the next event of a running one (or when none runs).
      if (top === undefined || nextStart <= top.at) {
        const at = nextStart;
        // Exponential gaps; a run longer than planned simply goes on past the span.
        nextStart += Math.max(1, Math.round(-Math.log(1 - rng.float()) * meanGapUs));
        const learner = picker.pick(rng);
        const s = newSession(rng, learner, courses, at);
        await rotateTo(at);
        if (rng.chance(opts.anonymousRate)) await anonymous(at - rng.range(1, 60) * 1_000_000, s.course);
        if (rng.chance(0.005)) {
          // An enrolment by the management command's `anonymous` user.
          const f = maker.named(s, isoformat(at - 1000), 'edx.course.enrollment.activated', { course_id: s.course.id, user_id: 1, mode: 'honor' }, null);
          await eventLine({ ...f, username: 'anonymous', agent: '', host: '', ip: '', referer: undefined, accept_language: undefined, session: undefined, context: { course_id: s.course.id, org_id: s.course.org, command: './manage.py create_user' } }, undefined);
        }
        heap.push(s);
        continue;
      }
      const s = heap.pop()!;
      await rotateTo(s.at);
      for (const fields of step(rng, maker, s, s.at)) {
        if (opts.dirtyRate > 0 && rng.chance(opts.dirtyRate)) await dirtyLine(s, s.at);
        const quirk = opts.dirtyRate > 0 && rng.chance(opts.dirtyRate) ? pickWeighted(rng, EVENT_QUIRKS) : undefined;
        await eventLine(fields, quirk);
        if (done()) break;
      }
      s.left--;
      if (s.left > 0) {
        // Mostly seconds to minutes between steps; now and then a longer pause inside the session.
        const gap = rng.chance(0.08) ? rng.range(300, 1500) : Math.round(Math.exp(3 + 1.1 * rng.normal()));
        s.at += Math.max(1, gap) * 1_000_000 + rng.int(1_000_000);
        heap.push(s);
      }
    }
    await closeFile();
    // Files the span did not reach (a small --events) still exist, empty, so rotation names are stable.
    while (fileIndex < opts.files - 1) {
      nextFile();
      await closeFile();
    }
  } catch (err) {
    sink.destroy();
    throw err;
  }

  const total: GenerateOpenEdxStats = {
    seed: opts.seed,
    gzip: opts.gzip,
    files: fileStats,
    bytes: 0,
    fileBytes: 0,
    lines: 0,
    events: 0,
    blank: 0,
    rejected: emptyRejects(),
    users: seen.size,
    courses: courses.map((c) => c.id),
    maxLineBytes: opts.maxLineBytes,
    seconds: 0,
  };
  for (const f of fileStats) {
    total.bytes += f.bytes;
    total.fileBytes += f.fileBytes;
    total.lines += f.lines;
    total.events += f.events;
    total.blank += f.blank;
    for (const r of Object.keys(f.rejected) as (keyof RejectCounts)[]) total.rejected[r] += f.rejected[r];
  }
  total.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total;
}
