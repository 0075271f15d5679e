import { availableParallelism } from 'node:os';
import { mkdir, rm, stat } from 'node:fs/promises';
import { DATASET_SCHEMA_VERSION, MAX_PARTITIONS, REJECTED_FILE } from '../dataset/dataset-format.js';
import { writeManifest, type Manifest, type ManifestInput } from '../dataset/manifest.js';
import { dirname, join, resolve } from 'node:path';
import { InputFormatError, InterruptedError, SameInputError, UsageError } from '../errors.js';
import { decideFormat, DEFAULT_FORMAT_CHOICE, peekFormatSample, type FormatChoice, type FormatSample } from '../formats/detect-format.js';
import { DEFAULT_FORMAT_NAME, inputFormat, type FormatName } from '../formats/format-registry.js';
import type { InputCounts } from '../types.js';
import { mapDiskFull } from '../util/disk-full.js';
import { StagedOutput } from '../util/output-dir.js';
import { TOOL_VERSION } from '../version.js';
import { emptyRejectCounts, spanningLineResult, type BlockResult } from './block-processor.js';
import { LineFramer } from './line-framer.js';
import { STDIN, openInput, type OpenedInput } from './open-input.js';
import { RejectGate } from './reject-gate.js';
import { ParsePool } from './parse-pool.js';
import { QuarantineWriter } from './quarantine-writer.js';
import { writeParquet } from './write-parquet.js';
import { convertedFileBytes, estimateRemainingMs } from './estimate-remaining.js';
import { expandInputs } from './expand-inputs.js';
import { findSameInput } from '../util/find-same-input.js';

/** Options of {@link convert}. */
export interface ConvertOptions {
  /**
   * The export: plain or gzip-compressed NDJSON; a file, a pipe, or `-` for standard input. Or
   * several files of one export (rotated logs), read in the order given, each on its own (line
   * numbers restart, a last line without newline ends with its file); `-` only alone. A folder
   * stands for its regular, non-hidden files in rotation order (see rotationOrder: oldest first),
   * and `onNotice` is told the order. One file given twice (same path, a link, or a copy with the
   * same SHA-256) is refused with SameInputError (exit 2) before anything is written.
   */
  input: string | readonly string[];
  /**
   * `--format`: the input format, or `auto` to decide it from the first lines of each input
   * (DATA-CONTRACT §7; an input in neither format, mixing both, or not the format asked for is refused with
   * InputFormatError). Default `auto`.
   */
  format?: FormatChoice;
  /** Dataset directory to create. */
  out: string;
  /** Number of Parquet partitions (hash of username). Default: {@link defaultPartitions} of the input. */
  partitions?: number;
  /** Longest line accepted, in bytes without its line ending. Default 16 MiB. */
  maxLineBytes?: number;
  /** Replace `out` if it exists (only a dataset, never the input: see StagedOutput). Default false. */
  force?: boolean;
  /**
   * Convert even when no event is found or more than half of the first 10,000 non-blank lines are
   * rejected (otherwise an InputError: the input is most likely not an export). Default false.
   */
  acceptRejects?: boolean;
  /** Parse threads. Default: the number of cores. */
  threads?: number;
  /** DuckDB memory limit while writing Parquet. Default '384MB'. */
  memoryLimit?: string;
  /** Told, one line each, about what convert did besides converting (stale temporaries removed, defaults it could not fit). Default: nothing is told. */
  onNotice?: (line: string) => void;
  /** Called a few times a second with how far the conversion is. */
  onProgress?: (progress: ConvertProgress) => void;
  /** Aborting stops the conversion, removes its temporary output and rejects with InterruptedError. */
  signal?: AbortSignal;
}

export interface ConvertProgress {
  phase: 'read' | 'write';
  /** File bytes converted so far (compressed for gzip; see convertedFileBytes), not those read ahead. */
  bytesRead: number;
  /** Size of the input files together; undefined for standard input or a pipe. */
  bytesTotal: number | undefined;
  /** Decompressed bytes framed into lines. */
  bytesDecoded: number;
  lines: number;
  events: number;
  /** Parquet partitions written so far (phase 'write'). */
  partitionsWritten: number;
  partitions: number;
  /** Staged bytes turned into Parquet so far, of all staged bytes (phase 'write'; 0 before). */
  bytesStagedWritten: number;
  bytesStaged: number;
  elapsedMs: number;
  /** When reading ended (phase 'write'). */
  readMs: number | undefined;
  /** Time left of the whole convert, both phases (see {@link estimateRemainingMs}); undefined when unknown. */
  etaMs: number | undefined;
}

export interface ConvertResult {
  /** The dataset directory. */
  dir: string;
  manifest: Manifest;
}

/** Fewest partitions chosen by default: enough jobs to spread over a few machines' cores. */
export const MIN_DEFAULT_PARTITIONS = 16;
/** JSON text per partition the default aims at: DuckDB's COPY memory grows with it (measured). */
export const PARTITION_TARGET_BYTES = 128 * 1024 * 1024;
/**
 * Default number of partitions: at least 16, and about one per 128 MiB of (estimated uncompressed)
 * input, so that each partition's Parquet write, and hence convert's memory, stays the same size
 * however big the export is. A gzip input is estimated at the default format's ratio
 * ({@link InputFormat.gzipRatio}).
 */
export function defaultPartitions(fileBytes: number, compression: 'gzip' | 'none'): number {
  return defaultPartitionsOf([{ bytes: fileBytes, compression }]);
}

/**
 * {@link defaultPartitions} of several inputs of one format (default {@link DEFAULT_FORMAT_NAME}):
 * their estimated uncompressed sizes add up, a gzip input's at its format's measured ratio.
 */
export function defaultPartitionsOf(inputs: readonly { bytes: number; compression: 'gzip' | 'none' }[], format: FormatName = DEFAULT_FORMAT_NAME): number {
  const ratio = inputFormat(format).gzipRatio;
  let estimate = 0;
  for (const i of inputs) estimate += i.compression === 'gzip' ? i.bytes * ratio : i.bytes;
  return Math.min(MAX_PARTITIONS, Math.max(MIN_DEFAULT_PARTITIONS, Math.ceil(estimate / PARTITION_TARGET_BYTES)));
}
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Blocks in flight per parse thread: enough to keep threads busy, few enough to keep memory flat. */
const BLOCKS_IN_FLIGHT_PER_THREAD = 3;

/**
 * Converts an export into a Parquet dataset: `part-NNNNN.parquet` (hash-partitioned by username),
 * `_rejected.jsonl` (every rejected line) and `_manifest.json` (written last). The dataset directory
 * appears only when complete; on any failure nothing is left behind.
 */
export async function convert(options: ConvertOptions): Promise<ConvertResult> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const threads = options.threads ?? Math.max(1, availableParallelism());
  if (options.partitions !== undefined) checkInteger('--partitions', options.partitions, 1, MAX_PARTITIONS);
  checkInteger('--max-line-bytes', maxLineBytes, 1, 1 << 30);
  checkInteger('--threads', threads, 1, 256);
  // Checked now, not when DuckDB meets it after the whole input has been read.
  if (options.memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(options.memoryLimit)) {
    throw new UsageError(`--memory-limit takes a size such as 384MB or 1GiB, got '${options.memoryLimit}'`);
  }

  const given = typeof options.input === 'string' ? [options.input] : [...options.input];
  if (given.length === 0) throw new UsageError('no input given');
  if (given.length > 1 && given.includes(STDIN)) throw new UsageError('- (standard input) must be the only input');
  // A folder stands for its files, oldest rotation first; the user is told the order used.
  const expanded = await expandInputs(given);
  const paths = expanded.paths;
  for (const line of expanded.notices) options.onNotice?.(line);
  // DATA-CONTRACT §7: one file twice would count its events twice; refused before anything is read or written.
  const same = await findSameInput(paths, { content: true, skip: [STDIN] });
  if (same !== undefined) {
    const why = same.how === 'file' ? 'are the same file' : 'have the same content (SHA-256)';
    throw new SameInputError(same.first, same.second, `${same.first} and ${same.second} ${why}: give each input once; no dataset was written`);
  }

  if (options.signal?.aborted) throw new InterruptedError('convert interrupted; no dataset was written');
  const started = Date.now();
  // Every input is opened, and its first lines sampled, before anything is written: a missing
  // file, or one in the wrong format, is refused without a trace (DATA-CONTRACT §7).
  const inputs: OpenedInput[] = [];
  const closeInputs = (): void => {
    for (const i of inputs) i.close();
  };
  const sources: AsyncIterable<Uint8Array>[] = [];
  let format: FormatName;
  try {
    const samples: { file: string; sample: FormatSample }[] = [];
    for (const path of paths) {
      const input = await openInput(path);
      inputs.push(input);
      const peeked = await peekFormatSample(input.chunks, maxLineBytes);
      sources.push(peeked.chunks);
      samples.push({ file: input.name, sample: peeked.sample });
      // Refused as soon as a file says so, naming it.
      decideFormat(options.format ?? DEFAULT_FORMAT_CHOICE, samples, { acceptRejects: options.acceptRejects ?? false });
    }
    format = decideFormat(options.format ?? DEFAULT_FORMAT_CHOICE, samples, { acceptRejects: options.acceptRejects ?? false });
  } catch (err) {
    closeInputs();
    // Every refusal says that nothing was written, as §2's do.
    if (err instanceof InputFormatError) throw new InputFormatError(`${err.message}; no dataset was written`, { cause: err });
    throw err;
  }
  const sizes = inputs.map((i) => i.bytes);
  const sizeKnown = sizes.every((b) => b !== undefined);
  const bytesTotal = sizeKnown ? sizes.reduce((a: number, b) => a + (b as number), 0) : undefined;
  // Standard input has no size to go by: the smallest default, unless --partitions says more.
  const partitions =
    options.partitions ??
    (sizeKnown ? defaultPartitionsOf(inputs.map((i) => ({ bytes: i.bytes as number, compression: i.compression })), format) : MIN_DEFAULT_PARTITIONS);
  if (options.partitions === undefined && !sizeKnown) {
    options.onNotice?.(
      `the size of ${inputs[0]!.name} is unknown: ${partitions} partitions; for an export over 2 GiB uncompressed, ` +
        `pass --partitions (one per 128 MiB keeps memory flat)`,
    );
  }
  // A full disk or quota anywhere (staging, parse threads, DuckDB, manifest) is one OutputError
  // naming the directory and the stage, never an internal error.
  let doing = 'creating the dataset directory';
  const diskFull = (err: unknown): unknown => mapDiskFull(err, dirname(resolve(options.out)), doing, 'no dataset was written');
  const output = await StagedOutput.create(options.out, {
    force: options.force ?? false,
    guard: { kind: 'dataset', inputs: paths },
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  }).catch((err: unknown) => {
    closeInputs();
    throw diskFull(err);
  });
  const giveUp = async (err: unknown): Promise<never> => {
    closeInputs();
    await output.discard();
    throw diskFull(err);
  };
  const stagingDir = join(output.tempPath, '_staging');
  await mkdir(stagingDir).catch(giveUp);
  const quarantine = await QuarantineWriter.open(join(output.tempPath, REJECTED_FILE)).catch(giveUp);
  const pool = ParsePool.create({ threads, stagingDir, block: { maxLineBytes, partitions, format } });
  doing = 'staging events and rejected lines';
  const counts: InputCounts = { lines: 0, events: 0, blank: 0, rejected: emptyRejectCounts() };
  // Each file is accounted for on its own (line numbers, the reject gate, the manifest's inputs).
  const fileCounts: InputCounts[] = inputs.map(() => ({ lines: 0, events: 0, blank: 0, rejected: emptyRejectCounts() }));
  const gates = inputs.map((i) => new RejectGate(i.name));
  const inflatedOf = inputs.map(() => 0);
  // Decompressed bytes of the blocks folded so far: the lines the progress line counts.
  const foldedOf = inputs.map(() => 0);
  // What has been converted, not what was read ahead of it (see convertedFileBytes); never going
  // back when gzip's ratio so far shifts.
  const convertedOf = inputs.map(() => 0);
  const bytesRead = (): number =>
    inputs.reduce((a, i, file) => a + (convertedOf[file] = Math.max(convertedOf[file]!, convertedFileBytes(i.bytesRead(), i.bytesOut(), foldedOf[file]!))), 0);
  let inflated = 0;
  let written = 0;
  let bytesStaged = 0;
  let bytesStagedWritten = 0;
  let readMs: number | undefined;
  let lastProgress = 0;
  const report = (phase: ConvertProgress['phase'], force = false): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastProgress < 200)) return;
    lastProgress = now;
    options.onProgress({
      phase,
      bytesRead: bytesRead(),
      bytesTotal,
      bytesDecoded: inflated,
      lines: counts.lines,
      events: counts.events,
      partitionsWritten: written,
      partitions,
      bytesStaged,
      bytesStagedWritten,
      elapsedMs: now - started,
      readMs,
      etaMs: estimateRemainingMs({
        phase,
        elapsedMs: now - started,
        bytesRead: bytesRead(),
        bytesTotal,
        readMs,
        bytesStaged,
        bytesStagedWritten,
      }),
    });
  };

  // Results are folded in input order, so line numbers are exact and the quarantine is sorted.
  const queue: { file: number; bytes: number; result: Promise<BlockResult> }[] = [];
  const fold = async ({ file, bytes, result: pending }: { file: number; bytes: number; result: Promise<BlockResult> }): Promise<void> => {
    const result = await pending;
    foldedOf[file]! += bytes;
    const mine = fileCounts[file]!;
    const gate = gates[file]!;
    gate.add(result, mine.lines + 1);
    if (!options.acceptRejects) gate.check(false);
    for (const r of result.rejects) {
      await quarantine.write({
        file: paths[file]!,
        line: mine.lines + r.index + 1,
        reason: r.reason,
        text: r.text,
        bytes: r.bytes,
        ...(r.error !== undefined ? { error: r.error } : {}),
      });
    }
    for (const c of [mine, counts]) {
      c.lines += result.lines;
      c.events += result.events;
      c.blank += result.blank;
      for (const reason of Object.keys(result.rejected) as (keyof typeof result.rejected)[]) {
        // other_format appears in the counts only once such a line is met (see RejectCounts).
        if (result.rejected[reason] !== undefined) c.rejected[reason] = (c.rejected[reason] ?? 0) + result.rejected[reason];
      }
    }
  };
  const checkAbort = (): void => {
    if (options.signal?.aborted) throw new InterruptedError('convert interrupted; no dataset was written');
  };

  try {
    for (let file = 0; file < inputs.length; file++) {
      // A framer per file: one file's last line, even without its newline, never joins the next file's first.
      const framer = new LineFramer({ maxLineBytes });
      const enqueue = async (frames: ReturnType<LineFramer['push']>): Promise<void> => {
        for (const frame of frames) {
          queue.push({
            file,
            // A line spanning reads counts by its length when known; its line ending and a blank one's
            // bytes are left out, so the share may lag by those until the end.
            bytes: frame.kind === 'blank' ? 0 : frame.bytes,
            result: frame.kind === 'block' ? pool.submit(frame.buffers) : Promise.resolve(spanningLineResult(frame)),
          });
          while (queue.length > threads * BLOCKS_IN_FLIGHT_PER_THREAD) await fold(queue.shift()!);
        }
      };
      for await (const chunk of sources[file]!) {
        checkAbort();
        inflated += chunk.length;
        inflatedOf[file]! += chunk.length;
        await enqueue(framer.push(chunk));
        report('read');
      }
      await enqueue(framer.end());
    }
    while (queue.length > 0) await fold(queue.shift()!);
    checkAbort();
    if (!options.acceptRejects) {
      for (let file = 0; file < inputs.length; file++) gates[file]!.check(true);
      // No event anywhere: refused naming the first file (each file has none).
      if (counts.events === 0) gates.forEach((g, file) => g.checkEvents(fileCounts[file]!));
    }
    const staging = await pool.close();
    await quarantine.close();
    doing = 'writing Parquet partition 0';
    readMs = Date.now() - started;
    // The Parquet phase's progress and ETA go by staged bytes: partitions differ in size.
    const stagedSizes = await stagedBytesByPartition(staging.files);
    for (const size of stagedSizes.values()) bytesStaged += size;
    report('write', true);

    const partitionInfo = await writeParquet({
      staging,
      outDir: output.tempPath,
      partitions,
      expectedRows: counts.events,
      columns: inputFormat(format).columns,
      ...(options.signal ? { signal: options.signal } : {}),
      onPartition: (done, total) => {
        written = done;
        bytesStagedWritten += stagedSizes.get(done - 1) ?? 0;
        doing = `writing Parquet partition ${done}`;
        report('write', done === total); // the throttle must not swallow the last one
      },
      ...(options.threads ? { threads: options.threads } : {}),
      ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    });
    await rm(stagingDir, { recursive: true, force: true });
    checkAbort();

    const inputRecords: ManifestInput[] = inputs.map((input, file) => ({
      path: paths[file]!,
      bytes: input.bytes ?? input.bytesRead(),
      decompressedBytes: inflatedOf[file]!,
      compression: input.compression,
      sha256: input.sha256(),
      counts: fileCounts[file]!,
    }));
    const { counts: _firstCounts, ...first } = inputRecords[0]!;
    const manifest: Manifest = {
      schemaVersion: DATASET_SCHEMA_VERSION,
      tool: { name: 'clickstream', version: TOOL_VERSION },
      createdAt: new Date().toISOString(),
      // Version 1's field: the first input (all of them, with their own counts, in `inputs`).
      input: first,
      counts,
      format,
      inputs: inputRecords,
      options: { partitions, maxLineBytes },
      columns: inputFormat(format).columns.map((c) => ({ ...c })),
      partitions: partitionInfo,
      durationMs: Date.now() - started,
    };
    doing = 'writing the manifest';
    await writeManifest(output.tempPath, manifest);
    checkAbort();
    doing = 'moving the dataset into place';
    await output.commit();
    return { dir: output.finalPath, manifest };
  } catch (err) {
    closeInputs();
    await pool.destroy();
    await quarantine.close().catch(() => undefined);
    await output.discard();
    throw diskFull(err);
  }
}


function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** Bytes staged for each partition (the sizes of its staging files). */
async function stagedBytesByPartition(files: Map<number, string[]>): Promise<Map<number, number>> {
  const sizes = new Map<number, number>();
  for (const [partition, paths] of files) {
    let total = 0;
    for (const path of paths) total += (await stat(path)).size;
    sizes.set(partition, total);
  }
  return sizes;
}
