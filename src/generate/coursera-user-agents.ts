/**
 * User agents of the Coursera generator's learners: a few thousand distinct ones built from
 * templates and versions, the mix they are drawn in, and the download scripts a few learners ran.
 */
export type UaCategory =
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

export function buildUserAgents(): Map<UaCategory, string[]> {
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

export const UA_MIX: ReadonlyArray<readonly [UaCategory, number]> = [
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

/** User agents of the download scripts a few learners ran (the bots of a real export). */
export const DOWNLOADERS = ['python-requests/1.2.3 CPython/2.7.5 Linux/3.2.0', 'Wget/1.14 (linux-gnu)', 'curl/7.30.0', 'Python-urllib/2.7'];
