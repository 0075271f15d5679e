/** The convert-side adapters by name: what the block processor calls for each event of a format. */
import { describe, expect, it } from 'vitest';
import { canPassThrough, serializeEvent } from '../src/formats/line-rules.js';
import { DATASET_COLUMNS } from '../src/formats/dataset-columns.js';
import { FORMAT_NAMES } from '../src/formats/input-format.js';
import { inputFormat } from '../src/formats/input-formats.js';
import { OPENEDX_COLUMNS, openEdxRecord } from '../src/formats/openedx.js';

const COURSERA =
  '{"key":"pageview","value":"","username":"3f9a1c0e5b7d2468ace013579bdf2468ace01357","timestamp":1371234567000,' +
  '"page_url":"https://class.coursera.org/psy-001/lecture/view?lecture_id=101","user_agent":"Mozilla/5.0"}';
const EDX = '{"username": "staff", "event_type": "play_video", "time": "2014-05-15T19:03:19.487373+00:00", "event": {"id": "v"}, "context": {"course_id": "X/Y/Z"}}';

describe('inputFormat', () => {
  it('names one adapter per format, each with its own columns', () => {
    expect(FORMAT_NAMES.map((n) => inputFormat(n).name)).toEqual(['coursera', 'openedx']);
    expect(inputFormat('coursera').columns).toBe(DATASET_COLUMNS);
    expect(inputFormat('openedx').columns).toBe(OPENEDX_COLUMNS);
  });

  it('Coursera keeps its pass-through fast path and its serialiser', () => {
    const f = inputFormat('coursera');
    const value = JSON.parse(COURSERA) as Record<string, unknown>;
    expect(f.recognizes(value)).toBe(true);
    expect(f.canPassThrough?.(COURSERA, value)).toBe(canPassThrough(COURSERA, value));
    expect(f.canPassThrough?.(COURSERA, value)).toBe(true);
    expect(f.serialize(value, COURSERA)).toBe(serializeEvent(value, COURSERA));
  });

  it('Open edX always re-serialises (event and context become text, time becomes timestamp)', () => {
    const f = inputFormat('openedx');
    const value = JSON.parse(EDX) as Record<string, unknown>;
    expect(f.recognizes(value)).toBe(true);
    expect(f.canPassThrough).toBeUndefined();
    expect(f.serialize(value, EDX)).toBe(JSON.stringify(openEdxRecord(value)));
    expect(inputFormat('coursera').recognizes(value)).toBe(false);
    expect(f.recognizes(JSON.parse(COURSERA) as Record<string, unknown>)).toBe(false);
  });
});
