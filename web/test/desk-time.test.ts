import { describe, expect, it } from 'vitest';
import { dueAt, endOfLocalDay, OPEN_ALL_WEEK } from '../../shared/library-time.js';
import type { SnapshotBranch } from '../../shared/snapshot.js';
import { deskTime, deskToday, quickDueDate, zoneMismatch } from '../services/desk-time.js';
import { formatDate } from '../format.js';

const branch = (code: string, zone: string, closures: SnapshotBranch['calendar']['closures'] = [],
  hours: SnapshotBranch['calendar']['hours'] = OPEN_ALL_WEEK): SnapshotBranch => ({ code, name: code, parent: 'SYS', calendar: { zone, hours, closures } });

/** Los Angeles, closed on Sundays and on Christmas Eve and Day. */
const WEST = branch('WEST', 'America/Los_Angeles', [['2026-12-24', '2026-12-25', 'Christmas']],
  ['09:00-20:00', '09:00-20:00', '09:00-20:00', '09:00-20:00', '09:00-20:00', '10:00-17:00', '']);
const KIWI = branch('KIWI', 'Pacific/Auckland');
const BRANCHES = [WEST, KIWI];

/** 20:30 on Tuesday 8 December 2026 in Los Angeles: Wednesday the 9th in UTC. */
const LA_EVENING = new Date('2026-12-09T04:30:00.000Z');
/** 08:30 on Wednesday 9 December 2026 in Auckland (UTC+13): still Tuesday the 8th in UTC. */
const AUCKLAND_MORNING = new Date('2026-12-08T19:30:00.000Z');

describe('the desk’s today', () => {
  it('is the branch’s local date, not UTC’s', () => {
    expect(deskToday(deskTime(BRANCHES, 'WEST'), LA_EVENING)).toBe('2026-12-08');
    expect(deskToday(deskTime(BRANCHES, 'KIWI'), AUCKLAND_MORNING)).toBe('2026-12-09');
  });

  it('falls back to the device’s zone, open every day, without offline data or for a branch the data does not list', () => {
    const none = deskTime(null, 'WEST', 'Asia/Tokyo');
    expect(none).toEqual({ calendar: { zone: 'Asia/Tokyo', hours: OPEN_ALL_WEEK, closures: [] }, fromData: false, branch: 'WEST' });
    expect(deskTime(BRANCHES, 'NEW', 'Europe/Paris').calendar.zone).toBe('Europe/Paris');
    expect(deskToday(none, LA_EVENING)).toBe('2026-12-09');
  });
});

describe('the quick due dates', () => {
  it('count local days from the branch’s today, as processing does', () => {
    const west = deskTime(BRANCHES, 'WEST');
    // 8 December + 7 = Tuesday 15 December; + 14 = 22 December, a Tuesday.
    expect(quickDueDate(west, 7, LA_EVENING)).toBe('2026-12-15');
    expect(quickDueDate(west, 14, LA_EVENING)).toBe('2026-12-22');
    expect(quickDueDate(deskTime(BRANCHES, 'KIWI'), 7, AUCKLAND_MORNING)).toBe('2026-12-16');
  });

  it('move off a closed day to the next open one: a Sunday, and Christmas', () => {
    const west = deskTime(BRANCHES, 'WEST');
    // 8 December + 12 = Sunday 20th, closed: Monday 21st. + 16 = Thursday 24th, Christmas Eve: Saturday 26th.
    expect(quickDueDate(west, 12, LA_EVENING)).toBe('2026-12-21');
    expect(quickDueDate(west, 16, LA_EVENING)).toBe('2026-12-26');
  });

  it('give the date whose end processing stores as the due instant', () => {
    const west = deskTime(BRANCHES, 'WEST');
    const date = quickDueDate(west, 14, LA_EVENING);
    expect(endOfLocalDay(date, west.calendar)).toBe(dueAt(LA_EVENING, 14, WEST.calendar));
    expect(endOfLocalDay(date, west.calendar)).toBe('2026-12-23T07:59:59.000Z');
  });
});

describe('the note about the device’s zone', () => {
  it('names both zones when the device’s clock is set to another zone than its branch keeps', () => {
    expect(zoneMismatch(deskTime(BRANCHES, 'WEST'), 'Europe/London')).toEqual({ device: 'Europe/London', branch: 'America/Los_Angeles' });
  });

  it('says nothing when they are one zone under two names, nor without the branch’s zone from the offline data', () => {
    expect(zoneMismatch(deskTime(BRANCHES, 'WEST'), 'America/Los_Angeles')).toBeNull();
    expect(zoneMismatch(deskTime(BRANCHES, 'WEST'), 'US/Pacific')).toBeNull();
    expect(zoneMismatch(deskTime(null, 'WEST', 'Europe/London'), 'Europe/London')).toBeNull();
  });
});

describe('dates shown at the desk', () => {
  it('show a local date as that day in every zone, and an instant as its date in the branch’s zone', () => {
    // An instant that is 22 December in Los Angeles and 23 December in UTC and Auckland.
    expect(formatDate('2026-12-23T07:59:59.000Z', 'America/Los_Angeles')).toBe(formatDate('2026-12-22'));
    expect(formatDate('2026-12-23T07:59:59.000Z', 'Pacific/Auckland')).toBe(formatDate('2026-12-23'));
    expect(formatDate('2026-12-22', 'Pacific/Kiritimati')).toBe(formatDate('2026-12-22', 'Pacific/Pago_Pago'));
  });
});
