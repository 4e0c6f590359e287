/**
 * A realistic offline session's transactions, in time order across the
 * workstations: 55 % checkouts, 30 % checkins, 10 % renewals, 4 % in-house
 * uses, 1 % registrations; 3 % of the scans carry a barcode the library
 * does not know. The generator follows the items' states as it goes, so
 * checkouts take items on the shelf, checkins and renewals take items on
 * loan (each renewal from the loan's own patron), as at a real desk.
 * Seeded: the same arguments give the same transactions, ids included.
 */
import type { Db } from '../server/db/open.js';
import type { OfflineTransaction } from '../shared/transaction.js';
import { below, mulberry32, pad, uuidV4, type Rng } from './prng.js';
import { BRANCH_COUNT, DESKS_PER_BRANCH, branchCode, deskStaffName, itemBarcode, patronCard, workstationName } from './dataset.js';

const DAY = 86400_000;

export const MIX = { checkout: 0.55, checkin: 0.30, renew: 0.10, in_house_use: 0.04, register: 0.01, unknownBarcodes: 0.03 } as const;

/** A set of item numbers that can give a random member and remove it in constant time. */
class Pool {
  private readonly members: Int32Array;
  private readonly position: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.members = new Int32Array(capacity + 1);
    this.position = new Int32Array(capacity + 1).fill(-1);
  }

  add(n: number): void {
    if (this.position[n] !== -1) return;
    this.position[n] = this.size;
    this.members[this.size++] = n;
  }

  remove(n: number): void {
    const at = this.position[n];
    if (at === -1) return;
    const last = this.members[--this.size];
    this.members[at] = last;
    this.position[last] = at;
    this.position[n] = -1;
  }

  random(rng: Rng): number {
    return this.members[below(rng, this.size)];
  }
}

interface Desk { name: string; staff: string; branch: number; seq: number }

export interface MixOptions {
  seed: number;
  /** Workstations taking part, per branch (the session's 20 desks: 2 per branch). */
  desksPerBranch: number;
  /** First scan's time, and the time between two scans across all desks. */
  start: number;
  stepMs: number;
}

export class TransactionMix {
  private readonly rng: Rng;
  private readonly shelf: Pool;
  private readonly onLoan: Pool;
  private readonly elsewhere: Pool;
  private readonly borrower: Int32Array;
  private readonly desks: Desk[] = [];
  private readonly desksByBranch: Desk[][] = [];
  private readonly items: number;
  private readonly patrons: number;
  private readonly registered: string[] = [];
  private n = 0;
  private unknown = 9_000_000;

  /** Reads the items' statuses and open loans from the library, so the scans fit its state. */
  constructor(db: Db, private readonly options: MixOptions) {
    this.rng = mulberry32(options.seed);
    this.items = (db.prepare('SELECT max(id) FROM items').pluck().get() as number) ?? 0;
    this.patrons = (db.prepare('SELECT max(id) FROM patrons').pluck().get() as number) ?? 0;
    this.shelf = new Pool(this.items);
    this.onLoan = new Pool(this.items);
    this.elsewhere = new Pool(this.items);
    this.borrower = new Int32Array(this.items + 1);
    for (const [id, status] of db.prepare('SELECT id, status FROM items').raw().iterate() as Iterable<[number, string]>) {
      if (status === 'available') this.shelf.add(id);
      else if (status === 'checked_out') this.onLoan.add(id);
      else this.elsewhere.add(id);
    }
    for (const [item, patron] of db.prepare('SELECT item_id, patron_id FROM loans WHERE checkin_at IS NULL').raw().iterate() as Iterable<[number, number]>) {
      this.borrower[item] = patron;
    }
    for (let b = 0; b < BRANCH_COUNT; b++) {
      this.desksByBranch.push([]);
      for (let d = 0; d < options.desksPerBranch; d++) {
        const desk = { name: workstationName(b, d), staff: deskStaffName(b * DESKS_PER_BRANCH + d), branch: b, seq: 0 };
        this.desks.push(desk);
        this.desksByBranch[b].push(desk);
      }
    }
  }

  get workstations(): string[] {
    return this.desks.map((d) => d.name);
  }

  private unknownItem(): string {
    return `I${pad(this.unknown++, 7)}`;
  }

  /** The next scan, later than every one before it; `desk` picks the workstation (else a random one). */
  next(desk?: number): OfflineTransaction {
    const rng = this.rng;
    const at = this.options.start + this.n++ * this.options.stepMs;
    const occurred_at = new Date(at).toISOString();
    const r = rng();
    const unknown = rng() < MIX.unknownBarcodes;
    const forced = desk !== undefined;
    let d = forced ? this.desks[desk % this.desks.length] : this.desks[below(rng, this.desks.length)];
    const base = (w: Desk) => ({ id: uuidV4(rng), occurred_at, seq: ++w.seq, workstation: w.name, staff: w.staff });

    if (r < MIX.register) {
      const card = `N${pad(this.registered.length + 1, 7)}`;
      this.registered.push(card);
      return { ...base(d), type: 'register',
        patron: { barcode: card, first_name: 'New', last_name: `Patron ${this.registered.length}`, profile: rng() < 0.2 ? 'juvenile' : 'adult',
          home_branch: branchCode(d.branch) } };
    }
    if (r < MIX.register + MIX.in_house_use) {
      const item = unknown ? this.unknownItem() : itemBarcode(this.shelf.size ? this.shelf.random(rng) : 1 + below(rng, this.items));
      return { ...base(d), type: 'in_house_use', item_barcode: item, count: 1 + below(rng, 3) };
    }
    if (r < MIX.register + MIX.in_house_use + MIX.renew) {
      if (unknown || !this.onLoan.size) return { ...base(d), type: 'renew', item_barcode: this.unknownItem() };
      const item = this.onLoan.random(rng);
      const tx: OfflineTransaction = { ...base(d), type: 'renew', item_barcode: itemBarcode(item) };
      if (rng() < 0.5 && this.borrower[item] > 0) tx.patron_barcode = patronCard(this.borrower[item]);
      return tx;
    }
    if (r < MIX.register + MIX.in_house_use + MIX.renew + MIX.checkin) {
      if (unknown) return { ...base(d), type: 'checkin', item_barcode: this.unknownItem() };
      // Mostly items on loan; now and then one that was lost, missing or in transit comes back.
      const item = rng() < 0.01 && this.elsewhere.size ? this.elsewhere.random(rng) : this.onLoan.size ? this.onLoan.random(rng) : 1 + below(rng, this.items);
      // Most items come back to their own branch.
      const owning = (item % BRANCH_COUNT);
      if (rng() < 0.8 && !forced) d = this.desksByBranch[owning][below(rng, this.desksByBranch[owning].length)];
      this.onLoan.remove(item);
      this.elsewhere.remove(item);
      this.shelf.add(item);
      this.borrower[item] = 0;
      const tx: OfflineTransaction = { ...base(d), type: 'checkin', item_barcode: itemBarcode(item) };
      if (rng() < 0.03) tx.backdate = new Date(at - DAY).toISOString().slice(0, 10);
      return tx;
    }
    // Checkout.
    const registeredPatron = this.registered.length > 0 && rng() < 0.02;
    let patronNo = 0;
    let patron: string;
    if (registeredPatron) patron = this.registered[below(rng, this.registered.length)];
    else { patronNo = 1 + below(rng, this.patrons); patron = patronCard(patronNo); }
    if (rng() < 0.01) {
      return { ...base(d), type: 'checkout', patron_barcode: patron, noncat_type: 'paperback', count: 1 + below(rng, 3) };
    }
    if (unknown) {
      // A third of the unknown barcodes at checkout are mistyped cards, the rest items.
      if (rng() < 1 / 3) return { ...base(d), type: 'checkout', patron_barcode: `P${pad(this.unknown++, 7)}`, item_barcode: itemBarcode(1 + below(rng, this.items)) };
      return { ...base(d), type: 'checkout', patron_barcode: patron, item_barcode: this.unknownItem() };
    }
    const item = this.shelf.size ? this.shelf.random(rng) : 1 + below(rng, this.items);
    this.shelf.remove(item);
    this.onLoan.add(item);
    this.borrower[item] = patronNo;
    const tx: OfflineTransaction = { ...base(d), type: 'checkout', patron_barcode: patron, item_barcode: itemBarcode(item) };
    // The desk usually tells the patron a date from its offline data; sometimes it has none.
    if (rng() < 0.7) tx.due_at = new Date(at + 21 * DAY).toISOString().slice(0, 10);
    return tx;
  }
}
