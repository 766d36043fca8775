// A small seeded PRNG (mulberry32) so every trial is reproducible from one 32-bit seed. Not for
// cryptography; for drawing sizes, faults and moments that a replay must draw identically.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One key of `weights`, drawn in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** A fresh 32-bit seed for a sub-stream (keeps draws for one purpose independent of the others). */
  seed(): number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [key, w] of entries) {
        if ((r -= w) < 0) return key;
      }
      return entries[entries.length - 1][0];
    },
    seed: () => Math.floor(next() * 4294967296) >>> 0,
  };
}

/** Seed of trial `index` in a run: a hash of (run seed, index), so any trial replays on its own. */
export function trialSeed(runSeed: number, index: number): number {
  // The run seed is mixed before the index is added: combining them first (runSeed ^ index) gave
  // run seeds that differ in low bits (8 and 9) the same trials in another order.
  return mix32((mix32(runSeed >>> 0) + Math.imul(index + 1, 0x9e3779b9)) >>> 0);
}

/** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fills `out` with deterministic bytes (xorshift32 words); used for the shared byte pool. */
export function fillBytes(seed: number, out: Uint8Array, wordOffset = 0): void {
  // Each 4-byte word depends only on (seed, its index), so the pool can be written in pieces.
  const words = new Uint32Array(out.buffer, out.byteOffset, Math.floor(out.byteLength / 4));
  for (let i = 0; i < words.length; i++) {
    let x = (Math.imul(seed ^ (i + wordOffset), 0x9e3779b1) ^ 0x7f4a7c15) >>> 0;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    words[i] = (x ^ (x >>> 16)) >>> 0;
  }
}
