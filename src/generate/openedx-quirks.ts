/**
 * The Open edX generator's dirt: quirks it puts into events and the dirty lines it writes between them.
 */
export type EventQuirk = 'no_agent' | 'agent_number' | 'no_language' | 'no_context' | 'empty_course' | 'no_event_type' | 'crlf' | 'invalid_utf8' | 'time_variant' | 'bad_time';

export const EVENT_QUIRKS: ReadonlyArray<readonly [EventQuirk, number]> = [
  ['no_agent', 1],
  ['agent_number', 1],
  ['no_language', 1],
  ['no_context', 1],
  ['empty_course', 1],
  ['no_event_type', 1],
  ['crlf', 1],
  ['invalid_utf8', 1],
  ['time_variant', 4],
  ['bad_time', 1],
];

export type DirtyLine = 'truncated' | 'two_objects' | 'html' | 'not_object' | 'null_username' | 'no_username' | 'blank' | 'long';

export const DIRTY_LINES: ReadonlyArray<readonly [DirtyLine, number]> = [
  ['truncated', 8],
  ['two_objects', 2],
  ['html', 2],
  ['not_object', 2],
  ['null_username', 2],
  ['no_username', 1],
  ['blank', 4],
  ['long', 1],
];
