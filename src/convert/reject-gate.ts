import { InputError } from '../errors.js';
import type { RejectReason } from '../types.js';
import type { BlockResult } from './block-processor.js';

/** Non-blank lines at the start of the input whose rejects decide whether it is an export at all. */
export const REJECT_SAMPLE_LINES = 10_000;

/** The first rejected line, as the messages quote it. */
interface FirstReject {
  line: number;
  reason: RejectReason;
  text: string;
  error?: string;
}

/**
 * Decides early whether an input is an export at all: a file most of whose first lines are rejected
 * (a CSV, random bytes, a log of another kind) or with no event in it is refused with the first
 * rejected line and why, instead of becoming a dataset of nothing. Fed the block results in input order.
 */
export class RejectGate {
  /** Non-blank lines seen among the sample. */
  private sampled = 0;
  /** Rejected lines among them. */
  private sampledRejects = 0;
  private first: FirstReject | undefined;

  constructor(
    /** How messages name the input. */
    private readonly name: string,
    /** Size of the sample of non-blank lines. Default {@link REJECT_SAMPLE_LINES}. */
    private readonly sample = REJECT_SAMPLE_LINES,
  ) {}

  /** Takes the result of the block whose first line is line `firstLine` (1-based) of the input. */
  add(result: BlockResult, firstLine: number): void {
    const r0 = result.rejects[0];
    if (r0 && !this.first) {
      this.first = { line: firstLine + r0.index, reason: r0.reason, text: r0.text, ...(r0.error !== undefined ? { error: r0.error } : {}) };
    }
    if (this.sampled >= this.sample) return;
    const blank = new Set(result.blankAt);
    let next = 0; // next reject of the block, in line order
    for (let i = 0; i < result.lines && this.sampled < this.sample; i++) {
      while (next < result.rejects.length && result.rejects[next]!.index < i) next++;
      if (blank.has(i)) continue;
      this.sampled++;
      if (result.rejects[next]?.index === i) this.sampledRejects++;
    }
  }

  /** Throws when more than half of the sample is rejected, once the sample is complete (or the input ended). */
  check(inputEnded: boolean): void {
    if (this.sampled < this.sample && !inputEnded) return;
    if (this.sampledRejects * 2 > this.sampled) {
      const of = this.sampled < this.sample ? `${this.sampled} non-blank lines` : `the first ${this.sample} non-blank lines`;
      throw new InputError(`${this.name}: ${this.sampledRejects} of ${of} were rejected; ${this.describeFirst()}; ${ADVICE}`);
    }
  }

  /** Throws when the whole input held no event. */
  checkEvents(counts: { lines: number; events: number; blank: number }): void {
    if (counts.events > 0) return;
    if (counts.lines === 0) throw new InputError(`${this.name} is empty: no event found; ${ADVICE}`);
    const rejected = counts.lines - counts.blank;
    const detail = rejected === 0 ? 'all blank' : `${counts.blank} blank, ${rejected} rejected; ${this.describeFirst()}`;
    throw new InputError(`${this.name}: no event found in ${counts.lines} lines (${detail}); ${ADVICE}`);
  }

  private describeFirst(): string {
    const f = this.first;
    if (!f) return 'no line was rejected';
    // One line whatever the input holds: control characters escaped, long text cut.
    const text = f.text.length > 120 ? `${JSON.stringify(f.text.slice(0, 120)).slice(0, -1)}…"` : JSON.stringify(f.text);
    const why = f.error !== undefined ? ` (${JSON.stringify(f.error).slice(1, -1)})` : '';
    return `the first, line ${f.line}, is ${f.reason}${why}: ${text}`;
  }
}

const ADVICE = 'is it a clickstream export (one JSON object per line)? --accept-rejects converts it anyway; no dataset was written';
