/**
 * The text of one Coursera event line, with an optional quirk, and what the analysis will see in it.
 */
import { COURSE, PAGES, RARE_KEYS, RATES, VIDEO_ACTIONS, lectureId, round6, type Page } from './coursera-course.js';
import { REFERRERS } from './coursera-headers.js';
import type { Agent, Learner } from './coursera-learner.js';
import { UNTIMED_TIMESTAMPS, oddVideoValue, type EventQuirk } from './coursera-quirks.js';
import { KIND_DOWNLOAD, KIND_PAGEVIEW, KIND_VIDEO } from './coursera-timeline.js';
import type { World } from './coursera-world.js';
import type { Rng } from './rng.js';

/** What an event line is, as the analysis will see it, for the generator's report. */
export interface EventFacts {
  text: string;
  /** The raw user agent as the analysis sees it: missing and non-string ones as "". */
  ua: string;
  timed: boolean;
  video: boolean;
  bot: boolean;
}

export class LineMaker {
  constructor(
    private readonly rng: Rng,
    private readonly world: World,
  ) {}

  /** The ordinary event planned in `slot` (JSON text, ASCII), with an optional quirk. */
  event(slot: number, quirk?: EventQuirk, padValue = 0): EventFacts {
    const rng = this.rng;
    const tl = this.world.timeline;
    const l = this.world.learners[tl.learner[slot] as number] as Learner;
    const kind = tl.kind[slot] as number;
    const agent =
      kind === KIND_DOWNLOAD && l.downloader
        ? l.downloader
        : l.agents.length === 1 || rng.chance(0.75)
          ? (l.agents[0] as Agent)
          : rng.pick(l.agents);
    const ts = tl.time[slot] as number;
    const lecture = tl.lecture[slot] as number;
    const id = lectureId(lecture);
    let key: string;
    let value: string;
    let page: string;
    let bareRoot = false;
    if (kind === KIND_PAGEVIEW || kind === KIND_DOWNLOAD) {
      key = '"pageview"';
      value = rng.chance(0.9) ? '""' : 'null';
      switch (PAGES[tl.detail[slot] as number] as Page) {
        case 'lecture_view':
          page = rng.chance(0.9) ? `lecture/view?lecture_id=${id}` : `lecture/view?lecture_id=${id}&preview=1`;
          break;
        case 'lecture_index':
          page = 'lecture/index';
          break;
        case 'forum_thread':
          page = `forum/thread?thread_id=${rng.range(1, 9000)}`;
          break;
        case 'forum_list':
          page = `forum/list?forum_id=${rng.range(1, 40)}`;
          break;
        case 'forum_index':
          page = 'forum/index';
          break;
        case 'quiz_start':
          page = `quiz/start?quiz_id=${rng.range(1, 60)}`;
          break;
        case 'quiz_index':
          page = 'quiz/index';
          break;
        case 'wiki':
          page = rng.pick(['wiki/view?page=syllabus', 'wiki/view?page=FAQ', 'wiki/view?page=Week%203%20readings']);
          break;
        case 'class':
          page = 'class/index';
          break;
        case 'assignment':
          page = rng.chance(0.5) ? 'assignment/index' : `assignment/view?assignment_id=${rng.range(1, 12)}`;
          break;
        case 'human_grading':
          page = `human_grading/view/courses/${rng.range(970000, 979999)}/assessments/${rng.range(1, 6)}/submissions`;
          break;
        case 'root':
          page = '';
          bareRoot = rng.chance(0.3); // the course's URL without its trailing slash
          break;
        case 'download':
          page = `lecture/download.mp4?lecture_id=${id}`;
          break;
      }
    } else if (kind === KIND_VIDEO) {
      key = '"user.video.lecture.action"';
      const type = VIDEO_ACTIONS[tl.detail[slot] as number] as string;
      const t = tl.position[slot] as number;
      const playbackRate = RATES[tl.rate[slot] as number] as number;
      const v: Record<string, unknown> = {
        currentTime: t,
        prevTime: type === 'seeked' ? round6(Math.max(0, t + rng.range(-60, 120))) : round6(Math.max(0, t - (rng.int(30_000) / 1000) * playbackRate)),
        playbackRate,
        paused: type === 'pause' || type === 'ended',
        error: type === 'error' ? { code: 2 } : null,
        networkState: rng.pick([1, 1, 2]),
        readyState: rng.pick([4, 4, 4, 3, 1]),
        eventTimestamp: ts,
        initTimestamp: ts - rng.int(3_600_000),
        type,
      };
      // Where the lecture is named: usually page_url's lecture_id, sometimes only the value's lectureID.
      const p = rng.float();
      if (p < 0.8) {
        page = `lecture/view?lecture_id=${id}`;
        if (rng.chance(0.5)) v.lectureID = id;
      } else if (p < 0.85) {
        page = `lecture/view?preview=1&lecture_id=${id}`;
      } else if (p < 0.95) {
        page = 'lecture/index';
        v.lectureID = id;
      } else if (p < 0.97) {
        page = 'lecture/view?lecture_id=';
        v.lectureID = id;
      } else if (p < 0.98) {
        page = 'lecture/index';
        v.lectureID = rng.chance(0.7) ? String(id) : `0${id}`; // digits as written, leading zero kept
      } else if (p < 0.99) {
        page = 'lecture/index'; // no lecture anywhere: unknown
      } else {
        page = 'lecture/index';
        v.lectureID = rng.pick([-1, 3.5, 'abc', null, '', '1e3']); // not a lecture: unknown
      }
      value = quirk === 'video_value_odd' ? oddVideoValue(rng, v) : JSON.stringify(JSON.stringify(v));
    } else {
      key = JSON.stringify(rng.pick(RARE_KEYS));
      value = '""';
      page = `quiz/attempt?quiz_id=${rng.range(1, 60)}`;
    }
    if (padValue > 0) value = JSON.stringify('x'.repeat(padValue));
    const path = bareRoot ? COURSE : `${COURSE}/${page}`;
    const url = quirk === 'page_relative' ? `/${path}` : `https://class.coursera.org/${path}`;
    const from = JSON.stringify(REFERRERS.pick(rng));
    const session = `"${l.sessionPrefix}-${l.sessionBase + (Math.floor(ts / 10_800_000) % 997)}"`;

    let user = `"username":${l.user}`;
    let tsText: string | undefined = String(ts);
    let lang = agent.lang;
    let ua: string | undefined = agent.ua;
    let keyText: string | undefined = key;
    let valueText = value;
    let pageText: string | undefined = JSON.stringify(url);
    let fromText: string | undefined = from;
    let extra = '';
    let c13 = '[]';
    switch (quirk) {
      case 'ua_number':
        ua = String(rng.range(1, 99999));
        break;
      case 'ua_missing':
        ua = undefined;
        break;
      case 'ua_empty':
        ua = '""';
        break;
      case 'lang_list':
        lang = `[${agent.lang ?? '"en-US"'}]`;
        break;
      case 'lang_number':
        lang = String(rng.range(0, 9));
        break;
      case 'lang_null':
        lang = 'null';
        break;
      case 'unknown_key':
        extra = rng.chance(0.5) ? `,"course_id":${rng.range(1, 999)}` : `,"x_debug":{"build":"${rng.hex(8)}","flags":[${rng.int(9)},${rng.int(9)}]}`;
        break;
      case 'duplicate_username':
        user = `"username":"${rng.hex(40)}",${user}`; // JSON.parse keeps the last
        break;
      case 'timestamp_string':
        tsText = `"${ts}"`; // a string holding a number: still timed (DATA-CONTRACT §3)
        break;
      case 'timestamp_garbage':
        tsText = rng.pick(UNTIMED_TIMESTAMPS);
        break;
      case 'timestamp_missing':
        tsText = undefined;
        break;
      case 'key_list':
        keyText = `[${key}]`;
        break;
      case 'key_missing':
        keyText = undefined;
        break;
      case 'key_empty':
        keyText = '""';
        break;
      case 'key_unicode':
        // Beyond the BMP and just below it: UTF-16 order (§6 lists) puts the first before the second.
        keyText = rng.chance(0.5) ? '"user.reaction.\\ud83d\\ude00"' : '"user.reaction.\\uff21"';
        break;
      case 'value_object':
        valueText = '{"nested":true}';
        break;
      case 'nested_13':
        c13 = '{"nested":{"x":[1,{"y":null}]}}';
        break;
      case 'page_missing':
        pageText = rng.chance(0.5) ? undefined : String(rng.range(1, 999));
        break;
      case 'from_missing':
        fromText = undefined;
        break;
      case 'from_number':
        fromText = rng.pick(['0', 'null', '["https://www.google.com/"]']);
        break;
      default:
        break;
    }
    const text =
      `{${keyText === undefined ? '' : `"key":${keyText},`}"value":${valueText},${user}${tsText === undefined ? '' : `,"timestamp":${tsText}`}` +
      `${pageText === undefined ? '' : `,"page_url":${pageText}`},"client":"spark",` +
      `"session":${session}${lang === undefined ? '' : `,"language":${lang}`}${fromText === undefined ? '' : `,"from":${fromText}`},"user_ip":${l.ip}` +
      `${ua === undefined ? '' : `,"user_agent":${ua}`},"12":${agent.viewport},"13":${c13},"14":[],"30":[]${extra}}`;
    return {
      text,
      ua: ua === agent.ua ? agent.raw : '',
      timed: tsText !== undefined && quirk !== 'timestamp_garbage',
      video: keyText === key && kind === KIND_VIDEO,
      bot: ua === agent.ua && agent.bot,
    };
  }
}
