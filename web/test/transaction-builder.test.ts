import { describe, expect, it } from 'vitest';
import { buildTransaction, type DeskMode, type ScanFields } from '../services/transaction-builder.js';

const id = '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b';
const now = new Date('2026-11-29T10:00:00.000Z');
const build = (mode: DeskMode, fields: ScanFields) => buildTransaction({ mode, fields, id, now, today: '2026-11-29' });
const base = { id, occurred_at: '2026-11-29T10:00:00.000Z' };

describe('a checkout', () => {
  it('records the card and the item, with the due date staff gave or none', () => {
    expect(build('checkout', { patron_barcode: ' P0001 ', item_barcode: 'I00001', due_at: '' }))
      .toEqual({ ok: true, tx: { ...base, type: 'checkout', patron_barcode: 'P0001', item_barcode: 'I00001' } });
    expect(build('checkout', { patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-12-20' }))
      .toEqual({ ok: true, tx: { ...base, type: 'checkout', patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-12-20' } });
  });

  it('accepts today as the due date, not yesterday', () => {
    expect(build('checkout', { patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-11-29' }).ok).toBe(true);
    expect(build('checkout', { patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-11-28' }))
      .toEqual({ ok: false, problem: 'The due date cannot be in the past', field: 'due_at' });
  });

  it('needs the card first, then the item', () => {
    expect(build('checkout', { item_barcode: 'I00001' })).toEqual({ ok: false, problem: 'Scan the patron’s card first', field: 'patron_barcode' });
    expect(build('checkout', { patron_barcode: 'P0001', item_barcode: '   ' })).toEqual({ ok: false, problem: 'Scan the item', field: 'item_barcode' });
  });

  it('of non-cataloged items records the type and a count of 1 to 99, 1 when left empty', () => {
    const noncat = { noncat: 'on', patron_barcode: 'P0001' };
    expect(build('checkout', { ...noncat, noncat_type: 'MAG', count: '3' }))
      .toEqual({ ok: true, tx: { ...base, type: 'checkout', patron_barcode: 'P0001', noncat_type: 'MAG', count: 3 } });
    expect(build('checkout', { ...noncat, noncat_type: 'MAG', count: '' })).toMatchObject({ ok: true, tx: { count: 1 } });
    expect(build('checkout', { ...noncat, count: '3' })).toEqual({ ok: false, problem: 'Choose the non-cataloged type', field: 'noncat_type' });
    for (const count of ['0', '100', '2.5', 'two']) {
      expect(build('checkout', { ...noncat, noncat_type: 'MAG', count })).toEqual({ ok: false, problem: 'Count must be a whole number from 1 to 99', field: 'count' });
    }
    expect(build('checkout', { noncat: 'on', noncat_type: 'MAG' })).toEqual({ ok: false, problem: 'Scan the patron’s card first', field: 'patron_barcode' });
  });
});

describe('a renewal', () => {
  it('records the item, and the card and due date when given', () => {
    expect(build('renew', { item_barcode: 'I00001', patron_barcode: '', due_at: '' }))
      .toEqual({ ok: true, tx: { ...base, type: 'renew', item_barcode: 'I00001' } });
    expect(build('renew', { item_barcode: 'I00001', patron_barcode: 'P0001', due_at: '2026-12-20' }))
      .toEqual({ ok: true, tx: { ...base, type: 'renew', item_barcode: 'I00001', patron_barcode: 'P0001', due_at: '2026-12-20' } });
  });

  it('needs the item, and no due date in the past', () => {
    expect(build('renew', { patron_barcode: 'P0001' })).toEqual({ ok: false, problem: 'Scan the item', field: 'item_barcode' });
    expect(build('renew', { item_barcode: 'I00001', due_at: '2026-01-01' })).toEqual({ ok: false, problem: 'The due date cannot be in the past', field: 'due_at' });
  });
});

describe('a checkin', () => {
  it('records the item, with an effective date up to today for the book drop', () => {
    expect(build('checkin', { item_barcode: 'I00001', backdate: '' })).toEqual({ ok: true, tx: { ...base, type: 'checkin', item_barcode: 'I00001' } });
    expect(build('checkin', { item_barcode: 'I00001', backdate: '2026-11-29' }))
      .toEqual({ ok: true, tx: { ...base, type: 'checkin', item_barcode: 'I00001', backdate: '2026-11-29' } });
  });

  it('needs the item, and no effective date in the future', () => {
    expect(build('checkin', {})).toEqual({ ok: false, problem: 'Scan the item', field: 'item_barcode' });
    expect(build('checkin', { item_barcode: 'I00001', backdate: '2026-11-30' })).toEqual({ ok: false, problem: 'The effective date cannot be in the future', field: 'backdate' });
  });
});

describe('an in-house use', () => {
  it('records the item and a count of 1 to 99', () => {
    expect(build('in_house_use', { item_barcode: 'I00001', count: '2' }))
      .toEqual({ ok: true, tx: { ...base, type: 'in_house_use', item_barcode: 'I00001', count: 2 } });
    expect(build('in_house_use', { item_barcode: 'I00001' })).toMatchObject({ ok: true, tx: { count: 1 } });
  });

  it('needs the item, then a good count', () => {
    expect(build('in_house_use', { count: '2' })).toEqual({ ok: false, problem: 'Scan the item', field: 'item_barcode' });
    expect(build('in_house_use', { item_barcode: 'I00001', count: '-1' })).toEqual({ ok: false, problem: 'Count must be a whole number from 1 to 99', field: 'count' });
  });
});

describe('a registration', () => {
  const patron = { card_barcode: 'NEWCARD-77', first_name: ' Mira ', last_name: 'Quill' };

  it('records the new card and the name, and only the optional fields that were filled in', () => {
    expect(build('register', { ...patron, profile: 'juvenile', home_branch: 'WEST', email: '', phone: ' ' })).toEqual({ ok: true, tx: { ...base, type: 'register',
      patron: { barcode: 'NEWCARD-77', first_name: 'Mira', last_name: 'Quill', profile: 'juvenile', home_branch: 'WEST' } } });
    expect(build('register', { ...patron, email: 'mira@example.org', phone: '555 0100' })).toMatchObject({ ok: true, tx: {
      patron: { barcode: 'NEWCARD-77', first_name: 'Mira', last_name: 'Quill', email: 'mira@example.org', phone: '555 0100' } } });
  });

  it('needs the card first, then both names', () => {
    expect(build('register', { first_name: 'Mira', last_name: 'Quill' })).toEqual({ ok: false, problem: 'Scan or type the new card’s barcode', field: 'card_barcode' });
    expect(build('register', { ...patron, last_name: '' })).toEqual({ ok: false, problem: 'First and last name are required', field: 'last_name' });
    expect(build('register', { ...patron, first_name: undefined })).toEqual({ ok: false, problem: 'First and last name are required', field: 'first_name' });
  });
});

describe('every form', () => {
  it('refuses a barcode a scanner would not send, naming the field, before anything else', () => {
    expect(build('checkin', { item_barcode: 'I 00001' }))
      .toEqual({ ok: false, problem: 'Item barcode “I 00001” has spaces or characters a scanner does not send', field: 'item_barcode' });
    expect(build('renew', { item_barcode: 'I00001', patron_barcode: 'P\u00e90001' }))
      .toEqual({ ok: false, problem: 'Patron barcode “P\u00e90001” has spaces or characters a scanner does not send', field: 'patron_barcode' });
    expect(build('register', { card_barcode: 'CARD 7' }))
      .toEqual({ ok: false, problem: 'Card barcode “CARD 7” has spaces or characters a scanner does not send', field: 'card_barcode' });
    expect(build('checkout', { item_barcode: 'I0000\t1', due_at: '2000-01-01' }))
      .toEqual({ ok: false, problem: 'Item barcode “I0000\t1” has spaces or characters a scanner does not send', field: 'item_barcode' });
  });

  it('stamps the id and the time it is given', () => {
    const later = new Date('2026-11-30T08:15:00.123Z');
    expect(buildTransaction({ mode: 'checkin', fields: { item_barcode: 'I00001' }, id: 'x', now: later, today: '2026-11-30' }))
      .toMatchObject({ ok: true, tx: { id: 'x', occurred_at: '2026-11-30T08:15:00.123Z' } });
  });
});

describe('payments', () => {
  const build = (fields: Record<string, string>) => buildTransaction({ mode: 'payment', fields, id: '00000000-0000-4000-8000-000000000001', now: new Date('2026-12-01T10:00:00.000Z'), today: '2026-12-01' });

  it('records the amount in whole cents, with the note', () => {
    expect(build({ patron_barcode: 'P0001', amount: '5.05', note: 'cash' })).toEqual({ ok: true, tx: { id: '00000000-0000-4000-8000-000000000001',
      occurred_at: '2026-12-01T10:00:00.000Z', type: 'payment', patron_barcode: 'P0001', amount_cents: 505, note: 'cash' } });
    expect(build({ patron_barcode: 'P0001', amount: '12,5' })).toMatchObject({ ok: true, tx: { amount_cents: 1250 } });
    expect(build({ patron_barcode: 'P0001', amount: '3' })).toMatchObject({ ok: true, tx: { amount_cents: 300 } });
  });

  it('refuses a missing card and an amount that is not a sum above zero', () => {
    expect(build({ amount: '5.00' })).toEqual({ ok: false, problem: 'Scan the patron’s card first', field: 'patron_barcode' });
    for (const amount of ['', '0', '0.00', '-5', '5.005', 'five', '1e3']) {
      expect(build({ patron_barcode: 'P0001', amount })).toEqual({ ok: false, problem: 'Amount must be a sum above zero with at most two decimals, such as 5.00', field: 'amount' });
    }
  });
});

describe('dates at a desk whose day is not UTC’s', () => {
  // 20:00 on 29 November in Los Angeles is already 30 November in UTC; 08:30 on 30 November in Auckland is still the 29th there.
  const la = (mode: DeskMode, fields: ScanFields) =>
    buildTransaction({ mode, fields, id, now: new Date('2026-11-30T04:00:00.000Z'), today: '2026-11-29' });
  const auckland = (mode: DeskMode, fields: ScanFields) =>
    buildTransaction({ mode, fields, id, now: new Date('2026-11-29T19:30:00.000Z'), today: '2026-11-30' });

  it('take the branch’s today as a due date and as a book-drop date, whatever the UTC date', () => {
    expect(la('checkout', { patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-11-29' })).toMatchObject({ ok: true, tx: { due_at: '2026-11-29' } });
    expect(la('checkin', { item_barcode: 'I00001', backdate: '2026-11-29' })).toMatchObject({ ok: true, tx: { backdate: '2026-11-29' } });
    expect(auckland('checkout', { patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-11-30' })).toMatchObject({ ok: true });
    expect(auckland('checkin', { item_barcode: 'I00001', backdate: '2026-11-30' })).toMatchObject({ ok: true, tx: { backdate: '2026-11-30' } });
  });

  it('refuse the branch’s tomorrow as a book-drop date and its yesterday as a due date, though UTC is already (or still) there', () => {
    expect(la('checkin', { item_barcode: 'I00001', backdate: '2026-11-30' }))
      .toEqual({ ok: false, problem: 'The effective date cannot be in the future', field: 'backdate' });
    expect(auckland('checkout', { patron_barcode: 'P0001', item_barcode: 'I00001', due_at: '2026-11-29' }))
      .toEqual({ ok: false, problem: 'The due date cannot be in the past', field: 'due_at' });
  });
});
