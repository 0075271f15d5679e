/**
 * Runs async tasks one after another. A warehouse holds one connection, and a transaction on it must
 * not interleave with another caller's statements, so every public method goes through one queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled; its result or error is passed on. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // The next task waits for this one whether it fails or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
