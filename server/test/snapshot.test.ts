import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { itemEntries, patronEntries, titleEntries, type PatronEntry, type Snapshot, type SnapshotDelta } from '../../shared/snapshot.js';
import { BRANCH_A, BRANCH_B, ITEMS, PATRONS, POLICY, SYSTEM, useTestEnv } from './helpers.js';
import { resolveSettings } from '../domain/snapshot/settings.js';
import { SnapshotService } from '../domain/snapshot/service.js';
import { openDatabase } from '../db/open.js';

describe('GET /api/snapshot', () => {
  beforeEach(() => {
    for (const name of ['OFFLINE_CIRC_PATRON_BARCODE_PATTERN', 'OFFLINE_CIRC_ITEM_BARCODE_PATTERN', 'OFFLINE_CIRC_BARCODE_CHECK_DIGIT', 'OFFLINE_CIRC_FINE_LIMIT_CENTS']) {
      vi.stubEnv(name, undefined);
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  const { env, cookies } = useTestEnv('circA');

  const get = (headers: Record<string, string> = {}, query = '') =>
    env.app.inject({ method: 'GET', url: `/api/snapshot${query}`, headers: { cookie: cookies.circA, 'accept-encoding': 'gzip, deflate, br', ...headers } });

  async function snapshot(): Promise<{ etag: string; body: Snapshot }> {
    const res = await get();
    expect(res.statusCode, res.body).toBe(200);
    return { etag: String(res.headers.etag), body: JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as Snapshot };
  }

  const patron = (s: Snapshot, barcode: string): PatronEntry | undefined => patronEntries(s).find((p) => p[0] === barcode);
  /** An item's entry with its type and title spelled out: [barcode, type, title, record, hold_for?]. */
  const items = (s: Snapshot) => {
    const titles = titleEntries(s);
    return itemEntries(s).map(([barcode, type, title, holdFor]) =>
      [barcode, s.item_types[type], ...titles[title], ...(holdFor === undefined ? [] : [holdFor])]);
  };
  const patronId = (barcode: string): number =>
    env.db.prepare('SELECT patron_id FROM patron_cards WHERE barcode = ?').pluck().get(barcode) as number;
  const bill = (barcode: string, cents: number) =>
    env.db.prepare(`INSERT INTO bills (patron_id, amount_cents, reason, created_at) VALUES (?, ?, 'test', '2026-01-01')`).run(patronId(barcode), cents);

  it('asks for a login', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/snapshot' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'NOT_LOGGED_IN' });
  });

  it('sends the test library as gzip JSON with an ETag', async () => {
    bill(PATRONS.adult2, 600);
    bill(PATRONS.adult2, 500);
    bill(PATRONS.juvenile, 1000); // at the limit, not over it
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"snap5-\d+-[0-9a-f]{12}"$/);
    const s = JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as Snapshot;

    expect(s.format).toBe(5);
    expect(s.version).toBe(env.db.prepare('SELECT version FROM library_version').pluck().get());
    expect(Date.parse(s.generated_at)).toBeGreaterThan(Date.now() - 60_000);
    // Each branch with its calendar, resolved: the test library names no zone, so the server's; no hours, so open every day.
    const open = { zone: expect.any(String), hours: Array(7).fill('00:00-24:00'), closures: [] };
    expect(s.branches).toEqual([
      { code: BRANCH_A, name: 'North Branch', parent: SYSTEM, calendar: open },
      { code: BRANCH_B, name: 'South Branch', parent: SYSTEM, calendar: open },
      { code: SYSTEM, name: 'Test Library System', parent: null, calendar: open },
    ]);
    expect(s.loan_policies).toContainEqual({ item_type: null, patron_profile: null, loan_days: POLICY.defaultDays, max_renewals: POLICY.defaultRenewals,
      daily_fine_cents: 25, max_fine_cents: 1000, max_items_out: null });
    expect(s.loan_policies).toContainEqual(expect.objectContaining({ item_type: 'dvd', patron_profile: null, loan_days: POLICY.dvdDays }));
    expect(s.loan_policies).toHaveLength(3);
    expect(s.noncat_types).toEqual([]);
    expect(s.profiles).toEqual(['adult', 'juvenile']);
    expect(s.barcode_rules).toEqual({ patron: { pattern: null, check_digit: 'none' }, item: { pattern: null, check_digit: 'none' } });
    expect(s.fine_limit_cents).toBe(1000);

    expect(patronEntries(s)).toHaveLength(7);
    expect(patron(s, PATRONS.adult)).toEqual([PATRONS.adult, 'adult', '2099-12-31', null, `Test ${PATRONS.adult}`, 0, null]);
    expect(patron(s, PATRONS.juvenile)).toEqual([PATRONS.juvenile, 'juvenile', '2099-12-31', null, `Test ${PATRONS.juvenile}`, 1000, null]);
    expect(patron(s, PATRONS.barred)).toEqual([PATRONS.barred, 'adult', '2099-12-31', 'barred', `Test ${PATRONS.barred}`, 0, null]);
    expect(patron(s, PATRONS.expired)).toEqual([PATRONS.expired, 'adult', '2001-01-31', null, `Test ${PATRONS.expired}`, 0, null]);
    // The replaced card names the patron who holds the new one.
    expect(patron(s, PATRONS.oldCard)).toEqual([PATRONS.oldCard, 'adult', '2099-12-31', 'lost_card', `Test ${PATRONS.newCard}`, 0, null]);
    expect(patron(s, PATRONS.newCard)).toEqual([PATRONS.newCard, 'adult', '2099-12-31', null, `Test ${PATRONS.newCard}`, 0, null]);
    // A balance, not a block: the desk compares it with the fine limit, less what it has taken since.
    expect(patron(s, PATRONS.adult2)).toEqual([PATRONS.adult2, 'adult', '2099-12-31', null, `Test ${PATRONS.adult2}`, 1100, null]);

    expect(itemEntries(s)).toHaveLength(7);
    expect(s.item_types).toEqual(['book', 'dvd']);
    expect(items(s)).toContainEqual([ITEMS.book1, 'book', `Title of ${ITEMS.book1}`, null]);
    expect(items(s)).toContainEqual([ITEMS.dvd, 'dvd', `Title of ${ITEMS.dvd}`, null]);
    expect(items(s)).toContainEqual([ITEMS.onLoan, 'book', `Title of ${ITEMS.onLoan}`, null]);
    expect(s.title_holds).toEqual([]);
  });

  it('ranks blocks barred, inactive, lost card', async () => {
    env.db.prepare('UPDATE patrons SET inactive = 1 WHERE id = ?').run(patronId(PATRONS.newCard));
    env.db.prepare('UPDATE patrons SET inactive = 1 WHERE id = ?').run(patronId(PATRONS.barred));
    bill(PATRONS.barred, 5000);
    const { body } = await snapshot();
    expect(patron(body, PATRONS.barred)?.[3]).toBe('barred');
    expect(patron(body, PATRONS.newCard)?.[3]).toBe('inactive');
    expect(patron(body, PATRONS.oldCard)?.[3]).toBe('inactive');
  });

  it('escapes barcodes that need it in JSON', async () => {
    const odd = 'P-"quoted"\\back\tslash-Ünï-€';
    env.db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, 0)').run(odd, patronId(PATRONS.adult));
    const { body } = await snapshot();
    expect(patron(body, odd)).toEqual([odd, 'adult', '2099-12-31', 'lost_card', `Test ${PATRONS.adult}`, 0, null]);
  });

  it('answers 304 with no body to the current ETag, also without gzip', async () => {
    const first = await get();
    const etag = String(first.headers.etag);
    const again = await get({ 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect((await get({ 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    expect((await get({ 'if-none-match': '"snap5-0-000000000000"' })).statusCode).toBe(200);

    const plain = await env.app.inject({ method: 'GET', url: '/api/snapshot', headers: { cookie: cookies.circA, 'accept-encoding': 'identity' } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toBe(etag);
    expect(itemEntries(plain.json<Snapshot>())).toHaveLength(7);
  });

  it('changes the ETag when an item type changes or a patron is added', async () => {
    const a = await snapshot();
    env.db.prepare("UPDATE items SET item_type = 'dvd' WHERE barcode = ?").run(ITEMS.book2);
    const b = await snapshot();
    expect(b.etag).not.toBe(a.etag);
    expect(items(b.body)).toContainEqual([ITEMS.book2, 'dvd', `Title of ${ITEMS.book2}`, null]);
    expect((await get({ 'if-none-match': a.etag })).statusCode).toBe(200);

    env.db.prepare(`INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, created_at)
      VALUES ('New', 'Patron', 'staff', ?, '2030-01-01', '2026-01-01')`).run(env.library.branchIds[BRANCH_A]);
    env.db.prepare('INSERT INTO patron_cards (barcode, patron_id) VALUES (?, last_insert_rowid())').run('P-STAFF');
    const c = await snapshot();
    expect(c.etag).not.toBe(b.etag);
    expect(patron(c.body, 'P-STAFF')).toEqual(['P-STAFF', 'staff', '2030-01-01', null, 'New Patron', 0, null]);
    expect(c.body.profiles).toEqual(['adult', 'juvenile', 'staff']);
  });

  it('names, for each item a hold on it wants, the card it is wanted for, and for each title its oldest waiting hold\'s card', async () => {
    const itemId = (barcode: string) => env.db.prepare('SELECT id FROM items WHERE barcode = ?').pluck().get(barcode) as number;
    const branch = env.library.branchIds[BRANCH_A];
    const hold = env.db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    const before = await snapshot();
    // book1: a newer hold already set aside beats an older one still waiting.
    hold.run(patronId(PATRONS.adult2), itemId(ITEMS.book1), null, branch, 'pending', '2026-01-01T00:00:00Z');
    hold.run(patronId(PATRONS.juvenile), itemId(ITEMS.book1), null, branch, 'captured', '2026-02-01T00:00:00Z');
    // book2: the oldest of two holds on its title.
    hold.run(patronId(PATRONS.adult), null, `Title of ${ITEMS.book2}`, branch, 'pending', '2026-03-01T00:00:00Z');
    hold.run(patronId(PATRONS.adult2), null, `Title of ${ITEMS.book2}`, branch, 'pending', '2026-02-15T00:00:00Z');
    // dvd: the patron has replaced the card, so the current one is named; book3: a fulfilled hold wants nothing.
    hold.run(patronId(PATRONS.oldCard), itemId(ITEMS.dvd), null, branch, 'pending', '2026-01-01T00:00:00Z');
    hold.run(patronId(PATRONS.adult), itemId(ITEMS.book3), null, branch, 'fulfilled', '2026-01-01T00:00:00Z');
    const after = await snapshot();
    expect(after.etag).not.toBe(before.etag);
    expect(items(after.body)).toContainEqual([ITEMS.book1, 'book', `Title of ${ITEMS.book1}`, null, PATRONS.juvenile]);
    expect(items(after.body)).toContainEqual([ITEMS.book2, 'book', `Title of ${ITEMS.book2}`, null]);
    expect(after.body.title_holds).toEqual([[`t:Title of ${ITEMS.book2}`, PATRONS.adult2]]);
    expect(items(after.body)).toContainEqual([ITEMS.dvd, 'dvd', `Title of ${ITEMS.dvd}`, null, PATRONS.newCard]);
    expect(items(after.body)).toContainEqual([ITEMS.book3, 'book', `Title of ${ITEMS.book3}`, null]);
    expect(items(after.body)).toContainEqual([ITEMS.southBook, 'book', `Title of ${ITEMS.southBook}`, null]);
  });

  it('keeps the ETag through item status changes and same-value rewrites', async () => {
    const a = await snapshot();
    env.db.prepare("UPDATE items SET status = 'missing', status_changed_at = '2026-01-01', current_branch_id = ? WHERE barcode = ?")
      .run(env.library.branchIds[BRANCH_B], ITEMS.book1);
    env.db.prepare("UPDATE items SET item_type = 'book', author = 'Renamed' WHERE barcode = ?").run(ITEMS.book3);
    env.db.prepare("UPDATE patrons SET email = 'new@example.org', barred = 0 WHERE id = ?").run(patronId(PATRONS.adult));
    expect((await get({ 'if-none-match': a.etag })).statusCode).toBe(304);
    // A title decides which title-level holds want the item: it moves the snapshot.
    env.db.prepare("UPDATE items SET title = 'Retitled' WHERE barcode = ?").run(ITEMS.book3);
    expect((await get({ 'if-none-match': a.etag })).statusCode).toBe(200);
  });

  it('keeps the ETag when a restarted server builds the same data again, so no desk downloads it twice', async () => {
    const first = new SnapshotService(env.db);
    const before = await first.current();
    await first.close();
    // A new service is what a restarted server starts with: it builds the snapshot afresh.
    const second = new SnapshotService(env.db);
    const after = await second.current();
    await second.close();
    expect(after.etag).toBe(before.etag);
  });

  it('sends items out only where a policy limits the profile, a credit as a negative balance, and a hold for a patron without an active card as an empty card', async () => {
    env.db.prepare("INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out) VALUES ('limited-type', 'juvenile', 14, 1, 10, 500, 5)").run();
    env.db.prepare("INSERT INTO payments (patron_id, amount_cents, credit_cents, paid_at) VALUES (?, 500, 300, '2026-01-01T00:00:00Z')").run(patronId(PATRONS.adult));
    const branch = env.library.branchIds[BRANCH_A];
    env.db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, (SELECT id FROM items WHERE barcode = ?), NULL, ?, ?, ?)')
      .run(patronId(PATRONS.oldCard), ITEMS.book2, branch, 'pending', '2026-01-01T00:00:00Z');
    env.db.prepare('UPDATE patron_cards SET active = 0 WHERE patron_id = ?').run(patronId(PATRONS.oldCard));
    const { body } = await snapshot();
    expect(patron(body, PATRONS.juvenile)?.[6]).toBe(0);
    expect(patron(body, PATRONS.adult)?.[6]).toBeNull();
    expect(patron(body, PATRONS.adult)?.[5]).toBe(-300);
    expect(items(body)).toContainEqual([ITEMS.book2, 'book', `Title of ${ITEMS.book2}`, null, '']);
  });

  it('sends an expiry it cannot read as long past, so the desk warns of it (as a date it compared before)', async () => {
    env.db.prepare("UPDATE patrons SET expires_on = 'someday' WHERE id = ?").run(patronId(PATRONS.adult));
    const { body } = await snapshot();
    expect(patron(body, PATRONS.adult)?.[2]).toBe('1970-01-01');
    expect(patron(body, PATRONS.juvenile)?.[2]).toBe('2099-12-31');
  });

  it('builds the same data in the worker thread, over a database file, as on the main connection', async () => {
    bill(PATRONS.adult2, 600);
    env.db.prepare("UPDATE items SET record_id = 'rec-9' WHERE barcode = ?").run(ITEMS.dvd);
    const dir = mkdtempSync(join(tmpdir(), 'offline-circ-snapshot-'));
    const file = join(dir, 'library.db');
    env.db.prepare('VACUUM INTO ?').run(file);
    const onFile = openDatabase(file);
    const inWorker = new SnapshotService(onFile);
    const here = new SnapshotService(env.db);
    try {
      const read = async (service: SnapshotService) => {
        const { generated_at: _at, ...rest } = JSON.parse(gunzipSync((await service.current()).gzip).toString('utf8')) as Snapshot;
        return rest;
      };
      const [fromWorker, fromMain] = [await read(inWorker), await read(here)];
      expect(fromWorker).toEqual(fromMain);
      expect(patron(fromWorker as Snapshot, PATRONS.adult2)).toEqual([PATRONS.adult2, 'adult', '2099-12-31', null, `Test ${PATRONS.adult2}`, 600, null]);
      expect(items(fromWorker as Snapshot)).toContainEqual([ITEMS.dvd, 'dvd', `Title of ${ITEMS.dvd}`, 'rec-9']);
    } finally {
      await inWorker.close();
      await here.close();
      onFile.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('what changed since a version (deltas)', () => {
    /** A snapshot as a desk keeps it: cards, items (type and title spelled out) and title-level holds, by key. */
    function kept(snap: Snapshot) {
      return { cards: new Map(patronEntries(snap).map((p) => [p[0], p])), items: new Map(items(snap).map((i) => [i[0], i])),
        titleHolds: new Map(snap.title_holds) };
    }
    function apply(old: ReturnType<typeof kept>, delta: SnapshotDelta) {
      const next = { cards: new Map(old.cards), items: new Map(old.items), titleHolds: new Map(old.titleHolds) };
      for (const card of delta.removed_cards) next.cards.delete(card);
      for (const item of delta.removed_items) next.items.delete(item);
      for (const key of delta.removed_title_holds) next.titleHolds.delete(key);
      for (const p of patronEntries(delta)) next.cards.set(p[0], p);
      for (const i of items(delta)) next.items.set(i[0] as string, i);
      for (const [key, card] of delta.title_holds) next.titleHolds.set(key, card);
      return next;
    }
    const since = async (version: number, etag: string) => {
      const res = await get({ 'if-none-match': etag }, `?since=${version}`);
      expect(res.statusCode, res.body).toBe(200);
      return { etag: String(res.headers.etag), body: JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as SnapshotDelta };
    };
    const itemId = (barcode: string) => env.db.prepare('SELECT id FROM items WHERE barcode = ?').pluck().get(barcode) as number;

    it('sends only the cards, items and title holds that changed, and what is gone; applied, they give the whole data', async () => {
      const old = await snapshot();
      const branch = env.library.branchIds[BRANCH_A];
      bill(PATRONS.adult, 250);
      env.db.prepare("UPDATE items SET item_type = 'dvd' WHERE barcode = ?").run(ITEMS.book2);
      env.db.prepare(`INSERT INTO items (barcode, title, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
        VALUES ('I-NEW', 'A New Book', 'book', ?, ?, 'available', '2026-01-01')`).run(branch, branch);
      env.db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, NULL, ?, ?, ?, ?)')
        .run(patronId(PATRONS.juvenile), `Title of ${ITEMS.book3}`, branch, 'pending', '2026-01-01T00:00:00Z');
      env.db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, ?, NULL, ?, ?, ?)')
        .run(patronId(PATRONS.adult2), itemId(ITEMS.dvd), branch, 'pending', '2026-01-01T00:00:00Z');
      env.db.prepare('DELETE FROM patron_cards WHERE barcode = ?').run(PATRONS.oldCard);

      const delta = await since(old.body.version, old.etag);
      const whole = await snapshot();
      expect(delta.body).toMatchObject({ format: 5, delta: true, since: old.body.version, version: whole.body.version });
      expect(delta.etag).toBe(whole.etag);
      expect(patronEntries(delta.body).map((p) => p[0])).toEqual([PATRONS.adult]);
      expect(patronEntries(delta.body)[0][5]).toBe(250);
      expect(items(delta.body).map((i) => i[0]).sort()).toEqual([ITEMS.book2, ITEMS.dvd, 'I-NEW']);
      expect(delta.body.title_holds).toEqual([[`t:Title of ${ITEMS.book3}`, PATRONS.juvenile]]);
      expect(delta.body.removed_cards).toEqual([PATRONS.oldCard]);
      expect(delta.body.removed_items).toEqual([]);
      // The head comes whole: branches, policies, settings.
      expect(delta.body.branches).toEqual(whole.body.branches);
      expect(apply(kept(old.body), delta.body)).toEqual(kept(whole.body));

      // A hold filled and an item gone: their entries leave the desk too.
      env.db.prepare("UPDATE holds SET status = 'cancelled' WHERE item_id IS NULL").run();
      env.db.prepare("DELETE FROM items WHERE barcode = 'I-NEW'").run();
      const next = await since(whole.body.version, whole.etag);
      expect(next.body.removed_title_holds).toEqual([`t:Title of ${ITEMS.book3}`]);
      expect(next.body.removed_items).toEqual(['I-NEW']);
      expect(apply(kept(whole.body), next.body)).toEqual(kept((await snapshot()).body));
    });

    it('sends the whole data to a desk older than the change log reaches back, or claiming a version not reached yet', async () => {
      const old = await snapshot();
      bill(PATRONS.adult, 100);
      env.db.prepare('UPDATE snapshot_log_floor SET version = ?').run(old.body.version + 1);
      const res = await get({}, `?since=${old.body.version}`);
      expect(JSON.parse(gunzipSync(res.rawPayload).toString('utf8'))).not.toHaveProperty('delta');
      const ahead = await get({}, '?since=999999');
      expect(JSON.parse(gunzipSync(ahead.rawPayload).toString('utf8'))).not.toHaveProperty('delta');
      expect((await get({}, '?since=abc')).statusCode).toBe(400);
    });

    it('a processed session changes only what it touched: the delta is a small part of the whole', async () => {
      const old = await snapshot();
      // A fine billed and a hold captured by processing-like writes; nothing else.
      bill(PATRONS.juvenile, 75);
      const delta = await since(old.body.version, old.etag);
      expect(patronEntries(delta.body).map((p) => p[0])).toEqual([PATRONS.juvenile]);
      expect(itemEntries(delta.body)).toEqual([]);
    });
  });

  it('carries barcode rules from library_settings, overridden by the environment', async () => {
    env.db.prepare('INSERT INTO library_settings (key, value) VALUES (?, ?), (?, ?), (?, ?)')
      .run('patron_barcode_pattern', 'P-[A-Z0-9]+', 'barcode_check_digit', 'luhn', 'fine_limit_cents', '500');
    const stored = await snapshot();
    expect(stored.body.barcode_rules).toEqual({ patron: { pattern: 'P-[A-Z0-9]+', check_digit: 'luhn' }, item: { pattern: null, check_digit: 'luhn' } });
    expect(stored.body.fine_limit_cents).toBe(500);

    vi.stubEnv('OFFLINE_CIRC_PATRON_BARCODE_PATTERN', '2\\d{13}');
    vi.stubEnv('OFFLINE_CIRC_ITEM_BARCODE_PATTERN', '3\\d{13}');
    vi.stubEnv('OFFLINE_CIRC_BARCODE_CHECK_DIGIT', 'none');
    vi.stubEnv('OFFLINE_CIRC_FINE_LIMIT_CENTS', '2500');
    const fromEnv = await snapshot();
    expect(fromEnv.etag).not.toBe(stored.etag);
    expect(fromEnv.body.barcode_rules).toEqual({ patron: { pattern: '2\\d{13}', check_digit: 'none' }, item: { pattern: '3\\d{13}', check_digit: 'none' } });
    expect(fromEnv.body.fine_limit_cents).toBe(2500);
  });

  it('falls back to no rule, with a warning, on a bad setting', () => {
    const warn = vi.fn();
    const s = resolveSettings({ patronPattern: '([unclosed', itemPattern: '\\d+', checkDigit: 'mod11', fineLimit: 'lots' }, warn);
    expect(s).toEqual({ barcode_rules: { patron: { pattern: null, check_digit: 'none' }, item: { pattern: '\\d+', check_digit: 'none' } }, fine_limit_cents: 1000 });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/patron barcode pattern.*not a valid regular expression/));
  });
});
