import { afterEach, describe, expect, it } from 'vitest';
import {
  OPEN_ALL_WEEK, addLocalDays, calendarProblems, closureOn, dueAt, dueDate, dueOnDate, endOfLocalDay,
  formatLocalDate, hostTimeZone, instantOfLocal, isAfterToday, isLocalDate, isOpenDay, isTimeZone,
  localDateOf, localDaysBetween, nextOpenDay, openDaysLate, openingHours, overdueFine, parseHours,
  resolveTimeZone, startOfLocalDay, today, weekdayIndex,
  type Closure, type LibraryCalendar, type WeekHours,
} from '../library-time.js';

// Every expected instant below was worked out by hand from the zone's offset
// on that date (noted beside it), not computed with the module.

const openAllWeek = (zone: string): LibraryCalendar => ({ zone, hours: OPEN_ALL_WEEK, closures: [] });

/** Open Monday to Saturday, closed on Sundays; Christmas week and New Year's Day closed. */
const MON_SAT: WeekHours = ['09:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-19:00', '09:00-17:00', '10:00-16:00', ''];
const HOLIDAYS: Closure[] = [['2026-12-24', '2026-12-28', 'Christmas'], ['2027-01-01', '2027-01-01', "New Year's Day"]];
const central: LibraryCalendar = { zone: 'Europe/London', hours: MON_SAT, closures: HOLIDAYS };
const rate = { daily_fine_cents: 25, max_fine_cents: 500 };

describe('calendar dates', () => {
  it('adds days across months, years and leap days, whatever the clocks do', () => {
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLocalDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addLocalDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addLocalDays('2026-03-07', 7)).toBe('2026-03-14'); // over Los Angeles' spring-forward day
    expect(localDaysBetween('2026-12-21', '2027-01-04')).toBe(14);
  });

  it('knows the weekday, Monday first', () => {
    expect(weekdayIndex('2026-12-21')).toBe(0); // a Monday
    expect(weekdayIndex('2026-12-20')).toBe(6); // a Sunday
    expect(weekdayIndex('1970-01-01')).toBe(3); // a Thursday
    expect(weekdayIndex('1969-12-29')).toBe(0); // before day 0: still a Monday
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalDate('2026-12-22T00:00:00Z')).toBe(false);
    expect(() => addLocalDays('2026-13-01', 1)).toThrow(RangeError);
  });
});

describe('the local date of an instant', () => {
  it.each([
    // zone, instant, local date (offset)
    ['America/Los_Angeles', '2026-12-16T04:00:00Z', '2026-12-15'], // 20:00 PST: UTC is already the 16th
    ['Asia/Tokyo', '2026-12-20T14:59:59Z', '2026-12-20'], // 23:59:59 JST
    ['Asia/Tokyo', '2026-12-20T15:00:00Z', '2026-12-21'],
    ['Pacific/Honolulu', '2026-07-01T09:59:59Z', '2026-06-30'], // −10:00
    ['Pacific/Honolulu', '2026-07-01T10:00:00Z', '2026-07-01'],
    ['Pacific/Kiritimati', '2026-06-30T09:59:59Z', '2026-06-30'], // +14:00
    ['Pacific/Kiritimati', '2026-06-30T10:00:00Z', '2026-07-01'],
    ['Pacific/Tongatapu', '2026-06-30T10:59:59Z', '2026-06-30'], // +13:00
    ['Pacific/Tongatapu', '2026-06-30T11:00:00Z', '2026-07-01'],
    ['Asia/Kolkata', '2026-01-01T18:29:59Z', '2026-01-01'], // +05:30
    ['Asia/Kolkata', '2026-01-01T18:30:00Z', '2026-01-02'],
    ['Asia/Kathmandu', '2026-01-01T18:14:59Z', '2026-01-01'], // +05:45
    ['Asia/Kathmandu', '2026-01-01T18:15:00Z', '2026-01-02'],
    ['Europe/London', '2026-07-15T23:00:00Z', '2026-07-16'], // BST +01:00
    ['Europe/London', '2026-12-15T23:00:00Z', '2026-12-15'], // GMT
    ['Pacific/Auckland', '2026-12-14T19:00:00Z', '2026-12-15'], // 08:00 NZDT +13:00
    ['UTC', '2026-12-15T23:59:59.999Z', '2026-12-15'],
  ])('%s at %s is %s', (zone, at, date) => {
    expect(localDateOf(at, zone)).toBe(date);
  });

  it('takes a calendar or a Date as well as a zone name and a string', () => {
    expect(localDateOf(new Date('2026-12-16T04:00:00Z'), openAllWeek('America/Los_Angeles'))).toBe('2026-12-15');
  });

  it('names an unknown zone and a non-instant instead of answering nonsense', () => {
    expect(() => localDateOf('2026-12-16T04:00:00Z', 'Mars/Olympus_Mons')).toThrow(/Mars\/Olympus_Mons/);
    expect(() => localDateOf('next tuesday', 'UTC')).toThrow(RangeError);
  });
});

describe('the end of a local day', () => {
  it.each([
    ['UTC', '2026-12-22', '2026-12-22T23:59:59.000Z'],
    ['Pacific/Honolulu', '2026-12-22', '2026-12-23T09:59:59.000Z'], // −10:00
    ['America/Los_Angeles', '2026-12-22', '2026-12-23T07:59:59.000Z'], // PST −08:00
    ['America/Los_Angeles', '2026-07-15', '2026-07-16T06:59:59.000Z'], // PDT −07:00
    ['Europe/London', '2026-12-22', '2026-12-22T23:59:59.000Z'], // GMT
    ['Europe/London', '2026-07-15', '2026-07-15T22:59:59.000Z'], // BST +01:00
    ['Asia/Kolkata', '2026-12-22', '2026-12-22T18:29:59.000Z'], // +05:30
    ['Asia/Kathmandu', '2026-12-22', '2026-12-22T18:14:59.000Z'], // +05:45
    ['Asia/Tokyo', '2026-12-20', '2026-12-20T14:59:59.000Z'], // +09:00: the receipt's Dec 20 is Dec 20
    ['Pacific/Tongatapu', '2026-12-22', '2026-12-22T10:59:59.000Z'], // +13:00
    ['Pacific/Kiritimati', '2026-12-22', '2026-12-22T09:59:59.000Z'], // +14:00
    ['Pacific/Auckland', '2026-12-22', '2026-12-22T10:59:59.000Z'], // NZDT +13:00
    ['Pacific/Auckland', '2026-07-15', '2026-07-15T11:59:59.000Z'], // NZST +12:00
  ])('%s %s ends at %s', (zone, date, end) => {
    expect(endOfLocalDay(date, zone)).toBe(end);
    expect(dueOnDate(date, zone)).toBe(end);
  });

  it('gets the 23- and 25-hour days of DST right, north and south', () => {
    // Los Angeles springs forward 2026-03-08 02:00 PST → 03:00 PDT.
    expect(startOfLocalDay('2026-03-08', 'America/Los_Angeles')).toBe('2026-03-08T08:00:00.000Z');
    expect(endOfLocalDay('2026-03-08', 'America/Los_Angeles')).toBe('2026-03-09T06:59:59.000Z');
    // … and falls back 2026-11-01 02:00 PDT → 01:00 PST.
    expect(startOfLocalDay('2026-11-01', 'America/Los_Angeles')).toBe('2026-11-01T07:00:00.000Z');
    expect(endOfLocalDay('2026-11-01', 'America/Los_Angeles')).toBe('2026-11-02T07:59:59.000Z');
    // London springs forward 2026-03-29 01:00 GMT → 02:00 BST.
    expect(endOfLocalDay('2026-03-29', 'Europe/London')).toBe('2026-03-29T22:59:59.000Z');
    // Auckland falls back 2026-04-05 03:00 NZDT → 02:00 NZST, springs forward 2026-09-27 02:00 NZST → 03:00 NZDT.
    expect(startOfLocalDay('2026-04-05', 'Pacific/Auckland')).toBe('2026-04-04T11:00:00.000Z');
    expect(endOfLocalDay('2026-04-05', 'Pacific/Auckland')).toBe('2026-04-05T11:59:59.000Z');
    expect(startOfLocalDay('2026-09-27', 'Pacific/Auckland')).toBe('2026-09-26T12:00:00.000Z');
    expect(endOfLocalDay('2026-09-27', 'Pacific/Auckland')).toBe('2026-09-27T10:59:59.000Z');
  });

  it('ends a day at its true end where clocks change at midnight', () => {
    // Santiago: 2026-04-05 00:00 −03 goes back to 2026-04-04 23:00 −04, so 23:xx of the 4th
    // happens twice; the day ends after the second 23:59:59 (−04).
    expect(endOfLocalDay('2026-04-04', 'America/Santiago')).toBe('2026-04-05T03:59:59.000Z');
    // 2026-09-06 00:00 −04 jumps to 01:00 −03: the 6th starts at 01:00 local.
    expect(startOfLocalDay('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(endOfLocalDay('2026-09-05', 'America/Santiago')).toBe('2026-09-06T03:59:59.000Z');
    // Apia skipped 2011-12-30 (−10:00 to +14:00 at the end of the 29th): that date
    // ends where the 29th does, the last second before the 31st begins.
    expect(endOfLocalDay('2011-12-29', 'Pacific/Apia')).toBe('2011-12-30T09:59:59.000Z');
    expect(endOfLocalDay('2011-12-30', 'Pacific/Apia')).toBe('2011-12-30T09:59:59.000Z');
    expect(localDateOf('2011-12-30T10:00:00Z', 'Pacific/Apia')).toBe('2011-12-31');
  });
});

describe('a wall-clock time on a local date', () => {
  it('reads an ordinary time with the day\'s offset', () => {
    expect(instantOfLocal('2026-12-22', '09:00', 'Asia/Kathmandu')).toBe('2026-12-22T03:15:00.000Z');
    expect(instantOfLocal('2026-12-22', '17:30:15', 'Pacific/Honolulu')).toBe('2026-12-23T03:30:15.000Z');
  });

  it('moves a time in a spring-forward gap on by the gap (read with the offset before)', () => {
    expect(instantOfLocal('2026-03-08', '01:59:59', 'America/Los_Angeles')).toBe('2026-03-08T09:59:59.000Z'); // PST
    expect(instantOfLocal('2026-03-08', '02:00', 'America/Los_Angeles')).toBe('2026-03-08T10:00:00.000Z'); // = 03:00 PDT
    expect(instantOfLocal('2026-03-08', '02:30', 'America/Los_Angeles')).toBe('2026-03-08T10:30:00.000Z'); // = 03:30 PDT
    expect(instantOfLocal('2026-03-08', '03:00', 'America/Los_Angeles')).toBe('2026-03-08T10:00:00.000Z'); // PDT
    expect(instantOfLocal('2026-03-29', '01:30', 'Europe/London')).toBe('2026-03-29T01:30:00.000Z'); // = 02:30 BST
    expect(instantOfLocal('2026-09-27', '02:30', 'Pacific/Auckland')).toBe('2026-09-26T14:30:00.000Z'); // = 03:30 NZDT
  });

  it('takes the earlier of a time that happens twice when clocks go back', () => {
    expect(instantOfLocal('2026-11-01', '01:30', 'America/Los_Angeles')).toBe('2026-11-01T08:30:00.000Z'); // PDT, not 09:30Z
    expect(instantOfLocal('2026-11-01', '02:00', 'America/Los_Angeles')).toBe('2026-11-01T10:00:00.000Z'); // once: PST
    expect(instantOfLocal('2026-10-25', '01:30', 'Europe/London')).toBe('2026-10-25T00:30:00.000Z'); // BST, not 01:30Z
    expect(instantOfLocal('2026-04-05', '02:30', 'Pacific/Auckland')).toBe('2026-04-04T13:30:00.000Z'); // NZDT, not 14:30Z
  });

  it('refuses a time that is not one', () => {
    expect(() => instantOfLocal('2026-12-22', '24:00', 'UTC')).toThrow(RangeError);
    expect(() => instantOfLocal('2026-12-22', '9:00', 'UTC')).toThrow(RangeError);
    expect(() => instantOfLocal('2026-02-30x', '09:00', 'UTC')).toThrow(RangeError);
  });
});

describe('due dates', () => {
  it('counts loan days from the local date of a checkout at 8 pm in Los Angeles', () => {
    // 2026-12-15 20:00 PST; by UTC it is already the 16th, and the old rule said due 2026-12-23T23:59:59Z.
    const from = '2026-12-16T04:00:00.000Z';
    expect(dueDate(from, 7, openAllWeek('America/Los_Angeles'))).toBe('2026-12-22');
    expect(dueAt(from, 7, openAllWeek('America/Los_Angeles'))).toBe('2026-12-23T07:59:59.000Z');
  });

  it('counts loan days from the local date of a checkout at 8 am in Auckland', () => {
    // 2026-12-15 08:00 NZDT is still the 14th in UTC.
    expect(dueAt('2026-12-14T19:00:00.000Z', 14, openAllWeek('Pacific/Auckland'))).toBe('2026-12-29T10:59:59.000Z');
  });

  it.each([
    // zone, checkout instant (local time), days, due instant (local due date, offset)
    ['UTC', '2026-12-15T23:59:59.000Z', 7, '2026-12-22T23:59:59.000Z'],
    ['Pacific/Honolulu', '2026-12-16T06:00:00.000Z', 7, '2026-12-23T09:59:59.000Z'], // 15th 20:00 → 22nd, −10:00
    ['Asia/Kolkata', '2026-12-15T18:15:00.000Z', 7, '2026-12-22T18:29:59.000Z'], // 15th 23:45 → 22nd, +05:30
    ['Asia/Kathmandu', '2026-12-15T18:14:59.000Z', 7, '2026-12-22T18:14:59.000Z'], // 15th 23:59:59 → 22nd
    ['Asia/Kathmandu', '2026-12-15T18:15:00.000Z', 7, '2026-12-23T18:14:59.000Z'], // 16th 00:00 → 23rd
    ['Pacific/Tongatapu', '2026-12-14T18:00:00.000Z', 7, '2026-12-22T10:59:59.000Z'], // 15th 07:00 → 22nd, +13:00
    ['Pacific/Kiritimati', '2026-12-14T18:00:00.000Z', 7, '2026-12-22T09:59:59.000Z'], // 15th 08:00 → 22nd, +14:00
    ['America/Los_Angeles', '2026-03-08T04:00:00.000Z', 7, '2026-03-15T06:59:59.000Z'], // 7th 20:00 PST → 14th, PDT
    ['America/Los_Angeles', '2026-11-01T03:00:00.000Z', 7, '2026-11-08T07:59:59.000Z'], // Oct 31 20:00 PDT → Nov 7, PST
    ['America/Los_Angeles', '2026-10-25T19:00:00.000Z', 7, '2026-11-02T07:59:59.000Z'], // due on the fall-back day, PST
    ['America/Los_Angeles', '2026-03-01T20:00:00.000Z', 7, '2026-03-09T06:59:59.000Z'], // due on the spring-forward day, PDT
    ['Europe/London', '2026-03-25T18:00:00.000Z', 7, '2026-04-01T22:59:59.000Z'], // 25th GMT → Apr 1, BST
    ['Pacific/Auckland', '2026-03-28T19:00:00.000Z', 14, '2026-04-12T11:59:59.000Z'], // 29th 08:00 NZDT → Apr 12, NZST
    ['Pacific/Auckland', '2026-09-19T20:00:00.000Z', 14, '2026-10-04T10:59:59.000Z'], // 20th 08:00 NZST → Oct 4, NZDT
    ['Europe/London', '2026-12-15T10:00:00.000Z', 0, '2026-12-15T23:59:59.000Z'], // a same-day loan
  ])('%s: out at %s for %i days, due %s', (zone, from, days, due) => {
    expect(dueAt(from, days, openAllWeek(zone))).toBe(due);
  });

  it('moves a due date on a weekly closed day to the next open day', () => {
    // Out Saturday 2026-12-05 for 15 days: Sunday the 20th is closed, so Monday the 21st.
    expect(dueAt('2026-12-05T11:00:00.000Z', 15, central)).toBe('2026-12-21T23:59:59.000Z');
  });

  it('moves a due date past a run of closures', () => {
    // Out Monday 2026-12-14 for 11 days: the 25th … 28th are closed (and the 27th a Sunday), so Tuesday the 29th.
    expect(dueDate('2026-12-14T10:00:00.000Z', 11, central)).toBe('2026-12-29');
    expect(dueAt('2026-12-14T10:00:00.000Z', 11, central)).toBe('2026-12-29T23:59:59.000Z');
  });

  it('moves a due date off a one-day closure', () => {
    // Out Friday 2026-12-18 for 14 days: Friday 2027-01-01 is closed; Saturday the 2nd opens 10-16.
    expect(dueAt('2026-12-18T10:00:00.000Z', 14, central)).toBe('2027-01-02T23:59:59.000Z');
  });

  it('reads closures as local dates of the branch', () => {
    // Closed Christmas Day in Los Angeles: out 2026-12-18 20:00 PST (the 19th in UTC) for 7 days.
    const la: LibraryCalendar = { zone: 'America/Los_Angeles', hours: OPEN_ALL_WEEK, closures: [['2026-12-25', '2026-12-25', 'Christmas Day']] };
    expect(dueAt('2026-12-19T04:00:00.000Z', 7, la)).toBe('2026-12-27T07:59:59.000Z'); // Dec 26 PST
    expect(dueAt('2026-12-19T04:00:00.000Z', 6, la)).toBe('2026-12-25T07:59:59.000Z'); // Dec 24, open
  });

  it('gives the unmoved date when a calendar has no open day within a year', () => {
    const neverOpen: LibraryCalendar = { zone: 'UTC', hours: ['', '', '', '', '', '', ''], closures: [] };
    expect(dueAt('2026-12-15T12:00:00.000Z', 7, neverOpen)).toBe('2026-12-22T23:59:59.000Z');
    const shut: LibraryCalendar = { zone: 'UTC', hours: MON_SAT, closures: [['2026-01-01', '2027-12-31', 'Rebuilding']] };
    expect(nextOpenDay('2026-12-22', shut)).toBe('2026-12-22');
    // A closure that ends within the year still moves the date to its end.
    const longShut: LibraryCalendar = { zone: 'UTC', hours: MON_SAT, closures: [['2026-12-01', '2027-11-30', 'Rebuilding']] };
    expect(nextOpenDay('2026-12-22', longShut)).toBe('2027-12-01'); // a Wednesday
  });

  it('renews from the local date of the old due time', () => {
    // Due Monday 2026-12-21 (London); renewed early on the 20th for 14 days: from the due time, to Monday 2027-01-04.
    expect(dueAt('2026-12-21T23:59:59.000Z', 14, central)).toBe('2027-01-04T23:59:59.000Z');
    // In Los Angeles a loan due Dec 22 is stored as 2026-12-23T07:59:59Z; 7 more days are Dec 29, not Dec 30.
    expect(dueAt('2026-12-23T07:59:59.000Z', 7, openAllWeek('America/Los_Angeles'))).toBe('2026-12-30T07:59:59.000Z');
  });

  it('refuses a fractional loan period', () => {
    expect(() => dueAt('2026-12-15T12:00:00.000Z', 1.5, central)).toThrow(RangeError);
  });

  it('keeps a due date the desk gave, even on a closed day, and passes instants through in UTC', () => {
    expect(dueOnDate('2026-12-25', central)).toBe('2026-12-25T23:59:59.000Z');
    expect(dueOnDate('2026-12-22', 'Asia/Tokyo')).toBe('2026-12-22T14:59:59.000Z');
    expect(dueOnDate('2026-12-20T17:00:00-05:00', 'Asia/Tokyo')).toBe('2026-12-20T22:00:00.000Z');
  });
});

describe('days late and fines', () => {
  const dueMonday = '2026-12-21T23:59:59.000Z'; // end of Monday 2026-12-21, London

  it('owes nothing up to the due time, and a day from its first second after', () => {
    expect(overdueFine(dueMonday, '2026-12-21T23:59:59.000Z', rate, central)).toEqual({ days: 0, cents: 0 });
    expect(overdueFine(dueMonday, '2026-12-18T10:00:00.000Z', rate, central)).toEqual({ days: 0, cents: 0 });
    expect(overdueFine(dueMonday, '2026-12-22T00:00:00.000Z', rate, central)).toEqual({ days: 1, cents: 25 });
    expect(overdueFine(dueMonday, '2026-12-22T16:00:00.000Z', rate, central)).toEqual({ days: 1, cents: 25 });
  });

  it('does not count closed days', () => {
    // Back Tuesday the 29th: the 22nd and 23rd, then the 24th-28th closed, then the 29th.
    expect(openDaysLate(dueMonday, '2026-12-29T10:00:00.000Z', central)).toBe(3);
    expect(overdueFine(dueMonday, '2026-12-29T10:00:00.000Z', rate, central)).toEqual({ days: 3, cents: 75 });
    // Due Saturday the 19th, back Monday the 21st: Sunday is closed.
    expect(openDaysLate('2026-12-19T23:59:59.000Z', '2026-12-21T09:30:00.000Z', central)).toBe(1);
    // Dropped in the book return on Sunday the 20th: nothing.
    expect(openDaysLate('2026-12-19T23:59:59.000Z', '2026-12-20T12:00:00.000Z', central)).toBe(0);
  });

  it('caps the fine at the policy maximum', () => {
    // Due Monday 2026-11-30, back Tuesday 2027-01-05: December's 31 days less Sundays 6, 13, 20 and
    // the 24th-28th is 23; then Jan 2, 4 and 5 (the 1st closed, the 3rd a Sunday): 26 days, 650 cents.
    expect(overdueFine('2026-11-30T23:59:59.000Z', '2027-01-05T12:00:00.000Z', rate, central)).toEqual({ days: 26, cents: 500 });
    expect(overdueFine('2026-11-30T23:59:59.000Z', '2027-01-05T12:00:00.000Z', { daily_fine_cents: 10, max_fine_cents: 500 }, central))
      .toEqual({ days: 26, cents: 260 });
  });

  it('stops counting when the item was marked lost', () => {
    // Lost Wednesday the 23rd: the 22nd and 23rd, whenever (or whether) it comes back.
    expect(overdueFine(dueMonday, '2027-01-05T12:00:00.000Z', rate, central, '2026-12-23T09:00:00.000Z')).toEqual({ days: 2, cents: 50 });
    expect(overdueFine(dueMonday, '2027-03-01T12:00:00.000Z', rate, central, '2026-12-23T09:00:00.000Z')).toEqual({ days: 2, cents: 50 });
    // Marked lost before it was due: nothing. Marked lost after it came back: the return counts.
    expect(overdueFine(dueMonday, '2027-01-05T12:00:00.000Z', rate, central, '2026-12-20T09:00:00.000Z')).toEqual({ days: 0, cents: 0 });
    expect(overdueFine(dueMonday, '2026-12-23T09:00:00.000Z', rate, central, '2027-02-01T00:00:00.000Z')).toEqual({ days: 2, cents: 50 });
    expect(overdueFine(dueMonday, '2026-12-23T09:00:00.000Z', rate, central, null)).toEqual({ days: 2, cents: 50 });
  });

  it('counts local days in the branch\'s zone', () => {
    // Kiritimati: due end of Dec 22 local (09:59:59Z); back 2026-12-23T10:30Z, which is 00:30 on the 24th there.
    expect(openDaysLate('2026-12-22T09:59:59.000Z', '2026-12-23T10:30:00.000Z', openAllWeek('Pacific/Kiritimati'))).toBe(2);
    // Los Angeles: due end of Dec 22 (07:59:59Z on the 23rd); back at 23:00 PST on the 23rd: one day.
    expect(openDaysLate('2026-12-23T07:59:59.000Z', '2026-12-24T07:00:00.000Z', openAllWeek('America/Los_Angeles'))).toBe(1);
    // Over the fall-back night the 25-hour day still counts once: due Oct 31, back Nov 2 09:00 PST.
    expect(openDaysLate('2026-11-01T06:59:59.000Z', '2026-11-02T17:00:00.000Z', openAllWeek('America/Los_Angeles'))).toBe(2);
  });

  it('never counts the due date itself, for a due time before the end of the day', () => {
    // An imported loan due 17:00 on Monday the 21st, back at 18:00 that day, then on Tuesday.
    expect(openDaysLate('2026-12-21T17:00:00.000Z', '2026-12-21T18:00:00.000Z', central)).toBe(0);
    expect(openDaysLate('2026-12-21T17:00:00.000Z', '2026-12-22T08:00:00.000Z', central)).toBe(1);
  });
});

describe('today and backdates at the desk', () => {
  const laEvening = new Date('2026-12-16T04:00:00.000Z'); // 2026-12-15 20:00 PST
  const aucklandMorning = new Date('2026-12-14T19:00:00.000Z'); // 2026-12-15 08:00 NZDT

  it('is the branch\'s local date, not the UTC one', () => {
    expect(today('America/Los_Angeles', laEvening)).toBe('2026-12-15');
    expect(today('UTC', laEvening)).toBe('2026-12-16');
    expect(today(openAllWeek('Pacific/Auckland'), aucklandMorning)).toBe('2026-12-15');
    expect(today('UTC', aucklandMorning)).toBe('2026-12-14');
  });

  it('calls a backdate in the future by local days', () => {
    expect(isAfterToday('2026-12-16', 'America/Los_Angeles', laEvening)).toBe(true);
    expect(isAfterToday('2026-12-15', 'America/Los_Angeles', laEvening)).toBe(false);
    expect(isAfterToday('2026-12-15', 'Pacific/Auckland', aucklandMorning)).toBe(false);
    expect(isAfterToday('2026-12-16', 'Pacific/Auckland', aucklandMorning)).toBe(true);
    // An instant goes by its local date: 2026-12-15T12:00Z is 01:00 on the 16th in Auckland.
    expect(isAfterToday('2026-12-15T12:00:00.000Z', 'Pacific/Auckland', aucklandMorning)).toBe(true);
    expect(isAfterToday('2026-12-15T10:00:00.000Z', 'Pacific/Auckland', aucklandMorning)).toBe(false);
  });
});

describe('showing dates', () => {
  const dayMonthYear: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };

  it('shows an instant as the branch\'s local date', () => {
    expect(formatLocalDate('2026-12-23T07:59:59.000Z', 'America/Los_Angeles', 'en-US', dayMonthYear)).toBe('December 22, 2026');
    expect(formatLocalDate('2026-12-20T14:59:59.000Z', openAllWeek('Asia/Tokyo'), 'en-US', dayMonthYear)).toBe('December 20, 2026');
    expect(formatLocalDate(new Date('2026-12-22T10:00:00.000Z'), 'Pacific/Kiritimati', 'de-DE')).toBe('23.12.2026');
  });

  it('shows a calendar date as that date in any zone', () => {
    expect(formatLocalDate('2026-12-22', 'Pacific/Kiritimati', 'en-US', dayMonthYear)).toBe('December 22, 2026');
    expect(formatLocalDate('2026-12-22', 'Pacific/Honolulu', 'en-US', dayMonthYear)).toBe('December 22, 2026');
  });
});

describe('calendars', () => {
  it('reads opening hours', () => {
    expect(parseHours('09:00-12:00,13:00-17:00')).toEqual([['09:00', '12:00'], ['13:00', '17:00']]);
    expect(parseHours(' 09:00-17:00 ')).toEqual([['09:00', '17:00']]);
    expect(parseHours('00:00-24:00')).toEqual([['00:00', '24:00']]);
    expect(parseHours('')).toEqual([]);
    for (const bad of ['17:00-09:00', '09:00-12:00,11:00-13:00', '9-5', '09:60-10:00', '24:00-24:30', '09:00-17:00;', 'closed']) {
      expect(parseHours(bad), bad).toBeNull();
    }
  });

  it('knows the open days, the hours and the closure reasons', () => {
    expect(isOpenDay('2026-12-19', central)).toBe(true); // Saturday
    expect(openingHours('2026-12-19', central)).toEqual([['10:00', '16:00']]);
    expect(openingHours('2026-12-17', central)).toEqual([['09:00', '19:00']]); // Thursday
    expect(isOpenDay('2026-12-20', central)).toBe(false); // Sunday
    expect(closureOn('2026-12-20', central)).toBeNull();
    expect(closureOn('2026-12-24', central)).toBe('Christmas');
    expect(closureOn('2026-12-28', central)).toBe('Christmas');
    expect(closureOn('2026-12-29', central)).toBeNull();
    expect(isOpenDay('2026-12-28', central)).toBe(false); // a Monday, but closed
    expect(openingHours('2027-01-01', central)).toEqual([]);
  });

  it('reports what an import would have to reject', () => {
    expect(calendarProblems(central)).toEqual([]);
    const bad = {
      zone: 'Mars/Olympus_Mons',
      hours: ['09:00-17:00', '9-5', '', '', '', ''] as unknown as WeekHours,
      closures: [['2026-12-28', '2026-12-24', 'Christmas'], ['2026-02-30', '2026-03-01', 'Leap'], ['2026-05-01', '2026-05-01', ' ']] as Closure[],
    };
    expect(calendarProblems(bad)).toEqual([
      'unknown time zone "Mars/Olympus_Mons"',
      'hours must give 7 weekdays (Monday first), not 6',
      'hours for tue "9-5" are not "HH:MM-HH:MM[,HH:MM-HH:MM…]" or empty',
      'closure 2026-12-28…2026-12-24: ends before it starts',
      'closure 2026-02-30…2026-03-01: dates must be YYYY-MM-DD',
      'closure 2026-05-01…2026-05-01: needs a reason',
    ]);
  });
});

describe('time zones', () => {
  const hostZone = process.env.TZ;
  afterEach(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it('inherits: branch, then parent, then the server default, then the host', () => {
    expect(resolveTimeZone('', null, 'Pacific/Auckland', 'UTC')).toBe('Pacific/Auckland');
    expect(resolveTimeZone('Asia/Kathmandu', 'Pacific/Auckland')).toBe('Asia/Kathmandu');
    process.env.TZ = 'Pacific/Auckland';
    expect(resolveTimeZone(null, ' ', undefined)).toBe('Pacific/Auckland');
    expect(() => resolveTimeZone('Nowhere/Town', 'UTC')).toThrow(/Nowhere\/Town/);
    process.env.TZ = 'Asia/Kathmandu';
    expect(endOfLocalDay('2026-12-22', hostTimeZone())).toBe('2026-12-22T18:14:59.000Z');
    expect(isTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('GMT+5:45 please')).toBe(false);
  });

  it.each([
    ['Australia/Lord_Howe', -660], ['America/Los_Angeles', 480], ['Asia/Kathmandu', -345],
  ])('answers the same on a host in %s', (zone, januaryOffset) => {
    process.env.TZ = zone;
    // The host zone did change (by offset: ICU may name it by an old alias, e.g. Asia/Katmandu).
    expect(new Date('2026-01-15T00:00:00Z').getTimezoneOffset()).toBe(januaryOffset);
    expect(instantOfLocal('2026-10-04', '02:00', 'Pacific/Honolulu')).toBe('2026-10-04T12:00:00.000Z'); // Lord Howe's gap day
    expect(instantOfLocal('2026-11-01', '01:30', 'America/Los_Angeles')).toBe('2026-11-01T08:30:00.000Z');
    expect(dueAt('2026-12-16T04:00:00.000Z', 7, openAllWeek('America/Los_Angeles'))).toBe('2026-12-23T07:59:59.000Z');
    expect(today('Pacific/Auckland', new Date('2026-12-14T19:00:00.000Z'))).toBe('2026-12-15');
  });
});
