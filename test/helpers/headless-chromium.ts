/**
 * A real browser for the page tests: Debian's `chromium` in headless mode, driven through the
 * DevTools protocol over `--remote-debugging-pipe` (JSON messages ending in NUL on file descriptors
 * 3 and 4). A pipe needs no WebSocket client (Node 20 has none without a flag), no port and no
 * parsing of chromium's stderr, and nothing else on the machine can connect to the browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { noteProgress, watchChild } from './progress.js';

/** Chromium is not installed: the message says how to get it. */
export class ChromiumMissingError extends Error {
  readonly code = 'CHROMIUM_MISSING';
  constructor() {
    super(
      'chromium was not found (looked for $CHROMIUM, then chromium and chromium-browser on PATH). The page tests need a real ' +
        'browser: install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this in CI) ' +
        'or set CHROMIUM=/path/to/chromium.',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** The flags the page tests run chromium with: quiet, offline but for loopback, a throwaway profile. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--hide-scrollbars',
  '--remote-debugging-pipe',
];

/** The chromium executable: $CHROMIUM, else `chromium` or `chromium-browser` on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM) return env.CHROMIUM;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not in this directory
      }
    }
  }
  throw new ChromiumMissingError();
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

type Listener = (params: Record<string, unknown>, sessionId: string | undefined) => void;

/** What a page did while it loaded, and what it holds once loaded. */
export interface PageVisit {
  /** Console errors, uncaught exceptions and browser log errors (a resource that failed to load is one). */
  errors: string[];
  /** Requests that failed or answered 400 or more: `<status or error> <url>`. */
  failedRequests: string[];
  title: string;
  headings: { h1: string[]; h2: string[] };
  images: Array<{ src: string; complete: boolean; naturalWidth: number; naturalHeight: number }>;
  /** Absolute URLs of every link that is not an in-page anchor. */
  links: string[];
  /** The top of the page as a PNG, `width` px wide and at most `maxHeight` px high. */
  screenshot: Buffer;
}

/** A running headless chromium, one page at a time. */
export class HeadlessChromium {
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void; method: string }>();
  private listeners = new Set<{ method: string; fn: Listener }>();
  private buffered = '';
  private stderrTail = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const fromBrowser = child.stdio[4] as Readable;
    fromBrowser.setEncoding('utf8').on('data', (s: string) => this.receive(s));
    // Each protocol message is progress for tests that wait bounded by progress (helpers/progress.ts).
    watchChild(child, () => `chromium (pid ${child.pid}); its stderr ends:\n${this.stderrTail}`);
    fromBrowser.on('data', noteProgress);
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      const err = new Error(`chromium exited (${code ?? signal}); its stderr ends:\n${this.stderrTail}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  /** Starts chromium with a fresh profile directory; rejects with ChromiumMissingError when there is none. */
  static async launch(): Promise<HeadlessChromium> {
    const executable = findChromium();
    const profile = await mkdtemp(join(tmpdir(), 'cs-chromium-'));
    const child = spawn(executable, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (e) => resolve(e));
    });
    if (spawned) {
      await rm(profile, { recursive: true, force: true });
      if ((spawned as NodeJS.ErrnoException).code === 'ENOENT') throw new ChromiumMissingError();
      throw spawned;
    }
    const browser = new HeadlessChromium(child, profile);
    // The first answer proves the protocol works before any page is opened.
    await browser.send('Browser.getVersion');
    return browser;
  }

  /** Sends a command (to the browser, or to a page's session) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new Error(`chromium has exited; its stderr ends:\n${this.stderrTail}`));
    const id = this.nextId++;
    const message: Message = { id, method, params, ...(sessionId ? { sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify(message)}\0`);
    });
  }

  /** Calls `fn` for every event `method`; returns the function that stops it. */
  on(method: string, fn: Listener): () => void {
    const entry = { method, fn };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /**
   * Opens `url` in a new tab `width` px wide, waits for its load event (every image has loaded or
   * failed by then), and reports what happened and what the page holds.
   */
  async visit(url: string, options: { width?: number; maxHeight?: number } = {}): Promise<PageVisit> {
    const width = options.width ?? 1280;
    const maxHeight = options.maxHeight ?? 2200;
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const errors: string[] = [];
    const failedRequests: string[] = [];
    const urls = new Map<string, string>();
    const mine = (fn: (p: Record<string, unknown>) => void): Listener => (p, s) => s === sessionId && fn(p);
    const stops = [
      this.on('Runtime.consoleAPICalled', mine((p) => {
        if (p.type === 'error' || p.type === 'assert') errors.push(`console.${p.type}: ${JSON.stringify(p.args)}`);
      })),
      this.on('Runtime.exceptionThrown', mine((p) => errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`))),
      this.on('Log.entryAdded', mine((p) => {
        const e = p.entry as { level: string; text: string; url?: string };
        if (e.level === 'error') errors.push(`log: ${e.text}${e.url ? ` (${e.url})` : ''}`);
      })),
      this.on('Network.requestWillBeSent', mine((p) => urls.set(p.requestId as string, (p.request as { url: string }).url))),
      this.on('Network.responseReceived', mine((p) => {
        const r = p.response as { status: number; url: string };
        if (r.status >= 400) failedRequests.push(`${r.status} ${r.url}`);
      })),
      this.on('Network.loadingFailed', mine((p) => failedRequests.push(`${p.errorText} ${urls.get(p.requestId as string) ?? p.requestId}`))),
    ];
    try {
      for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await this.send(`${domain}.enable`, {}, sessionId);
      await this.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
      const loaded = new Promise<void>((resolve) => {
        const stop = this.on('Page.loadEventFired', mine(() => {
          stop();
          resolve();
        }));
      });
      const nav = (await this.send('Page.navigate', { url }, sessionId)) as { errorText?: string };
      if (nav.errorText) throw new Error(`chromium could not open ${url}: ${nav.errorText}`);
      await loaded;
      const { result } = (await this.send('Runtime.evaluate', { expression: PAGE_FACTS, returnByValue: true }, sessionId)) as {
        result: { value: Omit<PageVisit, 'errors' | 'failedRequests' | 'screenshot'> & { height: number } };
      };
      const facts = result.value;
      const height = Math.min(maxHeight, Math.max(1, facts.height));
      const shot = (await this.send(
        'Page.captureScreenshot',
        { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } },
        sessionId,
      )) as { data: string };
      const { height: _h, ...rest } = facts;
      return { ...rest, errors, failedRequests, screenshot: Buffer.from(shot.data, 'base64') };
    } finally {
      for (const stop of stops) stop();
      await this.send('Target.closeTarget', { targetId }).catch(() => undefined);
    }
  }

  /** Closes the browser, waits for it to exit and removes its profile. */
  async close(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      await this.send('Browser.close').catch(() => undefined);
      await gone;
    }
    await rm(this.profile, { recursive: true, force: true });
  }

  /** Ends a browser that does not answer (the test failed): SIGKILL, then the profile goes. */
  async kill(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGKILL');
      await gone;
    }
    await rm(this.profile, { recursive: true, force: true });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end: number;
    while ((end = this.buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffered.slice(0, end)) as Message;
      this.buffered = this.buffered.slice(end + 1);
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(`${p.method}: ${message.error.message}`));
        else p?.resolve(message.result ?? {});
      } else if (message.method) {
        for (const l of [...this.listeners]) if (l.method === message.method) l.fn(message.params ?? {}, message.sessionId);
      }
    }
  }
}

/** Evaluated in the page once loaded: what the assertions look at. */
const PAGE_FACTS = `(() => ({
  title: document.title,
  headings: {
    h1: [...document.querySelectorAll('h1')].map((e) => e.textContent.trim()),
    h2: [...document.querySelectorAll('h2')].map((e) => e.textContent.trim()),
  },
  images: [...document.images].map((i) => ({ src: i.currentSrc || i.src, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight })),
  links: [...document.querySelectorAll('a[href]')].map((a) => a.href).filter((h) => {
    const u = new URL(h);
    return !(u.origin === location.origin && u.pathname === location.pathname && u.hash);
  }),
  height: document.documentElement.scrollHeight,
}))()`;
