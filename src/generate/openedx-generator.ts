/**
 * Writes realistic Open edX tracking logs (SPEC §7), streaming, deterministic for a seed.
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
 * The generator knows what every line is, so it reports SPEC §2's counts (per file and in total):
 * lines, events, blank and rejected lines by reason, and learners. fixtures/recount_openedx.py
 * recounts everything else independently.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Rng, parseSize } from './coursera-generator.js';
import { FileSink } from './file-sink.js';

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

export interface GenerateOpenEdxStats {
  seed: string;
  gzip: boolean;
  /** Files in the order to convert them (oldest first). */
  files: FileStats[];
  bytes: number;
  fileBytes: number;
  lines: number;
  events: number;
  blank: number;
  rejected: RejectCounts;
  /** Learners with at least one event (the `anonymous` management user included). */
  users: number;
  courses: string[];
  maxLineBytes: number;
  seconds: number;
}

// ---------------------------------------------------------------------------------------------
// Python-style JSON, as edX's tracking logger writes it.

function py(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  let s = '{';
  let first = true;
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    s += (first ? '' : ', ') + JSON.stringify(key) + ': ' + py(v);
    first = false;
  }
  return s + '}';
}

/** Python's datetime.isoformat() of a UTC instant in µs: microseconds, or none when they are 0. */
function isoformat(us: number): string {
  const seconds = Math.floor(us / 1e6);
  const micro = us - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro === 0 ? `${base}+00:00` : `${base}.${String(micro).padStart(6, '0')}+00:00`;
}

// ---------------------------------------------------------------------------------------------
// The site.

interface Course {
  id: string;
  org: string;
  chapters: string[];
  videos: string[];
  problems: string[];
}

const ORGS = ['MITx', 'HarvardX', 'DelftX', 'BerkeleyX', 'edX', 'UQx', 'KyotoUx', 'HKUSTx'];

function makeCourses(rng: Rng, n: number): Course[] {
  const courses: Course[] = [];
  for (let i = 0; i < n; i++) {
    const org = ORGS[i % ORGS.length]!;
    const num = `${rng.pick(['CS', 'PH', 'STAT', 'EE', 'BIO', 'ECON'])}${rng.range(100, 999)}x`;
    const run = `${rng.range(1, 3)}T${2014 + (i % 4)}`;
    // One in three an old-style id: three path segments in every URL of the course.
    const id = i % 3 === 1 ? `${org}/${num}/${run}` : `course-v1:${org}+${num}+${run}`;
    const chapters = Array.from({ length: rng.range(6, 12) }, () => rng.hex(32));
    const videos = Array.from({ length: rng.range(20, 80) }, () => (i % 3 === 1 ? `i4x-${org}-${num}-video-${rng.hex(32)}` : rng.hex(32)));
    const problems = Array.from({ length: rng.range(10, 40) }, () => rng.hex(32));
    courses.push({ id, org, chapters, videos, problems });
  }
  return courses;
}

type Client = 'browser' | 'android' | 'ios';

interface Learner {
  username: string;
  userId: number;
  ip: string;
  courses: number[];
  client: Client;
  agent: string;
  language: string;
  weight: number;
}

const DESKTOP_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/55.0.2883.87 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:51.0) Gecko/20100101 Firefox/51.0',
  'Mozilla/5.0 (Windows NT 10.0; WOW64; rv:51.0) Gecko/20100101 Firefox/51.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:51.0) Gecko/20100101 Firefox/51.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_3) AppleWebKit/602.4.8 (KHTML, like Gecko) Version/10.0.3 Safari/602.4.8',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.79 Safari/537.36 Edge/14.14393',
  'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (iPad; CPU OS 10_2_1 like Mac OS X) AppleWebKit/602.4.6 (KHTML, like Gecko) Version/10.0 Mobile/14D27 Safari/602.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 10_2_1 like Mac OS X) AppleWebKit/602.4.6 (KHTML, like Gecko) Version/10.0 Mobile/14D27 Safari/602.1',
  'Mozilla/5.0 (Linux; Android 7.0; SM-G930F Build/NRD90M) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; CrOS x86_64 9000.91.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.110 Safari/537.36',
];
const ANDROID_AGENTS = [
  'Dalvik/2.1.0 (Linux; U; Android 6.0.1; SM-N920C Build/MMB29K)',
  'Dalvik/2.1.0 (Linux; U; Android 7.0; SM-G930F Build/NRD90M)',
  'Dalvik/1.6.0 (Linux; U; Android 4.4.2; GT-I9505 Build/KOT49H)',
  'Dalvik/2.1.0 (Linux; U; Android 5.1.1; Nexus 7 Build/LMY47V)',
];
const IOS_AGENTS = [
  'edX/org.edx.mobile (2.8.1; OS Version 10.2.1 (Build 14D27))',
  'edX/org.edx.mobile (2.7.2; OS Version 9.3.5 (Build 13G36))',
];
const BOT_AGENT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const LANGUAGES: ReadonlyArray<readonly [string, number]> = [
  ['en-US,en;q=0.8', 30],
  ['en-GB,en;q=0.9', 6],
  ['es-ES,es;q=0.9,en;q=0.8', 8],
  ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 5],
  ['de-DE,de;q=0.9,en;q=0.8', 4],
  ['zh-CN,zh;q=0.9', 8],
  ['pt-BR,pt;q=0.9,en;q=0.8', 5],
  ['hi-IN,hi;q=0.9,en;q=0.8', 4],
  ['ru-RU,ru;q=0.8', 3],
  ['ar,en;q=0.8', 2],
  ['ja,en-US;q=0.8', 2],
  ['en', 3],
  ['*', 1],
  ['', 2],
];

/** The same browser at another build: real logs hold thousands of distinct agents. */
function varyVersions(rng: Rng, agent: string): string {
  return agent
    .replace(/Chrome\/\d+\.0\.\d+\.\d+/, () => `Chrome/${rng.range(49, 58)}.0.${rng.range(2500, 3000)}.${rng.range(0, 150)}`)
    .replace(/Firefox\/\d+\.0/, () => `Firefox/${rng.range(45, 52)}.0`)
    .replace(/rv:\d+\.0\)/, (m) => (m === 'rv:11.0)' ? m : `rv:${rng.range(45, 52)}.0)`));
}

function pickWeighted<T>(rng: Rng, entries: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of entries) total += w;
  let x = rng.float() * total;
  for (const [item, w] of entries) {
    x -= w;
    if (x < 0) return item;
  }
  return entries[entries.length - 1]![0];
}

function makeLearners(rng: Rng, n: number, courses: number): Learner[] {
  const learners: Learner[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.float();
    const client: Client = r < 0.86 ? 'browser' : r < 0.95 ? 'android' : 'ios';
    const agent = client === 'android' ? rng.pick(ANDROID_AGENTS) : client === 'ios' ? rng.pick(IOS_AGENTS) : varyVersions(rng, rng.pick(DESKTOP_AGENTS));
    const first = rng.int(courses);
    const set = [first];
    if (courses > 1 && rng.chance(0.3)) set.push((first + 1 + rng.int(courses - 1)) % courses);
    if (courses > 2 && rng.chance(0.1)) set.push((first + 2) % courses);
    learners.push({
      username: `${rng.pick(['learner', 'student', 'user', 'x', 'edx'])}_${rng.hex(6)}${i}`,
      userId: rng.range(1000, 9_999_999),
      ip: rng.chance(0.15)
        ? `2a01:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}::${rng.hex(4)}`
        : `${rng.range(1, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`,
      courses: [...new Set(set)],
      client,
      agent,
      language: client === 'browser' ? pickWeighted(rng, LANGUAGES) : '',
      // Heavy-tailed activity: a log-normal weight decides how often a learner starts a session.
      weight: Math.exp(1.2 * rng.normal()),
    });
  }
  return learners;
}

/** Picks learners in proportion to their weight (binary search on the cumulative weights). */
class LearnerPicker {
  private readonly cumulative: Float64Array;
  constructor(private readonly learners: readonly Learner[]) {
    this.cumulative = new Float64Array(learners.length);
    let total = 0;
    learners.forEach((l, i) => (this.cumulative[i] = total += l.weight));
  }
  pick(rng: Rng): Learner {
    const x = rng.float() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.learners[lo]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Events.

const HOST = 'courses.example.edu';
const LMS = `https://${HOST}`;
const SPAN_START_US = Date.UTC(2017, 0, 9) * 1000; // a Monday
const SPAN_DAYS = 84;

interface Session {
  learner: Learner;
  course: Course;
  session: string;
  /** Next event time, µs. */
  at: number;
  left: number;
  /** Where the learner is: the last page URL, used as page and referer of browser events. */
  page: string;
  referer: string;
  video: string | null;
  position: number;
  speed: string;
}

/** A min-heap of sessions by next event time. */
class SessionHeap {
  private readonly items: Session[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Session | undefined {
    return this.items[0];
  }
  push(s: Session): void {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.at <= a[i]!.at) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): Session | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.at < a[m]!.at) m = l;
        if (r < a.length && a[r]!.at < a[m]!.at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

type EventQuirk = 'no_agent' | 'agent_number' | 'no_language' | 'no_context' | 'empty_course' | 'no_event_type' | 'crlf' | 'invalid_utf8' | 'time_variant' | 'bad_time';

const EVENT_QUIRKS: ReadonlyArray<readonly [EventQuirk, number]> = [
  ['no_agent', 1],
  ['agent_number', 1],
  ['no_language', 1],
  ['no_context', 1],
  ['empty_course', 1],
  ['no_event_type', 1],
  ['crlf', 1],
  ['invalid_utf8', 1],
  ['time_variant', 4],
  ['bad_time', 1],
];

type DirtyLine = 'truncated' | 'two_objects' | 'html' | 'not_object' | 'null_username' | 'no_username' | 'blank' | 'long';

const DIRTY_LINES: ReadonlyArray<readonly [DirtyLine, number]> = [
  ['truncated', 8],
  ['two_objects', 2],
  ['html', 2],
  ['not_object', 2],
  ['null_username', 2],
  ['no_username', 1],
  ['blank', 4],
  ['long', 1],
];

/** One event as edX writes it, before quirks: its fields in edX's key order. */
type Fields = Record<string, unknown>;

class EventMaker {
  constructor(private readonly rng: Rng) {}

  private context(s: Session, path: string): Fields {
    return { course_user_tags: {}, user_id: s.learner.userId, org_id: s.course.org, course_id: s.course.id, path };
  }

  /** A server event for a request path. */
  server(s: Session, time: string, path: string, event = '{"POST": {}, "GET": {}}'): Fields {
    const l = s.learner;
    return {
      username: l.username,
      host: HOST,
      event_source: 'server',
      event_type: path,
      context: this.context(s, path),
      time,
      ip: this.ip(l),
      event,
      agent: l.agent,
      referer: s.referer,
      accept_language: l.language,
      session: s.session,
      page: null,
    };
  }

  /** A server event with a name of its own (forum, problem_check): `event` an object, no request path. */
  named(s: Session, time: string, type: string, event: Fields, page: string | null): Fields {
    const l = s.learner;
    const ctx = this.context(s, `/courses/${s.course.id}/xblock/handler`);
    return { username: l.username, host: HOST, event_source: 'server', event_type: type, context: ctx, time, ip: this.ip(l), event, agent: l.agent, referer: s.page, accept_language: l.language, session: s.session, page };
  }

  /** A browser event: `event` the JSON text the page posted. */
  browser(s: Session, time: string, type: string, event: string): Fields {
    const l = s.learner;
    return {
      username: l.username,
      event_source: 'browser',
      name: type,
      accept_language: l.language,
      time,
      agent: l.agent,
      page: s.page,
      host: HOST,
      session: s.session,
      referer: s.page,
      context: { user_id: l.userId, org_id: s.course.org, course_id: s.course.id, path: '/event' },
      ip: this.ip(l),
      event,
      event_type: type,
    };
  }

  /** A mobile app event through the segment.io bridge. */
  mobile(s: Session, time: string, received: string, legacy: string, name: string, event: Fields): Fields {
    const l = s.learner;
    const rng = this.rng;
    const android = l.client === 'android';
    const newName = rng.chance(0.4);
    return {
      accept_language: '',
      agent: l.agent,
      context: {
        application: { name: android ? 'edx.mobileapp.android' : 'edx.mobileapp.iOS', version: android ? '2.7.5' : '2.8.1' },
        client: { locale: 'en-US', os: { name: android ? 'Android' : 'iOS', version: android ? '6.0.1' : '10.2.1' }, network: { wifi: rng.chance(0.7) } },
        component: 'videoplayer',
        course_id: s.course.id,
        org_id: s.course.org,
        path: '/segmentio/event',
        received_at: received,
        user_id: l.userId,
      },
      // Half the app's events carry `event` as an object, half as the JSON text of one.
      event: rng.chance(0.5) ? event : py(event),
      event_source: 'mobile',
      event_type: newName ? name : legacy,
      host: HOST,
      ip: '',
      name,
      page: `${LMS}/xblock`,
      referer: '',
      session: '',
      time,
      username: l.username,
    };
  }

  private ip(l: Learner): string {
    return l.ip;
  }
}

const VIDEO_LEGACY: Record<string, string> = {
  'edx.video.loaded': 'load_video',
  'edx.video.played': 'play_video',
  'edx.video.paused': 'pause_video',
  'edx.video.position.changed': 'seek_video',
  'edx.video.stopped': 'stop_video',
  'edx.video.speed.changed': 'speed_change_video',
};
const SPEEDS = ['0.50', '0.75', '1.0', '1.25', '1.50', '2.0'];

/** The events (in edX fields) of one step of a session at `now` µs: a page, a video action, a problem, … */
function step(rng: Rng, maker: EventMaker, s: Session, now: number): Fields[] {
  const c = s.course;
  const time = isoformat(now);
  const courseBase = `/courses/${c.id}`;
  const goPage = (path: string): void => {
    s.referer = s.page;
    s.page = `${LMS}${path}`;
  };
  if (s.learner.client !== 'browser') {
    // The app plays videos; its clock may be behind when it was offline (sent later).
    const behind = rng.chance(0.03) ? rng.range(1, 48) * 3_600_000_000 : 0;
    const t = isoformat(now - behind);
    const received = isoformat(now + rng.range(1, 30) * 1_000_000);
    if (s.video === null || rng.chance(0.15)) {
      s.video = rng.pick(c.videos);
      s.position = 0;
      return [maker.mobile(s, t, received, 'load_video', 'edx.video.loaded', { code: 'mobile', id: s.video })];
    }
    const r = rng.float();
    const name = r < 0.4 ? 'edx.video.played' : r < 0.75 ? 'edx.video.paused' : r < 0.93 ? 'edx.video.position.changed' : 'edx.video.stopped';
    s.position = Math.round((s.position + rng.float() * 120) * 1000) / 1000;
    const event: Fields = { code: 'mobile', id: s.video, currentTime: s.position };
    if (name === 'edx.video.position.changed') {
      const skip = rng.chance(0.5) ? -30 : rng.range(-200, 300);
      Object.assign(event, { old_time: s.position, new_time: Math.max(0, s.position + skip), requested_skip_interval: skip, type: skip === -30 ? 'onSkipSeek' : 'onSlideSeek' });
      s.position = Math.max(0, s.position + skip);
    }
    return [maker.mobile(s, t, received, VIDEO_LEGACY[name]!, name, event)];
  }

  const r = rng.float();
  if (r < 0.16 || s.video === null) {
    // Navigate: a server page event for the request.
    const p = rng.float();
    const chapter = rng.pick(c.chapters);
    const path =
      p < 0.62
        ? `${courseBase}/courseware/${chapter}/${rng.hex(32)}/`
        : p < 0.72
          ? `${courseBase}/info`
          : p < 0.8
            ? `${courseBase}/progress`
            : p < 0.9
              ? `${courseBase}/discussion/forum/`
              : p < 0.93
                ? `${courseBase}/wiki/${c.org}/`
                : p < 0.97
                  ? '/dashboard'
                  : `${courseBase}/courseware/${chapter}/`;
    goPage(path);
    if (path.includes('/courseware/')) s.video = rng.pick(c.videos);
    const out = [maker.server(s, time, path)];
    if (path.includes('/courseware/') && rng.chance(0.3)) {
      out.push(maker.browser(s, isoformat(now + rng.range(200, 2000) * 1000), 'seq_goto', `{"old": ${rng.range(1, 8)}, "new": ${rng.range(1, 8)}, "id": "block-v1:${c.org}+x+type@sequential+block@${chapter}"}`));
    }
    return out;
  }
  const video = s.video;
  if (r < 0.72) {
    // Video interaction in the browser.
    const v = rng.float();
    let type: string;
    let event: string;
    const id = video;
    if (v < 0.12) {
      type = rng.chance(0.8) ? 'load_video' : 'edx.video.loaded';
      s.position = 0;
      event = `{"id":"${id}","code":"html5"}`;
    } else if (v < 0.5) {
      type = rng.chance(0.9) ? 'play_video' : 'edx.video.played';
      event = `{"id":"${id}","currentTime":${s.position},"code":"${rng.chance(0.5) ? 'html5' : 'hls'}"}`;
    } else if (v < 0.78) {
      s.position = Math.round((s.position + rng.float() * 300) * 1e6) / 1e6;
      type = rng.chance(0.9) ? 'pause_video' : 'edx.video.paused';
      event = `{"id":"${id}","currentTime":${s.position},"code":"html5"}`;
    } else if (v < 0.9) {
      const to = Math.max(0, Math.round(s.position + rng.range(-120, 240)));
      type = rng.chance(0.9) ? 'seek_video' : 'edx.video.position.changed';
      event = `{"id":"${id}","old_time":${s.position},"new_time":${to},"type":"${rng.chance(0.7) ? 'onSlideSeek' : 'onCaptionSeek'}","code":"html5"}`;
      s.position = to;
    } else if (v < 0.96) {
      const old = s.speed;
      s.speed = rng.pick(SPEEDS);
      type = rng.chance(0.9) ? 'speed_change_video' : 'edx.video.speed.changed';
      event = `{"id":"${id}","current_time":${s.position},"old_speed":"${old}","new_speed":"${s.speed}","code":"html5"}`;
    } else {
      type = rng.chance(0.9) ? 'stop_video' : 'edx.video.stopped';
      event = `{"id":"${id}","currentTime":${s.position},"code":"html5"}`;
    }
    return [maker.browser(s, time, type, event)];
  }
  if (r < 0.86) {
    // A problem: the browser's check, the handler request, and the server's graded event.
    const problem = rng.pick(c.problems);
    const input = `input_${problem}_2_1`;
    const handler = `${courseBase}/xblock/block-v1:${c.org}+x+type@problem+block@${problem}/handler/xmodule_handler/problem_check`;
    const correct = rng.chance(0.6);
    return [
      maker.browser(s, time, 'problem_check', JSON.stringify(`${input}=choice_${rng.range(0, 3)}`)),
      { ...maker.server(s, isoformat(now + 40_000), handler, `{"POST": {"${input}": ["choice_1"]}, "GET": {}}`), referer: s.page },
      maker.named(
        s,
        isoformat(now + 90_000),
        'problem_check',
        { success: correct ? 'correct' : 'incorrect', grade: correct ? 1 : 0, max_grade: 1, attempts: rng.range(1, 3), answers: { [`${problem}_2_1`]: 'choice_1' }, problem_id: `block-v1:${c.org}+x+type@problem+block@${problem}` },
        'x_module',
      ),
    ];
  }
  if (r < 0.9) {
    return [maker.named(s, time, 'edx.forum.thread.created', { commentable_id: `i4x-${c.org}-forum`, title: 'Question about the lecture', body: 'Could someone explain the second example?', anonymous: false, id: rng.hex(24) }, null)];
  }
  if (r < 0.95) return [maker.browser(s, time, 'page_close', '')];
  return [maker.browser(s, time, rng.pick(['edx.ui.lms.link_clicked', 'seq_next', 'seq_prev', 'show_transcript', 'edx.ui.lms.outline.selected']), `{"current_url": "${s.page}"}`)];
}

// ---------------------------------------------------------------------------------------------
// Output.

class Sink {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  private readonly out: FileSink;

  constructor(
    readonly path: string,
    gzip: boolean,
    signal: AbortSignal | undefined,
  ) {
    this.out = new FileSink(path, gzip, signal);
  }

  async add(text: string | Buffer): Promise<void> {
    const n = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    if (typeof text === 'string') this.parts.push(text);
    else {
      await this.flush();
      await this.out.write(text);
    }
    this.bytes += n;
    this.pending += typeof text === 'string' ? n : 0;
    if (this.pending >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    await this.out.write(chunk);
  }

  async close(): Promise<number> {
    await this.flush();
    return this.out.close();
  }

  destroy(): void {
    this.out.destroy();
  }
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

function newSession(rng: Rng, learner: Learner, courses: readonly Course[], at: number): Session {
  const course = courses[rng.pick(learner.courses)]!;
  return {
    learner,
    course,
    session: rng.hex(32),
    at,
    left: Math.max(1, Math.round(Math.exp(2.6 + 0.9 * rng.normal()))),
    page: `${LMS}/dashboard`,
    referer: rng.chance(0.3) ? rng.pick(['https://www.google.com/', 'https://www.edx.org/course/x', 'https://www.facebook.com/', '']) : `${LMS}/dashboard`,
    video: null,
    position: 0,
    speed: '1.0',
  };
}

/** Generates the logs; resolves with what SPEC §2 says of every line written. */
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
  let sink = new Sink(names[0]!, opts.gzip, opts.signal);
  let stats: FileStats = { path: names[0]!, bytes: 0, fileBytes: 0, lines: 0, events: 0, blank: 0, rejected: emptyRejects() };
  let written = 0;
  /** Ordinary events written (what --events counts; long dirty lines within the limit are events too). */
  let ordinary = 0;

  const closeFile = async (): Promise<void> => {
    stats.fileBytes = await sink.close();
    stats.bytes = sink.bytes;
    fileStats.push(stats);
  };
  const rotateTo = async (at: number): Promise<void> => {
    const want = Math.min(opts.files - 1, Math.floor(((at - SPAN_START_US) / spanUs) * opts.files));
    while (fileIndex < want) {
      await closeFile();
      fileIndex++;
      sink = new Sink(names[fileIndex]!, opts.gzip, opts.signal);
      stats = { path: names[fileIndex]!, bytes: 0, fileBytes: 0, lines: 0, events: 0, blank: 0, rejected: emptyRejects() };
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
      fileIndex++;
      sink = new Sink(names[fileIndex]!, opts.gzip, opts.signal);
      stats = { path: names[fileIndex]!, bytes: 0, fileBytes: 0, lines: 0, events: 0, blank: 0, rejected: emptyRejects() };
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
