/**
 * The in-memory index's LSH buckets: an open-addressing hash table from a 32-bit bucket key to up to
 * `capacity` ids, in typed arrays. A Map per band held ids as well, but its lookups missed the cache on every band
 * of every paragraph: a quarter of the in-memory index's time at 100,000 paragraphs.
 */
export class BucketTable {
  /**
   * Two numbers per slot, side by side so a probe touches one cache line: the key (EMPTY marks a free slot; a key
   * equal to it is stored as ALIAS_OF_EMPTY, which only adds a candidate), then the slot's id when it holds one
   * (≥ 0), else the bitwise complement of its list's position in `lists`.
   */
  private slots: Int32Array;
  private readonly lists: number[][] = [];
  private used = 0;

  constructor(
    private readonly capacity: number,
    initialSlots = 1024,
  ) {
    this.slots = new Int32Array(initialSlots * 2);
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
    for (const id of this.lists[~value]!) out[count++] = id;
    return count;
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
      this.slots[slot + 1] = ~this.lists.length;
      this.lists.push([value, id]);
    } else {
      const list = this.lists[~value]!;
      if (list.length < this.capacity) list.push(id);
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
