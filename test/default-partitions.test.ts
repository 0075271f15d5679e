import { describe, expect, it } from 'vitest';
import { defaultPartitions, MIN_DEFAULT_PARTITIONS, PARTITION_TARGET_BYTES } from '../src/convert/convert.js';

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
