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

export interface LibrarySize {
  patrons: number;
  items: number;
  /** Branches (default BRANCH_COUNT, the bench library's ten; the consortium has 200). */
  branches?: number;
  /**
   * The consortium's extras (bench/consortium.ts): every branch with opening hours and a year of closures,
   * the system and half the branches in another time zone, and open bills on 5 % of the patrons. They draw
   * from a generator of their own, so the bench library's data stays what it was.
   */
  extras?: boolean;
  /**
   * Loads with the change log's triggers dropped (and put back after): a library loaded at once is one
   * version, not millions of noted changes. Desks then get deltas from its version on.
   */
  bulk?: boolean;
}

export interface LibraryInfo {
  size: LibrarySize;
  systemId: number;
  adminId: number;
  branchIds: number[];
  /** How long building the library took, in seconds. */
  seconds: number;
  counts: { loans: number; holds: number; workstations: number; staff: number; bills: number; closures: number };
  /** CPU time of the build (this process: JavaScript and SQLite), in seconds. */
  cpu_seconds: number;
}

/** Opening hours: most branches one shape, every seventh split at lunch and shut on Wednesdays (0 = Monday … 6 = Sunday). */
const HOURS = ['09:00-20:00', '09:00-20:00', '09:00-20:00', '09:00-20:00', '09:00-18:00', '10:00-17:00', ''];
const SPLIT_HOURS = ['09:00-12:00,13:00-18:00', '09:00-12:00,13:00-18:00', '', '09:00-12:00,13:00-18:00', '09:00-18:00', '10:00-14:00', ''];
const HOLIDAYS: [string, string, string][] = [
  ['2026-01-01', '2026-01-01', "New Year's Day"], ['2026-01-19', '2026-01-19', 'Martin Luther King Jr. Day'],
  ['2026-02-16', '2026-02-16', "Presidents' Day"], ['2026-05-25', '2026-05-25', 'Memorial Day'], ['2026-06-19', '2026-06-19', 'Juneteenth'],
  ['2026-07-03', '2026-07-04', 'Independence Day'], ['2026-09-07', '2026-09-07', 'Labor Day'], ['2026-11-11', '2026-11-11', 'Veterans Day'],
  ['2026-11-26', '2026-11-27', 'Thanksgiving'], ['2026-12-24', '2026-12-26', 'Christmas'], ['2026-12-31', '2026-12-31', "New Year's Eve"],
];

/** Builds the library into a new database file; `file` must not exist yet. One transaction per kind of data, prepared statements. */
export async function buildLibrary(file: string, size: LibrarySize): Promise<LibraryInfo> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const branchCount = size.branches ?? BRANCH_COUNT;
  const rng = mulberry32(20260105);
  const pick = <T>(list: readonly T[]): T => list[below(rng, list.length)];
  const iso = (ms: number): string => new Date(ms).toISOString();
  // One hash for every bench account: scrypt is slow on purpose and the accounts only differ in name.
  const hash = await hashPassword(BENCH_PASSWORD);
  const db = openDatabase(file);
  // Bulk loading: nothing to lose if the machine crashes while the bench builds its data.
  db.pragma('synchronous = OFF');
  // Indexes (barcodes, titles, holds) stay in memory while millions of rows go in; the default 2 MB cache thrashes.
  db.pragma('cache_size = -524288');
  const triggers = size.bulk
    ? db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'library_version_%'").all() as { name: string; sql: string }[]
    : [];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  let loans = 0;
  let holds = 0;
  let bills = 0;
  let closures = 0;

  const { systemId, adminId, branchIds } = db.transaction(() => {
    const insertBranch = db.prepare('INSERT INTO branches (code, name, parent_id, time_zone) VALUES (?, ?, ?, ?)');
    const systemId = Number(insertBranch.run(SYSTEM_CODE, 'Benchmark Library System', null, size.extras ? 'America/Chicago' : null).lastInsertRowid);
    const branchIds: number[] = [];
    for (let b = 0; b < branchCount; b++) {
      // With the extras, the second half of the branches keeps Denver's time; the others inherit the system's.
      const zone = size.extras && b >= branchCount / 2 ? 'America/Denver' : null;
      branchIds.push(Number(insertBranch.run(branchCode(b), `Bench Branch ${b + 1}`, systemId, zone).lastInsertRowid));
    }

    // The demo library's policies: the bench processes under the rules a newcomer sees.
    insertSampleLoanPolicies(db);
    db.prepare('INSERT INTO noncat_types (code, name, loan_days) VALUES (?, ?, ?)').run('paperback', 'Paperback exchange', 14);

    const insertStaff = db.prepare('INSERT INTO staff (username, password_hash, display_name, created_at) VALUES (?, ?, ?, ?)');
    const insertRole = db.prepare('INSERT INTO staff_roles (staff_id, branch_id, role) VALUES (?, ?, ?)');
    const adminId = Number(insertStaff.run(ADMIN, hash, 'Bench Administrator', iso(BASE_TIME)).lastInsertRowid);
    insertRole.run(adminId, systemId, 'admin');
    const insertWorkstation = db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)');
    for (let b = 0; b < branchCount; b++) {
      for (let d = 0; d < DESKS_PER_BRANCH; d++) {
        insertWorkstation.run(workstationName(b, d), branchIds[b], adminId, iso(BASE_TIME));
        const staffId = Number(insertStaff.run(deskStaffName(b * DESKS_PER_BRANCH + d), hash, `Desk ${b}-${d}`, iso(BASE_TIME)).lastInsertRowid);
        insertRole.run(staffId, branchIds[b], 'circulation');
      }
    }

    if (size.extras) {
      // Calendars: the system's hours (inherited by branches without their own), every branch's own, and a year of closures each.
      const cal = mulberry32(88);
      const insertHours = db.prepare('INSERT INTO branch_hours (branch_id, weekday, hours) VALUES (?, ?, ?)');
      const insertClosure = db.prepare('INSERT INTO branch_closures (branch_id, first_date, last_date, reason) VALUES (?, ?, ?, ?)');
      HOURS.forEach((h, day) => insertHours.run(systemId, day, h));
      for (let b = 0; b < branchCount; b++) {
        (b % 7 === 2 ? SPLIT_HOURS : HOURS).forEach((h, day) => insertHours.run(branchIds[b], day, h));
        const year = [...HOLIDAYS];
        const month = String(2 + below(cal, 9)).padStart(2, '0');
        year.push([`2026-${month}-0${1 + below(cal, 3)}`, `2026-${month}-1${below(cal, 3)}`, `Inventory at branch ${b + 1}`]);
        for (let m = 1; m <= 12; m++) {
          const date = `2026-${String(m).padStart(2, '0')}-${String(10 + below(cal, 15)).padStart(2, '0')}`;
          if (!year.some(([first]) => first === date)) year.push([date, date, 'Staff training']);
        }
        for (const [first, last, reason] of year) { insertClosure.run(branchIds[b], first, last, reason); closures++; }
      }
    }
    return { systemId, adminId, branchIds };
  })();

  db.transaction(() => {
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
        id: i, first_name: first, last_name: last, profile, home_branch_id: branchIds[i % branchCount],
        // Draws from the generator only when unexpired: moving the draw would change every later row of the data set.
        expires_on: expired ? '2025-11-30' : iso(BASE_TIME + (200 + below(rng, 900)) * DAY).slice(0, 10),
        barred: b >= 0.03 && b < 0.05, inactive: b >= 0.05 && b < 0.055,
        email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.org`, created_at: iso(BASE_TIME), cards,
      });
    }
  })();

  db.transaction(() => {
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
      const owning = i % branchCount;
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
      if (status === 'in_transit') insertTransit.run(i, branchIds[owning], branchIds[(owning + 1) % branchCount], 'home', iso(BASE_TIME));
      // Holds on 2 % of the items: most on the copy, some on the title (any copy fills them).
      if (rng() < 0.02) {
        const titleLevel = rng() < 0.25;
        insertHold.run(1 + below(rng, size.patrons), titleLevel ? null : i, titleLevel ? title : null,
          branchIds[below(rng, branchCount)], 'pending', iso(BASE_TIME + below(rng, 30 * DAY)));
        holds++;
      }
    }
  })();

  if (size.extras) {
    // Open bills on 5 % of the patrons (as the refresh's files have them), some partly paid; a few owe over the fine limit.
    db.transaction(() => {
      const money = mulberry32(99);
      const insertBill = db.prepare('INSERT INTO bills (patron_id, amount_cents, paid_cents, reason, created_at) VALUES (?, ?, ?, ?, ?)');
      for (let p = 1; p <= size.patrons; p++) {
        if (money() >= 0.05) continue;
        const amount = 25 * (1 + below(money, money() < 0.1 ? 400 : 40));
        insertBill.run(p, amount, money() < 0.2 ? Math.floor(amount / 2) : 0, money() < 0.5 ? 'overdue' : 'damaged', iso(BASE_TIME - below(money, 90) * DAY));
        bills++;
      }
    })();
  }

  if (triggers.length) {
    db.transaction(() => {
      for (const t of triggers) db.exec(t.sql);
      // The loaded library is one version; the change log describes everything from it on.
      db.prepare('UPDATE library_version SET version = version + 1 WHERE id = 1').run();
      db.prepare('DELETE FROM snapshot_changes').run();
      db.prepare('UPDATE snapshot_log_floor SET version = (SELECT version FROM library_version WHERE id = 1) WHERE id = 1').run();
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const cpu = process.cpuUsage(cpuStarted);
  return {
    size, systemId, adminId, branchIds,
    seconds: (performance.now() - started) / 1000,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    counts: { loans, holds, workstations: branchCount * DESKS_PER_BRANCH, staff: 1 + branchCount * DESKS_PER_BRANCH, bills, closures },
  };
}
