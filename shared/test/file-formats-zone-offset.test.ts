import { describe, it, expect } from 'vitest';
import { localOffsetAt } from '../file-formats/index.js';

describe('zone offsets', () => {
  it('localOffsetAt follows the device zone, summer and winter', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Berlin';
      expect(localOffsetAt(Date.UTC(2026, 0, 15, 12))).toBe(60);
      expect(localOffsetAt(Date.UTC(2026, 6, 15, 12))).toBe(120);
      process.env.TZ = 'America/New_York';
      expect(localOffsetAt(Date.UTC(2026, 0, 15, 12))).toBe(-300);
      expect(localOffsetAt(Date.UTC(2026, 6, 15, 12))).toBe(-240);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

});
