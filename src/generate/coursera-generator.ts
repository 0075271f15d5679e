/**
 * Writes a realistic, psy-001-like Coursera clickstream export, streaming, deterministic for a seed.
 *
 *   clickstream generate --out FILE [--bytes 500MB | --events N] [--gzip] [--seed S]
 *                        [--dirty-rate 0.002] [--max-line-bytes N] [--start YYYY-MM-DD] [--stats FILE] [--quiet]
 *
 * (src/cli/generate-command.ts parses that command line; src/generate/generate-export.ts writes atomically.)
 *
 * - about 600 bytes a line; about 22 k learners per 3.5 M events, scaled to the size asked for;
 * - clicks per learner heavy-tailed (log-normal, median about 40, mean about 160, max in the tens of
 *   thousands at full size); a learner's events are spread over the whole file, not in time order;
 * - each learner lives through a ten-week course starting `--start` (default 2013-06-03): most
 *   arrive in weeks 0–1 (a few in the preview week before), fewer are active week after week,
 *   sessions are bursts of events seconds to minutes apart, at least 31 minutes (usually hours or
 *   days) from the next, starting at local hours of the learner's time zone, quieter at weekends;
 * - `page_url`s under `https://class.coursera.org/psy-001/` in the sections lecture, quiz, forum,
 *   wiki, class, assignment, human_grading and the root; `from` referrers of the course site,
 *   www.coursera.org, Google, Facebook, a few others, empty, and invalid ones;
 * - `user.video.lecture.action` events whose `value` is a JSON string of the player's state
 *   (`currentTime` advancing with `playbackRate` 0.75–2 while playing, `prevTime`, `paused`, `type`
 *   play / pause / seeked / ratechange / ended / …, `lectureID` sometimes), lectures (80, eight
 *   released a week) watched in course order, named by `lecture/view?lecture_id=N` or only by
 *   `lectureID`;
 * - a few thousand distinct user agents (2013-era and modern desktop browsers, phones, tablets,
 *   consoles, TVs, a wearable, bots, junk) built from templates and versions, and the download
 *   scripts (python-requests, Wget, curl) that 3 % of learners ran: bot events;
 * - raw Accept-Language headers with variants and junk (q-values, `zh_TW`, `*`, `English`, "",
 *   a number, null, missing);
 * - a few rarer keys, the "12" viewport list and "13" / "14" / "30";
 * - with probability `--dirty-rate` per event, an extra dirty line before it (truncated JSON, other
 *   invalid JSON, non-objects, missing usernames, blank lines, very long lines) and, independently,
 *   a quirk in the event itself (CRLF, invalid UTF-8 bytes, wrong-typed or missing fields, unknown
 *   keys, duplicate keys, timestamps as strings, untimed events, odd video values, relative or
 *   missing page URLs, missing keys).
 *
 * Sizes: `--bytes` takes B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB; the size is reached to
 * within about 1 %. `--events N` writes exactly N ordinary events (plus any long dirty lines that fit
 * within `--max-line-bytes`, which are events too).
 *
 * The generator knows what every line it writes is, so it reports the counts DATA-CONTRACT §2 gives for it:
 * lines, events, blank and rejected lines by reason (`too_long` per `--max-line-bytes`, default
 * 16 MiB, the converter's default), learners, and among events the untimed ones, the video events
 * and those sent with its bot user agents. A one-line summary goes to stderr; `--stats FILE` also
 * writes those counts as JSON.
 */
import { ChunkedOutput } from './chunked-output.js';
import { DEFAULT_START } from './coursera-course.js';
import { LineMaker, type EventFacts } from './coursera-line-maker.js';
import type { Learner } from './coursera-learner.js';
import { DIRTY_LINES, EVENT_QUIRKS, type EventQuirk } from './coursera-quirks.js';
import { World } from './coursera-world.js';
import { FileSink } from './file-sink.js';
import { parseStart } from './parse-start.js';
import { Rng } from './rng.js';

export interface GenerateOptions {
  out: string;
  bytes?: number;
  events?: number;
  gzip: boolean;
  seed: string;
  dirtyRate: number;
  maxLineBytes: number;
  /** The course's first day, ms since the epoch (UTC midnight); default {@link DEFAULT_START}. */
  start?: number;
  /** Stops the writing with an InterruptedError when aborted. Default: never. */
  signal?: AbortSignal;
}

export interface GenerateStats {
  out: string;
  seed: string;
  gzip: boolean;
  /** Bytes of the export text (decompressed). */
  bytes: number;
  /** Bytes of the file written (equal to `bytes` when not gzip). */
  fileBytes: number;
  lines: number;
  events: number;
  blank: number;
  rejected: { invalid_json: number; not_object: number; missing_username: number; too_long: number };
  /** Learners with at least one event. */
  users: number;
  /** Distinct raw user agents among events (missing and non-string ones as one, ""). */
  userAgents: number;
  maxClicks: number;
  medianClicks: number;
  maxLineBytes: number;
  /** The course's first day, `YYYY-MM-DD`. */
  start: string;
  /** Events without a usable timestamp (DATA-CONTRACT §3: not a number nor a string holding one). */
  untimed: number;
  /** Events whose `key` is `user.video.lecture.action`. */
  videoEvents: number;
  /** Events sent with one of the generator's bot or download-script user agents. */
  botEvents: number;
  /** Learners who ran a download script. */
  downloaders: number;
  seconds: number;
}

/** Average bytes per ordinary event line, measured on a sample, to turn --bytes into events. */
function calibrate(seed: string, start: number): number {
  const rng = new Rng(`${seed}/calibrate`);
  const world = new World(rng, 200_000, start);
  const maker = new LineMaker(rng, world);
  let bytes = 0;
  const n = 5000;
  for (let i = 0; i < n; i++) bytes += Buffer.byteLength(maker.event(rng.int(200_000)).text) + 1;
  return bytes / n;
}

export async function generate(opts: GenerateOptions): Promise<GenerateStats> {
  const started = process.hrtime.bigint();
  const start = opts.start ?? parseStart(DEFAULT_START);
  let events = opts.events;
  if (events === undefined) {
    const perEvent = calibrate(opts.seed, start);
    // Dirty lines add about dirtyRate * 1 line each; long lines are rare but large.
    events = Math.max(1, Math.round((opts.bytes ?? 0) / (perEvent * (1 + opts.dirtyRate * 3))));
  }
  const rng = new Rng(opts.seed);
  const world = new World(rng, events, start);
  const maker = new LineMaker(rng, world);
  const learnerOf = world.timeline.learner;

  // The order of lines: the planned events' slots, shuffled (Fisher–Yates), so that each learner's
  // events are spread over the whole file and not in time order.
  const order = new Uint32Array(events);
  for (let i = 0; i < events; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }

  const sink = new FileSink(opts.out, opts.gzip, opts.signal);
  const out = new ChunkedOutput(sink);

  const stats = {
    lines: 0,
    events: 0,
    blank: 0,
    rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 },
    untimed: 0,
    videoEvents: 0,
    botEvents: 0,
  };
  const counted = (facts: EventFacts): void => {
    stats.events++;
    if (!facts.timed) stats.untimed++;
    if (facts.video) stats.videoEvents++;
    if (facts.bot) stats.botEvents++;
    userAgents.add(facts.ua);
  };
  const realized = new Uint32Array(world.learners.length);
  const userAgents = new Set<string>();

  const eventLine = async (slot: number, quirk?: EventQuirk) => {
    const i = learnerOf[slot] as number;
    const facts = maker.event(slot, quirk);
    const text = facts.text;
    stats.lines++;
    counted(facts);
    realized[i] = (realized[i] as number) + 1;
    if (quirk === 'invalid_utf8') {
      // A raw byte that is not UTF-8, inside the page_url string: still an event.
      const at = text.indexOf('","client"');
      await out.add(text.slice(0, at));
      await out.add(Buffer.from([rng.pick([0xe9, 0xff, 0xc3, 0x80, 0xfe])]));
      await out.add(text.slice(at) + '\n');
    } else {
      await out.add(text + (quirk === 'crlf' ? '\r\n' : '\n'));
    }
  };

  const dirtyLine = async () => {
    const kind = DIRTY_LINES.pick(rng);
    const slot = rng.int(events);
    const li = learnerOf[slot] as number;
    const l = world.learners[li] as Learner;
    stats.lines++;
    switch (kind) {
      case 'truncated': {
        const { text } = maker.event(slot);
        const cut = rng.range(1, text.length - 1); // a proper prefix of an object: never valid JSON
        stats.rejected.invalid_json++;
        if (rng.chance(0.2)) {
          await out.add(text.slice(0, cut));
          await out.add(Buffer.from([0xe2, 0x82, 0x0a])); // cut inside a multi-byte character
        } else {
          await out.add(text.slice(0, cut) + '\n');
        }
        return;
      }
      case 'invalid_other':
        stats.rejected.invalid_json++;
        await out.add(
          rng.pick([
            "{'key': 'pageview', 'username': 'abc'}",
            '{"key":"pageview","username":"abc",}',
            'NaN',
            `{"username":${l.user},"timestamp":NaN}`,
            `{"username":${l.user},"timestamp":Infinity}`,
            '<html><body>502 Bad Gateway</body></html>',
            'Internal Server Error',
            '{"key":"pageview"}{"key":"pageview"}',
            '{"key":"pageview","value":"\\x41"}',
          ]) + '\n',
        );
        return;
      case 'not_object':
        stats.rejected.not_object++;
        await out.add(rng.pick(['[1,2,3]', `[${l.user}]`, '42', '-0.5', '"pageview"', 'null', 'true', 'false', '[]']) + '\n');
        return;
      case 'missing_username': {
        stats.rejected.missing_username++;
        const { text } = maker.event(slot);
        const replacement = rng.pick(['', '"username":"",', '"username":null,', '"username":12345,', `"username":[${l.user}],`, '"username":{},']);
        await out.add(text.replace(`"username":${l.user},`, replacement) + '\n');
        return;
      }
      case 'blank':
        stats.blank++;
        await out.add(rng.pick(['\n', '   \n', '\t\n', ' \t \n', '\r\n', ' \t\r\n']));
        return;
      case 'long': {
        const facts = maker.event(slot, undefined, rng.range(20_000, 60_000));
        if (Buffer.byteLength(facts.text) > opts.maxLineBytes) {
          stats.rejected.too_long++;
        } else {
          counted(facts);
          realized[li] = (realized[li] as number) + 1;
        }
        await out.add(facts.text + '\n');
        return;
      }
    }
  };

  try {
    for (let e = 0; e < events; e++) {
      if (opts.dirtyRate > 0 && rng.chance(opts.dirtyRate)) await dirtyLine();
      const quirk = opts.dirtyRate > 0 && rng.chance(opts.dirtyRate) ? EVENT_QUIRKS.pick(rng) : undefined;
      await eventLine(order[e] as number, quirk);
    }
    await out.flush();
    await sink.close();
  } catch (err) {
    sink.destroy();
    throw err;
  }

  const sorted = Array.from(realized).filter((c) => c > 0).sort((a, b) => a - b);
  const result: GenerateStats = {
    out: opts.out,
    seed: opts.seed,
    gzip: opts.gzip,
    bytes: out.bytes,
    fileBytes: sink.fileBytes,
    lines: stats.lines,
    events: stats.events,
    blank: stats.blank,
    rejected: stats.rejected,
    users: sorted.length,
    userAgents: userAgents.size,
    maxClicks: sorted[sorted.length - 1] ?? 0,
    medianClicks: sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)] ?? 0,
    maxLineBytes: opts.maxLineBytes,
    start: new Date(start).toISOString().slice(0, 10),
    untimed: stats.untimed,
    videoEvents: stats.videoEvents,
    botEvents: stats.botEvents,
    downloaders: world.learners.filter((l) => l.downloader !== undefined).length,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  return result;
}
