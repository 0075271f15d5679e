/**
 * The generated Coursera course (psy-001): its calendar (ten weeks, eight lectures released a week),
 * its learners' time zones and hours, its pages, and its video player's actions and rates.
 */
import { Weighted } from './weighted.js';

export const RARE_KEYS = ['user.forum.post.create', 'user.quiz.submit', 'user.assignment.submit', 'user.search.query'];

export const COURSE = 'psy-001';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The course's first day when `--start` is not given: psy-001 ran June–August 2013. */
export const DEFAULT_START = '2013-06-03';
export const COURSE_WEEKS = 10;
export const LECTURES_PER_WEEK = 8;
export const LECTURES = COURSE_WEEKS * LECTURES_PER_WEEK;

/** `lecture_id` of the k-th lecture in course order: not contiguous, as on the real site. */
export const lectureId = (k: number): number => 7 + 2 * k + 3 * Math.floor(k / LECTURES_PER_WEEK);
/** Length of the k-th lecture in seconds (4 to 19 minutes). */
export const lectureSeconds = (k: number): number => 240 + ((k * 7919) % 900);

/**
 * Learners' own clocks, fixed UTC offsets in minutes: US west and east, Brazil, UK, central Europe,
 * Moscow, India, China, Australia. Fixed offsets (no DST) on purpose: the report's `--tz` is what
 * must get DST right, and it does not need the learners' clocks to have it too.
 */
export const TIME_ZONES = new Weighted<number>([
  [-420, 12],
  [-300, 25],
  [-180, 6],
  [0, 10],
  [60, 15],
  [180, 5],
  [330, 12],
  [480, 10],
  [600, 5],
]);

/** Local hour at which a session starts: few at night, more in the morning and afternoon, most in the evening. */
export const LOCAL_HOURS = new Weighted<number>(
  [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3.5, 4, 4, 3.5, 3.5, 3.5, 3.5, 3.5, 3.8, 4, 4.5, 5, 5, 4, 2.5].map((w, h) => [h, w] as const),
);

/** Pages a pageview can be on; the section (second path segment) follows from the page. */
export const PAGES = [
  'lecture_view',
  'lecture_index',
  'forum_thread',
  'forum_list',
  'forum_index',
  'quiz_start',
  'quiz_index',
  'wiki',
  'class',
  'assignment',
  'human_grading',
  'root',
  'download',
] as const;
export type Page = (typeof PAGES)[number];
export const PAGE_CODE = new Map<Page, number>(PAGES.map((p, i) => [p, i]));

/** Where a browsing learner goes next. */
export const BROWSE = new Weighted<number>(
  (
    [
      ['lecture_view', 38],
      ['lecture_index', 14],
      ['forum_thread', 12],
      ['forum_list', 6],
      ['forum_index', 3],
      ['quiz_start', 7],
      ['quiz_index', 3],
      ['wiki', 5],
      ['class', 5],
      ['assignment', 3],
      ['human_grading', 1],
      ['root', 3],
    ] as const
  ).map(([p, w]) => [PAGE_CODE.get(p) as number, w] as const),
);

/** The HTML5 player's event types, as the `type` of a video event's value. */
export const VIDEO_ACTIONS = ['play', 'pause', 'seeked', 'ratechange', 'ended', 'volumechange', 'wait', 'error'] as const;
export const PLAY = 0;
export const PAUSE = 1;
export const SEEKED = 2;
export const RATECHANGE = 3;
export const ENDED = 4;
export const WHILE_PLAYING = new Weighted<number>([
  [PAUSE, 40],
  [SEEKED, 22],
  [RATECHANGE, 10],
  [PLAY, 8],
  [5, 6],
  [6, 6],
  [7, 1],
]);
export const WHILE_PAUSED = new Weighted<number>([
  [PLAY, 60],
  [SEEKED, 25],
  [RATECHANGE, 10],
  [5, 5],
]);
export const RATES = [0.75, 1, 1.25, 1.5, 1.75, 2] as const;
export const PREFERRED_RATE = new Weighted<number>([
  [1, 65],
  [2, 10],
  [3, 15],
  [5, 6],
  [0, 4],
]);

/** A player position or time rounded to the microsecond, as the player reports them. */
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
