/**
 * The local day and hour of the timed events: UTC needs no lookup; another zone's offset is looked
 * up once per 15-minute bucket, and instant by instant only in buckets where it changes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { floorDiv } from '../duckdb/floor-div.js';
import { forEachChunk } from '../duckdb/query-rows.js';
import { appendNumbers, createTempTable } from '../duckdb/temp-table.js';
import { BUCKET_MS, type ZoneCalendar } from '../analytics/zone-calendar.js';

const MS_PER_DAY = 86_400_000;

/**
 * SQL for the local day number and hour of `ev.time_ms`, and the joins they need. UTC needs no
 * lookup; another zone's offset is looked up once per 15-minute bucket, and instant by instant only
 * in buckets where the offset changes (or is not a whole number of 15 minutes).
 */
export async function localTimeColumns(conn: DuckDBConnection, calendar: ZoneCalendar): Promise<{ day: string; hour: string; joins: string }> {
  let offset = '0';
  let joins = '';
  if (calendar.timeZone !== 'UTC') {
    const bucket = floorDiv('ev.time_ms', BUCKET_MS);
    const zb = await createTempTable(conn, 'zone_buckets', [['bucket', 'BIGINT'], ['off', 'BIGINT']]);
    const irregular: number[] = [];
    await forEachChunk(conn, `SELECT DISTINCT ${bucket} FROM ev WHERE time_ms IS NOT NULL`, (chunk) => {
      for (const [b] of chunk) {
        const n = Number(b);
        const bucketOffset = calendar.bucketOffset(n);
        if (bucketOffset === undefined) irregular.push(n);
        else appendNumbers(zb, [n, bucketOffset]);
      }
    });
    zb.closeSync();
    joins = ` LEFT JOIN zone_buckets zb ON zb.bucket = ${bucket}`;
    offset = 'zb.off';
    if (irregular.length > 0) {
      const zi = await createTempTable(conn, 'zone_instants', [['time_ms', 'BIGINT'], ['off', 'BIGINT']]);
      await forEachChunk(conn, `SELECT DISTINCT time_ms FROM ev WHERE ${bucket} IN (${irregular.join(', ')})`, (chunk) => {
        for (const [t] of chunk) appendNumbers(zi, [Number(t), calendar.offset(Number(t))]);
      });
      zi.closeSync();
      joins += ` LEFT JOIN zone_instants zi ON zi.time_ms = ev.time_ms`;
      offset = 'coalesce(zi.off, zb.off)';
    }
  }
  const localMs = `(ev.time_ms + ${offset})`;
  const day = floorDiv(localMs, MS_PER_DAY);
  return { day, hour: `(${localMs} - ${day} * ${MS_PER_DAY}) // 3600000`, joins };
}
