/**
 * Out of order, the same end: for random seeds, the same desk scans are
 * processed two ways, and every item must end in the same state —
 *   reference: everything uploaded at once and processed in time order, with
 *     the barcodes as staff meant them;
 *   interleaved: the scans split into uploads sent in a random order, sessions
 *     processed between them and reopened for the late ones, some scans
 *     mistyped and fixed-and-retried at random points after the fact.
 * The one rule of time (a scan older than its item's last change is skipped)
 * is what makes the two agree: a late scan never overrides a later one.
 *
 * Holds are left out on purpose: which copy of a title fills a hold depends
 * on which copy comes back first in processing, which is what order means.
 */
import { describe, it, expect } from 'vitest';
import {
  BRANCH_A, BRANCH_B, PATRONS, call, createSession, createTestEnv, loginAs, processSession, tx, upload, useTestEnv, type TestEnv,
} from './helpers.js';
import type { OfflineTransaction } from '../../shared/transaction.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

const SEEDS = [3, 7, 11, 19, 23, 42];
const SOUTH_DESK = 'SOUTH-DESK-1';
const ITEM_POOL: { barcode: string; branch: string; onLoanTo?: string }[] = [
  { barcode: 'I-OOO1', branch: BRANCH_A },
  { barcode: 'I-OOO2', branch: BRANCH_A, onLoanTo: PATRONS.adult },
  { barcode: 'I-OOO3', branch: BRANCH_B },
  { barcode: 'I-OOO4', branch: BRANCH_B, onLoanTo: PATRONS.adult2 },
];
const PATRON_POOL = [PATRONS.adult, PATRONS.adult2, PATRONS.juvenile];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same starting library in both databases: the pool's items, some on loan, and a desk at SOUTH (so checkins there route items). */
function prepare(e: TestEnv): void {
  const branch = (code: string) => e.library.branchIds[code];
  const insert = e.db.prepare(`INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
    VALUES (?, ?, '', '', 'book', ?, ?, ?, '2026-01-01T00:00:00.000Z')`);
  for (const item of ITEM_POOL) {
    const id = insert.run(item.barcode, `Only copy of ${item.barcode}`, branch(item.branch), branch(item.branch), item.onLoanTo ? 'checked_out' : 'available').lastInsertRowid;
    if (item.onLoanTo) {
      e.db.prepare(`INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at)
        SELECT ?, patron_id, '2026-01-01T00:00:00.000Z', ?, '2099-01-01T23:59:59.000Z' FROM patron_cards WHERE barcode = ?`).run(id, branch(item.branch), item.onLoanTo);
    }
  }
  e.db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)')
    .run(SOUTH_DESK, branch(BRANCH_B), e.library.staffIds.sysadmin, '2026-01-01T00:00:00.000Z');
}

interface Scan { meant: OfflineTransaction; /** As uploaded in the interleaved run: a mistyped item barcode, fixed later. */ typed: OfflineTransaction }

function scans(seed: number): Scan[] {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const start = Date.now() - 3 * 3600_000;
  const out: Scan[] = [];
  for (let i = 0; i < 18 + Math.floor(rnd() * 10); i++) {
    const item = pick(ITEM_POOL).barcode;
    const r = rnd();
    const type = r < 0.35 ? 'checkout' : r < 0.7 ? 'checkin' : r < 0.85 ? 'renew' : 'in_house_use';
    const fields: Record<string, unknown> = {
      item_barcode: item, occurred_at: new Date(start + i * 61_000 + Math.floor(rnd() * 30_000)).toISOString(),
      workstation: rnd() < 0.5 ? SOUTH_DESK : 'NORTH-DESK-1',
    };
    if (type === 'checkout') fields.patron_barcode = pick(PATRON_POOL);
    else if (type === 'renew' && rnd() < 0.5) fields.patron_barcode = pick(PATRON_POOL);
    const meant = tx(type, fields);
    const typed = (type === 'checkout' || type === 'checkin') && rnd() < 0.25 ? { ...meant, item_barcode: `${item}X` } : meant;
    out.push({ meant, typed });
  }
  return out;
}

interface ItemEnd { barcode: string; status: string; branch: string; borrower: string | null }
function itemStates(e: TestEnv): ItemEnd[] {
  return e.db.prepare(`SELECT i.barcode, i.status, b.code AS branch,
      (SELECT c.barcode FROM loans l JOIN patron_cards c ON c.patron_id = l.patron_id AND c.active = 1
        WHERE l.item_id = i.id AND l.checkin_at IS NULL) AS borrower
    FROM items i JOIN branches b ON b.id = i.current_branch_id WHERE i.barcode LIKE 'I-OOO%' ORDER BY i.barcode`).all() as ItemEnd[];
}

describe('late uploads, reopened sessions and retries', () => {
  it.each(SEEDS)('seed %i: end with every item as processing all the scans at once, in time order', async (seed) => {
    const all = scans(seed);
    const rnd = mulberry32(seed * 7919);

    const reference = await createTestEnv();
    try {
      prepare(reference);
      const admin = await loginAs(reference.app, 'sysadmin');
      const session = await createSession(reference.app, admin);
      await upload(reference.app, await loginAs(reference.app, 'circA'), session.id, all.map((s) => s.meant));
      await processSession(reference.app, admin, session.id);
      const expected = itemStates(reference);

      prepare(env);
      const live = await createSession(env.app, cookies.sysadmin);
      // Uploads in a random order, each holding a random share of the scans (a desk that uploads late holds older ones).
      const groups: Scan[][] = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => []);
      for (const s of all) groups[Math.floor(rnd() * groups.length)].push(s);
      groups.sort(() => rnd() - 0.5);
      const uploaded: Scan[] = [];
      const fixed = new Set<string>();
      let processed = false;
      const fixSome = async (share: number) => {
        for (const s of uploaded) {
          if (s.typed === s.meant || fixed.has(s.meant.id) || rnd() > share) continue;
          const r = await call(env.app, 'POST', `/api/sessions/${live.id}/transactions/${s.meant.id}/retry`, cookies.sysadmin, { item_barcode: s.meant.item_barcode });
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          fixed.add(s.meant.id);
        }
      };
      for (const group of groups) {
        if (!group.length) continue;
        if (processed) {
          expect((await call(env.app, 'POST', `/api/sessions/${live.id}/reopen`, cookies.sysadmin)).status).toBe(200);
          processed = false;
        }
        await upload(env.app, cookies.circA, live.id, group.map((s) => s.typed));
        uploaded.push(...group);
        if (rnd() < 0.7) {
          await processSession(env.app, cookies.sysadmin, live.id);
          processed = true;
          await fixSome(0.5);
        }
      }
      if (!processed) await processSession(env.app, cookies.sysadmin, live.id);
      await fixSome(1);

      expect(itemStates(env)).toEqual(expected);
    } finally {
      await reference.close();
    }
  });
});
