/**
 * The Open edX adapter on the shapes real tracking logs have (DATA-CONTRACT §7). The lines below were written
 * by hand after the events in edX's own documentation (edx-documentation, tracking_logs.rst and the
 * video events of student_event_types.rst), the acceptance fixtures of edx-analytics-pipeline, the
 * event-routing-backends fixtures and edx2bigquery's test events (docs/OPENEDX.md lists the files).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeLine, numberOrNumericText } from '../src/formats/line-rules.js';
import { literal, withDuckDB } from '../src/duckdb/session.js';
import {
  OPENEDX_COLUMNS,
  OPENEDX_VIDEO_ACTIONS,
  isOpenEdxEvent,
  OPENEDX_FORMAT,
  openEdxRecord,
  openEdxSection,
  openEdxVideo,
  parseOpenEdxTime,
  sectionOfPath,
  serializeOpenEdxEvent,
} from '../src/formats/openedx.js';
import { EXTRA_COLUMN } from '../src/types.js';
import { openEdxCourse, openEdxEventType, openEdxModelEvent } from './helpers/openedx-model.js';

const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
/** The model event of a line, through the staging record, as convert then analyze see it. */
const model = (line: string) => openEdxModelEvent(parse(serializeOpenEdxEvent(parse(line), line)));

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/34.0.1847.132 Safari/537.36';

/** A server event: the request path as event_type, GET/POST as JSON text, page null. */
const SERVER_PAGE =
  '{"username": "staff", "host": "lms.example.org", "event_source": "server", "event_type": "/courses/edX/DemoX/Demo_Course/info", ' +
  '"context": {"username": "staff", "course_user_tags": {}, "user_id": 4, "ip": "127.0.0.1", "org_id": "edX", "host": "lms.example.org", ' +
  '"session": "3759e59e1164d199537519a77d0e9246", "course_id": "edX/DemoX/Demo_Course", "path": "/courses/edX/DemoX/Demo_Course/info"}, ' +
  '"time": "2014-05-16T18:52:20.302431+00:00", "ip": "127.0.0.1", "event": "{\\"POST\\": {}, \\"GET\\": {}}", ' +
  `"agent": "${CHROME}", "page": null}`;

/** A browser play_video: event as JSON text, page the courseware URL, referer and accept_language. */
const BROWSER_PLAY =
  '{"username": "learner1", "event_type": "play_video", "ip": "203.0.113.5", "agent": "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.95 Safari/537.36", ' +
  '"host": "courses.example.org", "session": "11a1111111a1a1a1aa1a11a1a1111111", ' +
  '"event": "{\\"id\\":\\"i4x-BerkeleyX-Stat_2_1x-video-58424ad2f75048798b4480aa699cc215\\",\\"currentTime\\":243,\\"code\\":\\"iOOYGgLADj8\\"}", ' +
  '"event_source": "browser", "context": {"org_id": "BerkeleyX", "path": "/event", "course_id": "BerkeleyX/Stat_2.1x/1T2014", "user_id": 99}, ' +
  '"time": "2014-12-23T14:26:53.723188+00:00", "referer": "https://courses.example.org/courses/BerkeleyX/Stat_2.1x/1T2014/courseware/d4ff/bd34/", ' +
  '"accept_language": "en-US,en;q=0.8", "page": "https://courses.example.org/courses/BerkeleyX/Stat_2.1x/1T2014/courseware/d4ff35dabfe64ed5b1f1807eb0292c73/bd343b7dcb2c4817bd1992b0cef66ff4/"}';

/** A mobile pause: event an object, legacy event_type with the new name in `name`, empty ip/session/referer. */
const MOBILE_PAUSE =
  '{"accept_language": "", "agent": "Dalvik/2.1.0 (Linux; U; Android 6.0.1; SM-N920C Build/MMB29K)", "context": {"application": {"name": "edx.mobileapp.android", "version": "2.7.5"}, ' +
  '"client": {"locale": "en-GB", "os": {"name": "Android", "version": "6.0.1"}}, "component": "videoplayer", "course_id": "course-v1:DelftX+EX101x+3T2016", "org_id": "DelftX", ' +
  '"path": "/segmentio/event", "received_at": "2017-02-09T07:39:17.857000+00:00", "user_id": 999999}, "event": {"code": "mobile", "currentTime": 33.751, "id": "event_id"}, ' +
  '"event_source": "mobile", "event_type": "pause_video", "host": "courses.example.org", "ip": "", "name": "edx.video.paused", "page": "https://courses.example.org/xblock", ' +
  '"referer": "", "session": "", "time": "2017-02-09T07:38:48.857000+00:00", "username": "mobileuser"}';

/** A mobile event whose event_type is the new name, no fraction in time, event as JSON text. */
const MOBILE_PLAYED =
  '{"username": "mobileuser", "event_source": "mobile", "name": "edx.video.played", "time": "2014-12-09T03:57:24+00:00", ' +
  '"agent": "Dalvik/1.6.0 (Linux; U; Android 4.0.2; sdk Build/ICS_MR0)", "page": "http://courses.example.org/courses/edX/DemoX/Demo_Course/courseware/d8a6/edx_introduction", ' +
  '"host": "courses.example.org", "session": "", "context": {"component": "videoplayer", "course_id": "edX/DemoX/Demo_Course", "path": "/segmentio/event"}, "ip": "", ' +
  '"event": "{\\"code\\": \\"mobile\\", \\"id\\": \\"i4x-edX-DemoX-video-0b9e39477cf34507a7a48f74be381fdd\\", \\"currentTime\\": 114}", "event_type": "edx.video.played"}';

/** A browser seek: old_time / new_time and the seek type. */
const BROWSER_SEEK =
  '{"username": "staff", "event_type": "seek_video", "ip": "127.0.0.1", "agent": "' + CHROME + '", "host": "lms.example.org", "session": "3759e59e1164d199537519a77d0e9246", ' +
  '"event": "{\\"id\\":\\"i4x-AcceptanceX-A101-video-0b9e39477cf34507a7a48f74be381fdd\\",\\"old_time\\":38.910057,\\"new_time\\":147,\\"type\\":\\"onSlideSeek\\",\\"code\\":\\"b7xgknqkQk8\\"}", ' +
  '"event_source": "browser", "context": {"user_id": 4, "org_id": "AcceptanceX", "course_id": "AcceptanceX/A101/T12014", "path": "/event"}, ' +
  '"time": "2014-05-15T19:03:19.487373+00:00", "page": "http://lms.example.org/courses/AcceptanceX/A101/T12014/courseware/d8a6192ade314473a78242dfeedfbf5b/edx_introduction/"}';

/** A speed change: speeds as text, current_time (not currentTime). */
const SPEED_CHANGE =
  '{"username": "learner1", "event_type": "speed_change_video", "event_source": "browser", "time": "2022-10-10T14:49:45.625763+00:00", ' +
  '"event": "{\\"id\\": \\"2f02b380423f4f74a7f69a6ab2a6a917\\", \\"current_time\\": 61.2, \\"old_speed\\": \\"1.0\\", \\"new_speed\\": \\"1.50\\", \\"code\\": \\"hls\\"}", ' +
  '"context": {"user_id": 99364143, "path": "/event", "course_id": "course-v1:MITx+15.455x+3T2022", "org_id": "MITx", "enterprise_uuid": ""}, ' +
  '"page": "https://courses.example.org/xblock/block-v1:MITx+15.455x+3T2022+type@vertical+block@0c7d?show_title=0&view=student_view"}';

/** An anonymous request: username "" (edX's own convention), course_id "" in context. */
const ANONYMOUS =
  '{"username": "", "host": "lms.example.org", "event_source": "server", "event_type": "/", "context": {"username": "", "user_id": "", "org_id": "", ' +
  '"course_id": "", "path": "/"}, "time": "2014-05-15T18:23:56.781588+00:00", "ip": "127.0.0.1", "event": "{\\"POST\\": {}, \\"GET\\": {}}", "agent": "' + CHROME + '", "page": null}';

/** A server problem_check: event an object, page "x_module" (not a URL). */
const PROBLEM_CHECK =
  '{"username": "staff", "host": "lms.example.org", "event_source": "server", "event_type": "problem_check", "context": {"course_user_tags": {}, "user_id": 4, ' +
  '"org_id": "AcceptanceX", "module": {"display_name": "Interactive Questions"}, "course_id": "course-v1:AcceptanceX+DemoX+T1_2014"}, ' +
  '"time": "2014-05-15T17:56:09.634241+00:00", "ip": "127.0.0.1", "event": {"success": "incorrect", "grade": 0, "attempts": 1, "max_grade": 1, ' +
  '"answers": {"9cee_2_1": ["choice_0", "choice_1"]}}, "agent": "' + CHROME + '", "page": "x_module"}';

describe('line rules on edX lines (DATA-CONTRACT §7: §2 applies as is)', () => {
  it('an anonymous request (username "") is missing_username; every other real shape is an event', () => {
    expect(judgeLine(ANONYMOUS)).toEqual({ kind: 'rejected', reason: 'missing_username' });
    for (const line of [SERVER_PAGE, BROWSER_PLAY, MOBILE_PAUSE, MOBILE_PLAYED, BROWSER_SEEK, SPEED_CHANGE, PROBLEM_CHECK]) {
      expect(judgeLine(line).kind).toBe('event');
    }
  });

  it('the shape test recognises every real edX line, anonymous ones too', () => {
    for (const line of [SERVER_PAGE, BROWSER_PLAY, MOBILE_PAUSE, MOBILE_PLAYED, BROWSER_SEEK, SPEED_CHANGE, PROBLEM_CHECK, ANONYMOUS]) {
      expect(isOpenEdxEvent(parse(line))).toBe(true);
    }
    expect(isOpenEdxEvent({ username: 'a', event_type: 'play_video' })).toBe(false);
    expect(isOpenEdxEvent({ username: 'a', event_type: 'play_video', time: 1400000000 })).toBe(false);
    expect(isOpenEdxEvent({ key: 'pageview', username: 'a', timestamp: 1371234567000 })).toBe(false);
  });
});

describe('parseOpenEdxTime', () => {
  it('reads the zone forms edX writes: +00:00 with microseconds, without a fraction, Z', () => {
    expect(parseOpenEdxTime('2014-05-16T18:52:20.302431+00:00')).toBe(Date.UTC(2014, 4, 16, 18, 52, 20, 302));
    expect(parseOpenEdxTime('2014-12-09T03:57:24+00:00')).toBe(Date.UTC(2014, 11, 9, 3, 57, 24, 0));
    expect(parseOpenEdxTime('2015-01-01T00:00:01Z')).toBe(Date.UTC(2015, 0, 1, 0, 0, 1));
    expect(parseOpenEdxTime('2015-01-01T00:00:01.5z')).toBe(Date.UTC(2015, 0, 1, 0, 0, 1, 500));
  });

  it('no zone means UTC', () => {
    expect(parseOpenEdxTime('2013-12-17T15:38:32.805444')).toBe(Date.UTC(2013, 11, 17, 15, 38, 32, 805));
    expect(parseOpenEdxTime('2013-12-17T15:38:32')).toBe(Date.UTC(2013, 11, 17, 15, 38, 32));
  });

  it('truncates the fraction beyond milliseconds, never rounds', () => {
    expect(parseOpenEdxTime('2014-01-01T00:00:00.9999+00:00')).toBe(Date.UTC(2014, 0, 1, 0, 0, 0, 999));
    expect(parseOpenEdxTime('2014-01-01T00:00:00.0009Z')).toBe(Date.UTC(2014, 0, 1));
    expect(parseOpenEdxTime('2014-01-01T00:00:00.1Z')).toBe(Date.UTC(2014, 0, 1, 0, 0, 0, 100));
    expect(parseOpenEdxTime('2014-01-01T00:00:00.12Z')).toBe(Date.UTC(2014, 0, 1, 0, 0, 0, 120));
    expect(parseOpenEdxTime('1969-12-31T23:59:59.9999Z')).toBe(-1);
  });

  it('applies other offsets, in all three forms', () => {
    const utc = Date.UTC(2020, 2, 2, 10, 12, 8, 992);
    expect(parseOpenEdxTime('2020-03-02T11:12:08.992343+01:00')).toBe(utc);
    expect(parseOpenEdxTime('2020-03-02T11:12:08.992+0100')).toBe(utc);
    expect(parseOpenEdxTime('2020-03-02T11:12:08.992+01')).toBe(utc);
    expect(parseOpenEdxTime('2020-03-02T04:42:08.992-05:30')).toBe(utc);
    expect(parseOpenEdxTime('2020-03-02T10:12:08.992-00:00')).toBe(utc);
  });

  it('takes a space for the T, as RFC 3339 allows', () => {
    expect(parseOpenEdxTime('2014-05-16 18:52:20.302431+00:00')).toBe(Date.UTC(2014, 4, 16, 18, 52, 20, 302));
  });

  it('is exact on leap days and on years before 100 (where Date.UTC would add 1900)', () => {
    expect(parseOpenEdxTime('2016-02-29T12:00:00Z')).toBe(Date.UTC(2016, 1, 29, 12));
    expect(parseOpenEdxTime('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    const d = new Date(0);
    d.setUTCFullYear(50, 0, 1);
    expect(parseOpenEdxTime('0050-01-01T00:00:00Z')).toBe(d.getTime());
  });

  it('is null for anything that is not such an instant', () => {
    for (const bad of [
      '',
      'yesterday',
      '2014-05-16',
      '2014-05-16T18:52',
      '2014-05-16T18:52:20.+00:00',
      ' 2014-05-16T18:52:20Z',
      '2014-05-16T18:52:20Z ',
      '2014-13-01T00:00:00Z',
      '2014-00-10T00:00:00Z',
      '2015-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2014-04-31T00:00:00Z',
      '2014-05-16T24:00:00Z',
      '2014-05-16T23:60:00Z',
      '2014-05-16T23:59:60Z',
      '2014-05-16T23:59:59+24:00',
      '2014-05-16T23:59:59+01:60',
      '2014-05-16T23:59:59 UTC',
      '0000-01-01T00:00:00Z',
      '١٤-05-16T23:59:59Z',
    ]) {
      expect(parseOpenEdxTime(bad), bad).toBeNull();
    }
    expect(parseOpenEdxTime(1400000000000)).toBeNull();
    expect(parseOpenEdxTime(null)).toBeNull();
    expect(parseOpenEdxTime(undefined)).toBeNull();
  });
});

describe('openEdxRecord: the columns convert writes', () => {
  it('keeps edX key names; event text stays text; context becomes its JSON text; time also becomes timestamp', () => {
    const r = openEdxRecord(parse(SERVER_PAGE));
    expect(r.username).toBe('staff');
    expect(r.event_type).toBe('/courses/edX/DemoX/Demo_Course/info');
    expect(r.event_source).toBe('server');
    expect(r.event).toBe('{"POST": {}, "GET": {}}');
    expect(r.page).toBeNull();
    expect(r.time).toBe('2014-05-16T18:52:20.302431+00:00');
    expect(r.timestamp).toBe(Date.UTC(2014, 4, 16, 18, 52, 20, 302));
    expect(JSON.parse(r.context as string)).toEqual(parse(SERVER_PAGE).context);
    expect(r[EXTRA_COLUMN]).toBeUndefined();
  });

  it('stores an event object as its JSON text', () => {
    const r = openEdxRecord(parse(MOBILE_PAUSE));
    expect(r.event).toBe('{"code":"mobile","currentTime":33.751,"id":"event_id"}');
    expect(r.name).toBe('edx.video.paused');
    expect(r.ip).toBe('');
    expect(r.timestamp).toBe(Date.UTC(2017, 1, 9, 7, 38, 48, 857));
  });

  it('puts unknown keys and mistyped values in _extra, leaving the column null', () => {
    const r = openEdxRecord({
      username: 'u',
      event_type: ['play_video'],
      time: 1400000000,
      agent: 12,
      event: [1, 2],
      context: 'course-v1:X+Y+Z',
      course_id: 'edX/DemoX/Demo_Course',
      timestamp: 5,
    });
    expect(r.username).toBe('u');
    expect(r.event_type).toBeUndefined();
    expect(r.timestamp).toBeNull();
    expect(JSON.parse(r[EXTRA_COLUMN] as string)).toEqual({
      event_type: ['play_video'],
      time: 1400000000,
      agent: 12,
      event: [1, 2],
      context: 'course-v1:X+Y+Z',
      course_id: 'edX/DemoX/Demo_Course',
      timestamp: 5,
    });
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const r = openEdxRecord(parse('{"username":"u","event_type":"x","time":"2014-01-01T00:00:00Z","__proto__":{"a":1}}'));
    expect(JSON.parse(r[EXTRA_COLUMN] as string)).toEqual(parse('{"__proto__":{"a":1}}'));
  });

  it('replaces lone surrogates in string columns; objects keep them escaped', () => {
    const r = openEdxRecord(parse('{"username":"u\\ud800","event":{"id":"v\\udc00"},"time":"2014-01-01T00:00:00Z"}'));
    expect(r.username).toBe('u\uFFFD');
    expect(r.event).toBe('{"id":"v\\udc00"}');
  });

  it('serializes what cannot be re-serialised faithfully with the whole line in _extra.$line', () => {
    const line = '{"username":"u","event_type":"play_video","time":"2014-01-01T00:00:00Z","event":{"currentTime":1e400}}';
    const staged = parse(serializeOpenEdxEvent(parse(line), line));
    expect(staged.username).toBe('u');
    expect(staged.event_type).toBe('play_video');
    expect(staged.timestamp).toBe(Date.UTC(2014, 0, 1));
    expect(staged.event).toBeUndefined();
    expect(JSON.parse(staged[EXTRA_COLUMN] as string)).toEqual({ $line: line });
    const deep = '{"username":"u","time":"x","event":' + '['.repeat(20000) + ']'.repeat(20000) + '}';
    expect(JSON.parse(parse(serializeOpenEdxEvent(parse(deep), deep))[EXTRA_COLUMN] as string)).toEqual({ $line: deep });
  });

  it('declares a column for every key it writes, timestamp a BIGINT', () => {
    const names = OPENEDX_COLUMNS.map((c) => c.name);
    for (const line of [SERVER_PAGE, BROWSER_PLAY, MOBILE_PAUSE, MOBILE_PLAYED, BROWSER_SEEK, SPEED_CHANGE, PROBLEM_CHECK]) {
      for (const key of Object.keys(openEdxRecord(parse(line)))) expect(names).toContain(key);
    }
    expect(OPENEDX_COLUMNS.find((c) => c.name === 'timestamp')?.type).toBe('BIGINT');
    expect(OPENEDX_COLUMNS.filter((c) => c.type === 'BIGINT')).toHaveLength(1);
  });
});

describe('event type (DATA-CONTRACT §7)', () => {
  it('is event_type, except that a request path is page', () => {
    expect(openEdxEventType('play_video')).toBe('play_video');
    expect(openEdxEventType('edx.video.played')).toBe('edx.video.played');
    expect(openEdxEventType('/courses/edX/DemoX/Demo_Course/info')).toBe('page');
    expect(openEdxEventType('/')).toBe('page');
    expect(openEdxEventType('courses/x')).toBe('courses/x');
    expect(openEdxEventType('')).toBe('(missing)');
    expect(openEdxEventType(null)).toBe('(missing)');
    expect(openEdxEventType(undefined)).toBe('(missing)');
  });
});

describe('section (DATA-CONTRACT §7)', () => {
  it('after /courses/<course id>/ for new (one segment) and old (three segments) course ids', () => {
    expect(sectionOfPath('/courses/course-v1:edX+DemoX+Demo_Course/courseware/abc/def/')).toBe('courseware');
    expect(sectionOfPath('/courses/edX/DemoX/Demo_Course/courseware/abc/def/')).toBe('courseware');
    expect(sectionOfPath('/courses/edX/DemoX/Demo_Course/info')).toBe('info');
    expect(sectionOfPath('/courses/course-v1:MITx+6.00.1x+2T2017/discussion/forum/i4x-topic/threads/5a1b')).toBe('discussion');
    expect(sectionOfPath('/courses/course-v1:MITx+6.00.1x+2T2017/progress')).toBe('progress');
    expect(sectionOfPath('/courses/ccx-v1:MITx+6.00x+2T2017+ccx@3/wiki/x/')).toBe('wiki');
    expect(sectionOfPath('/courses/course-v1:X+Y+Z/xblock/block-v1:X+Y+Z+type@problem+block@9c/handler/xmodule_handler/problem_check')).toBe('xblock');
  });

  it('the first segment of any other path, (root) for none; empty segments dropped', () => {
    expect(sectionOfPath('/dashboard')).toBe('dashboard');
    expect(sectionOfPath('/xblock/block-v1:X+Y+Z+type@vertical+block@0c')).toBe('xblock');
    expect(sectionOfPath('/courses/course-v1:X+Y+Z')).toBe('courses');
    expect(sectionOfPath('/courses/course-v1:X+Y+Z/')).toBe('courses');
    expect(sectionOfPath('/courses/edX/DemoX')).toBe('courses');
    expect(sectionOfPath('/courses')).toBe('courses');
    expect(sectionOfPath('/')).toBe('(root)');
    expect(sectionOfPath('')).toBe('(root)');
    expect(sectionOfPath('//courses//course-v1:X+Y+Z//progress//')).toBe('progress');
  });

  it('comes from a request path in event_type before page', () => {
    expect(openEdxSection('/courses/edX/DemoX/Demo_Course/info', null)).toBe('info');
    expect(openEdxSection('/dashboard', 'https://lms.example.org/courses/course-v1:X+Y+Z/progress')).toBe('dashboard');
    expect(openEdxSection('/courses/course-v1:X+Y+Z/progress?page=2', null)).toBe('progress');
    expect(openEdxSection('/search?q=/courses/a/b/c/info', null)).toBe('search');
    expect(openEdxSection('/', null)).toBe('(root)');
  });

  it('otherwise from page as a WHATWG URL; unknown when missing, not a string, not a URL', () => {
    expect(openEdxSection('play_video', 'https://lms.example.org/courses/course-v1:X+Y+Z/courseware/a/b/?activate_block_id=x')).toBe('courseware');
    expect(openEdxSection('play_video', 'https://courses.example.org/xblock')).toBe('xblock');
    expect(openEdxSection('page_close', 'https://lms.example.org/')).toBe('(root)');
    expect(openEdxSection('page_close', 'https://lms.example.org')).toBe('(root)');
    expect(openEdxSection('problem_check', 'x_module')).toBe('unknown');
    expect(openEdxSection('problem_check', '')).toBe('unknown');
    expect(openEdxSection('problem_check', null)).toBe('unknown');
    expect(openEdxSection(undefined, 42)).toBe('unknown');
    // Kept as written: no decoding, no case change.
    expect(openEdxSection('x', 'https://lms.example.org/courses/course-v1:X+Y+Z/Course%20Ware/')).toBe('Course%20Ware');
  });
});

describe('video (DATA-CONTRACT §7)', () => {
  it('maps all six browser names and their mobile aliases onto the actions', () => {
    const expected: Record<string, string> = {
      play_video: 'play',
      pause_video: 'pause',
      seek_video: 'seeked',
      speed_change_video: 'ratechange',
      load_video: 'load',
      stop_video: 'stop',
      'edx.video.played': 'play',
      'edx.video.paused': 'pause',
      'edx.video.position.changed': 'seeked',
      'edx.video.speed.changed': 'ratechange',
      'edx.video.loaded': 'load',
      'edx.video.stopped': 'stop',
    };
    expect(Object.fromEntries(OPENEDX_VIDEO_ACTIONS)).toEqual(expected);
    for (const [type, action] of Object.entries(expected)) expect(openEdxVideo(type, '{}')?.action).toBe(action);
  });

  it('is null for other event types (transcripts, captions, problems, pages)', () => {
    for (const type of ['show_transcript', 'edx.video.transcript.shown', 'video_hide_cc_menu', 'problem_check', '/courses/x', 'PLAY_VIDEO', '']) {
      expect(openEdxVideo(type, '{"id":"v","currentTime":3}')).toBeNull();
    }
    expect(openEdxVideo(null, '{}')).toBeNull();
  });

  it('reads id, currentTime and the speed from event as JSON text or as object', () => {
    expect(openEdxVideo('play_video', '{"id":"i4x-X-video-58","currentTime":243,"code":"iOOYGgLADj8"}')).toEqual({
      action: 'play',
      position: 243,
      rate: undefined,
      lecture: 'i4x-X-video-58',
    });
    expect(openEdxVideo('pause_video', { code: 'mobile', currentTime: 33.751, id: 'event_id' })).toEqual({
      action: 'pause',
      position: 33.751,
      rate: undefined,
      lecture: 'event_id',
    });
  });

  it('takes the position of a seek from new_time, never currentTime', () => {
    expect(openEdxVideo('seek_video', '{"id":"v","old_time":38.9,"new_time":147,"type":"onSlideSeek"}')?.position).toBe(147);
    expect(openEdxVideo('edx.video.position.changed', { id: 'v', currentTime: 194, new_time: 195 })?.position).toBe(195);
    expect(openEdxVideo('seek_video', { id: 'v', currentTime: 194 })?.position).toBeUndefined();
    expect(openEdxVideo('seek_video', { id: 'v', new_time: '12.5' })?.position).toBe(12.5);
  });

  it('reads speeds written as text, new_speed first, else speed; position from currentTime only', () => {
    expect(openEdxVideo('speed_change_video', '{"id":"v","current_time":61.2,"old_speed":"1.0","new_speed":"1.50"}')).toEqual({
      action: 'ratechange',
      position: undefined,
      rate: 1.5,
      lecture: 'v',
    });
    expect(openEdxVideo('speed_change_video', { id: 'v', new_speed: 0.75 })?.rate).toBe(0.75);
    expect(openEdxVideo('play_video', { id: 'v', speed: '2.0' })?.rate).toBe(2);
    expect(openEdxVideo('speed_change_video', { id: 'v', new_speed: 'fast', speed: '1.25' })?.rate).toBe(1.25);
    expect(openEdxVideo('speed_change_video', { id: 'v', new_speed: '0', speed: '-1' })?.rate).toBeUndefined();
    expect(openEdxVideo('speed_change_video', { id: 'v', new_speed: '1.5x' })?.rate).toBeUndefined();
  });

  it('applies §6.1 bounds: position finite and ≥ 0, rate finite and > 0', () => {
    expect(openEdxVideo('play_video', { id: 'v', currentTime: 0 })?.position).toBe(0);
    expect(openEdxVideo('play_video', { id: 'v', currentTime: -0.5 })?.position).toBeUndefined();
    expect(openEdxVideo('play_video', { id: 'v', currentTime: '-0' })?.position).toBe(0);
    expect(openEdxVideo('play_video', { id: 'v', currentTime: null })?.position).toBeUndefined();
    expect(openEdxVideo('play_video', { id: 'v', currentTime: true })?.position).toBeUndefined();
    expect(openEdxVideo('play_video', { id: 'v', currentTime: 'NaN' })?.position).toBeUndefined();
    expect(openEdxVideo('play_video', { id: 'v', currentTime: 'Infinity' })?.position).toBeUndefined();
    expect(openEdxVideo('play_video', { id: 'v', currentTime: ' 12 ' })?.position).toBe(12);
    expect(openEdxVideo('play_video', { id: 'v', currentTime: '1e2' })?.position).toBe(100);
  });

  it('lecture is id when a non-empty string, otherwise unknown; an unreadable event gives nothing but the action', () => {
    expect(openEdxVideo('play_video', { id: '', currentTime: 1 })?.lecture).toBe('unknown');
    expect(openEdxVideo('play_video', { id: 42, currentTime: 1 })?.lecture).toBe('unknown');
    const none = { position: undefined, rate: undefined, lecture: 'unknown' };
    expect(openEdxVideo('load_video', '')).toEqual({ action: 'load', ...none });
    expect(openEdxVideo('load_video', null)).toEqual({ action: 'load', ...none });
    expect(openEdxVideo('load_video', '{"id":"v"')).toEqual({ action: 'load', ...none });
    expect(openEdxVideo('load_video', '[{"id":"v"}]')).toEqual({ action: 'load', ...none });
    expect(openEdxVideo('load_video', '"{\\"id\\":\\"v\\"}"')).toEqual({ action: 'load', ...none });
    expect(openEdxVideo('stop_video', [{ id: 'v' }])).toEqual({ action: 'stop', ...none });
  });
});

describe('numberOrNumericText', () => {
  it('accepts finite numbers and JSON-number texts only', () => {
    expect(numberOrNumericText(1.5)).toBe(1.5);
    expect(numberOrNumericText('1.50')).toBe(1.5);
    expect(numberOrNumericText('-0')).toBe(0);
    expect(Object.is(numberOrNumericText(-0), 0)).toBe(true);
    for (const bad of ['', ' ', '1.', '.5', '+1', '0x10', '1,5', 'Infinity', '1e400', Infinity, NaN, null, true, [1], {}]) {
      expect(numberOrNumericText(bad), String(bad)).toBeNull();
    }
  });
});

describe('course (DATA-CONTRACT §7)', () => {
  it('is context.course_id when a non-empty string, else (none)', () => {
    expect(openEdxCourse('{"course_id":"course-v1:X+Y+Z","org_id":"X"}')).toBe('course-v1:X+Y+Z');
    expect(openEdxCourse({ course_id: 'edX/DemoX/Demo_Course' })).toBe('edX/DemoX/Demo_Course');
    expect(openEdxCourse('{"course_id":""}')).toBe('(none)');
    expect(openEdxCourse('{"course_id":null}')).toBe('(none)');
    expect(openEdxCourse('{"course_id":["a"]}')).toBe('(none)');
    expect(openEdxCourse('{}')).toBe('(none)');
    expect(openEdxCourse(null)).toBe('(none)');
    expect(openEdxCourse('not json')).toBe('(none)');
  });
});

describe('openEdxModelEvent on the real shapes', () => {
  it('a server request: type page, section from the path, pageview, course from context', () => {
    expect(model(SERVER_PAGE)).toEqual({
      username: 'staff',
      timestamp: Date.UTC(2014, 4, 16, 18, 52, 20, 302),
      userAgent: CHROME,
      language: null,
      referrer: null,
      eventType: 'page',
      section: 'info',
      pageview: true,
      video: null,
      course: 'edX/DemoX/Demo_Course',
    });
  });

  it('a browser play: agent, accept_language and referer are the model user agent, language and referrer', () => {
    const e = model(BROWSER_PLAY);
    expect(e.eventType).toBe('play_video');
    expect(e.section).toBe('courseware');
    expect(e.pageview).toBe(false);
    expect(e.language).toBe('en-US,en;q=0.8');
    expect(e.referrer).toBe('https://courses.example.org/courses/BerkeleyX/Stat_2.1x/1T2014/courseware/d4ff/bd34/');
    expect(e.userAgent).toMatch(/^Mozilla\/5\.0 \(Windows NT 6\.1/);
    expect(e.video).toEqual({ action: 'play', position: 243, rate: undefined, lecture: 'i4x-BerkeleyX-Stat_2_1x-video-58424ad2f75048798b4480aa699cc215' });
    expect(e.course).toBe('BerkeleyX/Stat_2.1x/1T2014');
    expect(e.timestamp).toBe(Date.UTC(2014, 11, 23, 14, 26, 53, 723));
  });

  it('mobile events: legacy event_type with an object event, and the new name as event_type', () => {
    const pause = model(MOBILE_PAUSE);
    expect(pause.eventType).toBe('pause_video');
    expect(pause.section).toBe('xblock');
    expect(pause.referrer).toBe('');
    expect(pause.language).toBe('');
    expect(pause.video).toEqual({ action: 'pause', position: 33.751, rate: undefined, lecture: 'event_id' });
    expect(pause.course).toBe('course-v1:DelftX+EX101x+3T2016');
    const played = model(MOBILE_PLAYED);
    expect(played.eventType).toBe('edx.video.played');
    expect(played.video).toEqual({ action: 'play', position: 114, rate: undefined, lecture: 'i4x-edX-DemoX-video-0b9e39477cf34507a7a48f74be381fdd' });
    expect(played.timestamp).toBe(Date.UTC(2014, 11, 9, 3, 57, 24));
    expect(played.section).toBe('courseware');
    expect(played.referrer).toBeNull();
  });

  it('seek, speed change and a server problem_check', () => {
    expect(model(BROWSER_SEEK).video).toEqual({ action: 'seeked', position: 147, rate: undefined, lecture: 'i4x-AcceptanceX-A101-video-0b9e39477cf34507a7a48f74be381fdd' });
    const speed = model(SPEED_CHANGE);
    expect(speed.video).toEqual({ action: 'ratechange', position: undefined, rate: 1.5, lecture: '2f02b380423f4f74a7f69a6ab2a6a917' });
    expect(speed.section).toBe('xblock');
    expect(speed.course).toBe('course-v1:MITx+15.455x+3T2022');
    const problem = model(PROBLEM_CHECK);
    expect(problem.eventType).toBe('problem_check');
    expect(problem.section).toBe('unknown');
    expect(problem.video).toBeNull();
    expect(problem.course).toBe('course-v1:AcceptanceX+DemoX+T1_2014');
  });

  it('an event without time is untimed; a mistyped agent is no user agent', () => {
    const line = '{"username":"u","event_type":"play_video","agent":12,"time":"soon","event":"{}"}';
    const e = model(line);
    expect(e.timestamp).toBeNull();
    expect(e.userAgent).toBeNull();
    expect(e.course).toBe('(none)');
  });

  it('is what the adapter object exposes', () => {
    expect(OPENEDX_FORMAT.name).toBe('openedx');
    expect(OPENEDX_FORMAT.columns).toBe(OPENEDX_COLUMNS);
    expect(OPENEDX_FORMAT.recognizes(parse(BROWSER_PLAY))).toBe(true);
    expect(OPENEDX_FORMAT.serialize(parse(SERVER_PAGE), SERVER_PAGE)).toBe(JSON.stringify(openEdxRecord(parse(SERVER_PAGE))));
  });
});

describe('staging lines through DuckDB (the path convert takes to Parquet)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openedx-format-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back every column as written and maps the rows onto the same model events', async () => {
    const lines = [SERVER_PAGE, BROWSER_PLAY, MOBILE_PAUSE, MOBILE_PLAYED, BROWSER_SEEK, SPEED_CHANGE, PROBLEM_CHECK];
    const staging = join(dir, 'staging.jsonl');
    writeFileSync(staging, lines.map((l) => serializeOpenEdxEvent(parse(l), l)).join('\n') + '\n');
    const parquet = join(dir, 'part.parquet');
    const columns = OPENEDX_COLUMNS.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
    const rows = await withDuckDB({ threads: 1 }, async (conn) => {
      await conn.run(
        `COPY (SELECT * FROM read_json(${literal(staging)}, format = 'newline_delimited', columns = {${columns}})) TO ${literal(parquet)} (FORMAT parquet)`,
      );
      const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet(${literal(parquet)})`);
      return reader.getRowObjectsJS();
    });
    expect(rows).toHaveLength(lines.length);
    expect(Object.keys(rows[0]!)).toEqual(OPENEDX_COLUMNS.map((c) => c.name));
    rows.forEach((row, i) => {
      expect(openEdxModelEvent(row)).toEqual(model(lines[i]!));
      const record = openEdxRecord(parse(lines[i]!));
      for (const c of OPENEDX_COLUMNS) {
        const expected = record[c.name] ?? null;
        expect(c.type === 'BIGINT' && row[c.name] !== null ? Number(row[c.name]) : row[c.name], `${i} ${c.name}`).toEqual(expected);
      }
    });
  });
});
