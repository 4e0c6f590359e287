import { mulberry32, pad, type Rng } from '../server/db/seeded-random.js';

// The generator the demo seed uses too; the bench's helpers on top of it follow.
export { mulberry32, pad, type Rng };

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

