/**
 * The benchmark library: a library system with ten branches, patrons with
 * the usual share of blocks, items in every status, open loans (some
 * overdue), holds on 2 % of the items, the workstations and the staff.
 * Deterministic (seeded), and written straight into SQLite through the
 * project's own schema with prepared statements in one big transaction.
 */
import { openDatabase } from '../server/db/open.js';
import { hashPassword } from '../server/domain/passwords.js';
import { patronInserter } from '../server/db/insert-patrons.js';
import { insertSampleLoanPolicies } from '../server/db/seed-demo.js';
import { below, mulberry32, pad } from './prng.js';

export const BENCH_PASSWORD = 'bench-password-1';
export const ADMIN = 'admin';
export const SYSTEM_CODE = 'BENCH';
export const BRANCH_COUNT = 10;
/** Workstations per branch; the processing mix uses the first two of each (20), the ingest all five (50). */
export const DESKS_PER_BRANCH = 5;

/** All library data is dated before the offline sessions, so no scan is stale by accident. */
export const BASE_TIME = Date.parse('2025-12-01T00:00:00.000Z');
export const SESSION_START = Date.parse('2026-01-05T08:00:00.000Z');
const DAY = 86400_000;

export const branchCode = (b: number): string => `BR${pad(b + 1, 2)}`;
export const patronCard = (n: number): string => `P${pad(n, 7)}`;
export const itemBarcode = (n: number): string => `I${pad(n, 7)}`;
export const workstationName = (branch: number, desk: number): string => `${branchCode(branch)}-DESK-${desk + 1}`;
export const deskStaffName = (n: number): string => `desk${pad(n + 1, 2)}`;

export const ITEM_TYPES = ['book', 'book', 'book', 'book', 'book', 'dvd', 'magazine', 'audiobook'] as const;
const FIRST = ['Ada', 'Bea', 'Carl', 'Dina', 'Emil', 'Fay', 'Gus', 'Hana', 'Ivo', 'June', 'Kai', 'Lena', 'Milo', 'Nora', 'Otto', 'Pia'];
const LAST = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Ginkgo', 'Hazel', 'Ivy', 'Juniper', 'Larch', 'Maple', 'Oak', 'Pine'];
const AUTHORS = ['R. Alder', 'M. Birch', 'S. Cedar', 'T. Elm', 'K. Hazel', 'L. Maple', 'J. Quill', 'V. Rowan'];

export interface LibrarySize { patrons: number; items: number }

export interface LibraryInfo {
  size: LibrarySize;
  systemId: number;
  adminId: number;
  branchIds: number[];
  /** How long building the library took, in seconds. */
  seconds: number;
  counts: { loans: number; holds: number; workstations: number; staff: number };
}

/** Builds the library into a new database file; `file` must not exist yet. */
export async function buildLibrary(file: string, size: LibrarySize): Promise<LibraryInfo> {
  const started = performance.now();
  const rng = mulberry32(20260105);
  const pick = <T>(list: readonly T[]): T => list[below(rng, list.length)];
  const iso = (ms: number): string => new Date(ms).toISOString();
  // One hash for every bench account: scrypt is slow on purpose and the accounts only differ in name.
  const hash = await hashPassword(BENCH_PASSWORD);
  const db = openDatabase(file);
  // Bulk loading: nothing to lose if the machine crashes while the bench builds its data.
  db.pragma('synchronous = OFF');
  let loans = 0;
  let holds = 0;
  const info = db.transaction((): Omit<LibraryInfo, 'seconds' | 'counts'> => {
    const insertBranch = db.prepare('INSERT INTO branches (code, name, parent_id) VALUES (?, ?, ?)');
    const systemId = Number(insertBranch.run(SYSTEM_CODE, 'Benchmark Library System', null).lastInsertRowid);
    const branchIds: number[] = [];
    for (let b = 0; b < BRANCH_COUNT; b++) branchIds.push(Number(insertBranch.run(branchCode(b), `Bench Branch ${b + 1}`, systemId).lastInsertRowid));

    // The demo library's policies: the bench processes under the rules a newcomer sees.
    insertSampleLoanPolicies(db);
    db.prepare('INSERT INTO noncat_types (code, name, loan_days) VALUES (?, ?, ?)').run('paperback', 'Paperback exchange', 14);

    const insertStaff = db.prepare('INSERT INTO staff (username, password_hash, display_name, created_at) VALUES (?, ?, ?, ?)');
    const insertRole = db.prepare('INSERT INTO staff_roles (staff_id, branch_id, role) VALUES (?, ?, ?)');
    const adminId = Number(insertStaff.run(ADMIN, hash, 'Bench Administrator', iso(BASE_TIME)).lastInsertRowid);
    insertRole.run(adminId, systemId, 'admin');
    const insertWorkstation = db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)');
    for (let b = 0; b < BRANCH_COUNT; b++) {
      for (let d = 0; d < DESKS_PER_BRANCH; d++) {
        insertWorkstation.run(workstationName(b, d), branchIds[b], adminId, iso(BASE_TIME));
        const staffId = Number(insertStaff.run(deskStaffName(b * DESKS_PER_BRANCH + d), hash, `Desk ${b}-${d}`, iso(BASE_TIME)).lastInsertRowid);
        insertRole.run(staffId, branchIds[b], 'circulation');
      }
    }

    const insertPatron = patronInserter(db);
    for (let i = 1; i <= size.patrons; i++) {
      const r = rng();
      const profile = r < 0.1 ? 'juvenile' : r < 0.12 ? 'staff' : 'adult';
      const b = rng();
      const expired = b < 0.03;
      const first = pick(FIRST);
      const last = pick(LAST);
      const cards = [{ barcode: patronCard(i), active: true }];
      // One patron in a hundred replaced a card: the old one still scans, and is refused.
      if (i % 100 === 42) cards.push({ barcode: `${patronCard(i)}-OLD`, active: false });
      insertPatron({
        id: i, first_name: first, last_name: last, profile, home_branch_id: branchIds[i % BRANCH_COUNT],
        // Draws from the generator only when unexpired: moving the draw would change every later row of the data set.
        expires_on: expired ? '2025-11-30' : iso(BASE_TIME + (200 + below(rng, 900)) * DAY).slice(0, 10),
        barred: b >= 0.03 && b < 0.05, inactive: b >= 0.05 && b < 0.055,
        email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.org`, created_at: iso(BASE_TIME), cards,
      });
    }

    const insertItem = db.prepare(`INSERT INTO items (id, barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertLoan = db.prepare(`INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, checkout_workstation, due_at, renewals)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const insertHold = db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    const insertTransit = db.prepare('INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at) VALUES (?, ?, ?, ?, ?)');
    // About 2.5 copies per title.
    const titles = Math.max(1, Math.floor(size.items / 2.5));
    for (let i = 1; i <= size.items; i++) {
      const r = rng();
      const status = r < 0.10 ? 'checked_out' : r < 0.11 ? 'lost' : r < 0.115 ? 'missing' : r < 0.12 ? 'claims_returned'
        : r < 0.123 ? 'damaged' : r < 0.125 ? 'non_circulating' : r < 0.128 ? 'in_transit' : 'available';
      const owning = i % BRANCH_COUNT;
      const type = pick(ITEM_TYPES);
      const title = `Title ${pad(below(rng, titles), 6)}`;
      const checkoutAt = BASE_TIME + below(rng, 30 * DAY);
      const onLoan = status === 'checked_out' || status === 'claims_returned' || status === 'lost';
      insertItem.run(i, itemBarcode(i), title, pick(AUTHORS), `${type.toUpperCase()} ${100 + (i % 800)}.${i % 97}`, type,
        branchIds[owning], branchIds[owning], status, iso(onLoan ? checkoutAt : BASE_TIME));
      if (onLoan) {
        insertLoan.run(i, 1 + below(rng, size.patrons), iso(checkoutAt), branchIds[owning], workstationName(owning, 0),
          iso(checkoutAt + 21 * DAY), rng() < 0.2 ? 2 : 0);
        loans++;
      }
      if (status === 'in_transit') insertTransit.run(i, branchIds[owning], branchIds[(owning + 1) % BRANCH_COUNT], 'home', iso(BASE_TIME));
      // Holds on 2 % of the items: most on the copy, some on the title (any copy fills them).
      if (rng() < 0.02) {
        const titleLevel = rng() < 0.25;
        insertHold.run(1 + below(rng, size.patrons), titleLevel ? null : i, titleLevel ? title : null,
          branchIds[below(rng, BRANCH_COUNT)], 'pending', iso(BASE_TIME + below(rng, 30 * DAY)));
        holds++;
      }
    }
    return { size, systemId, adminId, branchIds };
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    ...info,
    seconds: (performance.now() - started) / 1000,
    counts: { loans, holds, workstations: BRANCH_COUNT * DESKS_PER_BRANCH, staff: 1 + BRANCH_COUNT * DESKS_PER_BRANCH },
  };
}
