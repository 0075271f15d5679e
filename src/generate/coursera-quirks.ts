/**
 * The Coursera generator's dirt: the kinds of dirty lines it writes between events, the quirks
 * it puts into events, untimed timestamps and odd video values.
 */
import type { Rng } from './rng.js';
import { Weighted } from './weighted.js';

export type DirtyLineKind = 'truncated' | 'invalid_other' | 'not_object' | 'missing_username' | 'blank' | 'long';
export const DIRTY_LINES = new Weighted<DirtyLineKind>([
  ['truncated', 30],
  ['invalid_other', 8],
  ['not_object', 14],
  ['missing_username', 18],
  ['blank', 22],
  ['long', 8],
]);

export type EventQuirk =
  | 'crlf'
  | 'invalid_utf8'
  | 'ua_number'
  | 'ua_missing'
  | 'ua_empty'
  | 'lang_list'
  | 'lang_number'
  | 'lang_null'
  | 'unknown_key'
  | 'duplicate_username'
  | 'timestamp_string'
  | 'timestamp_garbage'
  | 'timestamp_missing'
  | 'key_list'
  | 'key_missing'
  | 'key_empty'
  | 'key_unicode'
  | 'value_object'
  | 'nested_13'
  | 'page_missing'
  | 'page_relative'
  | 'from_missing'
  | 'from_number'
  | 'video_value_odd';
export const EVENT_QUIRKS = new Weighted<EventQuirk>([
  ['crlf', 12],
  ['invalid_utf8', 10],
  ['ua_number', 4],
  ['ua_missing', 6],
  ['ua_empty', 4],
  ['lang_list', 4],
  ['lang_number', 3],
  ['lang_null', 3],
  ['unknown_key', 8],
  ['duplicate_username', 4],
  ['timestamp_string', 5],
  ['timestamp_garbage', 5],
  ['timestamp_missing', 5],
  ['key_list', 2],
  ['key_missing', 1],
  ['key_empty', 1],
  ['key_unicode', 2],
  ['value_object', 2],
  ['nested_13', 2],
  ['page_missing', 2],
  ['page_relative', 2],
  ['from_missing', 3],
  ['from_number', 2],
  ['video_value_odd', 10],
]);

/** Timestamps that are not a number nor a string holding one: untimed events (DATA-CONTRACT §3, §6.1). */
export const UNTIMED_TIMESTAMPS = ['"yesterday"', 'null', 'true', '"13712-34"', '""', '[1371234567890]'];

/** Video `value`s (JSON texts) that give an `unknown` action and no position or rate, or odd fields. */
export function oddVideoValue(rng: Rng, v: Record<string, unknown>): string {
  switch (rng.int(12)) {
    case 0:
      return '""';
    case 1:
      return 'null';
    case 2:
      return JSON.stringify('not json {');
    case 3:
      return JSON.stringify('[1,2]');
    case 4:
      return JSON.stringify('null');
    case 5:
      return JSON.stringify(JSON.stringify({ ...v, type: '' }));
    case 6:
      return JSON.stringify(JSON.stringify({ ...v, type: 7 }));
    case 7:
      return JSON.stringify(JSON.stringify({ ...v, currentTime: -1.5 }));
    case 8:
      return JSON.stringify(JSON.stringify({ ...v, currentTime: String(v.currentTime) }));
    case 9:
      return JSON.stringify(JSON.stringify({ ...v, playbackRate: rng.pick([0, -1, '1.5', null]) }));
    case 10:
      return JSON.stringify(JSON.stringify({ ...v, currentTime: null, playbackRate: null }));
    default: {
      const { type: _type, ...rest } = v;
      return JSON.stringify(JSON.stringify(rest));
    }
  }
}
