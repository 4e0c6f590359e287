/**
 * The demo library a newcomer's first start gets: one library system with
 * three branches, patrons with every kind of block, items in every status,
 * holds and loan policies. Deterministic, so the README and tests can name
 * barcodes: patrons P0001–P0300, items I00001–I03000.
 */
import type { Db } from './open.js';
import { nowIso } from './open.js';
import { patronInserter } from './insert-patrons.js';
import { mulberry32, pad } from './seeded-random.js';

export const DEMO_SYSTEM = 'DEMO';
export const DEMO_BRANCHES = ['CENTRAL', 'EAST', 'WEST'] as const;

const FIRST = ['Ada', 'Bea', 'Carl', 'Dina', 'Emil', 'Fay', 'Gus', 'Hana', 'Ivo', 'June', 'Kai', 'Lena', 'Milo', 'Nora', 'Otto', 'Pia'];
const LAST = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Ginkgo', 'Hazel', 'Ivy', 'Juniper', 'Larch', 'Maple', 'Oak', 'Pine'];
const TITLES = ['Rivers of Salt', 'The Quiet Index', 'A Field Guide to Moss', 'Night Trains', 'The Lending Year', 'Paper Lanterns',
  'Maps of the Coast', 'Small Engines', 'The Patient Garden', 'Winter Almanac', 'Letters to a Librarian', 'Deep Catalogue'];
const AUTHORS = ['R. Alder', 'M. Birch', 'S. Cedar', 'T. Elm', 'K. Hazel', 'L. Maple'];
const ITEM_TYPES = ['book', 'book', 'book', 'book', 'dvd', 'magazine', 'audiobook'] as const;

/** Loan policies a public library might start from: a default, longer for juveniles' books and staff, shorter for media. */
export function insertSampleLoanPolicies(db: Db): void {
  const policy = db.prepare(`INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents)
    VALUES (?, ?, ?, ?, ?, ?)`);
  policy.run(null, null, 21, 2, 25, 1000);
  policy.run('book', 'juvenile', 28, 3, 10, 500);
  policy.run('dvd', null, 7, 1, 100, 1500);
  policy.run('magazine', null, 7, 0, 25, 500);
  policy.run('audiobook', null, 14, 2, 25, 1000);
  policy.run(null, 'staff', 42, 5, 0, 0);
}

export function seedDemoLibrary(db: Db): void {
  // Seeded, so every demo database is the same.
  const rnd = mulberry32(20261129);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const now = new Date();
  const day = (offset: number): string => new Date(now.getTime() + offset * 86400_000).toISOString();

  db.transaction(() => {
    const systemId = Number(db.prepare('INSERT INTO branches (code, name, parent_id) VALUES (?, ?, NULL)')
      .run(DEMO_SYSTEM, 'Demo Library System (sample data)').lastInsertRowid);
    const branchIds = DEMO_BRANCHES.map((code) => Number(db.prepare('INSERT INTO branches (code, name, parent_id) VALUES (?, ?, ?)')
      .run(code, `Demo ${code[0]}${code.slice(1).toLowerCase()} Branch`, systemId).lastInsertRowid));

    insertSampleLoanPolicies(db);
    db.prepare('INSERT INTO noncat_types (code, name, loan_days) VALUES (?, ?, ?), (?, ?, ?)')
      .run('paperback', 'Paperback exchange', 14, 'magazine-back', 'Back-issue magazine', 7);

    const insertPatron = patronInserter(db);
    const patronIds: number[] = [];
    for (let i = 1; i <= 300; i++) {
      const expired = i % 20 === 5;
      const first = pick(FIRST);
      const last = pick(LAST);
      const cards = [{ barcode: `P${pad(i, 4)}`, active: true }];
      // Some patrons replaced a lost card: the old one still scans, and must be refused.
      if (i % 30 === 11) cards.push({ barcode: `P${pad(i, 4)}-OLD`, active: false });
      patronIds.push(insertPatron({
        first_name: first, last_name: last, profile: i % 10 === 3 ? 'juvenile' : i % 25 === 7 ? 'staff' : 'adult',
        home_branch_id: branchIds[i % 3], expires_on: expired ? day(-30).slice(0, 10) : day(700).slice(0, 10),
        barred: i % 20 === 9, inactive: i % 50 === 13, email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.org`,
        created_at: nowIso(), cards,
      }));
    }

    const insertItem = db.prepare(`INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertLoan = db.prepare(`INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at, renewals) VALUES (?, ?, ?, ?, ?, ?)`);
    const insertHold = db.prepare('INSERT INTO holds (patron_id, item_id, pickup_branch_id, status, created_at) VALUES (?, ?, ?, ?, ?)');
    const insertTransit = db.prepare('INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at) VALUES (?, ?, ?, ?, ?)');
    const STATUS_BY_BUCKET = ['checked_out', 'checked_out', 'checked_out', 'in_transit', 'on_hold_shelf', 'lost', 'missing',
      'claims_returned', 'damaged', 'non_circulating'] as const;
    for (let i = 1; i <= 3000; i++) {
      // Most items are on the shelf; every tenth-ish one is in one of the other statuses.
      const status = i % 10 === 0 ? STATUS_BY_BUCKET[(i / 10) % STATUS_BY_BUCKET.length] : i % 7 === 0 ? 'checked_out' : 'available';
      const owning = branchIds[i % 3];
      const type = ITEM_TYPES[i % ITEM_TYPES.length];
      const itemId = Number(insertItem.run(`I${pad(i, 5)}`, pick(TITLES), pick(AUTHORS), `${type.toUpperCase()} ${100 + (i % 800)}.${i % 97}`,
        type, owning, owning, status, day(-40)).lastInsertRowid);
      if (status === 'checked_out' || status === 'claims_returned' || status === 'lost') {
        const overdue = i % 3 === 0;
        insertLoan.run(itemId, patronIds[i % patronIds.length], day(overdue ? -40 : -10), owning, day(overdue ? -19 : 11), i % 4 === 0 ? 2 : 0);
      }
      if (status === 'in_transit') insertTransit.run(itemId, owning, branchIds[(i + 1) % 3], 'home', day(-2));
      if (status === 'on_hold_shelf') insertHold.run(patronIds[(i * 7) % patronIds.length], itemId, owning, 'on_shelf', day(-3));
      if (i % 50 === 1) insertHold.run(patronIds[(i * 3) % patronIds.length], itemId, branchIds[(i + 1) % 3], 'pending', day(-5));
    }
  })();
}
