import { Parser } from 'htmlparser2';
import { parseJsonLd } from './parse-json-ld.js';

/** What a course page offers the sitemap source. */
export interface HtmlPage {
  /** Every `<script type="application/ld+json">` block that parsed as JSON, in document order. */
  jsonLd: unknown[];
  /** Blocks that did not parse as JSON (counted as `bad_json_ld`). */
  badJsonLd: number;
  /** `<meta property="og:title" content>`, when present and non-empty. */
  ogTitle: string | undefined;
  /** The first `<title>`'s text, trimmed, when non-empty. */
  title: string | undefined;
  /** `<link rel="canonical" href>` resolved against the page URL, when present and a valid http(s) URL. */
  canonical: string | undefined;
  /** Elements nested deeper than {@link MAX_HTML_NESTING}: the rest of the page was not read (`page_too_deep`). */
  tooDeep: boolean;
}

/**
 * Elements open at once beyond which a page is not read further: the depth Blink's HTML parser
 * builds at most. htmlparser2 keeps open elements in an array it unshifts, so a hostile page of
 * millions of nested tags would otherwise take hours of CPU.
 */
export const MAX_HTML_NESTING = 512;

/**
 * Reads the parts of an HTML page the sitemap source uses, with htmlparser2 (a real, tolerant HTML
 * tokenizer: script contents stay raw, entities in attributes and titles are decoded). Reading stops
 * at elements nested deeper than {@link MAX_HTML_NESTING}; what came before is kept.
 */
export function readHtmlPage(html: string, pageUrl: string): HtmlPage {
  const page: HtmlPage = { jsonLd: [], badJsonLd: 0, ogTitle: undefined, title: undefined, canonical: undefined, tooDeep: false };
  // Open elements; htmlparser2 reports void and implied closes too, so this follows its own stack.
  let depth = 0;
  let script: string | undefined;
  let title: string | undefined;
  let titleDone = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (++depth > MAX_HTML_NESTING) {
          page.tooDeep = true;
          parser.pause(); // never resumed: the rest is not read
          return;
        }
        if (name === 'script' && (attrs.type ?? '').trim().toLowerCase().split(';')[0] === 'application/ld+json') script = '';
        else if (name === 'title' && !titleDone) title = '';
        else if (name === 'meta' && page.ogTitle === undefined && (attrs.property === 'og:title' || attrs.name === 'og:title')) {
          const content = (attrs.content ?? '').trim();
          if (content) page.ogTitle = content;
        } else if (name === 'link' && page.canonical === undefined && (attrs.rel ?? '').toLowerCase().split(/\s+/).includes('canonical')) {
          page.canonical = absoluteHttpUrl(attrs.href, pageUrl);
        }
      },
      ontext(text) {
        if (script !== undefined) script += text;
        else if (title !== undefined) title += text;
      },
      onclosetag(name) {
        depth--;
        if (name === 'script' && script !== undefined) {
          const block = stripHtmlComment(script.trim());
          script = undefined;
          if (block === '') return;
          try {
            page.jsonLd.push(parseJsonLd(block));
          } catch {
            page.badJsonLd++;
          }
        } else if (name === 'title' && title !== undefined) {
          const t = title.replace(/\s+/g, ' ').trim();
          if (t) page.title = t;
          title = undefined;
          titleDone = true;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  if (!page.tooDeep) parser.end();
  return page;
}

/** Some sites wrap JSON-LD in an HTML comment or CDATA section for old browsers. */
function stripHtmlComment(text: string): string {
  const m = /^(?:<!--|<!\[CDATA\[)([\s\S]*?)(?:-->|\]\]>)$/.exec(text);
  return m ? m[1]!.trim() : text;
}

function absoluteHttpUrl(href: string | undefined, base: string): string | undefined {
  if (!href || !href.trim()) return undefined;
  try {
    const u = new URL(href.trim(), base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}
