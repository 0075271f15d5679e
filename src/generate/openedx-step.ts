/**
 * One step of an Open edX session: a page, a video action, a problem, a forum post, …
 */
import { EventMaker, type Fields } from './openedx-event-maker.js';
import { LMS, type Session } from './openedx-sessions.js';
import { isoformat } from './python-json.js';
import type { Rng } from './rng.js';

const VIDEO_LEGACY: Record<string, string> = {
  'edx.video.loaded': 'load_video',
  'edx.video.played': 'play_video',
  'edx.video.paused': 'pause_video',
  'edx.video.position.changed': 'seek_video',
  'edx.video.stopped': 'stop_video',
  'edx.video.speed.changed': 'speed_change_video',
};
const SPEEDS = ['0.50', '0.75', '1.0', '1.25', '1.50', '2.0'];

/** The events (in edX fields) of one step of a session at `now` µs: a page, a video action, a problem, … */
export function step(rng: Rng, maker: EventMaker, s: Session, now: number): Fields[] {
  const c = s.course;
  const time = isoformat(now);
  const courseBase = `/courses/${c.id}`;
  const goPage = (path: string): void => {
    s.referer = s.page;
    s.page = `${LMS}${path}`;
  };
  if (s.learner.client !== 'browser') {
    // The app plays videos; its clock may be behind when it was offline (sent later).
    const behind = rng.chance(0.03) ? rng.range(1, 48) * 3_600_000_000 : 0;
    const t = isoformat(now - behind);
    const received = isoformat(now + rng.range(1, 30) * 1_000_000);
    if (s.video === null || rng.chance(0.15)) {
      s.video = rng.pick(c.videos);
      s.position = 0;
      return [maker.mobile(s, t, received, 'load_video', 'edx.video.loaded', { code: 'mobile', id: s.video })];
    }
    const r = rng.float();
    const name = r < 0.4 ? 'edx.video.played' : r < 0.75 ? 'edx.video.paused' : r < 0.93 ? 'edx.video.position.changed' : 'edx.video.stopped';
    s.position = Math.round((s.position + rng.float() * 120) * 1000) / 1000;
    const event: Fields = { code: 'mobile', id: s.video, currentTime: s.position };
    if (name === 'edx.video.position.changed') {
      const skip = rng.chance(0.5) ? -30 : rng.range(-200, 300);
      Object.assign(event, { old_time: s.position, new_time: Math.max(0, s.position + skip), requested_skip_interval: skip, type: skip === -30 ? 'onSkipSeek' : 'onSlideSeek' });
      s.position = Math.max(0, s.position + skip);
    }
    return [maker.mobile(s, t, received, VIDEO_LEGACY[name]!, name, event)];
  }

  const r = rng.float();
  if (r < 0.16 || s.video === null) {
    // Navigate: a server page event for the request.
    const p = rng.float();
    const chapter = rng.pick(c.chapters);
    const path =
      p < 0.62
        ? `${courseBase}/courseware/${chapter}/${rng.hex(32)}/`
        : p < 0.72
          ? `${courseBase}/info`
          : p < 0.8
            ? `${courseBase}/progress`
            : p < 0.9
              ? `${courseBase}/discussion/forum/`
              : p < 0.93
                ? `${courseBase}/wiki/${c.org}/`
                : p < 0.97
                  ? '/dashboard'
                  : `${courseBase}/courseware/${chapter}/`;
    goPage(path);
    if (path.includes('/courseware/')) s.video = rng.pick(c.videos);
    const out = [maker.server(s, time, path)];
    if (path.includes('/courseware/') && rng.chance(0.3)) {
      out.push(maker.browser(s, isoformat(now + rng.range(200, 2000) * 1000), 'seq_goto', `{"old": ${rng.range(1, 8)}, "new": ${rng.range(1, 8)}, "id": "block-v1:${c.org}+x+type@sequential+block@${chapter}"}`));
    }
    return out;
  }
  const video = s.video;
  if (r < 0.72) {
    // Video interaction in the browser.
    const v = rng.float();
    let type: string;
    let event: string;
    const id = video;
    if (v < 0.12) {
      type = rng.chance(0.8) ? 'load_video' : 'edx.video.loaded';
      s.position = 0;
      event = `{"id":"${id}","code":"html5"}`;
    } else if (v < 0.5) {
      type = rng.chance(0.9) ? 'play_video' : 'edx.video.played';
      event = `{"id":"${id}","currentTime":${s.position},"code":"${rng.chance(0.5) ? 'html5' : 'hls'}"}`;
    } else if (v < 0.78) {
      s.position = Math.round((s.position + rng.float() * 300) * 1e6) / 1e6;
      type = rng.chance(0.9) ? 'pause_video' : 'edx.video.paused';
      event = `{"id":"${id}","currentTime":${s.position},"code":"html5"}`;
    } else if (v < 0.9) {
      const to = Math.max(0, Math.round(s.position + rng.range(-120, 240)));
      type = rng.chance(0.9) ? 'seek_video' : 'edx.video.position.changed';
      event = `{"id":"${id}","old_time":${s.position},"new_time":${to},"type":"${rng.chance(0.7) ? 'onSlideSeek' : 'onCaptionSeek'}","code":"html5"}`;
      s.position = to;
    } else if (v < 0.96) {
      const old = s.speed;
      s.speed = rng.pick(SPEEDS);
      type = rng.chance(0.9) ? 'speed_change_video' : 'edx.video.speed.changed';
      event = `{"id":"${id}","current_time":${s.position},"old_speed":"${old}","new_speed":"${s.speed}","code":"html5"}`;
    } else {
      type = rng.chance(0.9) ? 'stop_video' : 'edx.video.stopped';
      event = `{"id":"${id}","currentTime":${s.position},"code":"html5"}`;
    }
    return [maker.browser(s, time, type, event)];
  }
  if (r < 0.86) {
    // A problem: the browser's check, the handler request, and the server's graded event.
    const problem = rng.pick(c.problems);
    const input = `input_${problem}_2_1`;
    const handler = `${courseBase}/xblock/block-v1:${c.org}+x+type@problem+block@${problem}/handler/xmodule_handler/problem_check`;
    const correct = rng.chance(0.6);
    return [
      maker.browser(s, time, 'problem_check', JSON.stringify(`${input}=choice_${rng.range(0, 3)}`)),
      { ...maker.server(s, isoformat(now + 40_000), handler, `{"POST": {"${input}": ["choice_1"]}, "GET": {}}`), referer: s.page },
      maker.named(
        s,
        isoformat(now + 90_000),
        'problem_check',
        { success: correct ? 'correct' : 'incorrect', grade: correct ? 1 : 0, max_grade: 1, attempts: rng.range(1, 3), answers: { [`${problem}_2_1`]: 'choice_1' }, problem_id: `block-v1:${c.org}+x+type@problem+block@${problem}` },
        'x_module',
      ),
    ];
  }
  if (r < 0.9) {
    return [maker.named(s, time, 'edx.forum.thread.created', { commentable_id: `i4x-${c.org}-forum`, title: 'Question about the lecture', body: 'Could someone explain the second example?', anonymous: false, id: rng.hex(24) }, null)];
  }
  if (r < 0.95) return [maker.browser(s, time, 'page_close', '')];
  return [maker.browser(s, time, rng.pick(['edx.ui.lms.link_clicked', 'seq_next', 'seq_prev', 'show_transcript', 'edx.ui.lms.outline.selected']), `{"current_url": "${s.page}"}`)];
}
