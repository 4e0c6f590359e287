import { describe, it, expect } from 'vitest';
import { localOffsetAt, zoneOffsetAt } from '../file-formats/index.js';
import { checkTimeZone, wallClockIn, wallClockToIso } from '../file-formats/zone-offset.js';

/** Runs with this process's own zone set to `zone`, as a desk in that zone would be. */
function inProcessZone(zone: string, run: () => void): void {
  const saved = process.env.TZ;
  try {
    process.env.TZ = zone;
    run();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

describe('zone offsets', () => {
  it('localOffsetAt follows the device zone, summer and winter', () => {
    inProcessZone('Europe/Berlin', () => {
      expect(localOffsetAt(Date.UTC(2026, 0, 15, 12))).toBe(60);
      expect(localOffsetAt(Date.UTC(2026, 6, 15, 12))).toBe(120);
    });
    inProcessZone('America/New_York', () => {
      expect(localOffsetAt(Date.UTC(2026, 0, 15, 12))).toBe(-300);
      expect(localOffsetAt(Date.UTC(2026, 6, 15, 12))).toBe(-240);
    });
  });

  it('zoneOffsetAt reads a branch zone the way a desk in that zone reads its own, across both clock changes', () => {
    // Every quarter hour of the days the clocks change, the repeated and the skipped hours included.
    const days: [string, number, number, number][] = [
      ['Europe/Berlin', 2026, 2, 29], ['Europe/Berlin', 2026, 9, 25],
      ['America/Chicago', 2026, 2, 8], ['America/Chicago', 2026, 10, 1],
    ];
    for (const [zone, y, m, d] of days) {
      const branch = zoneOffsetAt(zone);
      inProcessZone(zone, () => {
        for (let quarter = 0; quarter < 96; quarter++) {
          const wall = Date.UTC(y, m, d) + quarter * 15 * 60_000;
          expect(branch(wall), `${zone} ${new Date(wall).toISOString()}`).toBe(localOffsetAt(wall));
        }
      });
    }
  });

  it('reads a wall clock the autumn change repeats as its first instant, and one the spring change skips with the new offset', () => {
    const chicago = zoneOffsetAt('America/Chicago');
    // 01:30 on 2026-11-01 happens at 06:30Z (CDT) and again at 07:30Z (CST).
    expect(wallClockToIso([2026, 11, 1, 1, 30, 0], 0, chicago)).toBe('2026-11-01T06:30:00.000Z');
    // 02:30 on 2026-03-08 never happens; read with the offset after the change (CDT) it is 01:30 CST.
    expect(wallClockToIso([2026, 3, 8, 2, 30, 0], 0, chicago)).toBe('2026-03-08T07:30:00.000Z');
  });

  it('puts an instant on the branch wall clock', () => {
    expect(wallClockIn('2026-10-31T15:02:11.547Z', 'America/Chicago')).toBe('2026-10-31T10:02:11.547');
    expect(wallClockIn('2026-11-02T14:40:03.015Z', 'America/Chicago')).toBe('2026-11-02T08:40:03.015');
    expect(wallClockIn('2026-11-01T06:30:00.000Z', 'America/Chicago')).toBe('2026-11-01T01:30:00.000');
    expect(wallClockIn('2026-11-01T07:30:00.000Z', 'America/Chicago')).toBe('2026-11-01T01:30:00.000');
    expect(wallClockIn('2026-07-01T22:30:00.000Z', 'Asia/Kolkata')).toBe('2026-07-02T04:00:00.000');
  });

  it('refuses a zone name the time zone data does not know', () => {
    expect(() => checkTimeZone('Europe/Atlantis')).toThrow(RangeError);
    expect(() => zoneOffsetAt('CENTRAL')).toThrow("unknown time zone 'CENTRAL'");
    expect(() => checkTimeZone('UTC')).not.toThrow();
  });
});
