/**
 * The courses on the generated Open edX site: old and new course ids, chapters, videos, problems.
 */
import type { Rng } from './rng.js';

/** One course on the site. */
export interface Course {
  id: string;
  org: string;
  chapters: string[];
  videos: string[];
  problems: string[];
}

const ORGS = ['MITx', 'HarvardX', 'DelftX', 'BerkeleyX', 'edX', 'UQx', 'KyotoUx', 'HKUSTx'];

export function makeCourses(rng: Rng, n: number): Course[] {
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
