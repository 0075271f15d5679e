import { describe, expect, it } from 'vitest';
import { defaultPartitions, defaultPartitionsOf, MIN_DEFAULT_PARTITIONS, PARTITION_TARGET_BYTES } from '../src/convert/convert.js';

describe('defaultPartitions', () => {
  it('is 16 up to 2 GiB of uncompressed input, then one per 128 MiB', () => {
    expect(MIN_DEFAULT_PARTITIONS).toBe(16);
    expect(PARTITION_TARGET_BYTES).toBe(128 * 1024 * 1024);
    expect(defaultPartitions(0, 'none')).toBe(16);
    expect(defaultPartitions(16 * PARTITION_TARGET_BYTES, 'none')).toBe(16);
    expect(defaultPartitions(16 * PARTITION_TARGET_BYTES + 1, 'none')).toBe(17);
    expect(defaultPartitions(2_203_826_648, 'none')).toBe(17); // the 2.2 GB benchmark export
    expect(defaultPartitions(4_399_654_832, 'none')).toBe(33); // the 4.4 GB one
  });

  it('estimates gzip input at 6.4 times its size, and stops at 4096', () => {
    expect(defaultPartitions(345_149_651, 'gzip')).toBe(17); // the benchmark's gzip copy ≈ 2.2 GB
    expect(defaultPartitions(100 * 1024 ** 3, 'none')).toBe(800);
    expect(defaultPartitions(10 * 1024 ** 4, 'none')).toBe(4096);
  });
});

describe('defaultPartitionsOf (several inputs, DATA-CONTRACT §7)', () => {
  it('adds the inputs\' estimated sizes; an Open edX log is estimated at 16 times its gzip size', () => {
    const gib = 1024 ** 3;
    // Three gzip files of 100 MiB: Coursera 3 × 640 MiB = 15 partitions → 16; edX 3 × 1600 MiB = 37.5 → 38.
    const files = [0, 1, 2].map(() => ({ bytes: 100 * 1024 ** 2, compression: 'gzip' as const }));
    expect(defaultPartitionsOf(files)).toBe(16);
    expect(defaultPartitionsOf(files, 'coursera')).toBe(16);
    expect(defaultPartitionsOf(files, 'openedx')).toBe(38);
    // Plain files count as they are, whatever the format.
    expect(defaultPartitionsOf([{ bytes: 2 * gib, compression: 'none' }, { bytes: 2 * gib, compression: 'none' }], 'openedx')).toBe(32);
  });
});
