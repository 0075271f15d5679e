/**
 * A generated course site for the crawl benchmark, served in its own process so the crawler and
 * the server do not share an event loop: `node dist/bench/catalog-bench-site.js <dir> <pages> <latency ms>`.
 * Writes the site into <dir>, prints the server's origin on stdout, serves until SIGTERM/SIGINT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureServer } from '../src/catalog/fixture/fixture-server.js';
import { siteRoute } from '../src/catalog/fixture/fixture-site.js';

const [dir, pagesArg, latencyArg] = process.argv.slice(2);
if (!dir || !pagesArg) throw new Error('usage: catalog-bench-site <dir> <pages> [latency ms]');
const pages = Number(pagesArg);
mkdirSync(join(dir, 'courses'), { recursive: true });
writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\nAllow: /\n');
writeFileSync(
  join(dir, 'sitemap-index.xml'),
  `<?xml version="1.0"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{{origin}}/courses.xml.gz</loc></sitemap></sitemapindex>\n`,
);
const urls: string[] = [];
for (let i = 0; i < pages; i++) {
  urls.push(`  <url><loc>{{origin}}/courses/c${i}.html</loc></url>`);
  const course = {
    '@context': 'https://schema.org',
    '@type': 'Course',
    courseCode: `C${i}`,
    name: `Course number ${i}`,
    description: `A generated course (${i}) with a paragraph of description. `.repeat(8),
    provider: { '@type': 'Organization', name: `Provider ${i % 17}` },
    instructor: [{ '@type': 'Person', name: `Teacher ${i % 31}` }],
    inLanguage: 'en',
    educationalLevel: ['Beginner', 'Intermediate', 'Advanced'][i % 3],
    keywords: 'data, python, statistics',
    offers: { '@type': 'Offer', price: (i % 50) + 0.99, priceCurrency: 'USD' },
    aggregateRating: { '@type': 'AggregateRating', ratingValue: 3 + (i % 20) / 10, ratingCount: i * 7 },
    timeRequired: `PT${(i % 40) + 1}H`,
  };
  // About 12 KB per page, like a real course page's head and a little body.
  const body = `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(160)}</p>`;
  writeFileSync(
    join(dir, 'courses', `c${i}.html`),
    `<!DOCTYPE html><html><head><title>Course ${i}</title><link rel="canonical" href="{{origin}}/courses/c${i}.html">` +
      `<script type="application/ld+json">${JSON.stringify(course)}</script></head><body>${body}</body></html>\n`,
  );
}
writeFileSync(join(dir, 'courses.xml'), `<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`);

const server = await FixtureServer.start(() => ({ status: 503 }), { latencyMs: Number(latencyArg ?? 0) });
server.setRoute(siteRoute([dir], server.origin));
process.stdout.write(`${server.origin}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
