/**
 * Learners' sessions on the generated Open edX site: the site, the span, and the sessions
 * ordered by their next event.
 */
import type { Course } from './openedx-courses.js';
import type { Learner } from './openedx-learners.js';
import type { Rng } from './rng.js';

export const HOST = 'courses.example.edu';
export const LMS = `https://${HOST}`;
export const SPAN_START_US = Date.UTC(2017, 0, 9) * 1000; // a Monday
export const SPAN_DAYS = 84;

export interface Session {
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
export class SessionHeap {
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

/** A new session of `learner` in one of their courses, starting at `at` µs on the dashboard. */
export function newSession(rng: Rng, learner: Learner, courses: readonly Course[], at: number): Session {
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
