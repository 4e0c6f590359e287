import { describe, expect, it } from 'vitest';
import { retryDelay } from '../services/retry-schedule.js';

const middle = () => 0.5;

describe('when an upload that found no network tries again', () => {
  it('waits 5 s, then twice as long each time, up to 5 minutes', () => {
    expect(Array.from({ length: 9 }, (_, attempt) => retryDelay(attempt, middle)))
      .toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('never waits longer than 5 minutes and a third, however many attempts failed', () => {
    expect(retryDelay(1_000, () => 0.9999)).toBeLessThanOrEqual(390_000);
    expect(retryDelay(Number.MAX_SAFE_INTEGER, middle)).toBe(300_000);
  });

  it('spreads each wait ±30 % so that desks cut off together do not retry together', () => {
    expect(retryDelay(0, () => 0)).toBe(3_500);
    expect(retryDelay(0, () => 0.9999)).toBe(6_500);
    expect(retryDelay(6, () => 0)).toBe(210_000);
    const waits = new Set(Array.from({ length: 50 }, () => retryDelay(2)));
    expect(waits.size).toBeGreaterThan(40);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(14_000);
      expect(wait).toBeLessThanOrEqual(26_000);
    }
  });
});
