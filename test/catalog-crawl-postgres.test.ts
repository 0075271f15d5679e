/** DATA-CONTRACT §8 crawls end to end into PostgreSQL (127.0.0.1:5432, a database per test, dropped after). */
import { catalogCrawlSuite } from './helpers/catalog-crawl-suite.js';
import { createTestDatabase } from './helpers/postgres-db.js';

catalogCrawlSuite('postgres', async () => {
  const db = await createTestDatabase();
  return { target: db.url, drop: () => db.drop() };
});
