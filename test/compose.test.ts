/**
 * docker-compose.yml: it parses, has the structure Redis mode needs (checked here because no Docker
 * engine runs in this workplace; `docker compose config -q` is used as well when it works), and
 * the worker service's exact command, pointed at the local Redis, is a working worker.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from '../src/redis/redis-url.js';
import { progressing } from './helpers/progress.js';
import { CliProcess, convertExport, donePartitions, keysOf, REDIS_URL, reportDifferences, ROOT, runCli, writeExport } from './helpers/redis-harness.js';

const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

type Service = Record<string, unknown> & { command?: unknown; volumes?: unknown };
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Parses YAML with the `yaml` package when installed, else with Python's PyYAML (safe_load). */
async function loadYaml(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  const moduleName = 'yaml';
  try {
    const yaml = (await import(moduleName)) as { parse: (s: string) => unknown };
    return yaml.parse(text);
  } catch {
    // not installed: fall back to PyYAML
  }
  const py = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: text, encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`cannot parse YAML: neither the yaml package nor python3 with PyYAML works (${py.stderr || py.error})`);
  return JSON.parse(py.stdout);
}

/** Service keys of the Compose Specification (compose-spec.json, definitions.service). */
const SERVICE_KEYS = new Set(
  (
    'annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs container_name cpu_count ' +
    'cpu_percent cpu_shares cpu_quota cpu_period cpu_rt_period cpu_rt_runtime cpus cpuset credential_spec depends_on deploy ' +
    'develop device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file environment expose extends ' +
    'external_links extra_hosts gpus group_add healthcheck hostname image init ipc isolation labels label_file links logging ' +
    'mac_address mem_limit mem_reservation mem_swappiness memswap_limit models network_mode networks oom_kill_disable ' +
    'oom_score_adj pid pids_limit platform ports post_start pre_stop privileged profiles provider pull_policy read_only ' +
    'restart runtime scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs ' +
    'tty ulimits use_api_socket user userns_mode uts volumes volumes_from working_dir'
  ).split(' '),
);
const TOP_KEYS = new Set(['version', 'name', 'include', 'services', 'models', 'networks', 'volumes', 'secrets', 'configs']);
const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;

/** Checks what compose-spec.json says about the keys used here; returns the problems found. */
function validateCompose(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key) && !key.startsWith('x-')) problems.push(`unknown top-level key ${key}`);
  if (typeof doc.services !== 'object' || doc.services === null) return [...problems, 'no services'];
  const namedVolumes = new Set(Object.keys(doc.volumes ?? {}));
  const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
  for (const [name, s] of Object.entries(doc.services)) {
    if (!/^[a-zA-Z0-9._-]+$/.test(name)) problems.push(`bad service name ${name}`);
    for (const key of Object.keys(s)) if (!SERVICE_KEYS.has(key) && !key.startsWith('x-')) problems.push(`${name}: unknown key ${key}`);
    if (!s.image && !s.build) problems.push(`${name}: neither image nor build`);
    for (const key of ['command', 'entrypoint']) {
      if (s[key] !== undefined && typeof s[key] !== 'string' && !isStrings(s[key])) problems.push(`${name}: ${key} must be a string or a list of strings`);
    }
    if (s.build !== undefined && typeof s.build !== 'string' && typeof s.build !== 'object') problems.push(`${name}: bad build`);
    if (s.profiles !== undefined && !isStrings(s.profiles)) problems.push(`${name}: profiles must be a list of strings`);
    if (s.restart !== undefined && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(String(s.restart))) problems.push(`${name}: bad restart`);
    if (s.init !== undefined && typeof s.init !== 'boolean') problems.push(`${name}: init must be a boolean`);
    if (s.stop_grace_period !== undefined && !DURATION.test(String(s.stop_grace_period))) problems.push(`${name}: bad stop_grace_period`);
    if (s.depends_on !== undefined) {
      const deps = s.depends_on as Record<string, { condition?: string }> | string[];
      const names = Array.isArray(deps) ? deps : Object.keys(deps);
      for (const d of names) if (!(d in doc.services)) problems.push(`${name}: depends on unknown service ${d}`);
      if (!Array.isArray(deps)) {
        for (const [d, c] of Object.entries(deps)) {
          if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(String(c?.condition))) problems.push(`${name}: bad condition for ${d}`);
          if (c?.condition === 'service_healthy' && !doc.services[d]?.healthcheck) problems.push(`${name}: ${d} has no healthcheck`);
        }
      }
    }
    if (s.healthcheck !== undefined) {
      const h = s.healthcheck as Record<string, unknown>;
      if (!isStrings(h.test) || !['CMD', 'CMD-SHELL', 'NONE'].includes((h.test as string[])[0]!)) problems.push(`${name}: bad healthcheck test`);
      for (const k of ['interval', 'timeout', 'start_period']) if (h[k] !== undefined && !DURATION.test(String(h[k]))) problems.push(`${name}: bad healthcheck ${k}`);
    }
    if (s.volumes !== undefined) {
      if (!Array.isArray(s.volumes)) problems.push(`${name}: volumes must be a list`);
      else
        for (const v of s.volumes) {
          if (typeof v !== 'string') continue;
          const [source, target] = v.split(':');
          if (!target?.startsWith('/')) problems.push(`${name}: volume ${v} has no absolute target`);
          if (source && !source.startsWith('.') && !source.startsWith('/') && !namedVolumes.has(source)) problems.push(`${name}: undeclared volume ${source}`);
        }
    }
  }
  return problems;
}

function commandWords(command: unknown): string[] {
  if (Array.isArray(command)) return command.map(String);
  if (typeof command !== 'string') throw new Error(`no command: ${JSON.stringify(command)}`);
  if (/["'\\$]/.test(command)) throw new Error(`command needs a shell to split: ${command}`);
  return command.trim().split(/\s+/);
}

let doc: ComposeFile;
let dir: string;

beforeAll(async () => {
  doc = (await loadYaml(COMPOSE_FILE)) as ComposeFile;
  dir = await mkdtemp(join(tmpdir(), 'cs-compose-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docker-compose.yml', () => {
  it('is valid Compose', async () => {
    expect(validateCompose(doc)).toEqual([]);
    // With a Compose plugin (not in this workplace), let it check the file too.
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status === 0) {
      const { stderr } = await promisify(execFile)('docker', ['compose', '-f', COMPOSE_FILE, '--profile', 'tools', 'config', '-q']);
      expect(stderr).toBe('');
    }
  });

  it('the structural check finds mistakes', () => {
    const broken = {
      servise: {},
      services: {
        redis: { image: 'redis:7', command: 5 },
        worker: { imag: 'x', depends_on: { redis: { condition: 'service_healthy' }, db: { condition: 'started' } }, volumes: ['dta:/data'] },
      },
    } as unknown as ComposeFile;
    expect(validateCompose(broken)).toEqual([
      'unknown top-level key servise',
      'redis: command must be a string or a list of strings',
      'worker: unknown key imag',
      'worker: neither image nor build',
      'worker: depends on unknown service db',
      'worker: redis has no healthcheck',
      'worker: bad condition for db',
      'worker: undeclared volume dta',
    ]);
  });

  it('has redis (noeviction), a scalable worker and a one-shot clickstream tool sharing one data path', () => {
    const { redis, worker, clickstream } = doc.services;
    expect(redis && worker && clickstream).toBeTruthy();
    expect(String(redis!.image)).toMatch(/^redis:7/);
    expect(commandWords(redis!.command).join(' ')).toMatch(/--maxmemory-policy noeviction/);

    expect(worker!.build).toBeDefined();
    expect(commandWords(worker!.command)).toEqual(['node', 'bin/clickstream.js', 'worker', '--redis', 'redis://redis:6379', '--data-root', '/data']);
    // Scalable: nothing that can exist only once.
    expect(worker!.container_name).toBeUndefined();
    expect(worker!.ports).toBeUndefined();
    expect(worker!.hostname).toBeUndefined();

    expect(clickstream!.profiles).toEqual(['tools']);
    expect(commandWords(clickstream!.entrypoint)).toEqual(['node', '/app/bin/clickstream.js']);

    // The same volume at the same path in every service that reads or writes data.
    const mounts = (s: Service): string[] => (s.volumes as string[]).map(String);
    expect(mounts(worker!)).toContain('data:/data');
    expect(mounts(clickstream!)).toEqual(mounts(worker!));
    expect(Object.keys(doc.volumes ?? {})).toContain('data');
  });

  it("runs the worker service's exact command (its Redis swapped for the test server) as a working worker", progressing(async () => {
    const words = commandWords(doc.services.worker!.command);
    const args = words.slice(1).map((w) => {
      if (w === '/data') return dir; // the volume's mount point: here, the test's directory
      // The compose network's `redis` service: here, the test server (TEST_REDIS_URL or the default).
      return /^rediss?:\/\//.test(w) ? REDIS_URL : w;
    });
    expect(words[0]).toBe('node');
    expect(args).toEqual(['bin/clickstream.js', 'worker', '--redis', REDIS_URL, '--data-root', dir]);

    await writeExport(join(dir, 'x.jsonl'), { events: 2000, users: 30, seed: 7 });
    await convertExport(join(dir, 'x.jsonl'), join(dir, 'ds'), 4);
    const local = await runCli(['analyze', join(dir, 'ds'), '--out', join(dir, 'local'), '--quiet']);
    expect(local.code, local.stderr).toBe(0);

    // The command as the container runs it: `node bin/clickstream.js …` from the app directory.
    const worker = new CliProcess(args.slice(1));
    const runId = `compose-test-${process.pid}-${Date.now()}`;
    try {
      await worker.waitFor(new RegExp(`taking jobs from ${escapeRegExp(redactRedisUrl(REDIS_URL))} queue clickstream:analyze`));
      const r = await runCli(['analyze', join(dir, 'ds'), '--out', join(dir, 'report'), '--redis', REDIS_URL, '--run-id', runId]);
      expect(r.code, r.stderr).toBe(0);
      expect(await reportDifferences(join(dir, 'local'), join(dir, 'report'))).toEqual([]);
      worker.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
      // Another worker on this Redis's default prefix could take some jobs; this one must take one at least.
      expect(donePartitions(worker.stdout, runId).length).toBeGreaterThanOrEqual(1);
    } finally {
      worker.kill('SIGKILL');
      await cleanDefaultQueue();
    }
  }), 0);
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The test used the default prefix: remove the queue's keys, unless someone else has jobs there. */
async function cleanDefaultQueue(): Promise<void> {
  const queue = new Queue('analyze', { connection: parseRedisUrl(REDIS_URL), prefix: 'clickstream' });
  const redis = new Redis(REDIS_URL);
  try {
    const counts = await queue.getJobCounts();
    if (Object.values(counts).every((n) => n === 0)) {
      for (const key of await keysOf(redis, 'clickstream:analyze')) await redis.del(key);
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
