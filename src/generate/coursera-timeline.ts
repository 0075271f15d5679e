/**
 * Every event the Coursera generator plans, in typed arrays (millions of them at full size).
 */
/** What a planned event is. */
export const KIND_PAGEVIEW = 0;
export const KIND_VIDEO = 1;
export const KIND_RARE = 2;
/** A download script's request for a lecture's video file: a pageview under the learner's bot user agent. */
export const KIND_DOWNLOAD = 3;

/**
 * Every planned event, learner after learner, each learner's in time order (slot order). Lines are
 * written in a shuffled slot order, as real exports are not in time order.
 */
export class Timeline {
  readonly time: Float64Array;
  readonly learner: Uint32Array;
  readonly kind: Uint8Array;
  /** Pageviews: index in PAGES; video events: index in VIDEO_ACTIONS. */
  readonly detail: Uint8Array;
  /** Lecture (course order index) of a lecture page, download or video event. */
  readonly lecture: Uint8Array;
  /** Video events: the player's position, seconds. */
  readonly position: Float64Array;
  /** Video events: index in RATES. */
  readonly rate: Uint8Array;

  constructor(n: number) {
    this.time = new Float64Array(n);
    this.learner = new Uint32Array(n);
    this.kind = new Uint8Array(n);
    this.detail = new Uint8Array(n);
    this.lecture = new Uint8Array(n);
    this.position = new Float64Array(n);
    this.rate = new Uint8Array(n);
  }
}
