import { createRequire } from 'node:module';
import { USER_AGENT_TOKEN } from './user-agent.js';

/** The part of robots-parser's Robot we use. */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

// robots-parser is CommonJS exporting the function itself, which its typings do not describe for ESM.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => Robot;

/**
 * One origin's robots.txt rules for our user-agent token (RFC 9309): the group naming
 * `clickstream-catalog`, else the `*` group. A robots.txt that is missing (4xx) allows everything;
 * one that cannot be read (5xx, network failure) disallows everything, as RFC 9309 §2.3.1.4 asks.
 */
export class RobotsRules {
  private constructor(
    private readonly robot: Robot | undefined,
    private readonly allowAll: boolean,
  ) {}

  /** Rules parsed from a robots.txt body fetched from `robotsUrl`. */
  static parse(robotsUrl: string, text: string): RobotsRules {
    return new RobotsRules(robotsParser(robotsUrl, text), true);
  }

  /** The rules of a robots.txt answered with `status` and no usable body. */
  static fromStatus(status: number): RobotsRules {
    return new RobotsRules(undefined, status >= 400 && status < 500);
  }

  /** The rules when robots.txt could not be fetched at all. */
  static unreachable(): RobotsRules {
    return new RobotsRules(undefined, false);
  }

  /** Whether we may request `url` (same origin as the robots.txt). */
  isAllowed(url: string): boolean {
    if (!this.robot) return this.allowAll;
    return this.robot.isAllowed(url, USER_AGENT_TOKEN) !== false;
  }

  /** The Crawl-delay for our token, in ms (0 when none). */
  crawlDelayMs(): number {
    const seconds = this.robot?.getCrawlDelay(USER_AGENT_TOKEN);
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
  }
}
