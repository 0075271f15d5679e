/**
 * The two wrappers every warehouse backend puts around its statements: one at a time on its queue
 * with failures turned into WarehouseErrors, and BEGIN … COMMIT with a rollback on any failure.
 * Only the dialect's statements and the way a driver error is described differ between backends.
 */
import { WarehouseError } from '../../errors.js';
import type { SerialQueue } from './serial-queue.js';

/**
 * Queues `task` on `queue`. A closed warehouse refuses it; a failure that is not already a
 * WarehouseError becomes one through `fail`, given the prefix "cannot <what> in <name>".
 * @param name the warehouse as messages name it, e.g. "the DuckDB warehouse catalog.duckdb".
 */
export function warehouseStep<T>(
  queue: SerialQueue,
  isClosed: () => boolean,
  name: string,
  what: string,
  task: () => Promise<T>,
  fail: (err: unknown, doing: string) => WarehouseError,
): Promise<T> {
  return queue.run(async () => {
    if (isClosed()) throw new WarehouseError(`cannot ${what}: ${name} is closed`);
    try {
      return await task();
    } catch (err) {
      if (err instanceof WarehouseError) throw err;
      throw fail(err, `cannot ${what} in ${name}`);
    }
  });
}

/**
 * Runs `fn` between `begin` and COMMIT through `exec`; on any failure rolls back and rethrows the
 * original error (a failing ROLLBACK must not hide it).
 */
export async function inTransaction<T>(exec: (sql: string) => Promise<unknown>, begin: string, fn: () => Promise<T>): Promise<T> {
  await exec(begin);
  try {
    const result = await fn();
    await exec('COMMIT');
    return result;
  } catch (err) {
    await exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
