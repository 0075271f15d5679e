import { TOOL_VERSION } from '../../version.js';

/** The token robots.txt groups are matched against (`User-agent: clickstream-catalog`). */
export const USER_AGENT_TOKEN = 'clickstream-catalog';

/**
 * The honest User-Agent every catalog request sends: the tool, its version and, when given, a
 * contact URL (`clickstream-catalog/0.1.0 (+https://example.org/contact)`). Without a contact the
 * header names the tool only; it never imitates a browser.
 */
export function userAgent(contact?: string, version: string = TOOL_VERSION): string {
  return contact ? `${USER_AGENT_TOKEN}/${version} (+${contact})` : `${USER_AGENT_TOKEN}/${version}`;
}
