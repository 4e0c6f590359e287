/**
 * When an upload that found no network tries again: doubling from 5 s up to
 * 5 min, each wait spread ±30 % so that a branch's desks, cut off together,
 * do not all call the server back in the same second.
 */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
const SPREAD = 0.3;

/** The wait before retry number `attempt` (0 for the first); `random` is Math.random's range, [0, 1). */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS);
  return Math.round(base * (1 - SPREAD + random() * 2 * SPREAD));
}
