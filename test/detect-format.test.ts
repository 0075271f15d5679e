/**
 * `convert --format auto|coursera|openedx` (DATA-CONTRACT §7): which format the first lines say, and the
 * refusals that name the file and what was expected.
 */
import { describe, expect, it } from 'vitest';
import { InputError, InputFormatError } from '../src/errors.js';
import {
  FORMAT_SAMPLE_LINES,
  FormatSampler,
  classifyEvent,
  decideFormat,
  emptySample,
  judgeSample,
  peekFormatSample,
  type FormatSample,
} from '../src/formats/detect-format.js';
import { isCourseraEvent } from '../src/formats/coursera.js';

const COURSERA =
  '{"key":"pageview","value":"","username":"3f9a1c0e5b7d2468ace013579bdf2468ace01357","timestamp":1371234567000,' +
  '"page_url":"https://class.coursera.org/psy-001/lecture/view?lecture_id=101","client":"spark","session":"81234-4410982317",' +
  '"language":"en-US,en;q=0.8","from":"","user_ip":"203.0.113.7","user_agent":"Mozilla/5.0","12":[],"13":[],"14":[],"30":[]}';
const EDX =
  '{"username": "staff", "event_source": "browser", "event_type": "play_video", "time": "2014-05-15T19:03:19.487373+00:00", ' +
  '"event": "{\\"id\\":\\"v\\",\\"currentTime\\":3}", "context": {"course_id": "course-v1:X+Y+Z"}, "page": "https://lms.example.org/courses/course-v1:X+Y+Z/courseware/a/"}';
const EDX_ANONYMOUS = '{"username": "", "event_source": "server", "event_type": "/", "time": "2014-05-15T18:23:56.781588+00:00", "event": "{}"}';
const OTHER = '{"user":"a","action":"login","ts":"2020-01-01T00:00:00Z","username":"a"}';

const sample = (s: Partial<FormatSample>): FormatSample => ({ ...emptySample(), ...s });
const sampleOf = (text: string, limit?: number): FormatSample => {
  const sampler = new FormatSampler(1 << 20, limit);
  sampler.push(Buffer.from(text));
  return sampler.end();
};

describe('the shape of one event', () => {
  it('Coursera: a key string with a numeric timestamp (number or text) or a page_url', () => {
    expect(isCourseraEvent(JSON.parse(COURSERA))).toBe(true);
    expect(isCourseraEvent({ key: 'pageview', username: 'a', timestamp: '1371234567000' })).toBe(true);
    expect(isCourseraEvent({ key: 'pageview', username: 'a', page_url: 'https://class.coursera.org/x/' })).toBe(true);
    expect(isCourseraEvent({ key: 'pageview', username: 'a', timestamp: 'yesterday' })).toBe(false);
    expect(isCourseraEvent({ key: ['pageview'], username: 'a', timestamp: 1 })).toBe(false);
    expect(isCourseraEvent({ username: 'a', timestamp: 1 })).toBe(false);
  });

  it('classifies each real line, neither as unknown, and a line with both shapes as unknown', () => {
    expect(classifyEvent(JSON.parse(COURSERA))).toBe('coursera');
    expect(classifyEvent(JSON.parse(EDX))).toBe('openedx');
    expect(classifyEvent(JSON.parse(OTHER))).toBe('unknown');
    expect(classifyEvent({ key: 'k', timestamp: 1, event_type: 'e', time: 't', username: 'u' })).toBe('unknown');
  });
});

describe('judgeSample', () => {
  it('decides a format when its shape and unshaped events are more than half the objects and none has the other shape', () => {
    expect(judgeSample(sample({ lines: 10, openedx: 10 }))).toEqual({ kind: 'format', format: 'openedx' });
    expect(judgeSample(sample({ lines: 10, coursera: 6, unknown: 4 }))).toEqual({ kind: 'format', format: 'coursera' });
    expect(judgeSample(sample({ lines: 10, coursera: 5, unknown: 5 }))).toEqual({ kind: 'neither' });
    expect(judgeSample(sample({ lines: 10, coursera: 1, unknown: 9, unshapedEvents: 5 }))).toEqual({ kind: 'format', format: 'coursera' });
    expect(judgeSample(sample({ lines: 10, unknown: 10 }))).toEqual({ kind: 'neither' });
    expect(judgeSample(sample({ lines: 10, unknown: 10, unshapedEvents: 5 }))).toEqual({ kind: 'neither' });
    expect(judgeSample(sample({ lines: 10, unknown: 10, unshapedEvents: 6 }))).toEqual({ kind: 'unshaped' });
    expect(judgeSample(sample({ lines: 10, coursera: 9, openedx: 1 }))).toEqual({ kind: 'mixed' });
    expect(judgeSample(emptySample())).toEqual({ kind: 'empty' });
    expect(judgeSample(sample({ notObjects: 40 }))).toEqual({ kind: 'empty' }); // left to §2's reject rule
  });
});

describe('decideFormat', () => {
  const edx = { file: 'tracking.log.1.gz', sample: sample({ lines: 1000, openedx: 998, unknown: 2, firstLine: { openedx: 1 } }) };
  const coursera = { file: 'psy-001_clickstream_export.gz', sample: sample({ lines: 1000, coursera: 1000, firstLine: { coursera: 2 } }) };
  const empty = { file: 'empty.log', sample: emptySample() };

  it('auto takes the format the samples say', () => {
    expect(decideFormat('auto', [edx])).toBe('openedx');
    expect(decideFormat('auto', [coursera])).toBe('coursera');
    expect(decideFormat('auto', [empty, edx, { ...edx, file: 'tracking.log' }])).toBe('openedx');
  });

  it('an explicit format that matches is accepted', () => {
    expect(decideFormat('openedx', [edx])).toBe('openedx');
    expect(decideFormat('coursera', [coursera, empty])).toBe('coursera');
  });

  it('inputs without a line to judge fit any format; with none at all, auto means Coursera (version 1)', () => {
    const unshaped = { file: 'old.jsonl', sample: sample({ lines: 3, unknown: 3, unshapedEvents: 3 }) };
    expect(decideFormat('auto', [unshaped])).toBe('coursera');
    expect(decideFormat('openedx', [unshaped])).toBe('openedx');
    expect(decideFormat('auto', [unshaped, edx])).toBe('openedx');
    expect(decideFormat('auto', [empty])).toBe('coursera');
    expect(decideFormat('openedx', [empty, empty])).toBe('openedx');
    expect(decideFormat('auto', [])).toBe('coursera');
  });

  it('refuses --format coursera on an edX log, naming the file, what was expected and what it looks like', () => {
    let error: unknown;
    try {
      decideFormat('coursera', [edx]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputFormatError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputFormatError).exitCode).toBe(3);
    const message = (error as Error).message;
    expect(message).toContain('tracking.log.1.gz');
    expect(message).toContain('--format coursera expects a Coursera clickstream export');
    expect(message).toContain('but 998 of its first 1000 lines look like an Open edX tracking log;');
    expect(message).toContain('use --format openedx');
  });

  it('refuses --format openedx on a Coursera export the same way', () => {
    expect(() => decideFormat('openedx', [coursera])).toThrow(
      /^psy-001_clickstream_export\.gz: --format openedx expects an Open edX tracking log \(JSON lines with "event_type" and "time" strings\), but 1000 of its first 1000 lines look like a Coursera clickstream export; use --format coursera/,
    );
  });

  it('refuses an input in neither format, saying what was expected', () => {
    const other = { file: 'export.csv', sample: sample({ lines: 40, unknown: 39, coursera: 1 }) };
    expect(() => decideFormat('auto', [other])).toThrow(
      /^export\.csv is not in a format clickstream reads: expected a Coursera clickstream export .* or an Open edX tracking log .*, but of its first 40 lines 1 look like a Coursera export and 0 like an Open edX log$/,
    );
    expect(() => decideFormat('openedx', [other])).toThrow(/^export\.csv is not in a format clickstream reads: expected an Open edX tracking log \(/);
  });

  it('with --accept-rejects, takes an input in neither format as the dataset\'s format (auto: the others\', else Coursera)', () => {
    const other = { file: 'junk.log', sample: sample({ lines: 40, unknown: 39, coursera: 1 }) };
    expect(decideFormat('coursera', [other], { acceptRejects: true })).toBe('coursera');
    expect(decideFormat('openedx', [other, edx], { acceptRejects: true })).toBe('openedx');
    expect(decideFormat('auto', [other], { acceptRejects: true })).toBe('coursera');
    expect(decideFormat('auto', [other, edx], { acceptRejects: true })).toBe('openedx');
    expect(() => decideFormat('auto', [other])).toThrow(InputFormatError);
    expect(() => decideFormat('coursera', [edx], { acceptRejects: true })).toThrow(/--format coursera expects/);
  });

  it('refuses an input that mixes formats, with the first line of each', () => {
    const mixed = { file: 'both.log', sample: sample({ lines: 10, coursera: 4, openedx: 6, firstLine: { coursera: 7, openedx: 1 } }) };
    expect(() => decideFormat('auto', [mixed])).toThrow(/^both\.log mixes formats: line 7 looks like a Coursera clickstream export, line 1 like an Open edX tracking log; convert each format on its own$/);
    expect(() => decideFormat('openedx', [mixed])).toThrow(InputFormatError);
  });

  it('refuses inputs of different formats in one convert, naming both', () => {
    expect(() => decideFormat('auto', [edx, empty, coursera])).toThrow(
      /^tracking\.log\.1\.gz looks like an Open edX tracking log but psy-001_clickstream_export\.gz like a Coursera clickstream export; one dataset holds one format/,
    );
  });
});

describe('FormatSampler', () => {
  it('judges every JSON object: anonymous edX lines are edX; invalid JSON and non-objects are counted apart', () => {
    const s = sampleOf([EDX, '', '   \t', '{"truncated', '[1,2]', EDX_ANONYMOUS, EDX, OTHER].join('\n') + '\n');
    expect(s).toEqual({ lines: 4, coursera: 0, openedx: 3, unknown: 1, unshapedEvents: 1, notObjects: 2, firstLine: { openedx: 1 } });
    expect(judgeSample(s)).toEqual({ kind: 'format', format: 'openedx' });
    expect(judgeSample(sampleOf([EDX, '{"truncated', EDX_ANONYMOUS].join('\n')))).toEqual({ kind: 'format', format: 'openedx' });
  });

  it('refuses objects of another shape (xAPI); leaves lines that are not objects (CSV) to the reject rule', () => {
    const csv = sampleOf('username,event_type,time\nalice,play_video,2017-03-06T09:00:00Z\n');
    expect(csv).toEqual({ lines: 0, coursera: 0, openedx: 0, unknown: 0, unshapedEvents: 0, notObjects: 2, firstLine: {} });
    expect(judgeSample(csv)).toEqual({ kind: 'empty' });
    const xapi = sampleOf('{"actor":{"name":"a"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"timestamp":"2017-03-06T09:00:00Z"}\n');
    expect(() => decideFormat('auto', [{ file: 'statements.jsonl', sample: xapi }])).toThrow(/^statements\.jsonl is not in a format/);
  });

  it('stops after ten times the limit of lines that are not objects', () => {
    const sampler = new FormatSampler(1 << 20, 3);
    sampler.push(Buffer.from(Array<string>(29).fill('x').join('\n') + '\n'));
    expect(sampler.full).toBe(false);
    sampler.push(Buffer.from('x\n'));
    expect(sampler.full).toBe(true);
  });

  it('numbers lines from 1, as the quarantine does, and remembers the first of each shape', () => {
    const s = sampleOf(['', COURSERA, EDX, COURSERA].join('\n'));
    expect(s).toEqual({ lines: 3, coursera: 2, openedx: 1, unknown: 0, unshapedEvents: 0, notObjects: 0, firstLine: { coursera: 2, openedx: 3 } });
    expect(judgeSample(s)).toEqual({ kind: 'mixed' });
  });

  it('stops at the limit: later lines change nothing', () => {
    const lines = [...Array<string>(FORMAT_SAMPLE_LINES).fill(EDX), COURSERA].join('\n');
    const sampler = new FormatSampler(1 << 20);
    sampler.push(Buffer.from(lines));
    expect(sampler.full).toBe(true);
    expect(sampler.end()).toMatchObject({ lines: FORMAT_SAMPLE_LINES, openedx: FORMAT_SAMPLE_LINES, coursera: 0 });
    expect(sampleOf([EDX, EDX, COURSERA].join('\n'), 2)).toMatchObject({ lines: 2, openedx: 2, coursera: 0 });
    expect(sampleOf([EDX, '', EDX, COURSERA].join('\n'), 2)).toMatchObject({ lines: 2, openedx: 2, coursera: 0 });
  });

  it('reassembles lines split across chunks of any size, CRLF and a BOM at the start included', () => {
    const text = '\uFEFF' + [EDX, EDX, COURSERA].join('\r\n') + '\r\n' + EDX;
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const sampler = new FormatSampler(1 << 20);
      for (let i = 0; i < bytes.length; i += size) sampler.push(new Uint8Array(bytes.subarray(i, i + size)));
      expect(sampler.end(), `chunks of ${size}`).toEqual({ lines: 4, coursera: 1, openedx: 3, unknown: 0, unshapedEvents: 0, notObjects: 0, firstLine: { openedx: 1, coursera: 3 } });
    }
  });

  it('a BOM anywhere but the start of the file makes its line invalid JSON', () => {
    expect(sampleOf(EDX + '\n\uFEFF' + EDX)).toMatchObject({ lines: 1, openedx: 1, notObjects: 1 });
  });

  it('skips lines longer than the line limit without holding them', () => {
    const long = EDX.replace('"page"', `"pad": "${'x'.repeat(5000)}", "page"`);
    const sampler = new FormatSampler(EDX.length + 10);
    const bytes = Buffer.from([long, EDX, long].join('\n'));
    for (let i = 0; i < bytes.length; i += 100) sampler.push(bytes.subarray(i, i + 100));
    expect(sampler.end()).toEqual({ lines: 1, coursera: 0, openedx: 1, unknown: 0, unshapedEvents: 0, notObjects: 0, firstLine: { openedx: 2 } });
    expect(sampleOf('')).toEqual(emptySample());
  });
});

describe('peekFormatSample', () => {
  async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
  }
  const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<string> => {
    const parts: Buffer[] = [];
    for await (const c of chunks) parts.push(Buffer.from(c));
    return Buffer.concat(parts).toString();
  };

  it('samples a short input whole and replays every byte once', async () => {
    const text = [EDX, COURSERA.replace('"key"', '"kee"'), EDX].join('\n');
    const peeked = await peekFormatSample(chunksOf(text, 7), 1 << 20);
    expect(peeked.sample).toEqual({ lines: 3, coursera: 0, openedx: 2, unknown: 1, unshapedEvents: 1, notObjects: 0, firstLine: { openedx: 1 } });
    expect(await collect(peeked.chunks)).toBe(text);
  });

  it('stops reading once the sample is full, and the replay goes on with the unread rest', async () => {
    const text = Array<string>(FORMAT_SAMPLE_LINES + 500).fill(COURSERA).join('\n') + '\n';
    let pulled = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of chunksOf(text, 4096)) {
        pulled++;
        yield c;
      }
    }
    const peeked = await peekFormatSample(counted(), 1 << 20);
    expect(peeked.sample).toMatchObject({ lines: FORMAT_SAMPLE_LINES, coursera: FORMAT_SAMPLE_LINES });
    const pulledWhileSampling = pulled;
    expect(pulledWhileSampling).toBeLessThan(Math.ceil(Buffer.byteLength(text) / 4096));
    expect(await collect(peeked.chunks)).toBe(text);
    expect(pulled).toBe(Math.ceil(Buffer.byteLength(text) / 4096));
  });

  it('decides on what it holds once maxPeekBytes are read', async () => {
    const text = [EDX, EDX, EDX, EDX].join('\n');
    const peeked = await peekFormatSample(chunksOf(text, EDX.length + 1), 1 << 20, EDX.length * 2);
    expect(peeked.sample).toMatchObject({ lines: 2, openedx: 2 });
    expect(await collect(peeked.chunks)).toBe(text);
  });
});
