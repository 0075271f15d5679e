/**
 * The `clickstream worker` process: a BullMQ worker that runs partition jobs until SIGINT/SIGTERM.
 * The first signal finishes the job(s) in progress and exits 0; a second one exits at once and the
 * job in progress returns to the queue when its lock expires. The CLI parses options and calls this.
 */
import { RedisPartitionWorker, type RedisWorkerOptions } from '../src/redis/run-worker.js';

/** Options of {@link runWorkerProcess}: the worker's, plus how much to print. */
export interface WorkerProcessOptions extends Omit<RedisWorkerOptions, 'log' | 'warn'> {
  /** Print only problems, not one line per job. Default false. */
  quiet?: boolean;
}

/** Runs a worker in this process until it is told to stop; resolves with the exit code. */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<number> {
  const { quiet = false, ...workerOptions } = options;
  const warn = (line: string): void => void process.stderr.write(`clickstream: ${line}\n`);
  const worker = new RedisPartitionWorker({
    ...workerOptions,
    warn,
    ...(quiet ? {} : { log: (line: string) => void process.stdout.write(`${line}\n`) }),
  });
  let signals = 0;
  const closed = new Promise<boolean>((resolve, reject) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        warn(`worker ${worker.name}: ${sig} received; finishing the job(s) in progress, then exiting (again to force)`);
        worker.close().then(resolve, reject);
      } else {
        warn(`worker ${worker.name}: ${sig} received again; exiting now (the job in progress returns to the queue when its lock expires)`);
        // Die by the signal itself: process.exit() would wait for DuckDB's native threads.
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  if (!quiet) {
    worker.ready().then(
      () => {
        if (signals === 0) process.stdout.write(`${worker.describe()}\n`);
      },
      () => undefined,
    );
  }
  const clean = await closed;
  if (!clean) {
    warn(`worker ${worker.name}: Redis did not answer while closing; exiting without a clean disconnect (no job was running)`);
    process.exit(0); // the connections' reconnection timers would keep the process alive
  }
  if (!quiet) process.stdout.write(`worker ${worker.name}: closed\n`);
  return 0;
}
