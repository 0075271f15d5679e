/**
 * A fresh PostgreSQL database per test on the real server (TEST_POSTGRES_URL; by default
 * 127.0.0.1:5432, trust auth, user root), created through the `postgres` maintenance database and
 * dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Server URL without a database; override with TEST_POSTGRES_URL (e.g. in CI). */
export const POSTGRES_SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432';

/** A database made for one test: its URL and how to drop it. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The server's URL naming database `name`, keeping any query (`?sslmode=…`) and ignoring a trailing slash. */
function databaseUrl(name: string): string {
  const u = new URL(POSTGRES_SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a database with a random name (`cstest_<hex>`). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cstest_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(name),
    // WITH (FORCE) ends sessions a failed test left open, so the drop never waits for them.
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Whether a database of that name exists (to check that tests leave none behind). */
export async function databaseExists(name: string): Promise<boolean> {
  return admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}
