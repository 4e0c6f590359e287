/** A small seeded generator (mulberry32): the same seed gives the same data on every machine. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, n). */
export const below = (rng: Rng, n: number): number => Math.floor(rng() * n);

const hex8 = (rng: Rng): string => (Math.floor(rng() * 4294967296) >>> 0).toString(16).padStart(8, '0');

/** A UUID v4 drawn from the generator, so the transaction ids are the same on every run. */
export function uuidV4(rng: Rng): string {
  const a = hex8(rng);
  const b = hex8(rng);
  const c = hex8(rng);
  const d = hex8(rng);
  const variant = '89ab'[below(rng, 4)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
