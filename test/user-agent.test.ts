import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_USER_AGENT,
  UserAgentClassifier,
  classifyUserAgent,
  isDesktopOs,
  type UserAgentClass,
} from '../src/classify/user-agent.js';

const ua = (browser: string, os: string, device: UserAgentClass['device']): UserAgentClass => ({ browser, os, device });
const UNKNOWN = ua('unknown', 'unknown', 'unknown');

/** Real user agents (mostly of the 2013–2015 era of the MOOC exports) and their full class. */
const cases: Array<[string, string, UserAgentClass]> = [
  // Desktop.
  [
    'Chrome on Windows 7',
    'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36',
    ua('Chrome', 'Windows', 'desktop'),
  ],
  [
    'IE 8',
    'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0)',
    ua('IE', 'Windows', 'desktop'),
  ],
  ['IE 9', 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0)', ua('IE', 'Windows', 'desktop')],
  ['IE 10', 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)', ua('IE', 'Windows', 'desktop')],
  ['IE 11', 'Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko', ua('IE', 'Windows', 'desktop')],
  [
    'Edge 12',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246',
    ua('Edge', 'Windows', 'desktop'),
  ],
  [
    'Firefox on Ubuntu',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:33.0) Gecko/20100101 Firefox/33.0',
    ua('Firefox', 'Ubuntu', 'desktop'),
  ],
  [
    'Firefox on plain Linux',
    'Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0',
    ua('Firefox', 'Linux', 'desktop'),
  ],
  [
    'Firefox on Fedora',
    'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:33.0) Gecko/20100101 Firefox/33.0',
    ua('Firefox', 'Fedora', 'desktop'),
  ],
  [
    'Chromium on Debian',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Debian Chromium/38.0 Chrome/38.0.2125.101 Safari/537.36',
    ua('Chromium', 'Debian', 'desktop'),
  ],
  [
    'Firefox on FreeBSD',
    'Mozilla/5.0 (X11; FreeBSD amd64; rv:40.0) Gecko/20100101 Firefox/40.0',
    ua('Firefox', 'FreeBSD', 'desktop'),
  ],
  [
    'Firefox on Solaris',
    'Mozilla/5.0 (X11; SunOS i86pc; rv:31.0) Gecko/20100101 Firefox/31.0',
    ua('Firefox', 'Solaris', 'desktop'),
  ],
  [
    'Chromebook',
    'Mozilla/5.0 (X11; CrOS x86_64 6158.70.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.110 Safari/537.36',
    ua('Chrome', 'Chromium OS', 'desktop'),
  ],
  [
    'Safari on Mac',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/600.1.17 (KHTML, like Gecko) Version/7.1 Safari/537.85.10',
    ua('Safari', 'Mac OS', 'desktop'),
  ],

  // Apple mobile.
  [
    'iPad',
    'Mozilla/5.0 (iPad; CPU OS 7_0_4 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 Mobile/11B554a Safari/9537.53',
    ua('Mobile Safari', 'iOS', 'tablet'),
  ],
  [
    'iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) Version/8.0 Mobile/12B411 Safari/600.1.4',
    ua('Mobile Safari', 'iOS', 'smartphone'),
  ],

  // Android.
  [
    'Android phone, stock browser (Galaxy S3)',
    'Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; GT-I9300 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30',
    ua('Android Browser', 'Android', 'smartphone'),
  ],
  [
    'Android phone, Chrome (Nexus 5)',
    'Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.114 Mobile Safari/537.36',
    ua('Chrome', 'Android', 'smartphone'),
  ],
  [
    'Android tablet, Chrome (Nexus 7)',
    'Mozilla/5.0 (Linux; Android 4.4.4; Nexus 7 Build/KTU84P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Safari/537.36',
    ua('Chrome', 'Android', 'tablet'),
  ],
  [
    'Android tablet, stock browser (Galaxy Tab 2 10.1)',
    'Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; GT-P5110 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30',
    ua('Android Browser', 'Android', 'tablet'),
  ],
  [
    'Android tablet, Chrome (Galaxy Tab 3)',
    'Mozilla/5.0 (Linux; Android 4.2.2; SM-T110 Build/JDQ39) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Safari/537.36',
    ua('Chrome', 'Android', 'tablet'),
  ],
  [
    'Android without a model: OS known, no device type → other',
    'Mozilla/5.0 (Linux; Android 4.4.2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Safari/537.36',
    ua('Chrome', 'Android', 'other'),
  ],
  [
    'Windows Phone',
    'Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; NOKIA; Lumia 920)',
    ua('IEMobile', 'Windows Phone', 'smartphone'),
  ],

  // Consoles: ua-parser-js finds no browser name for the PS3, and no OS for the Xbox 360.
  ['PlayStation 3 (written PLAYSTATION: one canonical spelling)', 'Mozilla/5.0 (PLAYSTATION 3; 4.46)', ua('unknown', 'PlayStation', 'console')],
  [
    'Xbox One',
    'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Xbox; Xbox One)',
    ua('IE', 'Xbox', 'console'),
  ],
  [
    'Xbox 360',
    'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; Xbox)',
    ua('IE', 'unknown', 'console'),
  ],
  [
    'Wii U',
    'Mozilla/5.0 (Nintendo WiiU) AppleWebKit/536.30 (KHTML, like Gecko) NX/3.0.4.2.12 NintendoBrowser/4.3.1.11264.US',
    ua('WebKit', 'Nintendo', 'console'),
  ],

  // TVs and wearables.
  [
    'Samsung smart TV (Tizen)',
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 2.3) AppleWebkit/538.1 (KHTML, like Gecko) SamsungBrowser/1.0 TV Safari/538.1',
    ua('Samsung Internet', 'Tizen', 'tv'),
  ],
  [
    'Samsung smart TV (Maple, 2012): Linux but typed smarttv',
    'Mozilla/5.0 (SmartHub; SMART-TV; U; Linux/SmartTV; Maple2012) AppleWebKit/534.7 (KHTML, like Gecko) SmartTV Safari/534.7',
    ua('Safari', 'Linux', 'tv'),
  ],
  [
    'Samsung Gear S (watch)',
    'Mozilla/5.0 (Linux; Tizen 2.3; SAMSUNG SM-R750) AppleWebKit/537.3 (KHTML, like Gecko) SamsungBrowser/1.0 Mobile Safari/537.3',
    ua('Samsung Internet', 'Tizen', 'wearable'),
  ],
  [
    'Samsung Gear Live (Android Wear)',
    'Mozilla/5.0 (Linux; Android 4.4W.2; Gear Live Build/KMV78Y) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.0.0 Mobile Safari/537.36',
    ua('Chrome', 'Android', 'wearable'),
  ],

  // Bots: browser and OS are still whatever ua-parser-js finds.
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', ua('unknown', 'unknown', 'bot')],
  [
    'Googlebot smartphone (bot wins over the mobile device type)',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.96 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ua('Chrome', 'Android', 'bot'),
  ],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', ua('unknown', 'unknown', 'bot')],
  // Decision: curl and friends are bots. isbot flags them, and a command-line HTTP client is
  // automated traffic, not a device a learner reads a course on.
  ['curl', 'curl/7.29.0', ua('unknown', 'unknown', 'bot')],
  ['Wget (ua-parser reports "linux": canonical Linux)', 'Wget/1.14 (linux-gnu)', ua('unknown', 'Linux', 'bot')],
  ['python-requests', 'python-requests/2.4.3 CPython/2.7.6 Linux/3.13.0-24-generic', ua('unknown', 'Linux', 'bot')],
  // isbot treats an agent made only of plain words/version tokens as a script, so this kind of
  // garbage is a bot, not unknown.
  ['plain-word garbage (isbot heuristic)', 'asdf qwerty 123', ua('unknown', 'unknown', 'bot')],
  ['bare Mozilla/5.0 (isbot heuristic)', 'Mozilla/5.0', ua('unknown', 'unknown', 'bot')],

  // Unrecognised.
  ['garbage neither library recognises', '!!! ¯\\_(ツ)_/¯', UNKNOWN],
  ['browser known but OS unknown', 'Mozilla/5.0 (Haiku; x86) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38 Safari/537.36', ua('Chrome', 'unknown', 'unknown')],
  ['edX iOS app', 'edX/org.edx.mobile (2.3.1; OS Version 9.0 (Build 7A333))', UNKNOWN],
];

describe('classifyUserAgent', () => {
  it.each(cases)('%s', (_name, agent, expected) => {
    expect(classifyUserAgent(agent)).toEqual(expected);
  });

  it.each([[''], ['   '], ['\t\n'], ['-'], ['0'], ['...'], ['1.0 (+)'], [null], [undefined], [42], [{}], [['Mozilla/5.0']], [true]])(
    '%j → unknown',
    (value) => {
      expect(classifyUserAgent(value)).toEqual(UNKNOWN);
    },
  );

  it('returns a fresh, mutable object (the pure function shares nothing)', () => {
    const a = classifyUserAgent(null);
    const b = classifyUserAgent(null);
    expect(a).not.toBe(b);
    expect(a).not.toBe(UNKNOWN_USER_AGENT);
  });
});

describe('isDesktopOs', () => {
  it.each(['Windows', 'Mac OS', 'Linux', 'linux', 'Ubuntu', 'Kubuntu', 'Debian', 'Fedora', 'Chromium OS', 'FreeBSD', 'OpenBSD', 'NetBSD', 'PC-BSD', 'DragonFly', 'Solaris', 'Mint', 'Arch', 'Red Hat'])(
    '%s is desktop',
    (os) => expect(isDesktopOs(os)).toBe(true),
  );
  it.each(['Android', 'iOS', 'Windows Phone', 'Windows Mobile', 'Ubuntu Touch', 'Tizen', 'Chromecast', 'Fuchsia', 'PlayStation', 'Xbox', 'BlackBerry', 'watchOS'])(
    '%s is not desktop',
    (os) => expect(isDesktopOs(os)).toBe(false),
  );
});

describe('UserAgentClassifier', () => {
  const chrome = cases[0]![1];

  it('agrees with classifyUserAgent on every case', () => {
    const classifier = new UserAgentClassifier();
    for (const [, agent, expected] of cases) expect(classifier.classify(agent)).toEqual(expected);
    for (const value of ['', ' ', null, undefined, 42]) expect(classifier.classify(value)).toEqual(UNKNOWN);
  });

  it('returns the identical (frozen) object for the same string', () => {
    const classifier = new UserAgentClassifier();
    const first = classifier.classify(chrome);
    const second = classifier.classify(`${chrome}`);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(classifier.size).toBe(1);
    expect(classifier.classify(null)).toBe(classifier.classify(42));
  });

  it('handles many distinct values and stays within its bound', () => {
    const classifier = new UserAgentClassifier(1000);
    for (let i = 0; i < 5000; i++) {
      const agent = `Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.${i}.0 Safari/537.36`;
      expect(classifier.classify(agent)).toEqual(ua('Chrome', 'Windows', 'desktop'));
      expect(classifier.size).toBeLessThanOrEqual(1000);
    }
    // After clearing, a repeated string is classified again and cached again, with the same answer.
    const again = classifier.classify(chrome);
    expect(classifier.classify(chrome)).toBe(again);
    expect(again).toEqual(ua('Chrome', 'Windows', 'desktop'));
  });

  it('rejects a nonsensical bound', () => {
    expect(() => new UserAgentClassifier(0)).toThrow(RangeError);
    expect(() => new UserAgentClassifier(1.5)).toThrow(RangeError);
  });
});
