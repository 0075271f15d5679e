/**
 * The generated Open edX site's learners: clients (browser, Android, iOS), agents, languages,
 * enrolments and how often each starts a session.
 */
import type { Rng } from './rng.js';
import { pickWeighted } from './weighted.js';

export type Client = 'browser' | 'android' | 'ios';

export interface Learner {
  username: string;
  userId: number;
  ip: string;
  courses: number[];
  client: Client;
  agent: string;
  language: string;
  weight: number;
}

export const DESKTOP_AGENTS = [
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
export const BOT_AGENT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
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

export function makeLearners(rng: Rng, n: number, courses: number): Learner[] {
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
export class LearnerPicker {
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
