/**
 * The in-memory index's LSH buckets: an open-addressing hash table from a 32-bit bucket key to up to
 * `capacity` ids, in typed arrays: a Map per band, with an array per shared bucket, took more memory and was slower
 * to read (pnpm bench dedup).
 */
export class BucketTable {
  /**
   * Two numbers per slot, side by side so a probe touches one cache line: the key (EMPTY marks a free slot; a key
   * equal to it is stored as ALIAS_OF_EMPTY, which only adds a candidate), then the slot's id when it holds one
   * (≥ 0), else the bitwise complement of its list's number.
   */
  private slots: Int32Array;
  /**
   * The buckets holding more than one id, one after another in `capacity + 1` numbers each: the length, then the
   * ids. Flat, so reading a list is one typed-array copy rather than a pointer chase to a JS array.
   */
  private lists: Int32Array;
  private listCount = 0;
  private used = 0;

  constructor(
    private readonly capacity: number,
    initialSlots = 1024,
  ) {
    this.slots = new Int32Array(initialSlots * 2);
    this.lists = new Int32Array(64 * (capacity + 1));
  }

  /** Appends the ids under `key` to `out` from position `count`; returns the new count. */
  collect(key: number, out: Uint32Array, count: number): number {
    const slot = this.find(storedKey(key));
    if (this.slots[slot] === EMPTY) return count;
    const value = this.slots[slot + 1]!;
    if (value >= 0) {
      out[count] = value;
      return count + 1;
    }
    const start = ~value * (this.capacity + 1);
    const length = this.lists[start]!;
    out.set(this.lists.subarray(start + 1, start + 1 + length), count);
    return count + length;
  }

  /** Adds `id` under `key` unless that bucket already holds `capacity` ids. */
  add(key: number, id: number): void {
    const stored = storedKey(key);
    const slot = this.find(stored);
    if (this.slots[slot] === EMPTY) {
      this.slots[slot] = stored;
      this.slots[slot + 1] = id;
      // At most half the slots in use: probes stay short.
      if (++this.used * 4 > this.slots.length) this.grow();
      return;
    }
    const value = this.slots[slot + 1]!;
    if (value >= 0) {
      const start = this.listCount * (this.capacity + 1);
      if (start + this.capacity + 1 > this.lists.length) {
        const lists = new Int32Array(this.lists.length * 2);
        lists.set(this.lists);
        this.lists = lists;
      }
      this.slots[slot + 1] = ~this.listCount++;
      this.lists[start] = 2;
      this.lists[start + 1] = value;
      this.lists[start + 2] = id;
    } else {
      const start = ~value * (this.capacity + 1);
      const length = this.lists[start]!;
      if (length < this.capacity) {
        this.lists[start + 1 + length] = id;
        this.lists[start] = length + 1;
      }
    }
  }

  /**
   * The index in `slots` of the slot holding `stored`, or of the free slot where it would go (linear probing; the
   * table is never full).
   */
  private find(stored: number): number {
    const mask = this.slots.length - 2;
    let slot = (stored << 1) & mask;
    while (this.slots[slot] !== EMPTY && this.slots[slot] !== stored) slot = (slot + 2) & mask;
    return slot;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let slot = 0; slot < old.length; slot += 2) {
      if (old[slot] === EMPTY) continue;
      const target = this.find(old[slot]!);
      this.slots[target] = old[slot]!;
      this.slots[target + 1] = old[slot + 1]!;
    }
  }
}

const EMPTY = 0;
const ALIAS_OF_EMPTY = 1;

/** Keys as the signed 32-bit numbers the slots hold. */
function storedKey(key: number): number {
  return key === EMPTY ? ALIAS_OF_EMPTY : key | 0;
}
