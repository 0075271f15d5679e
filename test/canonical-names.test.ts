/**
 * Browser and OS names differ only in case in ua-parser-js's output (`Linux`/`linux`,
 * `PlayStation`/`PLAYSTATION`): the report gives each one canonical spelling (issue 8), and
 * user-agents.csv keeps every raw user agent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalName, CANONICAL_NAMES, classifyUserAgent } from '../src/classify/user-agent.js';

const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:22.0) Gecko/20100101 Firefox/22.0',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:22.0) Gecko/20100101 Firefox/22.0',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/28.0.1500.95 Safari/537.36',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)',
  'Mozilla/5.0 (X11; FreeBSD amd64; rv:40.0) Gecko/20100101 Firefox/40.0',
  'Mozilla/5.0 (PlayStation 4 1.52) AppleWebKit/536.26 (KHTML, like Gecko)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 6_1_4 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10B350 Safari/8536.25',
  'Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+ (KHTML, like Gecko) Version/7.1.0.346 Mobile Safari/534.11+',
  'Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0)',
  'Wget/1.14 (linux-gnu)',
];

describe('canonicalName', () => {
  it('spells a listed name as listed, in whatever case it came', () => {
    expect(canonicalName('PLAYSTATION')).toBe('PlayStation');
    expect(canonicalName('playstation')).toBe('PlayStation');
    expect(canonicalName('freebsd')).toBe('FreeBSD');
    expect(canonicalName('ie')).toBe('IE');
    expect(canonicalName('IOS')).toBe('iOS');
    for (const name of CANONICAL_NAMES) expect(canonicalName(name.toUpperCase())).toBe(name);
  });

  it('title-cases a name written in one case, keeps a mixed-case one', () => {
    expect(canonicalName('linux')).toBe('Linux');
    expect(canonicalName('LINUX')).toBe('Linux');
    expect(canonicalName('windows phone')).toBe('Windows Phone');
    expect(canonicalName('SAILFISH OS')).toBe('Sailfish OS');
    expect(canonicalName('Linux')).toBe('Linux');
    expect(canonicalName('GhostBSD')).toBe('GhostBSD');
    expect(canonicalName('360')).toBe('360');
  });

  it.each(AGENTS)('%s: as written, lower-cased and upper-cased, one browser and one OS spelling', (agent) => {
    const spellings = [agent, agent.toLowerCase(), agent.toUpperCase()].map((a) => classifyUserAgent(a));
    const asWritten = spellings[0]!;
    for (const c of spellings) {
      // Case may change what the library recognises at all, never how a recognised name is spelled.
      if (c.os !== 'unknown' && asWritten.os !== 'unknown' && c.os.toLowerCase() === asWritten.os.toLowerCase()) expect(c.os).toBe(asWritten.os);
      if (c.browser !== 'unknown' && c.browser.toLowerCase() === asWritten.browser.toLowerCase()) expect(c.browser).toBe(asWritten.browser);
    }
  });
});

describe('analyze reports one row per name; user-agents.csv keeps the raw agents', () => {
  const root = mkdtempSync(join(tmpdir(), 'clickstream-names-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('Linux/linux and PlayStation/PLAYSTATION are counted together', () => {
    const agents = [
      'Mozilla/5.0 (X11; Linux x86_64; rv:22.0) Gecko/20100101 Firefox/22.0',
      'Wget/1.14 (linux-gnu)',
      'Mozilla/5.0 (PlayStation 4 1.52) AppleWebKit/536.26 (KHTML, like Gecko)',
      'Mozilla/5.0 (PLAYSTATION 3; 4.46)',
    ];
    const lines = agents.map((user_agent, i) => JSON.stringify({ username: `u${i}`, user_agent }));
    writeFileSync(join(root, 'x.jsonl'), `${lines.join('\n')}\n`);
    const cli = join(__dirname, '..', 'bin', 'clickstream.js');
    for (const args of [
      ['convert', join(root, 'x.jsonl'), '--out', join(root, 'ds'), '--partitions', '2', '--quiet'],
      ['analyze', join(root, 'ds'), '--out', join(root, 'r'), '--workers', '1', '--quiet'],
    ]) {
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readFileSync(join(root, 'r', 'os.csv'), 'utf8')).toBe('name,events,users\r\nLinux,2,2\r\nPlayStation,2,2\r\n');
    const ua = readFileSync(join(root, 'r', 'user-agents.csv'), 'utf8');
    expect(ua).toContain('Wget/1.14 (linux-gnu),unknown,Linux,bot,1,1\r\n');
    expect(ua).toContain('Mozilla/5.0 (PLAYSTATION 3; 4.46),unknown,PlayStation,console,1,1\r\n');
    const summary = JSON.parse(readFileSync(join(root, 'r', 'summary.json'), 'utf8'));
    expect(summary.os.map((o: { name: string }) => o.name)).toEqual(['Linux', 'PlayStation']);
  }, 60_000);
});
