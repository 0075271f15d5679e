/**
 * How a Coursera learner behaves over the course: arrival, sessions, gaps, lectures in course order.
 */
import {
  BROWSE,
  COURSE_WEEKS,
  DAY,
  ENDED,
  HOUR,
  LECTURES,
  LECTURES_PER_WEEK,
  LOCAL_HOURS,
  MINUTE,
  PAGE_CODE,
  PAGES,
  PAUSE,
  PLAY,
  PREFERRED_RATE,
  RATECHANGE,
  RATES,
  SEEKED,
  WHILE_PAUSED,
  WHILE_PLAYING,
  lectureSeconds,
  round6,
} from './coursera-course.js';
import type { Learner } from './coursera-learner.js';
import { KIND_DOWNLOAD, KIND_PAGEVIEW, KIND_RARE, KIND_VIDEO, type Timeline } from './coursera-timeline.js';
import type { Rng } from './rng.js';

/**
 * Gaps exactly on the bounds that analyses use, and one millisecond past them: the session-duration
 * buckets (60, 300, 900 s …) and the usual session gaps (10 and 30 minutes, where only a gap of
 * MORE than the gap starts a new session). Real clocks hit them rarely; a test must see them.
 */
const BOUNDARY_GAPS = [60_000, 60_001, 300_000, 900_000, 10 * MINUTE, 10 * MINUTE + 1, 30 * MINUTE, 30 * MINUTE + 1];

/** Day (relative to the course's first day, fractional) on which a learner first shows up. */
function arrivalDay(rng: Rng): number {
  const r = rng.float();
  if (r < 0.05) return -7 + 7 * rng.float(); // the preview week before launch
  if (r < 0.55) return 3 * rng.float() ** 2; // launch
  if (r < 0.8) return 3 + 11 * rng.float(); // the rest of the first two weeks
  return 14 + Math.min(49, -Math.log(1 - rng.float()) * 14); // stragglers, up to week 9
}

/** `total` split into `parts` positive, uneven sizes. */
function splitSizes(rng: Rng, total: number, parts: number): number[] {
  const sizes = new Array<number>(parts).fill(1);
  const left = total - parts;
  const weights = sizes.map(() => Math.exp(0.9 * rng.normal()));
  const sum = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  for (let k = 0; k < parts; k++) {
    const x = Math.floor((left * (weights[k] as number)) / sum);
    sizes[k] = (sizes[k] as number) + x;
    given += x;
  }
  for (; given < left; given++) {
    const k = rng.int(parts);
    sizes[k] = (sizes[k] as number) + 1;
  }
  return sizes;
}

/**
 * Plans learner `i`'s `clicks` events into slots `at` … `at + clicks - 1`: an arrival (most in the
 * first two weeks), sessions spread over a lifetime that is longer the more they do and denser at its
 * start (so fewer learners are active week after week), each session starting at a local hour of
 * their time zone (quieter weekends), a burst of events seconds to minutes apart, sessions at least
 * 31 minutes apart; lectures watched in course order as they are released.
 */
export function planLearner(rng: Rng, tl: Timeline, at: number, i: number, clicks: number, l: Learner, start: number): void {
  const downloads = l.downloader ? Math.min(clicks, Math.max(1, Math.round(clicks * (0.1 + 0.2 * rng.float())))) : 0;
  const browse = clicks - downloads;
  const perSession = 8 * Math.pow(Math.max(browse, 1) / 40, 0.35) * Math.exp(0.4 * rng.normal());
  const sessions = browse === 0 ? 0 : Math.min(browse, Math.max(1, Math.round(browse / Math.max(1, perSession))));
  const downloadSessions = downloads === 0 ? 0 : downloads > 20 && rng.chance(0.5) ? 2 : 1;
  const total = sessions + downloadSessions;
  const arrival = arrivalDay(rng);
  // Days between the first and the last session: longer the more sessions (the keen stay to the end).
  const lifetime = total === 1 ? 0 : Math.min(COURSE_WEEKS * 7 + 14 - arrival, 7 * Math.sqrt(total) * (0.5 + 1.2 * rng.float()));
  const startWeekday = new Date(start).getUTCDay(); // 0 = Sunday
  const starts: number[] = [];
  for (let k = 0; k < total; k++) {
    let day = Math.floor(k === 0 ? arrival : arrival + lifetime * rng.float() ** 1.4);
    const weekday = (((startWeekday + day) % 7) + 7) % 7;
    if ((weekday === 6 || weekday === 0) && rng.chance(0.35)) day += weekday === 6 ? 2 : 1; // quieter weekends
    const local = day * DAY + LOCAL_HOURS.pick(rng) * HOUR + rng.int(HOUR);
    starts.push(start + local - l.tzMinutes * MINUTE);
  }
  starts.sort((a, b) => a - b);
  // Which sessions are a download script's (never the first: learners look before they download).
  const isDownload = new Array<boolean>(total).fill(false);
  for (let d = 0; d < downloadSessions; d++) {
    if (total === downloadSessions) isDownload.fill(true);
    else {
      let k = 1 + rng.int(total - 1);
      while (isDownload[k]) k = 1 + rng.int(total - 1);
      isDownload[k] = true;
    }
  }
  const browseSizes = sessions > 0 ? splitSizes(rng, browse, sessions) : [];
  const downloadSizes = downloadSessions > 0 ? splitSizes(rng, downloads, downloadSessions) : [];

  let progress = 0; // lectures seen in course order
  let rate = PREFERRED_RATE.pick(rng);
  const pickLecture = (t: number): number => {
    const day = Math.floor((t - start) / DAY);
    const released = Math.min(LECTURES, LECTURES_PER_WEEK * (Math.max(0, Math.floor(day / 7)) + 1));
    if (progress < released && (progress === 0 || rng.chance(0.8))) return progress++;
    return rng.int(Math.max(progress, 1)); // a lecture seen before, watched again
  };

  let s = at;
  let prevEnd = -Infinity;
  let b = 0;
  let d = 0;
  for (let k = 0; k < total; k++) {
    let t = Math.max(starts[k] as number, prevEnd + 31 * MINUTE + rng.int(4 * HOUR));
    if ((starts[k] as number) >= prevEnd + 31 * MINUTE) t = starts[k] as number;
    if (isDownload[k]) {
      const n = downloadSizes[d++] as number;
      let lec = rng.int(Math.max(1, progress));
      for (let e = 0; e < n; e++, s++) {
        if (e > 0) t += 2000 + rng.int(13_000);
        tl.time[s] = t;
        tl.learner[s] = i;
        tl.kind[s] = KIND_DOWNLOAD;
        tl.detail[s] = PAGE_CODE.get('download') as number;
        tl.lecture[s] = lec;
        lec = (lec + 1) % LECTURES;
      }
      prevEnd = t;
      continue;
    }
    const n = browseSizes[b++] as number;
    let lecture = -1;
    let playing = false;
    let pos = 0;
    for (let e = 0; e < n; e++, s++) {
      if (e > 0) {
        const r = rng.float();
        let gap: number;
        if (r < 0.01) gap = 0; // two events in the same millisecond
        else if (r < 0.02) gap = rng.pick(BOUNDARY_GAPS);
        else if (r < 0.05) gap = 5 * MINUTE + rng.int(20 * MINUTE); // reading, a quiz, a long pause
        else gap = Math.min(29 * MINUTE, Math.round(1000 * Math.exp(Math.log(playing ? 45 : 20) + 1.0 * rng.normal())));
        t += gap;
        if (playing && lecture >= 0) pos = Math.min(lectureSeconds(lecture), pos + (gap / 1000) * (RATES[rate] as number));
      }
      tl.time[s] = t;
      tl.learner[s] = i;
      const r = rng.float();
      if (e === 0 || r < 0.6) {
        const page = BROWSE.pick(rng);
        tl.kind[s] = KIND_PAGEVIEW;
        tl.detail[s] = page;
        if (PAGES[page] === 'lecture_view') {
          // Often the page of the lecture already playing (another tab, a reload); else the next one.
          if (lecture < 0 || rng.chance(0.6)) {
            lecture = pickLecture(t);
            playing = false;
            pos = rng.chance(0.3) ? round6(rng.float() * lectureSeconds(lecture) * 0.8) : 0;
          }
          tl.lecture[s] = lecture;
        }
      } else if (r < 0.985) {
        if (lecture < 0) {
          lecture = pickLecture(t);
          pos = 0;
        }
        const length = lectureSeconds(lecture);
        let action: number;
        if (playing && pos >= length) action = ENDED;
        else action = playing ? WHILE_PLAYING.pick(rng) : WHILE_PAUSED.pick(rng);
        if (action === PLAY) playing = true;
        else if (action === PAUSE || action === ENDED) playing = false;
        else if (action === SEEKED) pos = rng.chance(0.6) ? Math.max(0, pos - 5 - rng.int(55)) : Math.min(length, pos + 10 + rng.int(110));
        else if (action === RATECHANGE) {
          const next = rng.int(RATES.length - 1);
          rate = next >= rate ? next + 1 : next;
        }
        pos = round6(pos);
        tl.kind[s] = KIND_VIDEO;
        tl.detail[s] = action;
        tl.lecture[s] = lecture;
        tl.position[s] = pos;
        tl.rate[s] = rate;
      } else {
        tl.kind[s] = KIND_RARE;
      }
    }
    prevEnd = t;
  }
}
