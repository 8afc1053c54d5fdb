import { describe, expect, it } from 'vitest';
import { BucketTable } from '../src/bucket-table.ts';

function idsUnder(table: BucketTable, key: number): number[] {
  const out = new Uint32Array(64);
  return Array.from(out.subarray(0, table.collect(key, out, 0)));
}

describe('BucketTable', () => {
  it('keeps every id of a bucket up to its capacity, in insertion order', () => {
    const table = new BucketTable(3);
    for (const id of [7, 8, 9, 10]) table.add(0xdeadbeef, id);
    table.add(0x12345678, 1);
    expect(idsUnder(table, 0xdeadbeef)).toEqual([7, 8, 9]);
    expect(idsUnder(table, 0x12345678)).toEqual([1]);
    expect(idsUnder(table, 0x0badf00d)).toEqual([]);
  });

  it('finds every key after growing far past its first size, and appends after what the buffer holds', () => {
    const table = new BucketTable(21, 4);
    // Keys sharing their low bits collide in a small table; the probe must still tell them apart.
    for (let id = 0; id < 5000; id++) table.add(id << 12, id);
    for (const id of [0, 1, 2047, 4999]) expect(idsUnder(table, id << 12)).toEqual([id]);
    const out = Uint32Array.of(42, 0);
    expect(table.collect(4999 << 12, out, 1)).toBe(2);
    expect(Array.from(out)).toEqual([42, 4999]);
  });

  it('keeps the ids of many shared buckets apart', () => {
    const table = new BucketTable(4);
    for (let key = 1; key <= 300; key++) for (let id = 0; id < 3; id++) table.add(key * 7919, key * 10 + id);
    for (const key of [1, 64, 65, 300])
      expect(idsUnder(table, key * 7919)).toEqual([key * 10, key * 10 + 1, key * 10 + 2]);
  });

  it('stores key 0, which marks a free slot, without losing it', () => {
    const table = new BucketTable(21);
    table.add(0, 5);
    expect(idsUnder(table, 0)).toEqual([5]);
  });
});
