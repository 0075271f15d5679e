/** The input formats the analysis knows, by the name a job payload carries. */
import { COURSERA_FORMAT } from './coursera.js';
import type { EventFormat } from './event-format.js';
import { OPENEDX_EVENT_FORMAT } from './openedx.js';

/** Format of a dataset that records none (every dataset of schema version 1). */
export const DEFAULT_FORMAT = COURSERA_FORMAT.name;

const FORMATS: ReadonlyMap<string, EventFormat> = new Map([
  [COURSERA_FORMAT.name, COURSERA_FORMAT],
  [OPENEDX_EVENT_FORMAT.name, OPENEDX_EVENT_FORMAT],
]);

/** The format named `name`, or undefined when there is none of that name. */
export function eventFormat(name: string): EventFormat | undefined {
  return FORMATS.get(name);
}
