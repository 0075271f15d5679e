/**
 * How lectures are named on videos.png. An Open edX video id is a 32-character hex block id (or a
 * usage key that embeds it); cut to the chart's label width it says nothing. A label instead names
 * the course in a short form and the shortest tail of the id that still tells the lectures drawn
 * apart.
 */

/** Fewest characters of an id's tail a label shows (the whole id when it is shorter). */
export const LECTURE_TAIL_MIN = 6;

/** The lecture of events that name none (DATA-CONTRACT §6.1: `unknown`). */
const UNKNOWN = 'unknown';

/**
 * A course id in short form: `course-v1:edX+DemoX+T1` → `DemoX/T1` and `edX/DemoX/Demo_Course` →
 * `DemoX/Demo_Course` (the organisation dropped: the course and its run are what tell courses
 * apart on one chart). Anything else is returned as it is.
 */
export function shortCourseId(course: string): string {
  const v1 = /^course-v1:([^+]+)\+([^+]+)\+([^+]+)$/.exec(course);
  if (v1) return `${v1[2]}/${v1[3]}`;
  const slashed = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(course);
  if (slashed) return `${slashed[2]}/${slashed[3]}`;
  return course;
}

/** A lecture id split into the course it names (short form), if any, and its own id. */
export interface LectureParts {
  /** Short course id from the id itself (`block-v1:` and `i4x` keys name theirs); undefined otherwise. */
  course: string | undefined;
  /** The block id: what tells the course's lectures apart. */
  id: string;
}

/**
 * The course and block id of a lecture id: `block-v1:ORG+COURSE+RUN+type@video+block@ID` gives
 * `COURSE/RUN` and `ID`; `i4x://ORG/COURSE/video/ID` and `i4x-ORG-COURSE-video-ID` give `COURSE`
 * and `ID`; any other id (a bare hex block id, a Coursera lecture number) is its own id with no course.
 */
export function lectureParts(lecture: string): LectureParts {
  const block = /^block-v1:[^+]+\+([^+]+)\+([^+]+)\+type@[^+]+\+block@(.+)$/.exec(lecture);
  if (block) return { course: `${block[1]}/${block[2]}`, id: block[3]! };
  const i4xUrl = /^i4x:\/\/[^/]+\/([^/]+)\/[^/]+\/(.+)$/.exec(lecture);
  if (i4xUrl) return { course: i4xUrl[1], id: i4xUrl[2]! };
  const i4xDashed = /^i4x-[^-]+-(.+)-video-([^-]+)$/.exec(lecture);
  if (i4xDashed) return { course: i4xDashed[1], id: i4xDashed[2]! };
  return { course: undefined, id: lecture };
}

function tail(id: string, length: number): string {
  const chars = Array.from(id);
  return chars.length <= length ? id : `…${chars.slice(-length).join('')}`;
}

/**
 * Labels of the lectures drawn on one chart, in order: `lecture <tail> (<course>)`, where the
 * course is the one the id names, else `reportCourse` (the report's only course, when it has
 * one), else left out; `<tail>` is the last characters of the block id, as few as tell every
 * lecture drawn apart but at least {@link LECTURE_TAIL_MIN}, with `…` when cut. `unknown` is
 * `unknown lecture`. Two ids that differ only in their course keep the same tail: the course
 * tells them apart.
 */
export function lectureLabels(lectures: readonly string[], reportCourse?: string): string[] {
  const fallback = reportCourse === undefined ? undefined : shortCourseId(reportCourse);
  const parts = lectures.map((l) => {
    const p = lectureParts(l);
    return { course: p.course ?? fallback, id: p.id };
  });
  const known = parts.filter((_, i) => lectures[i] !== UNKNOWN);
  const distinct = new Set(known.map((p) => `${p.course ?? ''}\u0000${p.id}`)).size;
  const longest = Math.max(LECTURE_TAIL_MIN, ...known.map((p) => Array.from(p.id).length));
  let length = LECTURE_TAIL_MIN;
  while (length < longest && new Set(known.map((p) => `${p.course ?? ''}\u0000${tail(p.id, length)}`)).size < distinct) length++;
  return parts.map((p, i) => {
    if (lectures[i] === UNKNOWN) return 'unknown lecture';
    const name = `lecture ${tail(p.id, length)}`;
    return p.course === undefined ? name : `${name} (${p.course})`;
  });
}

/**
 * The course every lecture of a report belongs to when the report has only one: the course it
 * was restricted to (`analyze --course`), else its only course other than `(none)`.
 */
export function reportOnlyCourse(course: { id: string } | undefined, courses: readonly { name: string }[] | undefined): string | undefined {
  if (course !== undefined) return course.id;
  const named = (courses ?? []).filter((c) => c.name !== '(none)');
  return named.length === 1 ? named[0]!.name : undefined;
}
