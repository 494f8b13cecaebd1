// Injected slowness for the store front: a seeded random fraction of answers is held back
// before it reaches the function (the request has taken effect; its answer is late), so tests
// can show that a slow store never costs a duplicate effect. Seeded, so a failure replays.

export interface Slowness {
  /** the PRNG seed */
  seed: number;
  /** the share of answers to delay, 0..1 */
  fraction: number;
  /** the longest delay, ms (each delayed answer waits a uniform time up to this) */
  maxDelayMs: number;
}

/** mulberry32: a small, good-enough seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The delay for each next answer: 0 for most, up to maxDelayMs for a `fraction` of them. */
export function delays(s: Slowness): () => number {
  const random = seededRandom(s.seed);
  return () => (random() < s.fraction ? Math.floor(random() * s.maxDelayMs) : 0);
}
