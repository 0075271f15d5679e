/**
 * Runs async tasks with at most `concurrency` at once. {@link add} waits for a free slot, so a
 * producer (a sitemap walker, a search pager) never gets far ahead of the work. The first task
 * failure is kept: later {@link add} calls and {@link drain} reject with it. Tasks handle their
 * own expected errors; what reaches the pool (an abort, a warehouse failure) stops the work.
 */
export class TaskPool {
  private running = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly concurrency: number) {}

  /** Tasks started and not yet settled. */
  get active(): number {
    return this.running;
  }

  /** Starts `task` once a slot is free; resolves when it has started. */
  async add(task: () => Promise<void>): Promise<void> {
    while (this.running >= this.concurrency && !this.failure) await new Promise<void>((r) => this.slotWaiters.push(r));
    if (this.failure) throw this.failure.error;
    this.running++;
    void task().then(
      () => this.settle(),
      (error: unknown) => {
        this.failure ??= { error };
        this.settle();
      },
    );
  }

  /** Waits until every started task has settled; rejects with the first failure. */
  async drain(): Promise<void> {
    while (this.running > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    if (this.failure) throw this.failure.error;
  }

  private settle(): void {
    this.running--;
    this.slotWaiters.shift()?.();
    if (this.failure) for (const w of this.slotWaiters.splice(0)) w();
    if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
