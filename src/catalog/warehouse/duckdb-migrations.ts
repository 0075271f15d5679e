/**
 * Versioned schema of the DuckDB warehouse. A migration is never edited once released: a change is
 * a new migration with the next version, applied by {@link DuckDBWarehouse} when it opens a file.
 */
import type { Migration } from './migration.js';

const CONTENT_DDL = `
  kind VARCHAR NOT NULL,
  url VARCHAR,
  title VARCHAR,
  partners VARCHAR[] NOT NULL,
  instructors VARCHAR[] NOT NULL,
  language VARCHAR,
  level VARCHAR,
  categories VARCHAR[] NOT NULL,
  price DOUBLE,
  currency VARCHAR,
  rating DOUBLE,
  ratings DOUBLE,
  enrolments DOUBLE,
  hours DOUBLE,
  course_ids VARCHAR[] NOT NULL,
  description VARCHAR`;

export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'courses, course_versions and crawls',
    statements: [
      `CREATE SEQUENCE crawls_id_seq START 1`,
      `CREATE TABLE crawls (
        id BIGINT PRIMARY KEY DEFAULT nextval('crawls_id_seq'),
        source VARCHAR NOT NULL,
        platform VARCHAR NOT NULL,
        started TIMESTAMPTZ NOT NULL,
        finished TIMESTAMPTZ,
        complete BOOLEAN NOT NULL DEFAULT false,
        pages BIGINT NOT NULL DEFAULT 0,
        errors BIGINT NOT NULL DEFAULT 0,
        error_causes VARCHAR NOT NULL DEFAULT '{}',
        inserted BIGINT NOT NULL DEFAULT 0,
        updated BIGINT NOT NULL DEFAULT 0,
        unchanged BIGINT NOT NULL DEFAULT 0,
        gone BIGINT NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE courses (
        platform VARCHAR NOT NULL,
        id VARCHAR NOT NULL,${CONTENT_DDL},
        first_seen TIMESTAMPTZ NOT NULL,
        last_seen TIMESTAMPTZ NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL,
        content_hash VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        PRIMARY KEY (platform, id)
      )`,
      `CREATE TABLE course_versions (
        platform VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        valid_from TIMESTAMPTZ NOT NULL,
        valid_to TIMESTAMPTZ,${CONTENT_DDL},
        content_hash VARCHAR NOT NULL
      )`,
    ],
  },
];
