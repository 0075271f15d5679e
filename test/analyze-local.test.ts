/**
 * Local-mode analyze through the BUILT API and CLI: the report appears only when complete, bad
 * datasets are refused with the right error, and the same dataset always gives the same report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore -- compiled output, typed only at run time
import { analyze, convert, DatasetError, JobFailedError } from '../dist/src/index.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-analyze-'));
const cli = join(__dirname, '..', 'bin', 'clickstream.js');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CHROME = 'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/27.0.1453.116 Safari/537.36';
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 6_1_3 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10B329 Safari/8536.25';

// 6 learners; "\ufeffann" and "ann" are different learners, and so are the two agents.
const LINES = [
  { username: '\ufeffann', user_agent: `\ufeff${CHROME}`, language: 'en-US' },
  { username: 'ann', user_agent: CHROME, language: 'en-US,en;q=0.8' },
  { username: 'ann', user_agent: CHROME, language: 'en' },
  { username: 'bob', user_agent: IPAD, language: 'fr-FR' },
  { username: 'bob', user_agent: IPAD, language: 'fr' },
  { username: 'bob', user_agent: CHROME, language: 'fr' },
  { username: 'cy', user_agent: 42, language: null },
  { username: 'dee', language: 'zh_TW' },
  { username: 'eve', user_agent: CHROME, language: 'es,en;q=0.5' },
];

let dataset: string;
beforeAll(async () => {
  const input = join(root, 'small.jsonl');
  writeFileSync(input, LINES.map((l) => JSON.stringify(l)).join('\n') + '\n');
  dataset = join(root, 'ds');
  await convert({ input, out: dataset, partitions: 3 });
}, 60_000);

describe('analyze (local)', () => {
  it('counts learners that differ only by a leading U+FEFF apart, and their agents too', async () => {
    const { summary } = await analyze({ dataset, out: join(root, 'r1'), top: 2, workers: 2 });
    expect(summary.users).toBe(6);
    expect(summary.events).toBe(9);
    expect(summary.browsers).toEqual([
      { name: 'Chrome', events: 5, users: 4 },
      { name: 'unknown', events: 2, users: 2 },
      { name: 'Mobile Safari', events: 2, users: 1 },
    ]);
    expect(summary.languages).toEqual([
      { name: 'en', events: 3, users: 2 },
      { name: 'fr', events: 3, users: 1 },
      { name: 'es', events: 1, users: 1 },
      { name: 'unknown', events: 1, users: 1 },
      { name: 'zh', events: 1, users: 1 },
    ]);
    expect(summary.topUsers).toEqual([
      { username: 'bob', clicks: 3 },
      { username: 'ann', clicks: 2 },
    ]);
    const agents = readFileSync(join(root, 'r1', 'user-agents.csv'), 'utf8').split('\r\n');
    expect(agents).toContain(`"\ufeff${CHROME}",Chrome,Windows,desktop,1,1`); // quoted: the agent holds a comma
    expect(agents).toContain(`"${CHROME}",Chrome,Windows,desktop,4,3`);
    expect(agents).toContain(',unknown,unknown,unknown,2,2');
  }, 60_000);

  it('gives the same files whatever the number of workers', async () => {
    await analyze({ dataset, out: join(root, 'r-one'), workers: 1 });
    await analyze({ dataset, out: join(root, 'r-two'), workers: 2 });
    for (const file of readdirSync(join(root, 'r-one'))) {
      if (file === 'index.html') continue; // carries the time it was made
      expect(readFileSync(join(root, 'r-two', file)), file).toEqual(readFileSync(join(root, 'r-one', file)));
    }
  }, 60_000);

  it('refuses a directory without a manifest (an unfinished convert) with exit 3', () => {
    const r = spawnSync('node', [cli, 'analyze', root, '--out', join(root, 'never')], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no _manifest.json');
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  it('fails with the partition named, and writes no report, when a partition file is damaged', async () => {
    const damaged = join(root, 'ds-damaged');
    await convert({ input: join(root, 'small.jsonl'), out: damaged, partitions: 3 });
    writeFileSync(join(damaged, 'part-00001.parquet'), 'not parquet');
    const err = await analyze({ dataset: damaged, out: join(root, 'r-damaged') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as Error).message).toMatch(/partition 1 .*part-00001\.parquet/);
    expect(existsSync(join(root, 'r-damaged'))).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('r-damaged'))).toEqual([]);
  }, 60_000);

  it('refuses a dataset whose partition file is missing', async () => {
    const missing = join(root, 'ds-missing');
    await convert({ input: join(root, 'small.jsonl'), out: missing, partitions: 3 });
    unlinkSync(join(missing, 'part-00002.parquet'));
    await expect(analyze({ dataset: missing, out: join(root, 'r-missing') })).rejects.toBeInstanceOf(DatasetError);
  }, 60_000);
});
