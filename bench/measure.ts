import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** One timed run of a whole process. */
export interface Measurement {
  wallMs: number;
  /** Peak resident set size of the process (all its threads), in bytes. */
  peakRssBytes: number;
  exitCode: number;
}

/**
 * Runs a command as its own process and measures wall time and peak RSS (Linux: the kernel's
 * VmHWM high-water mark, sampled until the process exits).
 */
export async function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const sample = async (): Promise<void> => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // the process has exited
    }
  };
  const timer = setInterval(() => void sample(), 50);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  clearInterval(timer);
  const wallMs = performance.now() - started;
  if (exitCode !== 0) throw new Error(`${command} ${args.join(' ')} exited ${exitCode}: ${stderr.slice(-2000)}`);
  return { wallMs, peakRssBytes: peak, exitCode };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
