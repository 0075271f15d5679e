/**
 * A generated Coursera learner and the user agents they send events with.
 */
/** One of a learner's browsers (or download script): JSON texts ready to write. */
export interface Agent {
  /** JSON text of the user agent. */
  ua: string;
  raw: string;
  /** JSON text of the language header sent with it, or undefined when the key is missing. */
  lang: string | undefined;
  viewport: string;
  /** A crawler or script by the generator's own templates (not necessarily what isbot says). */
  bot: boolean;
}

export interface Learner {
  /** JSON text of the username. */
  user: string;
  /** The user agents (first is the main one) with the language header sent with each. */
  agents: Agent[];
  ip: string;
  sessionPrefix: string;
  sessionBase: number;
  /** UTC offset of the learner's clock, minutes. */
  tzMinutes: number;
  /** The download script a few learners ran (its requests are the learner's bot events), if any. */
  downloader: Agent | undefined;
}
