import { PolitenessScheduler, type HostLimits } from './politeness-scheduler.js';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface HostQueue {
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * Admits requests to each host in arrival order, as fast as its {@link PolitenessScheduler} rules
 * allow. Hosts are independent: a slow or throttled host never holds up another.
 */
export class HostGate {
  readonly scheduler: PolitenessScheduler;
  private readonly queues = new Map<string, HostQueue>();

  constructor(limits: HostLimits, private readonly clock: () => number = () => performance.now()) {
    this.scheduler = new PolitenessScheduler(limits);
  }

  /** Resolves when a request to `host` may start (its start is recorded); rejects when aborted. */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const q = this.queue(host);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = q.waiters.indexOf(waiter);
          if (i >= 0) q.waiters.splice(i, 1);
          reject(signal!.reason);
          this.pump(host);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      q.waiters.push(waiter);
      this.pump(host);
    });
  }

  /** The request admitted by {@link acquire} ended. */
  release(host: string): void {
    this.scheduler.finish(host);
    this.pump(host);
  }

  /** Requests waiting for their turn at a host. */
  waiting(host: string): number {
    return this.queues.get(host)?.waiters.length ?? 0;
  }

  /** Holds the host until `ms` from now (Retry-After), and wakes its queue then. */
  holdFor(host: string, ms: number): void {
    this.scheduler.holdUntil(host, this.clock() + ms);
  }

  private pump(host: string): void {
    const q = this.queue(host);
    while (q.waiters.length > 0) {
      const wait = this.scheduler.tryStart(host, this.clock());
      if (wait === Infinity) return; // a release() pumps again
      if (wait > 0) {
        if (q.timer) clearTimeout(q.timer);
        // setTimeout fires at once for more than 2^31 − 1 ms: wait at most that, then ask again.
        q.timer = setTimeout(() => {
          q.timer = undefined;
          this.pump(host);
        }, Math.min(Math.ceil(wait), 2 ** 31 - 1));
        return;
      }
      const w = q.waiters.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
  }

  private queue(host: string): HostQueue {
    let q = this.queues.get(host);
    if (!q) {
      q = { waiters: [], timer: undefined };
      this.queues.set(host, q);
    }
    return q;
  }
}
