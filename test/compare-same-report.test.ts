/**
 * `compare` refuses one report given twice, whatever path reaches it (a link, the same folder
 * written another way): exit 2 naming both paths, nothing written. Two copies of a report are two
 * reports, and compared.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, describeRun } from './helpers/e2e.js';
import { sampleReport } from './helpers/report-samples.js';

const root = mkdtempSync(join(tmpdir(), 'clickstream-compare-same-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const report = join(root, 'runs', 'run-a');
mkdirSync(report, { recursive: true });
writeFileSync(join(report, 'summary.json'), JSON.stringify(sampleReport().summary));
mkdirSync(join(root, 'links'));
const link = join(root, 'links', 'run-a'); // the same folder name too: not two runs of one name
symlinkSync(report, link);
const otherName = join(root, 'latest');
symlinkSync(report, otherName);

describe('compare one report twice', () => {
  const cases: [string, string, string][] = [
    ['through a link of the same name', report, link],
    ['through a link of another name', report, otherName],
    ['written another way', report, join(root, 'runs', '..', 'runs', 'run-a')],
  ];
  for (const [what, first, second] of cases) {
    it(`refuses it ${what} (exit 2), naming both paths`, async () => {
      const out = join(root, 'out');
      const r = await cli(['compare', first, second, '--out', out]);
      expect(r.code, describeRun(what, r)).toBe(2);
      expect(r.stderr).toContain(`${first} and ${second} are the same report`);
      expect(r.stderr).not.toContain('    at ');
      expect(existsSync(out)).toBe(false);
    });
  }

  it('compares a copy of a report as another report', async () => {
    const copy = join(root, 'copies', 'run-b');
    cpSync(report, copy, { recursive: true });
    const r = await cli(['compare', report, copy, '--out', join(root, 'out-copy'), '--quiet']);
    expect(r.code, describeRun('compare a copy', r)).toBe(0);
  });
});
