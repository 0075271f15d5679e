/**
 * Open edX events in edX's own shapes: server, named server, browser and mobile app events.
 */
import type { Learner } from './openedx-learners.js';
import { HOST, LMS, type Session } from './openedx-sessions.js';
import { py } from './python-json.js';
import type { Rng } from './rng.js';

/** One event as edX writes it, before quirks: its fields in edX's key order. */
export type Fields = Record<string, unknown>;

export class EventMaker {
  constructor(private readonly rng: Rng) {}

  private context(s: Session, path: string): Fields {
    return { course_user_tags: {}, user_id: s.learner.userId, org_id: s.course.org, course_id: s.course.id, path };
  }

  /** A server event for a request path. */
  server(s: Session, time: string, path: string, event = '{"POST": {}, "GET": {}}'): Fields {
    const l = s.learner;
    return {
      username: l.username,
      host: HOST,
      event_source: 'server',
      event_type: path,
      context: this.context(s, path),
      time,
      ip: this.ip(l),
      event,
      agent: l.agent,
      referer: s.referer,
      accept_language: l.language,
      session: s.session,
      page: null,
    };
  }

  /** A server event with a name of its own (forum, problem_check): `event` an object, no request path. */
  named(s: Session, time: string, type: string, event: Fields, page: string | null): Fields {
    const l = s.learner;
    const ctx = this.context(s, `/courses/${s.course.id}/xblock/handler`);
    return { username: l.username, host: HOST, event_source: 'server', event_type: type, context: ctx, time, ip: this.ip(l), event, agent: l.agent, referer: s.page, accept_language: l.language, session: s.session, page };
  }

  /** A browser event: `event` the JSON text the page posted. */
  browser(s: Session, time: string, type: string, event: string): Fields {
    const l = s.learner;
    return {
      username: l.username,
      event_source: 'browser',
      name: type,
      accept_language: l.language,
      time,
      agent: l.agent,
      page: s.page,
      host: HOST,
      session: s.session,
      referer: s.page,
      context: { user_id: l.userId, org_id: s.course.org, course_id: s.course.id, path: '/event' },
      ip: this.ip(l),
      event,
      event_type: type,
    };
  }

  /** A mobile app event through the segment.io bridge. */
  mobile(s: Session, time: string, received: string, legacy: string, name: string, event: Fields): Fields {
    const l = s.learner;
    const rng = this.rng;
    const android = l.client === 'android';
    const newName = rng.chance(0.4);
    return {
      accept_language: '',
      agent: l.agent,
      context: {
        application: { name: android ? 'edx.mobileapp.android' : 'edx.mobileapp.iOS', version: android ? '2.7.5' : '2.8.1' },
        client: { locale: 'en-US', os: { name: android ? 'Android' : 'iOS', version: android ? '6.0.1' : '10.2.1' }, network: { wifi: rng.chance(0.7) } },
        component: 'videoplayer',
        course_id: s.course.id,
        org_id: s.course.org,
        path: '/segmentio/event',
        received_at: received,
        user_id: l.userId,
      },
      // Half the app's events carry `event` as an object, half as the JSON text of one.
      event: rng.chance(0.5) ? event : py(event),
      event_source: 'mobile',
      event_type: newName ? name : legacy,
      host: HOST,
      ip: '',
      name,
      page: `${LMS}/xblock`,
      referer: '',
      session: '',
      time,
      username: l.username,
    };
  }

  private ip(l: Learner): string {
    return l.ip;
  }
}
