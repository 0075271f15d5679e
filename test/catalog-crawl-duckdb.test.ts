/** DATA-CONTRACT §8 crawls end to end into a DuckDB warehouse file (one per test). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogCrawlSuite } from './helpers/catalog-crawl-suite.js';

catalogCrawlSuite('duckdb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickstream-catalog-duckdb-'));
  return { target: join(dir, 'catalog.duckdb'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
});
