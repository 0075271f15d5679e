/**
 * User agent classification: browser, OS and device class of a raw `User-Agent` string.
 *
 * Parsing is done by ua-parser-js 1.x (MIT; 2.x is AGPL and must not be used) and crawler
 * detection by isbot. ua-parser-js reports many names in the case the user agent wrote them
 * (`Linux` and `linux`, `PlayStation` and `PLAYSTATION`); the report gives each name one canonical
 * spelling ({@link canonicalName}), and the raw user agent stays in user-agents.csv for audit.
 */
import { createRequire } from 'node:module';
import { isbot } from 'isbot';

/** Device classes of the contract. */
export type DeviceClass =
  | 'desktop'
  | 'smartphone'
  | 'tablet'
  | 'console'
  | 'tv'
  | 'wearable'
  | 'bot'
  | 'other'
  | 'unknown';

/** How one user agent string was classified. */
export interface UserAgentClass {
  browser: string;
  os: string;
  device: DeviceClass;
}

/**
 * The part of ua-parser-js 1.x's result this module reads. ua-parser-js 1.x ships no type
 * declarations (and `@types/ua-parser-js` is not installed), so it is loaded through `require`
 * with this minimal shape instead of an untyped `import`, which strict TypeScript rejects.
 */
interface UAParserResult {
  browser: { name?: string | undefined };
  os: { name?: string | undefined };
  device: { type?: string | undefined };
}

/** ua-parser-js 1.x called as a plain function returns `getResult()` for the given string. */
type UAParserFunction = (ua: string) => UAParserResult;

const require = createRequire(import.meta.url);
const UAParser = require('ua-parser-js') as UAParserFunction;

/** The value for every part the user agent does not tell. */
export const UNKNOWN = 'unknown';

/** The class of a missing, non-string, empty or whitespace-only user agent. */
export const UNKNOWN_USER_AGENT: Readonly<UserAgentClass> = Object.freeze({
  browser: UNKNOWN,
  os: UNKNOWN,
  device: 'unknown',
});

/** ua-parser-js `device.type` → contract device class. Any other defined type becomes `other`. */
const DEVICE_TYPES: ReadonlyMap<string, DeviceClass> = new Map<string, DeviceClass>([
  ['mobile', 'smartphone'],
  ['tablet', 'tablet'],
  ['console', 'console'],
  ['smarttv', 'tv'],
  ['wearable', 'wearable'],
  // 'embedded', 'xr' and anything a later 1.x adds: 'other'.
]);

/**
 * OS names (lower-cased) that ua-parser-js 1.x reports and that only run on desktop, laptop or
 * workstation computers. When ua-parser-js finds no device type (it never reports `desktop`),
 * an OS in this list makes the device `desktop`. Matched case-insensitively because ua-parser
 * keeps the case of the user agent for many of them (`linux`, `ubuntu`, `FreeBSD`).
 *
 * Deliberately absent (so `other` when no device type): mobile and embedded systems such as
 * Android, iOS, Windows Phone/Mobile/IoT, Ubuntu Touch, Tizen, KaiOS, Symbian, BlackBerry,
 * webOS, watchOS, Chromecast, Fuchsia, Contiki, Minix, OpenVMS and the console OSes.
 */
export const DESKTOP_OS_NAMES: ReadonlySet<string> = new Set([
  // Windows (ua-parser reports Windows NT/9x/RT as plain 'Windows') and Apple.
  'windows',
  'mac os',
  // ChromeOS.
  'chromium os',
  // Linux and the distributions ua-parser-js 1.x names.
  'linux',
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'fedora',
  'suse',
  'opensuse',
  'gentoo',
  'arch',
  'slackware',
  'mandriva',
  'centos',
  'pclinuxos',
  'red hat',
  'redhat',
  'zenwalk',
  'linpus',
  'raspbian',
  'deepin',
  'manjaro',
  'elementary os',
  'sabayon',
  'linspire',
  'mint',
  'mageia',
  'vectorlinux',
  'gnu',
  'hurd',
  // BSDs: any name ending in 'bsd' is also accepted, see isDesktopOs.
  'dragonfly',
  // Solaris and other Unix workstations.
  'solaris',
  'opensolaris',
  'unix',
  'aix',
  'hp-ux',
  // Other desktop-only systems.
  'haiku',
  'beos',
  'os/2',
  'amigaos',
  'morphos',
  'risc os',
  'plan 9',
  'serenityos',
]);

/**
 * The spellings of browser and OS names that are not plain title case, as ua-parser-js 1.x reports
 * them for user agents written the usual way. {@link canonicalName} maps any case of these to them.
 */
export const CANONICAL_NAMES: readonly string[] = [
  // Browsers.
  'IE', 'IEMobile', 'WebKit', 'Mobile Safari', 'Opera Mini', 'Opera Mobi', 'Opera GX', 'Opera Touch', 'Opera Coast',
  'SeaMonkey', 'IceWeasel', 'IceCat', 'IceDragon', 'PaleMoon', 'K-Meleon', 'QupZilla', 'NetSurf', 'NetFront',
  'QQBrowser', 'UCBrowser', 'UC', 'MIUI Browser', 'GSA', 'DuckDuckGo', 'PhantomJS', 'HeadlessChrome', 'Chrome WebView',
  'Android Browser', 'Samsung Browser', 'Coc Coc', 'WeChat', 'TikTok', 'LibWeb', 'OmniWeb', 'BlackBerry', 'w3m', 'ELinks',
  // Operating systems.
  'iOS', 'Mac OS', 'Chromium OS', 'Windows Phone', 'Windows Phone OS', 'Windows Mobile', 'Windows RT', 'Windows IoT', 'PlayStation',
  'FreeBSD', 'OpenBSD', 'NetBSD', 'PC-BSD', 'GhostBSD', 'DragonFly', 'openSUSE', 'SUSE', 'CentOS', 'PCLinuxOS',
  'Red Hat', 'RISC OS', 'Plan 9', 'elementary OS', 'webOS', 'watchOS', 'KaiOS', 'HarmonyOS', 'HP-UX', 'AIX', 'OS/2',
  'AmigaOS', 'MorphOS', 'BeOS', 'SerenityOS', 'RIM Tablet OS', 'Firefox OS', 'Ubuntu Touch', 'MeeGo', 'GNU',
  'VectorLinux', 'OpenVMS', 'Series40', 'Android-x86',
];

const CANONICAL_BY_LOWER: ReadonlyMap<string, string> = new Map(CANONICAL_NAMES.map((n) => [n.toLowerCase(), n]));

/**
 * One spelling per browser or OS name, whatever the case the user agent wrote it in:
 * 1. a name in {@link CANONICAL_NAMES}, in any case, is spelled as there (`PLAYSTATION` → `PlayStation`);
 * 2. otherwise a name written in one case only is title-cased word by word (`linux`, `LINUX` → `Linux`),
 *    the word `os` as `OS` (`firefox os` → `Firefox OS`);
 * 3. otherwise (mixed case, as ua-parser-js and most user agents write names) it is kept.
 */
export function canonicalName(name: string): string {
  const known = CANONICAL_BY_LOWER.get(name.toLowerCase());
  if (known !== undefined) return known;
  if (name !== name.toLowerCase() && name !== name.toUpperCase()) return name;
  return name
    .toLowerCase()
    .replace(/(^|[\s/-])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase())
    .replace(/\bOs\b/g, 'OS');
}

/** True for an OS name that means a desktop computer (see {@link DESKTOP_OS_NAMES}). */
export function isDesktopOs(osName: string): boolean {
  const name = osName.toLowerCase();
  // FreeBSD, NetBSD, OpenBSD, PC-BSD, GhostBSD, …: ua-parser captures whatever precedes 'bsd'.
  return DESKTOP_OS_NAMES.has(name) || name.endsWith('bsd');
}

/**
 * Classifies one raw user agent. Pure apart from the two libraries (which are pure too).
 *
 * - a missing, non-string, empty or whitespace-only (as `String.prototype.trim` sees it) value
 *   is `{ browser: 'unknown', os: 'unknown', device: 'unknown' }`;
 * - browser and OS are ua-parser-js's names in their canonical spelling ({@link canonicalName}), or `unknown`;
 * - the device is `bot` when isbot says so (this includes command-line clients and scripts such
 *   as `curl/…`, `Wget/…`, `python-requests/…`, and any agent made only of plain words such as
 *   `asdf qwerty 123`, which isbot's heuristics treat as automated); otherwise it is mapped from
 *   ua-parser-js's device type; with no device type it is `desktop` for a desktop OS, `other` for
 *   another OS and `unknown` when the OS is unknown too.
 */
export function classifyUserAgent(ua: unknown): UserAgentClass {
  // Placeholders such as "-" or "0" name nothing; isbot would call them bots.
  if (typeof ua !== 'string' || !/[A-Za-z]/.test(ua)) return { ...UNKNOWN_USER_AGENT };
  const result = UAParser(ua);
  const browser = nameOrUnknown(result.browser.name);
  const os = nameOrUnknown(result.os.name);
  return { browser, os, device: deviceClass(ua, result.device.type, os) };
}

function nameOrUnknown(name: string | undefined): string {
  return typeof name === 'string' && name !== '' ? canonicalName(name) : UNKNOWN;
}

function deviceClass(ua: string, type: string | undefined, os: string): DeviceClass {
  if (isbot(ua)) return 'bot';
  if (type !== undefined && type !== '') return DEVICE_TYPES.get(type) ?? 'other';
  if (os === UNKNOWN) return 'unknown';
  return isDesktopOs(os) ? 'desktop' : 'other';
}

/** Default bound of {@link UserAgentClassifier}'s cache. */
export const DEFAULT_CACHE_ENTRIES = 100_000;

/**
 * {@link classifyUserAgent} with a cache per distinct string: a partition repeats the same few
 * thousand agents millions of times, and parsing costs far more than a Map lookup.
 *
 * The cache is bounded: when it holds `maxEntries` strings it is cleared and starts over (cheaper
 * and simpler than LRU, and an export with more distinct agents than that is mostly unique junk
 * that would not be hit again anyway). Results are frozen, because the same object is handed to
 * every caller of the same string.
 */
export class UserAgentClassifier {
  private readonly cache = new Map<string, Readonly<UserAgentClass>>();

  constructor(private readonly maxEntries: number = DEFAULT_CACHE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  /** Classifies `ua` like {@link classifyUserAgent}; the same string gives the same object. */
  classify(ua: unknown): Readonly<UserAgentClass> {
    if (typeof ua !== 'string') return UNKNOWN_USER_AGENT;
    const cached = this.cache.get(ua);
    if (cached !== undefined) return cached;
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    const result = Object.freeze(classifyUserAgent(ua));
    this.cache.set(ua, result);
    return result;
  }

  /** Number of distinct strings currently cached. */
  get size(): number {
    return this.cache.size;
  }
}
