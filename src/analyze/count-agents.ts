/** Version 1's per-agent figures (DATA-CONTRACT §5) from the grouped pass's rows, each user agent and language header classified once. */
import { primaryLanguage } from '../classify/language.js';
import type { UserAgentClassifier } from '../classify/user-agent.js';
import { unguard } from '../duckdb/guarded-text.js';
import type { NamedCount, UserAgentRow, UserClicks } from '../report/report-types.js';
import { YieldPoint } from '../util/yield-point.js';

/** A learner's events by class, for the majority columns of learners.csv. */
export interface LearnerAgents {
  pageviews: number;
  browsers: Map<string, number>;
  os: Map<string, number>;
  devices: Map<string, number>;
  languages: Map<string, number>;
}

/** Version 1's figures of a partition, and each learner's events per class. */
export interface AgentCounts {
  /** Per learner, in first-seen order. */
  learners: Map<string, LearnerAgents>;
  /** Events per learner, in the order of {@link learners}. */
  clicks: UserClicks[];
  userAgents: UserAgentRow[];
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
  languages: NamedCount[];
}

const add = (map: Map<string, number>, key: string, n: number): void => {
  map.set(key, (map.get(key) ?? 0) + n);
};

/**
 * Version 1's figures from rows (learner, agent, language header, events, pageviews): events and
 * distinct learners per agent, browser, OS, device and language; clicks per learner; and each
 * learner's events per class.
 */
export async function countAgents(perAgent: unknown[][], classifier: UserAgentClassifier): Promise<AgentCounts> {
  const { learners, agents } = await tallyAgents(perAgent, classifier);
  const byClass = (pick: (a: LearnerAgents) => Map<string, number>): NamedCount[] => {
    const counts = new Map<string, NamedCount>();
    for (const a of learners.values()) {
      for (const [name, events] of pick(a)) {
        const c = counts.get(name);
        if (c === undefined) counts.set(name, { name, events, users: 1 });
        else {
          c.events += events;
          c.users++;
        }
      }
    }
    return [...counts.values()];
  };
  const userAgents: UserAgentRow[] = [...agents].map(([userAgent, a]) => {
    const c = classifier.classify(userAgent);
    return { userAgent, browser: c.browser, os: c.os, device: c.device, events: a.events, users: a.learners.size };
  });
  const clicks: UserClicks[] = [];
  for (const [username, a] of learners) {
    let n = 0;
    for (const events of a.browsers.values()) n += events;
    clicks.push({ username, clicks: n });
  }
  return {
    learners,
    clicks,
    userAgents,
    browsers: byClass((a) => a.browsers),
    os: byClass((a) => a.os),
    devices: byClass((a) => a.devices),
    languages: byClass((a) => a.languages),
  };
}

/** Each learner's events per class, and each agent's events and learners, in the order the rows give them. */
async function tallyAgents(perAgent: unknown[][], classifier: UserAgentClassifier) {
  const learners = new Map<string, LearnerAgents>();
  const agents = new Map<string, { events: number; learners: Set<string> }>();
  const languageOf = new Map<string, string>();
  // Classifying a new user agent takes tens of microseconds: thousands of them, on a first job.
  const turn = new YieldPoint();
  for (const [l, u, h, n, pv] of perAgent) {
    if (turn.due()) await turn.pause();
    const learner = unguard(l);
    const ua = unguard(u);
    const header = unguard(h);
    const events = Number(n);
    let language = languageOf.get(header);
    if (language === undefined) {
      language = primaryLanguage(header);
      languageOf.set(header, language);
    }
    const c = classifier.classify(ua);
    let a = learners.get(learner);
    if (a === undefined) {
      a = { pageviews: 0, browsers: new Map(), os: new Map(), devices: new Map(), languages: new Map() };
      learners.set(learner, a);
    }
    a.pageviews += Number(pv);
    add(a.browsers, c.browser, events);
    add(a.os, c.os, events);
    add(a.devices, c.device, events);
    add(a.languages, language, events);
    let agent = agents.get(ua);
    if (agent === undefined) {
      agent = { events: 0, learners: new Set() };
      agents.set(ua, agent);
    }
    agent.events += events;
    agent.learners.add(learner);
  }
  return { learners, agents };
}
