import { Parser } from 'htmlparser2';

/** A parsed sitemap: an index of sitemaps or a set of page URLs. */
export interface SitemapDocument {
  kind: 'index' | 'urlset';
  /** `<loc>` values in document order, trimmed (entities decoded). */
  locs: string[];
}

/**
 * Elements open at once beyond which a document is no sitemap (`bad_xml`): the protocol nests three
 * deep (urlset > url > loc) and its extensions a few more. Reading stops there, since htmlparser2
 * keeps open elements in an array it unshifts: a hostile file of millions of nested tags would
 * otherwise take hours of CPU.
 */
export const MAX_SITEMAP_NESTING = 32;

/**
 * Parses a sitemap or sitemap index (sitemaps.org protocol). Returns undefined for anything that is
 * not one (counted as `bad_xml`): a root other than `<urlset>` / `<sitemapindex>`, elements left
 * unclosed (a truncated file), a stray closing tag, a second root, or elements nested deeper than
 * {@link MAX_SITEMAP_NESTING}. Namespace prefixes are ignored.
 */
export function parseSitemapXml(text: string): SitemapDocument | undefined {
  const stack: string[] = [];
  const locs: string[] = [];
  let root: string | undefined;
  let roots = 0;
  let broken = false;
  let loc: string | undefined;
  const parser = new Parser(
    {
      onopentag(rawName) {
        const name = localName(rawName);
        if (stack.length === 0) {
          roots++;
          root = name;
        }
        stack.push(name);
        if (stack.length > MAX_SITEMAP_NESTING) {
          broken = true;
          parser.pause(); // never resumed: the rest is not read
          return;
        }
        if (name === 'loc' && (stack[stack.length - 2] === 'url' || stack[stack.length - 2] === 'sitemap')) loc = '';
      },
      ontext(t) {
        if (loc !== undefined) loc += t;
        else if (stack.length === 0 && t.trim() !== '') broken = true;
      },
      onclosetag(rawName, isImplied) {
        const name = localName(rawName);
        if (isImplied || stack[stack.length - 1] !== name) broken = true;
        stack.pop();
        if (name === 'loc' && loc !== undefined) {
          const v = loc.trim();
          if (v) locs.push(v);
          loc = undefined;
        }
      },
      onerror() {
        broken = true;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(text);
  if (broken) return undefined;
  parser.end();
  if (broken || roots !== 1 || stack.length !== 0) return undefined;
  if (root === 'sitemapindex') return { kind: 'index', locs };
  if (root === 'urlset') return { kind: 'urlset', locs };
  return undefined;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return (i >= 0 ? name.slice(i + 1) : name).toLowerCase();
}
