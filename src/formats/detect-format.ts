/**
 * `convert --format auto|<a format>`: which format an export is in, decided from its first events
 * (data contract §7) by asking every format of the registry, and the refusals when it is in none,
 * mixes several, or is not the format asked for. Pure: the converter feeds the first decompressed bytes of each input to a
 * {@link FormatSampler} and hands the samples to {@link decideFormat}.
 */
import { InputFormatError } from '../errors.js';
import { DEFAULT_FORMAT_NAME, FORMAT_NAMES, INPUT_FORMATS, inputFormat, listFormats, type FormatName } from './format-registry.js';

/** `--format`: a format, or `auto` to decide from the data. */
export type FormatChoice = FormatName | 'auto';

/** `--format`'s default: decide from the data. */
export const DEFAULT_FORMAT_CHOICE: FormatChoice = 'auto';

/** Every value `--format` takes. */
export const FORMAT_CHOICES: readonly FormatChoice[] = [DEFAULT_FORMAT_CHOICE, ...FORMAT_NAMES];

/** How many JSON objects of each input decide its format. */
export const FORMAT_SAMPLE_LINES = 1000;

/** The sample also ends after this many times {@link FORMAT_SAMPLE_LINES} non-blank lines, objects or not. */
export const FORMAT_SAMPLE_LINE_FACTOR = 10;

/** Which format one parsed object looks like: exactly one format's shape, or `unknown` (none or several). */
export function classifyEvent(event: Readonly<Record<string, unknown>>): FormatName | 'unknown' {
  const matches = INPUT_FORMATS.filter((format) => format.recognizes(event));
  return matches.length === 1 ? matches[0]!.name : 'unknown';
}

/**
 * The first JSON objects of one input, counted by shape. Every object is judged, not only §2's
 * events: an anonymous edX request (username "") is still an edX line, and a file of objects of
 * another shape (xAPI statements, another tool's JSON) must be refused, not turned into a dataset
 * of rejected lines. Lines that are not JSON objects are counted apart and decide nothing: §2's
 * reject rule (more than half of the first 10,000 rejected) refuses files of them (CSV, HTML,
 * random bytes) naming the first, and lets a file with a rejected head and events after it through.
 */
export type FormatSample = {
  /** JSON objects judged: of a format's shape or none. */
  lines: number;
  /** Objects of no format's shape (or of several). */
  unknown: number;
  /** Among the `unknown`, §2's events (a non-empty `username`): any format reads them. */
  unshapedEvents: number;
  /** Non-blank lines within the limit that are not JSON objects (not judged). */
  notObjects: number;
  /** 1-based line number of the first event of each shape, for the messages. */
  firstLine: { [Name in FormatName]?: number };
} & {
  /** Objects of each format's shape, by its name. */
  [Name in FormatName]: number;
};

export function emptySample(): FormatSample {
  const counts = Object.fromEntries(FORMAT_NAMES.map((name) => [name, 0])) as Record<FormatName, number>;
  return { lines: 0, ...counts, unknown: 0, unshapedEvents: 0, notObjects: 0, firstLine: {} };
}

/** What one input's sample says. */
export type SampleVerdict =
  | { kind: 'format'; format: FormatName }
  /** No object to judge (empty, blank, too-long lines or no JSON object): any format fits. */
  | { kind: 'empty' }
  /** Mostly §2 events of neither shape, and no shaped line: any format reads them (version 1 read them as Coursera). */
  | { kind: 'unshaped' }
  | { kind: 'mixed' }
  | { kind: 'neither' };

/**
 * Over the sampled objects: `mixed` when several formats' shapes occur; a format when its shape is
 * the only one that occurs, and its lines and the unshaped §2 events are more than half of the objects;
 * `unshaped` when no shape occurs and unshaped events are more than half; `neither` otherwise;
 * `empty` when there is no object to judge.
 */
export function judgeSample(sample: FormatSample): SampleVerdict {
  if (sample.lines === 0) return { kind: 'empty' };
  const seen = FORMAT_NAMES.filter((name) => sample[name] > 0);
  if (seen.length > 1) return { kind: 'mixed' };
  const format: FormatName | null = seen[0] ?? null;
  const fitting = (format === null ? 0 : sample[format]) + sample.unshapedEvents;
  if (fitting * 2 <= sample.lines) return { kind: 'neither' };
  return format === null ? { kind: 'unshaped' } : { kind: 'format', format };
}

/** The format of an export whose inputs hold no line to judge: version 1's (every figure is 0 anyway). */
export const FORMAT_WHEN_EMPTY: FormatName = DEFAULT_FORMAT_NAME;

/** Options of {@link decideFormat}. */
export interface DecideFormatOptions {
  /**
   * `--accept-rejects`: an input whose sample is in neither format is taken as the dataset's format
   * (the one asked for, or under `auto` the one the other inputs decide, {@link FORMAT_WHEN_EMPTY}
   * when none does): its lines will be rejected and counted, as the user asked. Still refused: an
   * input that looks like another format or mixes several. Default false.
   */
  acceptRejects?: boolean;
}

/**
 * The dataset's format from `--format` and the samples of its inputs (in command-line order).
 * Throws InputFormatError, naming the file and what was expected, when an input is in no format,
 * mixes several, is not the format asked for, or when inputs disagree.
 */
export function decideFormat(
  choice: FormatChoice,
  inputs: readonly { file: string; sample: FormatSample }[],
  options: DecideFormatOptions = {},
): FormatName {
  let decided: { format: FormatName; file: string } | undefined;
  for (const { file, sample } of inputs) {
    const verdict = judgeSample(sample);
    if (verdict.kind === 'empty' || verdict.kind === 'unshaped') continue;
    if (verdict.kind === 'mixed') {
      const seen = INPUT_FORMATS.filter((f) => sample[f.name] > 0);
      const lines = seen.map((f, i) => `line ${sample.firstLine[f.name]} ${i === 0 ? 'looks like' : 'like'} ${f.title}`);
      throw new InputFormatError(`${file} mixes formats: ${lines.join(', ')}; convert each format on its own`);
    }
    if (verdict.kind === 'neither') {
      if (options.acceptRejects === true) continue;
      const expected = choice === 'auto' ? listFormats((f) => f.description, 'or') : inputFormat(choice).description;
      const counts = listFormats((f, i) => `${sample[f.name]} ${i === 0 ? 'look ' : ''}like ${f.shortTitle}`, 'and');
      throw new InputFormatError(`${file} is not in a format clickstream reads: expected ${expected}, but of its first ${sample.lines} lines ${counts}`);
    }
    const format = verdict.format;
    if (choice !== 'auto' && format !== choice) {
      throw new InputFormatError(
        `${file}: --format ${choice} expects ${inputFormat(choice).description}, but ${sample[format]} of its first ${sample.lines} lines ` +
          `look like ${inputFormat(format).title}; use --format ${format}, or --format auto to decide from the data`,
      );
    }
    if (decided !== undefined && decided.format !== format) {
      throw new InputFormatError(
        `${decided.file} looks like ${inputFormat(decided.format).title} but ${file} like ${inputFormat(format).title}; ` +
          `one dataset holds one format: convert them separately`,
      );
    }
    decided ??= { format, file };
  }
  if (decided !== undefined) return decided.format;
  return choice === 'auto' ? FORMAT_WHEN_EMPTY : choice;
}

/** A line as the sampler judges it: not a JSON object, or an object's shape and whether it is a §2 event. */
export function judgeLineShape(text: string): 'not_object' | { shape: FormatName | 'unknown'; event: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not_object';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_object';
  const object = value as Record<string, unknown>;
  return { shape: classifyEvent(object), event: typeof object.username === 'string' && object.username !== '' };
}

const NEWLINE = 0x0a;

/**
 * Samples the first lines of one input from its decompressed bytes, pushed in chunks of any size,
 * reading lines as §2 does (BOM at the start, CR, blank and too-long lines not judged). Holds at
 * most one partial line, and never more than `maxLineBytes` of it.
 */
export class FormatSampler {
  readonly sample: FormatSample = emptySample();
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private pending = false;
  private line = 0;

  constructor(
    /** Longest line judged, in bytes (the converter's `--max-line-bytes`). */
    private readonly maxLineBytes: number,
    /** Lines that decide. Default {@link FORMAT_SAMPLE_LINES}. */
    private readonly limit: number = FORMAT_SAMPLE_LINES,
  ) {}

  /**
   * True once `limit` objects have been judged, or ten times as many non-blank lines read (a file
   * of lines that are not objects is left to §2's reject rule, which looks at 10,000 lines): later
   * bytes change nothing.
   */
  get full(): boolean {
    return this.sample.lines >= this.limit || this.sample.lines + this.sample.notObjects >= this.limit * FORMAT_SAMPLE_LINE_FACTOR;
  }

  /** Feeds the next decompressed bytes. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    while (start < buf.length && !this.full) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.hold(buf.subarray(start));
        return;
      }
      this.hold(buf.subarray(start, nl));
      this.finishLine();
      start = nl + 1;
    }
  }

  /** Ends the input: a last line without its newline is judged too. */
  end(): FormatSample {
    if (this.pending && !this.full) this.finishLine();
    return this.sample;
  }

  private hold(part: Buffer): void {
    if (part.length === 0) return;
    this.pending = true;
    if (this.skipping) return;
    // Spare bytes for a CR and, on the first line, a BOM: neither counts in the line's length.
    if (this.carryBytes + part.length > this.maxLineBytes + 4) {
      // Longer than any line judged (one byte spare for a CR): too long, never an event.
      this.skipping = true;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(Buffer.from(part)); // a copy: the caller may reuse its chunk
    this.carryBytes += part.length;
  }

  private finishLine(): void {
    this.line++;
    const skipped = this.skipping;
    const bytes = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
    this.pending = false;
    if (skipped) return;
    // The BOM is ignored only at the very start of the file.
    const begin = this.line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const end = bytes.length > begin && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    if (end - begin > this.maxLineBytes) return;
    const text = bytes.toString('utf8', begin, end);
    if (/^[ \t]*$/.test(text)) return;
    const judged = judgeLineShape(text);
    if (judged === 'not_object') {
      this.sample.notObjects++;
      return;
    }
    const shape = judged.shape;
    this.sample.lines++;
    this.sample[shape]++;
    if (shape === 'unknown' && judged.event) this.sample.unshapedEvents++;
    if (shape !== 'unknown' && this.sample.firstLine[shape] === undefined) this.sample.firstLine[shape] = this.line;
  }
}

/** Most decompressed bytes {@link peekFormatSample} holds back to decide (the rest is not read yet). */
export const DEFAULT_PEEK_BYTES = 64 * 1024 * 1024;

/** What {@link peekFormatSample} read: the sample, and the whole input again from its first byte. */
export interface PeekedInput {
  sample: FormatSample;
  /** Yields the chunks read while sampling, then the rest of the source: nothing lost, nothing twice. */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Samples an input's first lines from its stream of decompressed chunks without losing them: reads
 * until the sampler is full, the input ends, or `maxPeekBytes` are held (then the lines seen so far
 * decide), and hands back an iterable that replays those chunks before the rest. For `convert`,
 * which must know the format before its parse threads start.
 */
export async function peekFormatSample(
  source: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
  maxPeekBytes: number = DEFAULT_PEEK_BYTES,
): Promise<PeekedInput> {
  const sampler = new FormatSampler(maxLineBytes);
  const iterator = source[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let done = false;
  while (!sampler.full && heldBytes < maxPeekBytes) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    held.push(next.value);
    heldBytes += next.value.length;
    sampler.push(next.value);
  }
  const sample = done ? sampler.end() : sampler.sample;
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* held.splice(0); // handed over once: the held chunks are not kept twice
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  return { sample, chunks: replay() };
}
