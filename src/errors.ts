/**
 * Errors a user can act on. Each carries the process exit code the CLI uses for it, so the CLI
 * prints `message` (never a stack trace) and exits with that code, and a stable `code` for
 * programs that catch it.
 */
export class ClickstreamError extends Error {
  /** Process exit code for this kind of failure. */
  readonly exitCode: number = 1;
  /**
   * Stable machine-readable kind: `ERR_` and the class name without `Error`, in capitals with
   * underscores (`OutputExistsError` → `ERR_OUTPUT_EXISTS`), unless a class names its own.
   */
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = errorCode(new.target.name);
  }
}

/** `ERR_` and a class name without its `Error` suffix, words split at capitals. */
export function errorCode(className: string): string {
  const words = className.replace(/Error$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return `ERR_${words.toUpperCase() || 'CLICKSTREAM'}`;
}

/** Bad command line: unknown option, missing argument, value out of range. Exit 2, code `ERR_USAGE`. */
export class UsageError extends ClickstreamError {
  override readonly exitCode = 2;
}

/** An option the command does not have, or a word that looks like a misspelt one. Exit 2, code `ERR_UNKNOWN_OPTION`. */
export class UnknownOptionError extends UsageError {}

/** An option's value that is missing, of the wrong type or out of range. Exit 2, code `ERR_OPTION_VALUE`. */
export class OptionValueError extends UsageError {}

/**
 * One input given twice to one command (the same path, a link to it, or for convert a copy with the
 * same SHA-256): refused before anything is written, naming both. Exit 2, a usage error.
 */
export class SameInputError extends UsageError {
  constructor(
    readonly first: string,
    readonly second: string,
    message: string,
  ) {
    super(message);
  }
}

/** The input cannot be read as an export: missing, unreadable, truncated or corrupt gzip. Exit 3. */
export class InputError extends ClickstreamError {
  override readonly exitCode = 3;
}

/**
 * The input is readable but is not in the format asked for (`--format`), or in no format the tool
 * knows, or mixes formats. The message names the file and says what was expected. Exit 3.
 */
export class InputFormatError extends InputError {}

/** A dataset directory that is missing, incomplete or of an unknown schema version. Exit 3. */
export class DatasetError extends ClickstreamError {
  override readonly exitCode = 3;
}

/** A report directory `compare` cannot use: no summary.json, not a clickstream summary, or one of another version. Exit 3. */
export class ReportInputError extends ClickstreamError {
  override readonly exitCode = 3;
}

/** The output already exists and `--force` was not given. Exit 4. */
export class OutputExistsError extends ClickstreamError {
  override readonly exitCode = 4;
  constructor(readonly path: string) {
    super(`${path} already exists; choose another --out or pass --force to replace it`);
  }
}

/** The output cannot be written: not creatable, not writable, disk full. Exit 4, like an existing one. */
export class OutputError extends ClickstreamError {
  override readonly exitCode = 4;
}

/** Redis could not be reached or answered with an error. Exit 5. */
export class RedisUnavailableError extends ClickstreamError {
  override readonly exitCode = 5;
}

/**
 * The catalog warehouse (a DuckDB file or a PostgreSQL database) cannot be opened, migrated or
 * written: locked or unreadable file, unreachable server, unknown database, failed statement.
 * Exit 5, like an unreachable Redis: a service the tool needs is not there. Messages never contain
 * a password from a `postgres://` URL.
 */
export class WarehouseError extends ClickstreamError {
  override readonly exitCode = 5;
}

/** A partition job failed for good (after its attempts). Exit 6. */
export class JobFailedError extends ClickstreamError {
  override readonly exitCode = 6;
  constructor(
    readonly partition: number,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`partition ${partition} failed after ${attempts} attempt(s): ${reason}`);
  }
}

/** A job payload that does not describe a partition of its dataset. Never retried. */
export class InvalidPayloadError extends ClickstreamError {
  override readonly exitCode = 6;
}

/** The run was interrupted by SIGINT/SIGTERM. Exit 130. */
export class InterruptedError extends ClickstreamError {
  override readonly exitCode = 130;
}

/** A check the tool makes on itself failed: a bug, never bad input. Exit 70 (EX_SOFTWARE). */
export class InternalError extends ClickstreamError {
  override readonly exitCode = 70;
}
