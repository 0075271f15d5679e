/**
 * Writes a realistic, psy-001-like Coursera clickstream export, streaming, deterministic for a seed.
 *
 *   clickstream generate --out FILE [--bytes 500MB | --events N] [--gzip] [--seed S]
 *                        [--dirty-rate 0.002] [--max-line-bytes N] [--start YYYY-MM-DD] [--stats FILE] [--quiet]
 *
 * (src/cli/generate-command.ts parses that command line; src/generate/generate-export.ts writes atomically.)
 *
 * - about 600 bytes a line; about 22 k learners per 3.5 M events, scaled to the size asked for;
 * - clicks per learner heavy-tailed (log-normal, median about 40, mean about 160, max in the tens of
 *   thousands at full size); a learner's events are spread over the whole file, not in time order;
 * - each learner lives through a ten-week course starting `--start` (default 2013-06-03): most
 *   arrive in weeks 0–1 (a few in the preview week before), fewer are active week after week,
 *   sessions are bursts of events seconds to minutes apart, at least 31 minutes (usually hours or
 *   days) from the next, starting at local hours of the learner's time zone, quieter at weekends;
 * - `page_url`s under `https://class.coursera.org/psy-001/` in the sections lecture, quiz, forum,
 *   wiki, class, assignment, human_grading and the root; `from` referrers of the course site,
 *   www.coursera.org, Google, Facebook, a few others, empty, and invalid ones;
 * - `user.video.lecture.action` events whose `value` is a JSON string of the player's state
 *   (`currentTime` advancing with `playbackRate` 0.75–2 while playing, `prevTime`, `paused`, `type`
 *   play / pause / seeked / ratechange / ended / …, `lectureID` sometimes), lectures (80, eight
 *   released a week) watched in course order, named by `lecture/view?lecture_id=N` or only by
 *   `lectureID`;
 * - a few thousand distinct user agents (2013-era and modern desktop browsers, phones, tablets,
 *   consoles, TVs, a wearable, bots, junk) built from templates and versions, and the download
 *   scripts (python-requests, Wget, curl) that 3 % of learners ran: bot events;
 * - raw Accept-Language headers with variants and junk (q-values, `zh_TW`, `*`, `English`, "",
 *   a number, null, missing);
 * - a few rarer keys, the "12" viewport list and "13" / "14" / "30";
 * - with probability `--dirty-rate` per event, an extra dirty line before it (truncated JSON, other
 *   invalid JSON, non-objects, missing usernames, blank lines, very long lines) and, independently,
 *   a quirk in the event itself (CRLF, invalid UTF-8 bytes, wrong-typed or missing fields, unknown
 *   keys, duplicate keys, timestamps as strings, untimed events, odd video values, relative or
 *   missing page URLs, missing keys).
 *
 * Sizes: `--bytes` takes B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB; the size is reached to
 * within about 1 %. `--events N` writes exactly N ordinary events (plus any long dirty lines that fit
 * within `--max-line-bytes`, which are events too).
 *
 * The generator knows what every line it writes is, so it reports the counts SPEC §2 gives for it:
 * lines, events, blank and rejected lines by reason (`too_long` per `--max-line-bytes`, default
 * 16 MiB, the converter's default), learners, and among events the untimed ones, the video events
 * and those sent with its bot user agents. A one-line summary goes to stderr; `--stats FILE` also
 * writes those counts as JSON.
 */
import { FileSink } from './file-sink.js';

// ---------------------------------------------------------------------------------------------
// Seeded PRNG: sfc32, seeded by cyrb128 of the seed text.

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(seed);
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  hex(length: number): string {
    let s = '';
    while (s.length < length) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, length);
  }

  digits(length: number): string {
    let s = String(this.range(1, 9));
    while (s.length < length) s += String(this.int(10));
    return s;
  }
}

/** Picks from weighted choices. */
class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      this.total += weight;
      this.items.push(item);
      this.cumulative.push(this.total);
    }
  }

  pick(rng: Rng): T {
    const x = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

// ---------------------------------------------------------------------------------------------
// User agents, built from templates and versions.

type UaCategory =
  | 'chrome-win'
  | 'chrome-mac'
  | 'chrome-linux'
  | 'firefox'
  | 'ie'
  | 'edge'
  | 'safari-mac'
  | 'opera'
  | 'iphone'
  | 'ipad'
  | 'android-phone'
  | 'android-tablet'
  | 'console'
  | 'tv'
  | 'wearable'
  | 'bot'
  | 'odd';

function chromeVersions(): string[] {
  const out: string[] = [];
  const builds: Array<[number, number, number[]]> = [
    [24, 1312, [52, 56, 57]],
    [25, 1364, [97, 152, 172]],
    [26, 1410, [43, 64]],
    [27, 1453, [94, 110, 116]],
    [28, 1500, [71, 72, 95]],
    [29, 1547, [57, 62, 66, 76]],
    [30, 1599, [66, 69, 101]],
    [31, 1650, [48, 57, 63]],
    [32, 1700, [76, 102, 107]],
    [33, 1750, [117, 146, 154]],
  ];
  for (const [major, build, patches] of builds) for (const p of patches) out.push(`${major}.0.${build}.${p}`);
  for (const major of [109, 114, 116, 118, 119, 120, 121]) out.push(`${major}.0.0.0`);
  return out;
}

function buildUserAgents(): Map<UaCategory, string[]> {
  const m = new Map<UaCategory, string[]>();
  const add = (c: UaCategory, ua: string) => {
    let list = m.get(c);
    if (!list) m.set(c, (list = []));
    list.push(ua);
  };
  const chrome = chromeVersions();
  const winNt = ['5.1', '6.0', '6.1', '6.2', '6.3', '10.0'];
  const winArch = ['', '; WOW64', '; Win64; x64'];
  for (const nt of winNt)
    for (const arch of winArch)
      for (const v of chrome)
        add('chrome-win', `Mozilla/5.0 (Windows NT ${nt}${arch}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`);
  const macUnderscore = ['10_6_8', '10_7_4', '10_7_5', '10_8_2', '10_8_3', '10_8_4', '10_8_5', '10_9_0', '10_9_1', '10_15_7'];
  for (const mac of macUnderscore)
    for (const v of chrome)
      add('chrome-mac', `Mozilla/5.0 (Macintosh; Intel Mac OS X ${mac}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`);
  for (const plat of ['X11; Linux x86_64', 'X11; Linux i686', 'X11; CrOS x86_64 5116.115.4'])
    for (const v of chrome) add('chrome-linux', `Mozilla/5.0 (${plat}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`);

  const ffPlatforms = [
    'Windows NT 5.1',
    'Windows NT 6.1',
    'Windows NT 6.1; WOW64',
    'Windows NT 6.2; WOW64',
    'Windows NT 6.3; WOW64',
    'Windows NT 10.0; Win64; x64',
    'Macintosh; Intel Mac OS X 10.6',
    'Macintosh; Intel Mac OS X 10.7',
    'Macintosh; Intel Mac OS X 10.8',
    'Macintosh; Intel Mac OS X 10.9',
    'X11; Ubuntu; Linux x86_64',
    'X11; Ubuntu; Linux i686',
    'X11; Linux x86_64',
    'X11; Fedora; Linux x86_64',
  ];
  const ffVersions = ['17.0', '18.0', '19.0', '20.0', '21.0', '22.0', '23.0', '24.0', '25.0', '26.0', '27.0', '115.0', '120.0', '121.0'];
  for (const p of ffPlatforms)
    for (const v of ffVersions) add('firefox', `Mozilla/5.0 (${p}; rv:${v}) Gecko/20100101 Firefox/${v}`);

  const ieTokens = [
    '',
    '; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0',
    '; .NET CLR 1.1.4322',
    '; InfoPath.3',
    '; .NET4.0C; .NET4.0E',
    '; MANM; MANM',
    '; BOIE9;ENUS',
    '; Tablet PC 2.0',
  ];
  const ieVersions: Array<[string, string]> = [
    ['7.0', '4.0'],
    ['8.0', '4.0'],
    ['9.0', '5.0'],
    ['10.0', '6.0'],
  ];
  for (const [v, trident] of ieVersions)
    for (const nt of ['5.1', '6.0', '6.1', '6.1; WOW64', '6.2', '6.2; WOW64'])
      for (const tok of ieTokens) {
        const moz = v === '7.0' || v === '8.0' ? '4.0' : '5.0';
        add('ie', `Mozilla/${moz} (compatible; MSIE ${v}; Windows NT ${nt}; Trident/${trident}${tok})`);
      }
  for (const nt of ['6.1', '6.1; WOW64', '6.3', '6.3; WOW64', '10.0; Win64; x64'])
    for (const tok of ['', '; Touch', '; ASU2JS', '; MALNJS']) add('ie', `Mozilla/5.0 (Windows NT ${nt}; Trident/7.0${tok}; rv:11.0) like Gecko`);
  for (const v of ['119.0.2151.97', '120.0.2210.61', '121.0.2277.83'])
    for (const nt of ['10.0; Win64; x64', '6.1; Win64; x64'])
      add('edge', `Mozilla/5.0 (Windows NT ${nt}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v.split('.')[0]}.0.0.0 Safari/537.36 Edg/${v}`);

  const safari: Array<[string, string]> = [
    ['5.1.7', '534.57.2'],
    ['6.0.2', '536.26.17'],
    ['6.0.5', '536.30.1'],
    ['6.1', '537.73.11'],
    ['7.0', '537.71'],
    ['7.0.1', '537.73.11'],
    ['17.1', '605.1.15'],
  ];
  for (const mac of macUnderscore)
    for (const [v, wk] of safari)
      add('safari-mac', `Mozilla/5.0 (Macintosh; Intel Mac OS X ${mac}) AppleWebKit/${wk} (KHTML, like Gecko) Version/${v} Safari/${wk}`);
  for (const p of ['Windows NT 6.1', 'Windows NT 6.1; WOW64', 'Windows NT 5.1', 'Macintosh; Intel Mac OS X 10.8.4'])
    for (const [presto, v] of [
      ['2.12.388', '12.16'],
      ['2.12.388', '12.15'],
      ['2.10.289', '12.00'],
    ] as const)
      add('opera', `Opera/9.80 (${p}) Presto/${presto} Version/${v}`);

  const ios: Array<[string, string, string, string]> = [
    ['5_1_1', '534.46', '5.1', '9B206'],
    ['6_0', '536.26', '6.0', '10A403'],
    ['6_0_1', '536.26', '6.0', '10A523'],
    ['6_1', '536.26', '6.0', '10B143'],
    ['6_1_2', '536.26', '6.0', '10B146'],
    ['6_1_3', '536.26', '6.0', '10B329'],
    ['6_1_4', '536.26', '6.0', '10B350'],
    ['7_0', '537.51.1', '7.0', '11A465'],
    ['7_0_2', '537.51.1', '7.0', '11A501'],
    ['7_0_3', '537.51.1', '7.0', '11B511'],
    ['7_0_4', '537.51.1', '7.0', '11B554a'],
    ['17_1', '605.1.15', '17.1', '15E148'],
  ];
  for (const [v, wk, sv, build] of ios) {
    const sb = wk === '605.1.15' ? '604.1' : wk === '534.46' ? '7534.48.3' : wk === '536.26' ? '8536.25' : '9537.53';
    add('iphone', `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/${wk} (KHTML, like Gecko) Version/${sv} Mobile/${build} Safari/${sb}`);
    add('ipad', `Mozilla/5.0 (iPad; CPU OS ${v} like Mac OS X) AppleWebKit/${wk} (KHTML, like Gecko) Version/${sv} Mobile/${build} Safari/${sb}`);
    for (const cv of ['28.0.1500.16', '30.0.1599.16', '31.0.1650.18'])
      add('iphone', `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/${wk} (KHTML, like Gecko) CriOS/${cv} Mobile/${build} Safari/${sb}`);
  }

  const androidVersions: Array<[string, string]> = [
    ['2.3.6', 'GRK39F'],
    ['4.0.4', 'IMM76D'],
    ['4.1.1', 'JRO03C'],
    ['4.1.2', 'JZO54K'],
    ['4.2.2', 'JDQ39'],
    ['4.3', 'JSS15J'],
    ['4.4.2', 'KOT49H'],
  ];
  const phones = ['GT-I9300', 'GT-I9100', 'GT-N7100', 'GT-I8190', 'Nexus 4', 'Nexus S', 'HTC One', 'LG-P760', 'SAMSUNG-SGH-I337', 'XT1032', 'C6603', 'HUAWEI G510-0100'];
  const locales = ['en-us', 'en-gb', 'es-es', 'zh-cn', 'pt-br'];
  for (const [v, build] of androidVersions)
    for (const model of phones) {
      for (const loc of locales)
        add('android-phone', `Mozilla/5.0 (Linux; U; Android ${v}; ${loc}; ${model} Build/${build}) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30`);
      for (const cv of ['28.0.1500.94', '30.0.1599.82', '31.0.1650.59', '32.0.1700.99'])
        add('android-phone', `Mozilla/5.0 (Linux; Android ${v}; ${model} Build/${build}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${cv} Mobile Safari/537.36`);
    }
  const tablets = ['Nexus 7', 'Nexus 10', 'GT-P5110', 'SM-T310', 'GT-N8013', 'Transformer TF101'];
  for (const [v, build] of androidVersions.slice(1))
    for (const model of tablets) {
      for (const cv of ['28.0.1500.94', '31.0.1650.59', '32.0.1700.99'])
        add('android-tablet', `Mozilla/5.0 (Linux; Android ${v}; ${model} Build/${build}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${cv} Safari/537.36`);
      add('android-tablet', `Mozilla/5.0 (Linux; U; Android ${v}; en-us; ${model} Build/${build}) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30`);
    }
  for (const v of ['4.46', '4.50', '4.53']) add('console', `Mozilla/5.0 (PLAYSTATION 3 ${v}) AppleWebKit/531.22.8 (KHTML, like Gecko)`);
  for (const v of ['1.52', '1.76', '2.04']) add('console', `Mozilla/5.0 (PlayStation 4 ${v}) AppleWebKit/536.26 (KHTML, like Gecko)`);
  add('console', 'Mozilla/5.0 (Nintendo WiiU) AppleWebKit/536.30 (KHTML, like Gecko) NX/3.0.4.2.12 NintendoBrowser/4.3.1.11264.US');
  add('console', 'Mozilla/5.0 (Nintendo 3DS; U; ; en) Version/1.7498.US');
  add('console', 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Xbox; Xbox One)');
  for (const v of ['2.3', '2.4', '3.0'])
    add('tv', `Mozilla/5.0 (SMART-TV; Linux; Tizen ${v}) AppleWebKit/538.1 (KHTML, like Gecko) SamsungBrowser/1.0 TV Safari/538.1`);
  add('tv', 'Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Mobile Safari/537.36');
  add('tv', 'Mozilla/5.0 (Linux; GoogleTV 3.2; NSZ-GS7/GX70 Build/MASTER) AppleWebKit/534.24 (KHTML, like Gecko) Chrome/11.0.696.77 Safari/534.24');
  add('wearable', 'Mozilla/5.0 (Linux; Android 4.4.4; SM-R750 Build/KTU84P) AppleWebKit/537.36 (KHTML, like Gecko) Version/1.0 Chrome/38.0 Mobile Safari/537.36');
  for (const ua of [
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'curl/7.30.0',
    'Wget/1.14 (linux-gnu)',
    'python-requests/1.2.3 CPython/2.7.5 Linux/3.2.0',
    'Java/1.7.0_25',
  ])
    add('bot', ua);
  for (const ua of [
    'Mozilla/5.0 (Linux; Android 4.4)',
    'Mozilla/5.0 (Unknown; Foo) Bar/1.0',
    'Coursera/1.0 (iPhone; iOS 7.0.4; Scale/2.00)',
    'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; "Campus, Lab")',
    'Mozilla/5.0 (X11; U; SunOS sun4u; en-US; rv:1.9.2.3) Gecko/20100101 Firefox/3.6.3',
    'Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+ (KHTML, like Gecko) Version/7.1.0.346 Mobile Safari/534.11+',
    'Mozilla/5.0 (Windows Phone 8.1; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 635) like Gecko',
    'Mozilla/5.0 (Mobile; rv:26.0) Gecko/26.0 Firefox/26.0',
  ])
    add('odd', ua);
  return m;
}

const UA_MIX: ReadonlyArray<readonly [UaCategory, number]> = [
  ['chrome-win', 30],
  ['chrome-mac', 8],
  ['chrome-linux', 2],
  ['firefox', 17],
  ['ie', 11],
  ['edge', 1],
  ['safari-mac', 9],
  ['opera', 1],
  ['iphone', 7],
  ['ipad', 5],
  ['android-phone', 6],
  ['android-tablet', 2],
  ['console', 0.3],
  ['tv', 0.3],
  ['wearable', 0.05],
  ['bot', 0.3],
  ['odd', 0.4],
];

/** Raw Accept-Language headers, as browsers (and junk) sent them. Non-strings are learners' junk. */
const LANGUAGES: ReadonlyArray<readonly [unknown, number]> = [
  ['en-US,en;q=0.8', 30],
  ['en-us', 8],
  ['en-US', 8],
  ['en', 4],
  ['en-US,en;q=0.5', 4],
  ['en-GB,en-US;q=0.8,en;q=0.6', 5],
  ['en-gb', 1.5],
  ['es-ES,es;q=0.8,en;q=0.6', 4],
  ['es-419,es;q=0.8', 2],
  ['es,en-US;q=0.7', 1],
  ['pt-BR,pt;q=0.8,en-US;q=0.6,en;q=0.4', 3],
  ['zh-CN,zh;q=0.8', 3],
  ['zh-cn', 1],
  ['zh_TW', 0.6],
  ['zh-TW,zh;q=0.8,en-US;q=0.6,en;q=0.4', 1],
  ['fr-FR,fr;q=0.8,en-US;q=0.6,en;q=0.4', 2],
  ['fr-fr', 0.6],
  ['de-de', 1.5],
  ['de-DE,de;q=0.8,en-US;q=0.6,en;q=0.4', 1.5],
  ['ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4', 2],
  ['ja,en-US;q=0.8,en;q=0.6', 1],
  ['ko-KR', 0.7],
  ['it-IT,it;q=0.8,en-US;q=0.6,en;q=0.4', 1],
  ['tr-TR,tr;q=0.8,en-US;q=0.6,en;q=0.4', 0.5],
  ['ar,en-US;q=0.8,en;q=0.6', 0.5],
  ['hi-IN,hi;q=0.9,en;q=0.8', 0.5],
  ['fil-PH,en;q=0.9', 0.2],
  ['haw', 0.05],
  ['en;q=0.3, fr;q=0.9', 0.3],
  ['fr;q=0, en;q=0.5', 0.1],
  ['de;q=abc,en;q=0.5', 0.1],
  ['it;q=0.5, ru;q=0.5', 0.1],
  ['*;q=0.9, pl;q=0.5', 0.1],
  ['EN-au', 0.3],
  ['English', 0.3],
  ['English US', 0.2],
  ['*', 0.3],
  ['x-klingon', 0.1],
  ['', 1],
  [5, 0.05],
  [null, 0.1],
  [undefined, 0.2],
];

const VIEWPORTS: ReadonlyArray<readonly [number, number]> = [
  [1366, 768],
  [1280, 800],
  [1440, 900],
  [1920, 1080],
  [1280, 1024],
  [1024, 768],
  [1600, 900],
  [2560, 1440],
  [320, 480],
  [768, 1024],
  [360, 640],
];

const RARE_KEYS = ['user.forum.post.create', 'user.quiz.submit', 'user.assignment.submit', 'user.search.query'];

const COURSE = 'psy-001';

// ---------------------------------------------------------------------------------------------
// The course: ten weeks, eight lectures released each week, learners in a few time zones.

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The course's first day when `--start` is not given: psy-001 ran June–August 2013. */
export const DEFAULT_START = '2013-06-03';
const COURSE_WEEKS = 10;
const LECTURES_PER_WEEK = 8;
const LECTURES = COURSE_WEEKS * LECTURES_PER_WEEK;

/** `lecture_id` of the k-th lecture in course order: not contiguous, as on the real site. */
export const lectureId = (k: number): number => 7 + 2 * k + 3 * Math.floor(k / LECTURES_PER_WEEK);
/** Length of the k-th lecture in seconds (4 to 19 minutes). */
const lectureSeconds = (k: number): number => 240 + ((k * 7919) % 900);

/**
 * Learners' own clocks, fixed UTC offsets in minutes: US west and east, Brazil, UK, central Europe,
 * Moscow, India, China, Australia. Fixed offsets (no DST) on purpose: the report's `--tz` is what
 * must get DST right, and it does not need the learners' clocks to have it too.
 */
const TIME_ZONES = new Weighted<number>([
  [-420, 12],
  [-300, 25],
  [-180, 6],
  [0, 10],
  [60, 15],
  [180, 5],
  [330, 12],
  [480, 10],
  [600, 5],
]);

/** Local hour at which a session starts: few at night, more in the morning and afternoon, most in the evening. */
const LOCAL_HOURS = new Weighted<number>(
  [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3.5, 4, 4, 3.5, 3.5, 3.5, 3.5, 3.5, 3.8, 4, 4.5, 5, 5, 4, 2.5].map((w, h) => [h, w] as const),
);

/** Pages a pageview can be on; the section (second path segment) follows from the page. */
const PAGES = [
  'lecture_view',
  'lecture_index',
  'forum_thread',
  'forum_list',
  'forum_index',
  'quiz_start',
  'quiz_index',
  'wiki',
  'class',
  'assignment',
  'human_grading',
  'root',
  'download',
] as const;
type Page = (typeof PAGES)[number];
const PAGE_CODE = new Map<Page, number>(PAGES.map((p, i) => [p, i]));

/** Where a browsing learner goes next. */
const BROWSE = new Weighted<number>(
  (
    [
      ['lecture_view', 38],
      ['lecture_index', 14],
      ['forum_thread', 12],
      ['forum_list', 6],
      ['forum_index', 3],
      ['quiz_start', 7],
      ['quiz_index', 3],
      ['wiki', 5],
      ['class', 5],
      ['assignment', 3],
      ['human_grading', 1],
      ['root', 3],
    ] as const
  ).map(([p, w]) => [PAGE_CODE.get(p) as number, w] as const),
);

/** The HTML5 player's event types, as the `type` of a video event's value. */
const VIDEO_ACTIONS = ['play', 'pause', 'seeked', 'ratechange', 'ended', 'volumechange', 'wait', 'error'] as const;
const PLAY = 0;
const PAUSE = 1;
const SEEKED = 2;
const RATECHANGE = 3;
const ENDED = 4;
const WHILE_PLAYING = new Weighted<number>([
  [PAUSE, 40],
  [SEEKED, 22],
  [RATECHANGE, 10],
  [PLAY, 8],
  [5, 6],
  [6, 6],
  [7, 1],
]);
const WHILE_PAUSED = new Weighted<number>([
  [PLAY, 60],
  [SEEKED, 25],
  [RATECHANGE, 10],
  [5, 5],
]);
const RATES = [0.75, 1, 1.25, 1.5, 1.75, 2] as const;
const PREFERRED_RATE = new Weighted<number>([
  [1, 65],
  [2, 10],
  [3, 15],
  [5, 6],
  [0, 4],
]);

/** User agents of the download scripts a few learners ran (the bots of a real export). */
const DOWNLOADERS = ['python-requests/1.2.3 CPython/2.7.5 Linux/3.2.0', 'Wget/1.14 (linux-gnu)', 'curl/7.30.0', 'Python-urllib/2.7'];

/** The `from` header: mostly the course site itself or nothing, some search and social sites, a little junk. */
const REFERRERS = new Weighted<string>([
  [`https://class.coursera.org/${COURSE}/lecture/index`, 30],
  [`https://class.coursera.org/${COURSE}/forum/index`, 12],
  [`https://class.coursera.org/${COURSE}/`, 8],
  [`https://class.coursera.org/${COURSE}/quiz/index`, 4],
  ['https://www.coursera.org/course/socialpsychology', 7],
  ['https://www.coursera.org/', 3],
  ['https://www.google.com/', 3],
  ['https://www.google.co.in/', 1],
  ['http://www.google.com.br/url?sa=t&rct=j&q=&esrc=s', 1],
  ['https://WWW.Google.COM/search?q=coursera', 0.3],
  ['https://www.facebook.com/', 1.5],
  ['http://m.facebook.com/l.php?u=https%3A%2F%2Fclass.coursera.org', 1],
  ['https://l.facebook.com/', 0.5],
  ['https://mail.google.com/mail/u/0/', 0.8],
  ['http://t.co/AbCdEf', 0.5],
  ['http://localhost:8080/notes.html', 0.1],
  ['', 20],
  ['(not set)', 0.3],
  ['about:blank', 0.3],
  ['http://', 0.1],
  ['file:///C:/Users/me/notes.html', 0.1],
]);

/** What a planned event is. */
const KIND_PAGEVIEW = 0;
const KIND_VIDEO = 1;
const KIND_RARE = 2;
/** A download script's request for a lecture's video file: a pageview under the learner's bot user agent. */
const KIND_DOWNLOAD = 3;

/**
 * Every planned event, learner after learner, each learner's in time order (slot order). Lines are
 * written in a shuffled slot order, as real exports are not in time order.
 */
class Timeline {
  readonly time: Float64Array;
  readonly learner: Uint32Array;
  readonly kind: Uint8Array;
  /** Pageviews: index in PAGES; video events: index in VIDEO_ACTIONS. */
  readonly detail: Uint8Array;
  /** Lecture (course order index) of a lecture page, download or video event. */
  readonly lecture: Uint8Array;
  /** Video events: the player's position, seconds. */
  readonly position: Float64Array;
  /** Video events: index in RATES. */
  readonly rate: Uint8Array;

  constructor(n: number) {
    this.time = new Float64Array(n);
    this.learner = new Uint32Array(n);
    this.kind = new Uint8Array(n);
    this.detail = new Uint8Array(n);
    this.lecture = new Uint8Array(n);
    this.position = new Float64Array(n);
    this.rate = new Uint8Array(n);
  }
}

/**
 * Gaps exactly on the bounds that analyses use, and one millisecond past them: the session-duration
 * buckets (60, 300, 900 s …) and the usual session gaps (10 and 30 minutes, where only a gap of
 * MORE than the gap starts a new session). Real clocks hit them rarely; a test must see them.
 */
const BOUNDARY_GAPS = [60_000, 60_001, 300_000, 900_000, 10 * MINUTE, 10 * MINUTE + 1, 30 * MINUTE, 30 * MINUTE + 1];

/** Day (relative to the course's first day, fractional) on which a learner first shows up. */
function arrivalDay(rng: Rng): number {
  const r = rng.float();
  if (r < 0.05) return -7 + 7 * rng.float(); // the preview week before launch
  if (r < 0.55) return 3 * rng.float() ** 2; // launch
  if (r < 0.8) return 3 + 11 * rng.float(); // the rest of the first two weeks
  return 14 + Math.min(49, -Math.log(1 - rng.float()) * 14); // stragglers, up to week 9
}

/** `total` split into `parts` positive, uneven sizes. */
function splitSizes(rng: Rng, total: number, parts: number): number[] {
  const sizes = new Array<number>(parts).fill(1);
  const left = total - parts;
  const weights = sizes.map(() => Math.exp(0.9 * rng.normal()));
  const sum = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  for (let k = 0; k < parts; k++) {
    const x = Math.floor((left * (weights[k] as number)) / sum);
    sizes[k] = (sizes[k] as number) + x;
    given += x;
  }
  for (; given < left; given++) {
    const k = rng.int(parts);
    sizes[k] = (sizes[k] as number) + 1;
  }
  return sizes;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Plans learner `i`'s `clicks` events into slots `at` … `at + clicks - 1`: an arrival (most in the
 * first two weeks), sessions spread over a lifetime that is longer the more they do and denser at its
 * start (so fewer learners are active week after week), each session starting at a local hour of
 * their time zone (quieter weekends), a burst of events seconds to minutes apart, sessions at least
 * 31 minutes apart; lectures watched in course order as they are released.
 */
function planLearner(rng: Rng, tl: Timeline, at: number, i: number, clicks: number, l: Learner, start: number): void {
  const downloads = l.downloader ? Math.min(clicks, Math.max(1, Math.round(clicks * (0.1 + 0.2 * rng.float())))) : 0;
  const browse = clicks - downloads;
  const perSession = 8 * Math.pow(Math.max(browse, 1) / 40, 0.35) * Math.exp(0.4 * rng.normal());
  const sessions = browse === 0 ? 0 : Math.min(browse, Math.max(1, Math.round(browse / Math.max(1, perSession))));
  const downloadSessions = downloads === 0 ? 0 : downloads > 20 && rng.chance(0.5) ? 2 : 1;
  const total = sessions + downloadSessions;
  const arrival = arrivalDay(rng);
  // Days between the first and the last session: longer the more sessions (the keen stay to the end).
  const lifetime = total === 1 ? 0 : Math.min(COURSE_WEEKS * 7 + 14 - arrival, 7 * Math.sqrt(total) * (0.5 + 1.2 * rng.float()));
  const startWeekday = new Date(start).getUTCDay(); // 0 = Sunday
  const starts: number[] = [];
  for (let k = 0; k < total; k++) {
    let day = Math.floor(k === 0 ? arrival : arrival + lifetime * rng.float() ** 1.4);
    const weekday = (((startWeekday + day) % 7) + 7) % 7;
    if ((weekday === 6 || weekday === 0) && rng.chance(0.35)) day += weekday === 6 ? 2 : 1; // quieter weekends
    const local = day * DAY + LOCAL_HOURS.pick(rng) * HOUR + rng.int(HOUR);
    starts.push(start + local - l.tzMinutes * MINUTE);
  }
  starts.sort((a, b) => a - b);
  // Which sessions are a download script's (never the first: learners look before they download).
  const isDownload = new Array<boolean>(total).fill(false);
  for (let d = 0; d < downloadSessions; d++) {
    if (total === downloadSessions) isDownload.fill(true);
    else {
      let k = 1 + rng.int(total - 1);
      while (isDownload[k]) k = 1 + rng.int(total - 1);
      isDownload[k] = true;
    }
  }
  const browseSizes = sessions > 0 ? splitSizes(rng, browse, sessions) : [];
  const downloadSizes = downloadSessions > 0 ? splitSizes(rng, downloads, downloadSessions) : [];

  let progress = 0; // lectures seen in course order
  let rate = PREFERRED_RATE.pick(rng);
  const pickLecture = (t: number): number => {
    const day = Math.floor((t - start) / DAY);
    const released = Math.min(LECTURES, LECTURES_PER_WEEK * (Math.max(0, Math.floor(day / 7)) + 1));
    if (progress < released && (progress === 0 || rng.chance(0.8))) return progress++;
    return rng.int(Math.max(progress, 1)); // a lecture seen before, watched again
  };

  let s = at;
  let prevEnd = -Infinity;
  let b = 0;
  let d = 0;
  for (let k = 0; k < total; k++) {
    let t = Math.max(starts[k] as number, prevEnd + 31 * MINUTE + rng.int(4 * HOUR));
    if ((starts[k] as number) >= prevEnd + 31 * MINUTE) t = starts[k] as number;
    if (isDownload[k]) {
      const n = downloadSizes[d++] as number;
      let lec = rng.int(Math.max(1, progress));
      for (let e = 0; e < n; e++, s++) {
        if (e > 0) t += 2000 + rng.int(13_000);
        tl.time[s] = t;
        tl.learner[s] = i;
        tl.kind[s] = KIND_DOWNLOAD;
        tl.detail[s] = PAGE_CODE.get('download') as number;
        tl.lecture[s] = lec;
        lec = (lec + 1) % LECTURES;
      }
      prevEnd = t;
      continue;
    }
    const n = browseSizes[b++] as number;
    let lecture = -1;
    let playing = false;
    let pos = 0;
    for (let e = 0; e < n; e++, s++) {
      if (e > 0) {
        const r = rng.float();
        let gap: number;
        if (r < 0.01) gap = 0; // two events in the same millisecond
        else if (r < 0.02) gap = rng.pick(BOUNDARY_GAPS);
        else if (r < 0.05) gap = 5 * MINUTE + rng.int(20 * MINUTE); // reading, a quiz, a long pause
        else gap = Math.min(29 * MINUTE, Math.round(1000 * Math.exp(Math.log(playing ? 45 : 20) + 1.0 * rng.normal())));
        t += gap;
        if (playing && lecture >= 0) pos = Math.min(lectureSeconds(lecture), pos + (gap / 1000) * (RATES[rate] as number));
      }
      tl.time[s] = t;
      tl.learner[s] = i;
      const r = rng.float();
      if (e === 0 || r < 0.6) {
        const page = BROWSE.pick(rng);
        tl.kind[s] = KIND_PAGEVIEW;
        tl.detail[s] = page;
        if (PAGES[page] === 'lecture_view') {
          // Often the page of the lecture already playing (another tab, a reload); else the next one.
          if (lecture < 0 || rng.chance(0.6)) {
            lecture = pickLecture(t);
            playing = false;
            pos = rng.chance(0.3) ? round6(rng.float() * lectureSeconds(lecture) * 0.8) : 0;
          }
          tl.lecture[s] = lecture;
        }
      } else if (r < 0.985) {
        if (lecture < 0) {
          lecture = pickLecture(t);
          pos = 0;
        }
        const length = lectureSeconds(lecture);
        let action: number;
        if (playing && pos >= length) action = ENDED;
        else action = playing ? WHILE_PLAYING.pick(rng) : WHILE_PAUSED.pick(rng);
        if (action === PLAY) playing = true;
        else if (action === PAUSE || action === ENDED) playing = false;
        else if (action === SEEKED) pos = rng.chance(0.6) ? Math.max(0, pos - 5 - rng.int(55)) : Math.min(length, pos + 10 + rng.int(110));
        else if (action === RATECHANGE) {
          const next = rng.int(RATES.length - 1);
          rate = next >= rate ? next + 1 : next;
        }
        pos = round6(pos);
        tl.kind[s] = KIND_VIDEO;
        tl.detail[s] = action;
        tl.lecture[s] = lecture;
        tl.position[s] = pos;
        tl.rate[s] = rate;
      } else {
        tl.kind[s] = KIND_RARE;
      }
    }
    prevEnd = t;
  }
}

// ---------------------------------------------------------------------------------------------

type DirtyLineKind = 'truncated' | 'invalid_other' | 'not_object' | 'missing_username' | 'blank' | 'long';
const DIRTY_LINES = new Weighted<DirtyLineKind>([
  ['truncated', 30],
  ['invalid_other', 8],
  ['not_object', 14],
  ['missing_username', 18],
  ['blank', 22],
  ['long', 8],
]);

type EventQuirk =
  | 'crlf'
  | 'invalid_utf8'
  | 'ua_number'
  | 'ua_missing'
  | 'ua_empty'
  | 'lang_list'
  | 'lang_number'
  | 'lang_null'
  | 'unknown_key'
  | 'duplicate_username'
  | 'timestamp_string'
  | 'timestamp_garbage'
  | 'timestamp_missing'
  | 'key_list'
  | 'key_missing'
  | 'key_empty'
  | 'key_unicode'
  | 'value_object'
  | 'nested_13'
  | 'page_missing'
  | 'page_relative'
  | 'from_missing'
  | 'from_number'
  | 'video_value_odd';
const EVENT_QUIRKS = new Weighted<EventQuirk>([
  ['crlf', 12],
  ['invalid_utf8', 10],
  ['ua_number', 4],
  ['ua_missing', 6],
  ['ua_empty', 4],
  ['lang_list', 4],
  ['lang_number', 3],
  ['lang_null', 3],
  ['unknown_key', 8],
  ['duplicate_username', 4],
  ['timestamp_string', 5],
  ['timestamp_garbage', 5],
  ['timestamp_missing', 5],
  ['key_list', 2],
  ['key_missing', 1],
  ['key_empty', 1],
  ['key_unicode', 2],
  ['value_object', 2],
  ['nested_13', 2],
  ['page_missing', 2],
  ['page_relative', 2],
  ['from_missing', 3],
  ['from_number', 2],
  ['video_value_odd', 10],
]);

/** Timestamps that are not a number nor a string holding one: untimed events (SPEC §3, §6.1). */
const UNTIMED_TIMESTAMPS = ['"yesterday"', 'null', 'true', '"13712-34"', '""', '[1371234567890]'];

/** Video `value`s (JSON texts) that give an `unknown` action and no position or rate, or odd fields. */
function oddVideoValue(rng: Rng, v: Record<string, unknown>): string {
  switch (rng.int(12)) {
    case 0:
      return '""';
    case 1:
      return 'null';
    case 2:
      return JSON.stringify('not json {');
    case 3:
      return JSON.stringify('[1,2]');
    case 4:
      return JSON.stringify('null');
    case 5:
      return JSON.stringify(JSON.stringify({ ...v, type: '' }));
    case 6:
      return JSON.stringify(JSON.stringify({ ...v, type: 7 }));
    case 7:
      return JSON.stringify(JSON.stringify({ ...v, currentTime: -1.5 }));
    case 8:
      return JSON.stringify(JSON.stringify({ ...v, currentTime: String(v.currentTime) }));
    case 9:
      return JSON.stringify(JSON.stringify({ ...v, playbackRate: rng.pick([0, -1, '1.5', null]) }));
    case 10:
      return JSON.stringify(JSON.stringify({ ...v, currentTime: null, playbackRate: null }));
    default: {
      const { type: _type, ...rest } = v;
      return JSON.stringify(JSON.stringify(rest));
    }
  }
}

interface Agent {
  /** JSON text of the user agent. */
  ua: string;
  raw: string;
  /** JSON text of the language header sent with it, or undefined when the key is missing. */
  lang: string | undefined;
  viewport: string;
  /** A crawler or script by the generator's own templates (not necessarily what isbot says). */
  bot: boolean;
}

interface Learner {
  /** JSON text of the username. */
  user: string;
  /** The user agents (first is the main one) with the language header sent with each. */
  agents: Agent[];
  ip: string;
  sessionPrefix: string;
  sessionBase: number;
  /** UTC offset of the learner's clock, minutes. */
  tzMinutes: number;
  /** The download script a few learners ran (its requests are the learner's bot events), if any. */
  downloader: Agent | undefined;
}

export interface GenerateOptions {
  out: string;
  bytes?: number;
  events?: number;
  gzip: boolean;
  seed: string;
  dirtyRate: number;
  maxLineBytes: number;
  /** The course's first day, ms since the epoch (UTC midnight); default {@link DEFAULT_START}. */
  start?: number;
  /** Stops the writing with an InterruptedError when aborted. Default: never. */
  signal?: AbortSignal;
}

export interface GenerateStats {
  out: string;
  seed: string;
  gzip: boolean;
  /** Bytes of the export text (decompressed). */
  bytes: number;
  /** Bytes of the file written (equal to `bytes` when not gzip). */
  fileBytes: number;
  lines: number;
  events: number;
  blank: number;
  rejected: { invalid_json: number; not_object: number; missing_username: number; too_long: number };
  /** Learners with at least one event. */
  users: number;
  /** Distinct raw user agents among events (missing and non-string ones as one, ""). */
  userAgents: number;
  maxClicks: number;
  medianClicks: number;
  maxLineBytes: number;
  /** The course's first day, `YYYY-MM-DD`. */
  start: string;
  /** Events without a usable timestamp (SPEC §3: not a number nor a string holding one). */
  untimed: number;
  /** Events whose `key` is `user.video.lecture.action`. */
  videoEvents: number;
  /** Events sent with one of the generator's bot or download-script user agents. */
  botEvents: number;
  /** Learners who ran a download script. */
  downloaders: number;
  seconds: number;
}

class World {
  readonly learners: Learner[] = [];
  /** clicks[i]: ordinary events planned for learner i. */
  readonly clicks: number[] = [];
  /** Every ordinary event planned, learner by learner (learner i's are contiguous, in time order). */
  readonly timeline: Timeline;

  constructor(
    readonly rng: Rng,
    events: number,
    start: number,
  ) {
    const uas = buildUserAgents();
    const mix = new Weighted(UA_MIX);
    const langs = new Weighted(LANGUAGES);
    const count = Math.max(1, Math.round((events * 22_000) / 3_500_000));
    // Log-normal clicks: median about 39, mean about 160 (sigma 1.68), scaled to the events asked for.
    const raw: number[] = [];
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const c = Math.exp(Math.log(39) + 1.68 * rng.normal());
      raw.push(c);
      sum += c;
    }
    let total = 0;
    for (let i = 0; i < count; i++) {
      const c = Math.max(1, Math.round(((raw[i] as number) * events) / sum));
      this.clicks.push(c);
      total += c;
    }
    // Settle the rounding on the heaviest learners, never taking anyone below one click.
    const byWeight = this.clicks.map((_, i) => i).sort((a, b) => (this.clicks[b] as number) - (this.clicks[a] as number));
    let k = 0;
    while (total !== events) {
      const i = byWeight[k % byWeight.length] as number;
      if (total < events) {
        this.clicks[i] = (this.clicks[i] as number) + 1;
        total++;
      } else if ((this.clicks[i] as number) > 1) {
        this.clicks[i] = (this.clicks[i] as number) - 1;
        total--;
      } else if (count > events) {
        // More learners than events (tiny --events): drop learners from the end.
        throw new Error('internal: cannot settle clicks');
      }
      k++;
    }

    const usernames = new Set<string>();
    for (let i = 0; i < count; i++) {
      let name = rng.hex(40);
      // A few learners' hashes differ from another's only in case: distinct learners.
      if (i > 0 && rng.chance(0.004)) {
        const other = this.learners[rng.int(i)] as Learner;
        const upper = (JSON.parse(other.user) as string).toUpperCase();
        if (!usernames.has(upper)) name = upper;
      }
      while (usernames.has(name)) name = rng.hex(40);
      usernames.add(name);
      const agents: Agent[] = [];
      const n = rng.chance(0.2) ? (rng.chance(0.25) ? 3 : 2) : 1;
      const mainLang = langs.pick(rng);
      const agent = (category: UaCategory, lang: unknown): Agent => {
        const list = uas.get(category) as string[];
        const rawUa = rng.pick(list);
        const [w, h] = rng.pick(VIEWPORTS);
        const viewport = JSON.stringify([JSON.stringify({ height: h - rng.int(180), width: w - rng.int(40) })]);
        return { ua: JSON.stringify(rawUa), raw: rawUa, lang: lang === undefined ? undefined : JSON.stringify(lang), viewport, bot: category === 'bot' };
      };
      for (let j = 0; j < n; j++) agents.push(agent(mix.pick(rng), j === 0 || rng.chance(0.7) ? mainLang : langs.pick(rng)));
      let downloader: Agent | undefined;
      if (rng.chance(0.03)) {
        const rawUa = rng.pick(DOWNLOADERS);
        downloader = { ua: JSON.stringify(rawUa), raw: rawUa, lang: undefined, viewport: '[]', bot: true };
      }
      this.learners.push({
        user: JSON.stringify(name),
        agents,
        ip: JSON.stringify(`${rng.range(1, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`),
        sessionPrefix: rng.digits(5),
        sessionBase: rng.range(1_000_000_000, 8_999_999_999),
        tzMinutes: TIME_ZONES.pick(rng),
        downloader,
      });
    }

    this.timeline = new Timeline(events);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const c = this.clicks[i] as number;
      planLearner(rng, this.timeline, at, i, c, this.learners[i] as Learner, start);
      at += c;
    }
  }
}

/** Accumulates output and writes it in large chunks, waiting for the sink to drain. */
class Output {
  private parts: Array<string | Buffer> = [];
  private pending = 0;
  bytes = 0;

  constructor(private readonly sink: FileSink) {}

  async add(part: string | Buffer): Promise<void> {
    const n = typeof part === 'string' ? Buffer.byteLength(part) : part.length;
    this.parts.push(part);
    this.pending += n;
    this.bytes += n;
    if (this.pending >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    this.parts = [];
    this.pending = 0;
    await this.sink.write(chunk);
  }
}

/** What an event line is, as the analysis will see it, for the generator's report. */
interface EventFacts {
  text: string;
  /** The raw user agent as the analysis sees it: missing and non-string ones as "". */
  ua: string;
  timed: boolean;
  video: boolean;
  bot: boolean;
}

class LineMaker {
  constructor(
    private readonly rng: Rng,
    private readonly world: World,
  ) {}

  /** The ordinary event planned in `slot` (JSON text, ASCII), with an optional quirk. */
  event(slot: number, quirk?: EventQuirk, padValue = 0): EventFacts {
    const rng = this.rng;
    const tl = this.world.timeline;
    const l = this.world.learners[tl.learner[slot] as number] as Learner;
    const kind = tl.kind[slot] as number;
    const agent =
      kind === KIND_DOWNLOAD && l.downloader
        ? l.downloader
        : l.agents.length === 1 || rng.chance(0.75)
          ? (l.agents[0] as Agent)
          : rng.pick(l.agents);
    const ts = tl.time[slot] as number;
    const lecture = tl.lecture[slot] as number;
    const id = lectureId(lecture);
    let key: string;
    let value: string;
    let page: string;
    let bareRoot = false;
    if (kind === KIND_PAGEVIEW || kind === KIND_DOWNLOAD) {
      key = '"pageview"';
      value = rng.chance(0.9) ? '""' : 'null';
      switch (PAGES[tl.detail[slot] as number] as Page) {
        case 'lecture_view':
          page = rng.chance(0.9) ? `lecture/view?lecture_id=${id}` : `lecture/view?lecture_id=${id}&preview=1`;
          break;
        case 'lecture_index':
          page = 'lecture/index';
          break;
        case 'forum_thread':
          page = `forum/thread?thread_id=${rng.range(1, 9000)}`;
          break;
        case 'forum_list':
          page = `forum/list?forum_id=${rng.range(1, 40)}`;
          break;
        case 'forum_index':
          page = 'forum/index';
          break;
        case 'quiz_start':
          page = `quiz/start?quiz_id=${rng.range(1, 60)}`;
          break;
        case 'quiz_index':
          page = 'quiz/index';
          break;
        case 'wiki':
          page = rng.pick(['wiki/view?page=syllabus', 'wiki/view?page=FAQ', 'wiki/view?page=Week%203%20readings']);
          break;
        case 'class':
          page = 'class/index';
          break;
        case 'assignment':
          page = rng.chance(0.5) ? 'assignment/index' : `assignment/view?assignment_id=${rng.range(1, 12)}`;
          break;
        case 'human_grading':
          page = `human_grading/view/courses/${rng.range(970000, 979999)}/assessments/${rng.range(1, 6)}/submissions`;
          break;
        case 'root':
          page = '';
          bareRoot = rng.chance(0.3); // the course's URL without its trailing slash
          break;
        case 'download':
          page = `lecture/download.mp4?lecture_id=${id}`;
          break;
      }
    } else if (kind === KIND_VIDEO) {
      key = '"user.video.lecture.action"';
      const type = VIDEO_ACTIONS[tl.detail[slot] as number] as string;
      const t = tl.position[slot] as number;
      const playbackRate = RATES[tl.rate[slot] as number] as number;
      const v: Record<string, unknown> = {
        currentTime: t,
        prevTime: type === 'seeked' ? round6(Math.max(0, t + rng.range(-60, 120))) : round6(Math.max(0, t - (rng.int(30_000) / 1000) * playbackRate)),
        playbackRate,
        paused: type === 'pause' || type === 'ended',
        error: type === 'error' ? { code: 2 } : null,
        networkState: rng.pick([1, 1, 2]),
        readyState: rng.pick([4, 4, 4, 3, 1]),
        eventTimestamp: ts,
        initTimestamp: ts - rng.int(3_600_000),
        type,
      };
      // Where the lecture is named: usually page_url's lecture_id, sometimes only the value's lectureID.
      const p = rng.float();
      if (p < 0.8) {
        page = `lecture/view?lecture_id=${id}`;
        if (rng.chance(0.5)) v.lectureID = id;
      } else if (p < 0.85) {
        page = `lecture/view?preview=1&lecture_id=${id}`;
      } else if (p < 0.95) {
        page = 'lecture/index';
        v.lectureID = id;
      } else if (p < 0.97) {
        page = 'lecture/view?lecture_id=';
        v.lectureID = id;
      } else if (p < 0.98) {
        page = 'lecture/index';
        v.lectureID = rng.chance(0.7) ? String(id) : `0${id}`; // digits as written, leading zero kept
      } else if (p < 0.99) {
        page = 'lecture/index'; // no lecture anywhere: unknown
      } else {
        page = 'lecture/index';
        v.lectureID = rng.pick([-1, 3.5, 'abc', null, '', '1e3']); // not a lecture: unknown
      }
      value = quirk === 'video_value_odd' ? oddVideoValue(rng, v) : JSON.stringify(JSON.stringify(v));
    } else {
      key = JSON.stringify(rng.pick(RARE_KEYS));
      value = '""';
      page = `quiz/attempt?quiz_id=${rng.range(1, 60)}`;
    }
    if (padValue > 0) value = JSON.stringify('x'.repeat(padValue));
    const path = bareRoot ? COURSE : `${COURSE}/${page}`;
    const url = quirk === 'page_relative' ? `/${path}` : `https://class.coursera.org/${path}`;
    const from = JSON.stringify(REFERRERS.pick(rng));
    const session = `"${l.sessionPrefix}-${l.sessionBase + (Math.floor(ts / 10_800_000) % 997)}"`;

    let user = `"username":${l.user}`;
    let tsText: string | undefined = String(ts);
    let lang = agent.lang;
    let ua: string | undefined = agent.ua;
    let keyText: string | undefined = key;
    let valueText = value;
    let pageText: string | undefined = JSON.stringify(url);
    let fromText: string | undefined = from;
    let extra = '';
    let c13 = '[]';
    switch (quirk) {
      case 'ua_number':
        ua = String(rng.range(1, 99999));
        break;
      case 'ua_missing':
        ua = undefined;
        break;
      case 'ua_empty':
        ua = '""';
        break;
      case 'lang_list':
        lang = `[${agent.lang ?? '"en-US"'}]`;
        break;
      case 'lang_number':
        lang = String(rng.range(0, 9));
        break;
      case 'lang_null':
        lang = 'null';
        break;
      case 'unknown_key':
        extra = rng.chance(0.5) ? `,"course_id":${rng.range(1, 999)}` : `,"x_debug":{"build":"${rng.hex(8)}","flags":[${rng.int(9)},${rng.int(9)}]}`;
        break;
      case 'duplicate_username':
        user = `"username":"${rng.hex(40)}",${user}`; // JSON.parse keeps the last
        break;
      case 'timestamp_string':
        tsText = `"${ts}"`; // a string holding a number: still timed (SPEC §3)
        break;
      case 'timestamp_garbage':
        tsText = rng.pick(UNTIMED_TIMESTAMPS);
        break;
      case 'timestamp_missing':
        tsText = undefined;
        break;
      case 'key_list':
        keyText = `[${key}]`;
        break;
      case 'key_missing':
        keyText = undefined;
        break;
      case 'key_empty':
        keyText = '""';
        break;
      case 'key_unicode':
        // Beyond the BMP and just below it: UTF-16 order (§6 lists) puts the first before the second.
        keyText = rng.chance(0.5) ? '"user.reaction.\\ud83d\\ude00"' : '"user.reaction.\\uff21"';
        break;
      case 'value_object':
        valueText = '{"nested":true}';
        break;
      case 'nested_13':
        c13 = '{"nested":{"x":[1,{"y":null}]}}';
        break;
      case 'page_missing':
        pageText = rng.chance(0.5) ? undefined : String(rng.range(1, 999));
        break;
      case 'from_missing':
        fromText = undefined;
        break;
      case 'from_number':
        fromText = rng.pick(['0', 'null', '["https://www.google.com/"]']);
        break;
      default:
        break;
    }
    const text =
      `{${keyText === undefined ? '' : `"key":${keyText},`}"value":${valueText},${user}${tsText === undefined ? '' : `,"timestamp":${tsText}`}` +
      `${pageText === undefined ? '' : `,"page_url":${pageText}`},"client":"spark",` +
      `"session":${session}${lang === undefined ? '' : `,"language":${lang}`}${fromText === undefined ? '' : `,"from":${fromText}`},"user_ip":${l.ip}` +
      `${ua === undefined ? '' : `,"user_agent":${ua}`},"12":${agent.viewport},"13":${c13},"14":[],"30":[]${extra}}`;
    return {
      text,
      ua: ua === agent.ua ? agent.raw : '',
      timed: tsText !== undefined && quirk !== 'timestamp_garbage',
      video: keyText === key && kind === KIND_VIDEO,
      bot: ua === agent.ua && agent.bot,
    };
  }
}

/** Average bytes per ordinary event line, measured on a sample, to turn --bytes into events. */
function calibrate(seed: string, start: number): number {
  const rng = new Rng(`${seed}/calibrate`);
  const world = new World(rng, 200_000, start);
  const maker = new LineMaker(rng, world);
  let bytes = 0;
  const n = 5000;
  for (let i = 0; i < n; i++) bytes += Buffer.byteLength(maker.event(rng.int(200_000)).text) + 1;
  return bytes / n;
}

export async function generate(opts: GenerateOptions): Promise<GenerateStats> {
  const started = process.hrtime.bigint();
  const start = opts.start ?? parseStart(DEFAULT_START);
  let events = opts.events;
  if (events === undefined) {
    const perEvent = calibrate(opts.seed, start);
    // Dirty lines add about dirtyRate * 1 line each; long lines are rare but large.
    events = Math.max(1, Math.round((opts.bytes ?? 0) / (perEvent * (1 + opts.dirtyRate * 3))));
  }
  const rng = new Rng(opts.seed);
  const world = new World(rng, events, start);
  const maker = new LineMaker(rng, world);
  const learnerOf = world.timeline.learner;

  // The order of lines: the planned events' slots, shuffled (Fisher–Yates), so that each learner's
  // events are spread over the whole file and not in time order.
  const order = new Uint32Array(events);
  for (let i = 0; i < events; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }

  const sink = new FileSink(opts.out, opts.gzip, opts.signal);
  const out = new Output(sink);

  const stats = {
    lines: 0,
    events: 0,
    blank: 0,
    rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 },
    untimed: 0,
    videoEvents: 0,
    botEvents: 0,
  };
  const counted = (facts: EventFacts): void => {
    stats.events++;
    if (!facts.timed) stats.untimed++;
    if (facts.video) stats.videoEvents++;
    if (facts.bot) stats.botEvents++;
    userAgents.add(facts.ua);
  };
  const realized = new Uint32Array(world.learners.length);
  const userAgents = new Set<string>();

  const eventLine = async (slot: number, quirk?: EventQuirk) => {
    const i = learnerOf[slot] as number;
    const facts = maker.event(slot, quirk);
    const text = facts.text;
    stats.lines++;
    counted(facts);
    realized[i] = (realized[i] as number) + 1;
    if (quirk === 'invalid_utf8') {
      // A raw byte that is not UTF-8, inside the page_url string: still an event.
      const at = text.indexOf('","client"');
      await out.add(text.slice(0, at));
      await out.add(Buffer.from([rng.pick([0xe9, 0xff, 0xc3, 0x80, 0xfe])]));
      await out.add(text.slice(at) + '\n');
    } else {
      await out.add(text + (quirk === 'crlf' ? '\r\n' : '\n'));
    }
  };

  const dirtyLine = async () => {
    const kind = DIRTY_LINES.pick(rng);
    const slot = rng.int(events);
    const li = learnerOf[slot] as number;
    const l = world.learners[li] as Learner;
    stats.lines++;
    switch (kind) {
      case 'truncated': {
        const { text } = maker.event(slot);
        const cut = rng.range(1, text.length - 1); // a proper prefix of an object: never valid JSON
        stats.rejected.invalid_json++;
        if (rng.chance(0.2)) {
          await out.add(text.slice(0, cut));
          await out.add(Buffer.from([0xe2, 0x82, 0x0a])); // cut inside a multi-byte character
        } else {
          await out.add(text.slice(0, cut) + '\n');
        }
        return;
      }
      case 'invalid_other':
        stats.rejected.invalid_json++;
        await out.add(
          rng.pick([
            "{'key': 'pageview', 'username': 'abc'}",
            '{"key":"pageview","username":"abc",}',
            'NaN',
            `{"username":${l.user},"timestamp":NaN}`,
            `{"username":${l.user},"timestamp":Infinity}`,
            '<html><body>502 Bad Gateway</body></html>',
            'Internal Server Error',
            '{"key":"pageview"}{"key":"pageview"}',
            '{"key":"pageview","value":"\\x41"}',
          ]) + '\n',
        );
        return;
      case 'not_object':
        stats.rejected.not_object++;
        await out.add(rng.pick(['[1,2,3]', `[${l.user}]`, '42', '-0.5', '"pageview"', 'null', 'true', 'false', '[]']) + '\n');
        return;
      case 'missing_username': {
        stats.rejected.missing_username++;
        const { text } = maker.event(slot);
        const replacement = rng.pick(['', '"username":"",', '"username":null,', '"username":12345,', `"username":[${l.user}],`, '"username":{},']);
        await out.add(text.replace(`"username":${l.user},`, replacement) + '\n');
        return;
      }
      case 'blank':
        stats.blank++;
        await out.add(rng.pick(['\n', '   \n', '\t\n', ' \t \n', '\r\n', ' \t\r\n']));
        return;
      case 'long': {
        const facts = maker.event(slot, undefined, rng.range(20_000, 60_000));
        if (Buffer.byteLength(facts.text) > opts.maxLineBytes) {
          stats.rejected.too_long++;
        } else {
          counted(facts);
          realized[li] = (realized[li] as number) + 1;
        }
        await out.add(facts.text + '\n');
        return;
      }
    }
  };

  try {
    for (let e = 0; e < events; e++) {
      if (opts.dirtyRate > 0 && rng.chance(opts.dirtyRate)) await dirtyLine();
      const quirk = opts.dirtyRate > 0 && rng.chance(opts.dirtyRate) ? EVENT_QUIRKS.pick(rng) : undefined;
      await eventLine(order[e] as number, quirk);
    }
    await out.flush();
    await sink.close();
  } catch (err) {
    sink.destroy();
    throw err;
  }

  const sorted = Array.from(realized).filter((c) => c > 0).sort((a, b) => a - b);
  const result: GenerateStats = {
    out: opts.out,
    seed: opts.seed,
    gzip: opts.gzip,
    bytes: out.bytes,
    fileBytes: sink.fileBytes,
    lines: stats.lines,
    events: stats.events,
    blank: stats.blank,
    rejected: stats.rejected,
    users: sorted.length,
    userAgents: userAgents.size,
    maxClicks: sorted[sorted.length - 1] ?? 0,
    medianClicks: sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)] ?? 0,
    maxLineBytes: opts.maxLineBytes,
    start: new Date(start).toISOString().slice(0, 10),
    untimed: stats.untimed,
    videoEvents: stats.videoEvents,
    botEvents: stats.botEvents,
    downloaders: world.learners.filter((l) => l.downloader !== undefined).length,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  return result;
}

// ---------------------------------------------------------------------------------------------
// Option values.

/** A `YYYY-MM-DD` date as its UTC midnight, ms since the epoch. */
export function parseStart(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text) throw new Error(`not a date (YYYY-MM-DD): ${text}`);
  return t;
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text}`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
  return Math.round(Number(m[1]) * (mult[unit] as number));
}
