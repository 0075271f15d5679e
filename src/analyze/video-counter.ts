/**
 * Video figures of a partition: each video event's payload read by the format (with its page's
 * lecture) and counted here. The payloads come straight from the Parquet file, packed into one value
 * per learner: converting DuckDB values to JavaScript one by one costs more than parsing them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { guarded, unguard } from '../duckdb/guarded-text.js';
import { blobBytes, packSql, unpack } from '../duckdb/packed-rows.js';
import { forEachChunk } from '../duckdb/query-rows.js';
import { literal } from '../duckdb/session.js';
import type { EventFormat, VideoFields } from '../formats/event-format.js';
import { UNKNOWN_LECTURE } from '../formats/event-format.js';
import type { NamedCount, PlaybackRateCount } from '../report/report-types.js';
import type { PartialLecture } from '../run/partial-result.js';
import { YieldPoint } from '../util/yield-point.js';
import type { PartitionModel } from './partition-model.js';

/** A partition's video figures, and per learner its video events and known lectures. */
export type VideoCounts = ReturnType<VideoCounter['finish']> & { learners: VideoCounter['learners'] };

/** Counts the kept video events of the model (joined to the temp table `page_class` for their page's lecture). */
export async function countVideos(
  conn: DuckDBConnection,
  opened: PartitionModel,
  format: EventFormat,
  lectureForNull: string | null,
): Promise<VideoCounts> {
  const pageLecture = `CASE WHEN v.page_url IS NULL THEN ${lectureForNull === null ? 'NULL' : literal(lectureForNull)} ELSE p.lecture END`;
  const counter = new VideoCounter((lecture, payload) => format.video(payload, lecture ?? undefined));
  const turn = new YieldPoint();
  await forEachChunk(
    conn,
    `SELECT ${guarded('v.learner')}, encode(string_agg(${packSql([pageLecture, 'v.video_payload'])}, '')) ` +
      // A learner's events in up to 8 parts (consecutive all the same): no one value is so large
      // that unpacking it holds the thread for long.
      `FROM ${opened.model} v LEFT JOIN page_class p USING (page_url)${opened.where('v.', 'v.is_video')} ` +
      `GROUP BY v.learner, hash(v.video_payload) % 8 ORDER BY v.learner`,
    async (chunk) => {
      for (const [learner, packed] of chunk) {
        const name = unguard(learner);
        let events = 0;
        unpack(blobBytes(packed) as Buffer, 2, ([lecture, payload]) => {
          counter.add(name, lecture ?? null, payload ?? null);
          events++;
        });
        if (turn.due(events)) await turn.pause();
      }
    },
  );
  return { ...counter.finish(), learners: counter.learners };
}

/** One lecture's figures while a partition's video events are counted. */
interface LectureAccumulator {
  row: PartialLecture;
}

/**
 * Counts a partition's video events, given learner by learner (one learner's events consecutive,
 * possibly over several {@link add} calls): distinct learners per action, rate and lecture and
 * each viewer's furthest position are counted without sets of learners.
 */
export class VideoCounter {
  private readonly actions = new Map<string, NamedCount>();
  private readonly rates = new Map<number, PlaybackRateCount>();
  private readonly lectures = new Map<string, LectureAccumulator>();
  /** Per learner: video events and known lectures. */
  readonly learners = new Map<string, { events: number; lectures: number }>();
  private events = 0;
  // The current learner's events, actions, rates and lectures (with the furthest position, -1 for none).
  private current: string | undefined;
  private mine = 0;
  private readonly mineActions = new Set<NamedCount>();
  private readonly mineRates = new Set<PlaybackRateCount>();
  private readonly mineLectures = new Map<LectureAccumulator, number>();

  constructor(private readonly read: (pageLecture: string | null, payload: string | null) => VideoFields) {}

  /** One video event of `learner`: the lecture its page names (or null) and its payload (or null). */
  add(learner: string, pageLecture: string | null, payload: string | null): void {
    if (learner !== this.current) {
      this.flush();
      this.current = learner;
    }
    this.events++;
    this.mine++;
    const v = this.read(pageLecture, payload);
    let action = this.actions.get(v.action);
    if (action === undefined) this.actions.set(v.action, (action = { name: v.action, events: 0, users: 0 }));
    action.events++;
    this.mineActions.add(action);
    if (v.rate !== undefined) {
      let rate = this.rates.get(v.rate);
      if (rate === undefined) this.rates.set(v.rate, (rate = { rate: v.rate, events: 0, users: 0 }));
      rate.events++;
      this.mineRates.add(rate);
    }
    let lecture = this.lectures.get(v.lecture);
    if (lecture === undefined) {
      lecture = { row: { lecture: v.lecture, events: 0, viewers: 0, play: 0, pause: 0, seeked: 0, ratechange: 0, other: 0, furthest: [] } };
      this.lectures.set(v.lecture, lecture);
    }
    const row = lecture.row;
    row.events++;
    switch (v.action) {
      case 'play':
        row.play++;
        break;
      case 'pause':
        row.pause++;
        break;
      case 'seeked':
        row.seeked++;
        break;
      case 'ratechange':
        row.ratechange++;
        break;
      default:
        row.other++;
    }
    const furthest = this.mineLectures.get(lecture) ?? -1;
    this.mineLectures.set(lecture, v.position !== undefined && v.position > furthest ? v.position : furthest);
  }

  /** The partition's video figures (call once, after the last {@link add}). */
  finish() {
    this.flush();
    return {
      events: this.events,
      actions: [...this.actions.values()],
      playbackRates: [...this.rates.values()],
      lectures: [...this.lectures.values()].map(({ row }) => ({ ...row, furthest: row.furthest.sort((x, y) => x - y) })),
    };
  }

  private flush(): void {
    if (this.current === undefined) return;
    for (const a of this.mineActions) a.users++;
    for (const r of this.mineRates) r.users++;
    let known = 0;
    for (const [lecture, furthest] of this.mineLectures) {
      lecture.row.viewers++;
      if (furthest >= 0) lecture.row.furthest.push(furthest);
      if (lecture.row.lecture !== UNKNOWN_LECTURE) known++;
    }
    this.learners.set(this.current, { events: this.mine, lectures: known });
    this.mineActions.clear();
    this.mineRates.clear();
    this.mineLectures.clear();
    this.mine = 0;
    this.current = undefined;
  }
}
