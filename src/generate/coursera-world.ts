/**
 * The Coursera generator's world: its learners (clicks, names, agents, clocks) and every event
 * planned for them.
 */
import { DOWNLOADERS, UA_MIX, buildUserAgents, type UaCategory } from './coursera-user-agents.js';
import { LANGUAGES, VIEWPORTS } from './coursera-headers.js';
import { TIME_ZONES } from './coursera-course.js';
import type { Agent, Learner } from './coursera-learner.js';
import { Timeline } from './coursera-timeline.js';
import { planLearner } from './plan-learner.js';
import type { Rng } from './rng.js';
import { Weighted } from './weighted.js';

/** The learners and their planned events, drawn from one random source. */
export class World {
  readonly learners: Learner[] = [];
  /** clicks[i]: ordinary events planned for learner i. */
  readonly clicks: number[] = [];
  /** Every ordinary event planned, learner by learner (learner i's are contiguous, in time order). */
  readonly timeline: Timeline;

  constructor(
    readonly rng: Rng,
    events: number,
    start: number,
  ) {
    const uas = buildUserAgents();
    const mix = new Weighted(UA_MIX);
    const langs = new Weighted(LANGUAGES);
    const count = Math.max(1, Math.round((events * 22_000) / 3_500_000));
    // Log-normal clicks: median about 39, mean about 160 (sigma 1.68), scaled to the events asked for.
    const raw: number[] = [];
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const c = Math.exp(Math.log(39) + 1.68 * rng.normal());
      raw.push(c);
      sum += c;
    }
    let total = 0;
    for (let i = 0; i < count; i++) {
      const c = Math.max(1, Math.round(((raw[i] as number) * events) / sum));
      this.clicks.push(c);
      total += c;
    }
    // Settle the rounding on the heaviest learners, never taking anyone below one click.
    const byWeight = this.clicks.map((_, i) => i).sort((a, b) => (this.clicks[b] as number) - (this.clicks[a] as number));
    let k = 0;
    while (total !== events) {
      const i = byWeight[k % byWeight.length] as number;
      if (total < events) {
        this.clicks[i] = (this.clicks[i] as number) + 1;
        total++;
      } else if ((this.clicks[i] as number) > 1) {
        this.clicks[i] = (this.clicks[i] as number) - 1;
        total--;
      } else if (count > events) {
        // More learners than events (tiny --events): drop learners from the end.
        throw new Error('internal: cannot settle clicks');
      }
      k++;
    }

    const usernames = new Set<string>();
    for (let i = 0; i < count; i++) {
      let name = rng.hex(40);
      // A few learners' hashes differ from another's only in case: distinct learners.
      if (i > 0 && rng.chance(0.004)) {
        const other = this.learners[rng.int(i)] as Learner;
        const upper = (JSON.parse(other.user) as string).toUpperCase();
        if (!usernames.has(upper)) name = upper;
      }
      while (usernames.has(name)) name = rng.hex(40);
      usernames.add(name);
      const agents: Agent[] = [];
      const n = rng.chance(0.2) ? (rng.chance(0.25) ? 3 : 2) : 1;
      const mainLang = langs.pick(rng);
      const agent = (category: UaCategory, lang: unknown): Agent => {
        const list = uas.get(category) as string[];
        const rawUa = rng.pick(list);
        const [w, h] = rng.pick(VIEWPORTS);
        const viewport = JSON.stringify([JSON.stringify({ height: h - rng.int(180), width: w - rng.int(40) })]);
        return { ua: JSON.stringify(rawUa), raw: rawUa, lang: lang === undefined ? undefined : JSON.stringify(lang), viewport, bot: category === 'bot' };
      };
      for (let j = 0; j < n; j++) agents.push(agent(mix.pick(rng), j === 0 || rng.chance(0.7) ? mainLang : langs.pick(rng)));
      let downloader: Agent | undefined;
      if (rng.chance(0.03)) {
        const rawUa = rng.pick(DOWNLOADERS);
        downloader = { ua: JSON.stringify(rawUa), raw: rawUa, lang: undefined, viewport: '[]', bot: true };
      }
      this.learners.push({
        user: JSON.stringify(name),
        agents,
        ip: JSON.stringify(`${rng.range(1, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`),
        sessionPrefix: rng.digits(5),
        sessionBase: rng.range(1_000_000_000, 8_999_999_999),
        tzMinutes: TIME_ZONES.pick(rng),
        downloader,
      });
    }

    this.timeline = new Timeline(events);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const c = this.clicks[i] as number;
      planLearner(rng, this.timeline, at, i, c, this.learners[i] as Learner, start);
      at += c;
    }
  }
}
