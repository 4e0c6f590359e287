import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { bucketOf, patronEntries, type Snapshot, type SnapshotDelta, type TitleHoldEntry } from '../../shared/snapshot.js';
import {
  applyDelta, lookupItem, lookupItemType, lookupPatron, openSnapshotDb, refreshSnapshot, snapshotMeta, storeSnapshot, type SnapshotDb,
} from '../services/snapshot-store.js';
import { snapshotOf, type ItemRow, type PatronRow } from './snapshot-fixture.js';
import { ColumnError } from '../../shared/snapshot-columns.js';

const snapshot = (patrons: PatronRow[], items: ItemRow[], title_holds: TitleHoldEntry[] = []): Snapshot =>
  snapshotOf({ patrons, items, title_holds }, {
    noncat_types: [{ code: 'MAG', name: 'Magazine', loan_days: 7 }],
    barcode_rules: { patron: { pattern: 'P-.+', check_digit: 'none' }, item: { pattern: null, check_digit: 'none' } },
  });

const small = snapshot(
  [['P-1', 'adult', '2099-12-31', null, 'Ada Alder'], ['P-2', 'juvenile', '2001-01-01', null, 'Bea Birch', 250],
    ['P-BAR', 'adult', '2099-12-31', 'barred', 'Carl Cedar'], ['__proto__', 'adult', '2099-12-31', null, 'Dina Elm', 1500, 3]],
  [['I-1', 'book', 'Rivers of Salt'], ['I-2', 'dvd', 'Night Trains'], ['constructor', 'book', 'Paper Lanterns'],
    ['I-HELD', 'book', 'The Quiet Index', 'P-2'], ['I-HELD2', 'dvd', 'Small Engines', ''], ['I-REC', 'book', 'Collected Poems', undefined, 'rec-2020']],
  [['r:rec-2020', 'P-1'], ['t:Rivers of Salt', 'P-BAR']],
);

describe('the offline snapshot store', () => {
  let db: SnapshotDb;
  beforeEach(async () => {
    db = await openSnapshotDb(`test-snapshot-${crypto.randomUUID()}`);
  });

  it('finds nothing before a snapshot is stored', async () => {
    expect(await snapshotMeta(db)).toBeNull();
    expect(await lookupPatron(db, 'P-1')).toBeNull();
    expect(await lookupItemType(db, 'I-1')).toBeNull();
  });

  it('stores a snapshot and looks cards and items up', async () => {
    const meta = await storeSnapshot(db, small, '"snap-1-a"', new Date('2026-03-01T11:00:00Z'));
    expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', null, 'Ada Alder', 0, null]);
    expect(await lookupPatron(db, 'P-BAR')).toEqual(['P-BAR', 'adult', '2099-12-31', 'barred', 'Carl Cedar', 0, null]);
    expect(await lookupPatron(db, 'P-NONE')).toBeNull();
    expect(await lookupPatron(db, '__proto__')).toEqual(['__proto__', 'adult', '2099-12-31', null, 'Dina Elm', 1500, 3]);
    expect(await lookupItemType(db, 'I-2')).toBe('dvd');
    expect(await lookupItemType(db, 'constructor')).toBe('book');
    expect(await lookupItemType(db, 'toString')).toBeNull();
    expect(await lookupItemType(db, 'I-NONE')).toBeNull();
    // A hold's wanted items carry the card they are wanted for; the type reads the same.
    expect(await lookupItemType(db, 'I-HELD')).toBe('book');
    expect(await lookupItem(db, 'I-HELD')).toEqual({ type: 'book', title: 'The Quiet Index', holdFor: 'P-2' });
    expect(await lookupItem(db, 'I-HELD2')).toEqual({ type: 'dvd', title: 'Small Engines', holdFor: '' });
    expect(await lookupItem(db, 'I-2')).toEqual({ type: 'dvd', title: 'Night Trains' });
    // Title-level holds: by the item's record, else by its title's text.
    expect(await lookupItem(db, 'I-REC')).toEqual({ type: 'book', title: 'Collected Poems', holdFor: 'P-1' });
    expect(await lookupItem(db, 'I-1')).toEqual({ type: 'book', title: 'Rivers of Salt', holdFor: 'P-BAR' });

    const { patrons: _p, items: _i, item_types: _t, titles: _ti, title_holds: _h, ...rest } = small;
    const expected = { ...rest, etag: '"snap-1-a"', stored_at: '2026-03-01T11:00:00.000Z', checked_at: '2026-03-01T11:00:00.000Z', patron_count: 4, item_count: 6 };
    expect(meta).toEqual(expected);
    expect(await snapshotMeta(db)).toEqual(expected);
  });

  it('replaces the whole snapshot on a new store', async () => {
    await storeSnapshot(db, small, '"snap-1-a"');
    expect(await lookupPatron(db, 'P-2')).not.toBeNull(); // now cached in memory
    await storeSnapshot(db, snapshot([['P-1', 'adult', '2099-12-31', 'inactive', 'Ada Alder'], ['P-3', 'adult', '2030-01-01', null, 'Emil Fir']],
      [['I-2', 'book', 'Night Trains']]), '"snap-2-b"');
    expect(await lookupPatron(db, 'P-2')).toBeNull();
    expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', 'inactive', 'Ada Alder', 0, null]);
    expect(await lookupPatron(db, 'P-3')).toEqual(['P-3', 'adult', '2030-01-01', null, 'Emil Fir', 0, null]);
    expect(await lookupItemType(db, 'I-1')).toBeNull();
    expect(await lookupItemType(db, 'I-2')).toBe('book');
    expect(await snapshotMeta(db)).toMatchObject({ etag: '"snap-2-b"', patron_count: 2, item_count: 1 });
  });

  it('refreshes from the server: 200 stores, 304 keeps, If-None-Match sent', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const answers = [
      () => new Response(JSON.stringify(small), { status: 200, headers: { 'content-type': 'application/json', etag: '"snap-7-abc"' } }),
      () => new Response(null, { status: 304, headers: { etag: '"snap-7-abc"' } }),
    ];
    const fakeFetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return answers[calls.length - 1]();
    }) as typeof fetch;

    expect(await refreshSnapshot(db, fakeFetch, new Date('2026-03-01T12:00:00Z'))).toBe('updated');
    expect(await lookupItemType(db, 'I-1')).toBe('book');
    expect(await refreshSnapshot(db, fakeFetch, new Date('2026-03-01T13:00:00Z'))).toBe('unchanged');

    // Data of this format names its version: the second request asks for what changed since.
    expect(calls.map((c) => c.url)).toEqual(['/api/snapshot', '/api/snapshot?since=1']);
    expect(calls[0].init).toMatchObject({ credentials: 'same-origin', cache: 'no-store', headers: {} });
    expect(calls[1].init?.headers).toEqual({ 'if-none-match': '"snap-7-abc"' });
    expect(await snapshotMeta(db)).toMatchObject({ etag: '"snap-7-abc"', stored_at: '2026-03-01T12:00:00.000Z', checked_at: '2026-03-01T13:00:00.000Z' });
  });

  it('keeps the stored snapshot and says why when a refresh fails', async () => {
    await storeSnapshot(db, small, '"snap-1-a"');
    const answer = (response: Response | Error) => (async () => {
      if (response instanceof Error) throw response;
      return response;
    }) as typeof fetch;
    await expect(refreshSnapshot(db, answer(new TypeError('Failed to fetch')))).rejects.toThrow(/cannot be reached.*Failed to fetch/);
    await expect(refreshSnapshot(db, answer(new Response('{}', { status: 401 })))).rejects.toThrow(/Log in again/);
    await expect(refreshSnapshot(db, answer(new Response('{}', { status: 500 })))).rejects.toThrow(/answered 500/);
    await expect(refreshSnapshot(db, answer(new Response('<html>', { status: 200 })))).rejects.toThrow(/could not be read/);
    await expect(refreshSnapshot(db, answer(new Response('{"format":1}', { status: 200 })))).rejects.toThrow(/format 1, expected 5/);
    // Data from a newer server than this app is refused the same way, and what the device holds is kept.
    await expect(refreshSnapshot(db, answer(new Response(JSON.stringify({ ...small, format: 6 }), { status: 200 })))).rejects.toThrow(/format 6, expected 5/);
    expect(await lookupPatron(db, 'P-1')).not.toBeNull();
    expect(await snapshotMeta(db)).toMatchObject({ etag: '"snap-1-a"' });
  });

  it('refuses columns that do not read (cut short, a digit out of the alphabet, a row that is not there), writing nothing', async () => {
    await storeSnapshot(db, small, '"snap-1-a"');
    const broken: Snapshot[] = [
      { ...small, patrons: { ...small.patrons, names: small.patrons.names.slice(1) } },
      { ...small, items: { ...small.items, types: { ...small.items.types, digits: small.items.types.digits.slice(1) } } },
      { ...small, items: { ...small.items, titles: { ...small.items.titles, digits: '*'.repeat(small.items.titles.digits.length) } } },
      { ...small, items: { ...small.items, hold_for: [[99, 'P-1']] } },
      { ...small, patrons: { ...small.patrons, cards: ['Z' + 'P-9', ...small.patrons.cards.slice(1)] } },
      { ...small, items: [] as never },
      // A negative index, a list missing, entries of the wrong kind: refused the same way, never stored half-read.
      { ...small, items: { ...small.items, types: { ...small.items.types, base: -1 } } },
      { ...small, profiles: undefined as never },
      { ...small, title_holds: [['t:x']] as never },
      { ...small, patrons: { ...small.patrons, expires_on: { base: 1e12, width: 1, digits: 'A'.repeat(4) } } },
    ];
    for (const body of broken) {
      await expect(refreshSnapshot(db, (async () => new Response(JSON.stringify({ ...body, version: 2 }), { status: 200, headers: { etag: '"snap-2-x"' } })) as typeof fetch))
        .rejects.toThrow(/could not be read; the stored data is kept/);
    }
    expect(await snapshotMeta(db)).toMatchObject({ etag: '"snap-1-a"', patron_count: 4, item_count: 6 });
    expect(await lookupItem(db, 'I-2')).toEqual({ type: 'dvd', title: 'Night Trains' });
  });

  it('keeps reading what an app of format 4 stored, and asks for the whole data (not a delta) at its next refresh', async () => {
    await storeSnapshot(db, small, '"snap4-3-a"');
    // Format 4 kept the same buckets: only the meta's number differs.
    await db.put('meta', { ...(await db.get('meta', 'current'))!, format: 4 as 5, version: 3 }, 'current');
    expect(await lookupItem(db, 'I-HELD')).toEqual({ type: 'book', title: 'The Quiet Index', holdFor: 'P-2' });
    expect(await lookupPatron(db, 'P-2')).toEqual(['P-2', 'juvenile', '2001-01-01', null, 'Bea Birch', 250, null]);
    const urls: string[] = [];
    const fakeFetch = (async (url: RequestInfo | URL) => {
      urls.push(String(url));
      return new Response(JSON.stringify({ ...small, version: 8 }), { status: 200, headers: { etag: '"snap5-8-a"' } });
    }) as typeof fetch;
    expect(await refreshSnapshot(db, fakeFetch)).toBe('updated');
    expect(urls).toEqual(['/api/snapshot']);
    expect(await snapshotMeta(db)).toMatchObject({ format: 5, version: 8, etag: '"snap5-8-a"' });
  });

  it('still reads what an earlier app stored in format 2 (256 buckets; items a bare type or [type, card a hold wants it for]) until a refresh replaces it', async () => {
    // Written as format 2 wrote it.
    const { patrons: _p, items: _i, ...rest } = small;
    await db.put('meta', { ...rest, format: 2 as 5, etag: '"old"', stored_at: '2026-03-01T11:00:00.000Z', checked_at: '2026-03-01T11:00:00.000Z',
      patron_count: 2, item_count: 3 }, 'current');
    const buckets = new Map<string, Record<string, unknown>>();
    const put = (key: string, barcode: string, value: unknown) => buckets.set(key, { ...buckets.get(key), [barcode]: value });
    put(`p:${bucketOf('P-1', 256)}`, 'P-1', ['P-1', 'adult', '2099-12-31', null]);
    put(`i:${bucketOf('I-2', 256)}`, 'I-2', 'dvd');
    put(`i:${bucketOf('I-HELD', 256)}`, 'I-HELD', ['book', 'P-2']);
    put(`i:${bucketOf('constructor', 256)}`, 'constructor', 'book');
    for (const [key, bucket] of buckets) await db.put('buckets', bucket as never, key);

    expect(await lookupItem(db, 'I-2')).toEqual({ type: 'dvd', title: '' });
    expect(await lookupItem(db, 'I-HELD')).toEqual({ type: 'book', title: '', holdFor: 'P-2' });
    expect(await lookupItemType(db, 'constructor')).toBe('book');
    expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', null]);
    expect(await lookupItem(db, 'I-1')).toBeNull();
  });

  it('stores and looks up 100,000 cards and 500,000 items', async () => {
    const patrons: PatronRow[] = [];
    for (let i = 0; i < 100_000; i++) patrons.push([`2${String(1e12 + i * 7919)}`, i % 3 ? 'adult' : 'juvenile', '2030-06-30', i % 50 === 0 ? 'barred' : null, `Patron ${i}`]);
    const items: ItemRow[] = [];
    for (let i = 0; i < 500_000; i++) items.push([`3${String(1e12 + i * 104729)}`, i % 4 ? 'book' : 'dvd', `Title ${i % 200_000}`]);
    const big = snapshot(patrons, items);

    const started = performance.now();
    await storeSnapshot(db, big, '"snap-big"');
    const stored = performance.now();
    const cards = patronEntries(big);
    for (let i = 0; i < 1000; i++) {
      const p = cards[(i * 97) % patrons.length];
      expect(await lookupPatron(db, p[0])).toEqual(p);
      const it = items[(i * 499) % items.length];
      expect(await lookupItemType(db, it[0])).toBe(it[1]);
    }
    expect(await lookupPatron(db, '2999999999999')).toBeNull();
    const looked = performance.now();
    console.log(`snapshot store (fake-indexeddb): 100,000 cards + 500,000 items stored in ${(stored - started).toFixed(0)} ms; 2,000 lookups in ${(looked - stored).toFixed(0)} ms`);
    expect(await snapshotMeta(db)).toMatchObject({ patron_count: 100_000, item_count: 500_000 });
  }, 120_000); // A correctness test at full size: on a loaded 2-core machine it takes well over the default 30 s.

  describe('what changed since the stored version (a delta)', () => {
    const delta = (since: number, version: number, rows: Parameters<typeof snapshotOf>[0], removed: Partial<Pick<SnapshotDelta,
      'removed_cards' | 'removed_items' | 'removed_title_holds'>> = {}): SnapshotDelta =>
      ({ ...snapshotOf(rows, { version }), delta: true, since, removed_cards: [], removed_items: [], removed_title_holds: [], ...removed });

    it('puts changed cards, items and title holds in place and takes removed ones away, in the buckets they live in', async () => {
      await storeSnapshot(db, small, '"snap5-1-a"');
      expect(await lookupPatron(db, 'P-2')).not.toBeNull(); // cached: the delta must not leave it stale
      const meta = await applyDelta(db, delta(1, 9, {
        patrons: [['P-2', 'juvenile', '2001-01-01', null, 'Bea Birch', 0], ['P-NEW', 'adult', '2030-01-01', null, 'New Reader']],
        items: [['I-2', 'book', 'Night Trains', 'P-NEW'], ['I-NEW', 'dvd', 'Winter Almanac']],
        title_holds: [['t:Winter Almanac', 'P-1']],
      }, { removed_cards: ['P-BAR'], removed_items: ['constructor'], removed_title_holds: ['r:rec-2020'] }), '"snap5-9-a"');

      expect(meta).toMatchObject({ version: 9, etag: '"snap5-9-a"', patron_count: 4, item_count: 6 });
      expect(await lookupPatron(db, 'P-2')).toEqual(['P-2', 'juvenile', '2001-01-01', null, 'Bea Birch', 0, null]);
      expect(await lookupPatron(db, 'P-NEW')).toEqual(['P-NEW', 'adult', '2030-01-01', null, 'New Reader', 0, null]);
      expect(await lookupPatron(db, 'P-BAR')).toBeNull();
      expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', null, 'Ada Alder', 0, null]);
      expect(await lookupItem(db, 'I-2')).toEqual({ type: 'book', title: 'Night Trains', holdFor: 'P-NEW' });
      expect(await lookupItem(db, 'I-NEW')).toEqual({ type: 'dvd', title: 'Winter Almanac', holdFor: 'P-1' });
      expect(await lookupItem(db, 'constructor')).toBeNull();
      expect(await lookupItem(db, 'I-REC')).toEqual({ type: 'book', title: 'Collected Poems' });
      expect(await lookupItem(db, 'I-1')).toEqual({ type: 'book', title: 'Rivers of Salt', holdFor: 'P-BAR' });
    });

    it('refuses a delta whose lists do not read, before writing anything, and keeps the version it holds', async () => {
      await storeSnapshot(db, small, '"snap5-1-a"');
      const good = delta(1, 9, { patrons: [['P-1', 'adult', '2099-12-31', 'barred', 'Ada Alder']], items: [] });
      for (const bad of [{ ...good, removed_cards: undefined as never }, { ...good, removed_items: [7] as never }, { ...good, removed_title_holds: null as never }]) {
        await expect(applyDelta(db, bad, '"snap5-9-a"')).rejects.toThrow(ColumnError);
      }
      expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', null, 'Ada Alder', 0, null]);
      expect(await snapshotMeta(db)).toMatchObject({ version: 1, etag: '"snap5-1-a"' });
    });

    it('refuses a delta from another version than the one stored, and keeps what it holds', async () => {
      await storeSnapshot(db, small, '"snap5-1-a"');
      await expect(applyDelta(db, delta(5, 9, { patrons: [['P-1', 'adult', '2099-12-31', 'barred', 'Ada Alder']], items: [] }), '"snap5-9-a"'))
        .rejects.toThrow(/fetched again/);
      expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', null, 'Ada Alder', 0, null]);
      expect(await snapshotMeta(db)).toMatchObject({ version: 1, etag: '"snap5-1-a"' });
    });

    it('refreshes by asking what changed since the stored version, and applies the answer', async () => {
      await storeSnapshot(db, small, '"snap5-1-a"');
      const urls: string[] = [];
      const fakeFetch = (async (url: RequestInfo | URL) => {
        urls.push(String(url));
        return new Response(JSON.stringify(delta(1, 4, { patrons: [['P-1', 'adult', '2099-12-31', null, 'Ada Alder', 900]], items: [] })),
          { status: 200, headers: { etag: '"snap5-4-a"' } });
      }) as typeof fetch;
      expect(await refreshSnapshot(db, fakeFetch)).toBe('updated');
      expect(urls).toEqual(['/api/snapshot?since=1']);
      expect(await lookupPatron(db, 'P-1')).toEqual(['P-1', 'adult', '2099-12-31', null, 'Ada Alder', 900, null]);
      expect(await snapshotMeta(db)).toMatchObject({ version: 4, etag: '"snap5-4-a"', item_count: 6 });
    });
  });
});
