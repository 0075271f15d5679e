/**
 * Lets long JavaScript loops give the event loop a turn now and then. A Redis worker renews its
 * job's lock from a timer on the event loop; a loop that holds the thread for longer than half the
 * lock (about a second with a short `--lock-ms`) would make a healthy job look stalled.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default longest stretch of synchronous work between two turns of the event loop, ms. */
export const DEFAULT_SLICE_MS = 20;

/** Call {@link YieldPoint.tick} once per loop iteration; it resolves at once except every so often. */
export class YieldPoint {
  private started = performance.now();
  private count = 0;

  /** @param sliceMs longest synchronous stretch, ms (default {@link DEFAULT_SLICE_MS}) */
  constructor(private readonly sliceMs: number = DEFAULT_SLICE_MS) {}

  /**
   * Whether the loop should `await` {@link pause} now. Looks at the clock once per 64 units of work
   * (`weight` units for this call: e.g. the events of a batch just handled).
   */
  due(weight = 1): boolean {
    this.count += weight;
    if (this.count < 64) return false;
    this.count = 0;
    return performance.now() - this.started >= this.sliceMs;
  }

  /** Gives the event loop a turn and starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn();
    this.started = performance.now();
  }
}
