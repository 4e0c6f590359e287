/**
 * Processing is idempotent and resumable, checked on random sessions: for
 * each seed, a random interleaving of scans from 3–4 desks with different
 * clock errors is processed three ways —
 *   A: one clean run;
 *   B: a run, then reopen, re-upload the very same transactions (all
 *      duplicates) and run again;
 *   C: the lock taken and only the first k transactions applied (as a
 *      server that died would leave it), then a fresh connection's
 *      Processor.resumeInterrupted() finishes the rest —
 * and the circulation tables must come out identical, compared by natural
 * keys (never autoincrement ids or wall-clock processed_at columns).
 *
 * Every database starts from the same instant: the Date clock is frozen at
 * BASE while a library is seeded and while uploads are received, so seeded
 * times and the measured clock offsets are exact and equal in A, B and C.
 * Processing itself runs on the real clock; it stamps rows with each
 * transaction's skew-corrected time, never with the wall clock.
 */
import { describe, it, expect, vi } from 'vitest';
import {
  BRANCH_A, BRANCH_B, ITEMS, PATRONS, call, createSession, createTestEnv, daysFromNow, loginAs, processSession, upload, type TestEnv,
} from './helpers.js';
import { openDatabase, type Db } from '../db/open.js';
import { Processor } from '../domain/processor.js';
import { TransactionApplier, type StoredTransaction } from '../domain/applier.js';
import type { OfflineTransaction } from '../../shared/transaction.js';

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];
const MINUTE = 60_000;
const DAY = 86400_000;
/** The instant every scenario's databases are built and receive their uploads at. */
const BASE = Math.floor(Date.now() / 1000) * 1000;

/** A tiny seeded PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Desk { name: string; /** How far the desk's clock runs behind the server's (negative: ahead). */ offsetMs: number; branch?: string }
const DESKS: Desk[] = [
  { name: 'NORTH-DESK-1', offsetMs: 0 }, // not registered: its scans count at the session's branch
  { name: 'SOUTH-DESK-1', offsetMs: -13 * MINUTE, branch: BRANCH_B },
  { name: 'NORTH-DESK-2', offsetMs: 7 * MINUTE, branch: BRANCH_A },
  { name: 'SOUTH-DESK-2', offsetMs: 95_000, branch: BRANCH_B },
];

const SHARED_TITLE = 'Shared Title';
const EXTRA_ITEMS: { barcode: string; title?: string; type?: string; branch: string; status?: string }[] = [
  { barcode: 'I-SH1', title: SHARED_TITLE, branch: BRANCH_A },
  { barcode: 'I-SH2', title: SHARED_TITLE, branch: BRANCH_A },
  { barcode: 'I-SH3', title: SHARED_TITLE, branch: BRANCH_B },
  { barcode: 'I-LOST', branch: BRANCH_A, status: 'lost' },
  { barcode: 'I-CLAIM', branch: BRANCH_B, status: 'claims_returned' },
  { barcode: 'I-MISS', branch: BRANCH_A, status: 'missing' },
  { barcode: 'I-DVD2', type: 'dvd', branch: BRANCH_B },
];
const ITEM_POOL = [...Object.values(ITEMS), ...EXTRA_ITEMS.map((i) => i.barcode)];
const PATRON_POOL = [PATRONS.adult, PATRONS.adult2, PATRONS.juvenile, PATRONS.barred, PATRONS.expired, PATRONS.newCard, PATRONS.oldCard];

interface Scenario {
  seed: number;
  overridePolicy: boolean;
  desks: Desk[];
  /** Uploads in the order they are sent: one desk's chunk each. */
  uploads: { desk: Desk; transactions: OfflineTransaction[] }[];
  all: OfflineTransaction[];
  /** An item changed online after some of the scans (status and time), or none. */
  onlineChange: { barcode: string; status: string; at: string } | null;
  /** How many transactions the interrupted run (C) applied before it died. */
  k: number;
}

function generate(seed: number): Scenario {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const uuid = (): string => {
    const hex = Array.from({ length: 32 }, () => int(16).toString(16));
    hex[12] = '4';
    hex[16] = (8 + int(4)).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  const desks = DESKS.slice(0, 3 + int(2));
  const newCard = `P-GEN-${seed}`;
  const patrons = [...PATRON_POOL, newCard, newCard];
  const items = [...ITEM_POOL, ...ITEM_POOL.slice(0, 6)]; // the first items more often, so scans of one item interleave
  const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

  // Drafts carry the true (server-clock) time; the device writes its own clock's time.
  const drafts: { desk: Desk; at: number; body: Record<string, unknown> }[] = [];
  const randomTime = (): number => BASE - (1 + int(120 * 60)) * 1000 - int(1000);
  drafts.push({ desk: pick(desks), at: randomTime(), body: { type: 'register', patron: { barcode: newCard, first_name: 'Gen', last_name: `Seed${seed}`, profile: pick(['adult', 'juvenile']) } } });
  if (rnd() < 0.5) drafts.push({ desk: pick(desks), at: randomTime(), body: { type: 'register', patron: { barcode: PATRONS.adult2, first_name: 'Dup', last_name: 'Card' } } });
  const n = 50 + int(40);
  for (let i = 0; i < n; i++) {
    // Some scans share their true time with an earlier one, from another desk or the same: ties to break.
    const at = drafts.length && rnd() < 0.15 ? pick(drafts).at : randomTime();
    const item = rnd() < 0.05 ? 'I-NOPE' : pick(items);
    const patron = rnd() < 0.05 ? 'P-NOBODY' : pick(patrons);
    const r = rnd();
    let body: Record<string, unknown>;
    if (r < 0.3) {
      body = { type: 'checkout', item_barcode: item, patron_barcode: patron };
      if (rnd() < 0.15) body.due_at = isoDay(at + (3 + int(30)) * DAY);
    } else if (r < 0.33) {
      body = { type: 'checkout', patron_barcode: patron, noncat_type: 'paperback', count: 1 + int(3) };
    } else if (r < 0.48) {
      body = { type: 'renew', item_barcode: item };
      if (rnd() < 0.5) body.patron_barcode = patron;
      if (rnd() < 0.1) body.due_at = new Date(at + (5 + int(20)) * DAY).toISOString();
    } else if (r < 0.78) {
      body = { type: 'checkin', item_barcode: item };
      const b = rnd();
      if (b < 0.2) body.backdate = new Date(at - int(6 * DAY)).toISOString();
      else if (b < 0.35) body.backdate = isoDay(at - int(40) * DAY);
    } else {
      body = { type: 'in_house_use', item_barcode: item, count: 1 + int(5) };
    }
    drafts.push({ desk: pick(desks), at, body });
  }

  const uploads: Scenario['uploads'] = [];
  for (const desk of desks) {
    const mine = drafts.filter((d) => d.desk === desk).sort((a, b) => a.at - b.at);
    const txs = mine.map((d, i) => ({
      id: uuid(), ...d.body, occurred_at: new Date(d.at - desk.offsetMs).toISOString(), seq: 100 + i, workstation: desk.name, staff: 'circ-north',
    }) as unknown as OfflineTransaction);
    const cut = int(txs.length + 1);
    for (const part of [txs.slice(0, cut), txs.slice(cut)]) if (part.length) uploads.push({ desk, transactions: part });
  }
  for (let i = uploads.length - 1; i > 0; i--) { const j = int(i + 1); [uploads[i], uploads[j]] = [uploads[j], uploads[i]]; }
  const all = uploads.flatMap((u) => u.transactions);
  const onlineChange = rnd() < 0.7 ? { barcode: pick(ITEM_POOL), status: pick(['missing', 'available', 'damaged']), at: new Date(BASE - int(100) * MINUTE).toISOString() } : null;
  return { seed, overridePolicy: rnd() < 0.75, desks, uploads, all, onlineChange, k: 1 + int(all.length - 1) };
}

/** Builds one database for the scenario, as of BASE, with every upload received; the session is still open. */
async function setUp(sc: Scenario): Promise<{ env: TestEnv; sysadmin: string; circA: string; sessionId: number }> {
  vi.useFakeTimers({ toFake: ['Date'], now: BASE });
  try {
    const env = await createTestEnv();
    const db = env.db;
    const branch = (code: string): number => env.library.branchIds[code];
    const patron = (card: string): number => db.prepare('SELECT patron_id FROM patron_cards WHERE barcode = ?').pluck().get(card) as number;
    const item = (barcode: string): number => db.prepare('SELECT id FROM items WHERE barcode = ?').pluck().get(barcode) as number;
    db.transaction(() => {
      for (const desk of DESKS) {
        if (desk.branch) db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)')
          .run(desk.name, branch(desk.branch), env.library.staffIds.sysadmin, daysFromNow(-60));
      }
      for (const it of EXTRA_ITEMS) {
        db.prepare(`INSERT INTO items (barcode, title, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`).run(it.barcode, it.title ?? `Title of ${it.barcode}`, it.type ?? 'book', branch(it.branch), branch(it.branch),
          it.status ?? 'available', daysFromNow(-30));
      }
      const loan = db.prepare('INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at, renewals) VALUES (?, ?, ?, ?, ?, ?)');
      loan.run(item('I-LOST'), patron(PATRONS.adult2), daysFromNow(-60), branch(BRANCH_A), daysFromNow(-39), 1);
      loan.run(item('I-CLAIM'), patron(PATRONS.juvenile), daysFromNow(-20), branch(BRANCH_B), daysFromNow(-2), 0);
      const hold = db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      hold.run(patron(PATRONS.adult2), item(ITEMS.book2), null, branch(BRANCH_B), 'pending', daysFromNow(-3));
      hold.run(patron(PATRONS.juvenile), null, SHARED_TITLE, branch(BRANCH_A), 'pending', daysFromNow(-2));
      hold.run(patron(PATRONS.newCard), null, SHARED_TITLE, branch(BRANCH_B), 'pending', daysFromNow(-1));
      db.prepare("UPDATE items SET status = 'on_hold_shelf' WHERE id = ?").run(item(ITEMS.book3));
      hold.run(patron(PATRONS.adult), item(ITEMS.book3), null, branch(BRANCH_A), 'on_shelf', daysFromNow(-4));
      db.prepare(`INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents)
        VALUES ('dvd', 'juvenile', 3, 0, 50, 400)`).run();
      if (sc.onlineChange) {
        db.prepare('UPDATE items SET status = ?, status_changed_at = ?, status_changed_by_session = NULL WHERE barcode = ?')
          .run(sc.onlineChange.status, sc.onlineChange.at, sc.onlineChange.barcode);
      }
    })();
    const [sysadmin, circA] = await Promise.all([loginAs(env.app, 'sysadmin'), loginAs(env.app, 'circA')]);
    const session = await createSession(env.app, sysadmin, { override_policy: sc.overridePolicy });
    for (const u of sc.uploads) {
      const reply = await upload(env.app, circA, session.id, u.transactions,
        { workstation: u.desk.name, device_time: new Date(BASE - u.desk.offsetMs).toISOString() });
      expect(reply.accepted).toHaveLength(u.transactions.length);
    }
    const offsets = db.prepare('SELECT DISTINCT workstation, clock_offset_ms FROM uploads WHERE session_id = ? ORDER BY workstation').all(session.id);
    expect(offsets).toEqual(sc.desks.map((d) => ({ workstation: d.name, clock_offset_ms: d.offsetMs })).sort((a, b) => a.workstation.localeCompare(b.workstation)));
    return { env, sysadmin, circA, sessionId: session.id };
  } finally {
    vi.useRealTimers();
  }
}

/** The circulation tables, by natural keys: no autoincrement ids, no wall-clock columns. */
function dump(db: Db): Record<string, unknown[]> {
  const card = (col: string): string => `(SELECT min(c.barcode) FROM patron_cards c WHERE c.patron_id = ${col})`;
  const code = (col: string): string => `(SELECT b.code FROM branches b WHERE b.id = ${col})`;
  const barcode = (col: string): string => `(SELECT i.barcode FROM items i WHERE i.id = ${col})`;
  const q = (sql: string): unknown[] => db.prepare(sql).all();
  return {
    items: q(`SELECT barcode, status, ${code('current_branch_id')} AS current_branch, status_changed_at, status_changed_by_session
      FROM items ORDER BY barcode`),
    loans: q(`SELECT ${barcode('item_id')} AS item, ${card('patron_id')} AS patron, checkout_at, ${code('checkout_branch_id')} AS checkout_branch,
        checkout_workstation, checkout_staff, due_at, renewals, checkin_at, ${code('checkin_branch_id')} AS checkin_branch, checkin_workstation,
        checkin_staff, checkout_txn, last_renew_txn, checkin_txn
      FROM loans ORDER BY item, checkout_at, checkout_txn`),
    holds: q(`SELECT ${card('patron_id')} AS patron, ${barcode('item_id')} AS item, title, ${code('pickup_branch_id')} AS pickup, status, created_at
      FROM holds ORDER BY patron, created_at, title`),
    transits: q(`SELECT ${barcode('item_id')} AS item, ${code('from_branch_id')} AS "from", ${code('to_branch_id')} AS "to", reason, created_at,
        received_at, txn_id FROM transits ORDER BY item, created_at, txn_id`),
    bills: q(`SELECT ${card('b.patron_id')} AS patron, ${barcode('l.item_id')} AS loan_item, l.checkout_at AS loan_checkout_at, b.amount_cents,
        b.reason, b.created_at, b.txn_id FROM bills b LEFT JOIN loans l ON l.id = b.loan_id ORDER BY b.txn_id, b.created_at`),
    in_house_uses: q(`SELECT ${barcode('item_id')} AS item, ${code('branch_id')} AS branch, count, occurred_at, txn_id FROM in_house_uses ORDER BY txn_id`),
    noncat_circulations: q(`SELECT ${card('patron_id')} AS patron, noncat_type, count, ${code('branch_id')} AS branch, occurred_at, txn_id
      FROM noncat_circulations ORDER BY txn_id`),
    patrons: q(`SELECT ${card('id')} AS card, first_name, last_name, profile, ${code('home_branch_id')} AS home, expires_on, barred, inactive,
        email, phone, created_at, created_by_txn FROM patrons ORDER BY card`),
    patron_cards: q(`SELECT barcode, ${card('patron_id')} AS patron, active FROM patron_cards ORDER BY barcode`),
    offline_transactions: q('SELECT id, type, outcome, code, detail FROM transaction_outcomes ORDER BY id'),
    result_notices: q(`SELECT txn_id, position, code, detail, ${code('branch_id')} AS branch, ${barcode('item_id')} AS item,
        ${card('patron_id')} AS patron, ${code('to_branch_id')} AS to_branch FROM result_notices ORDER BY txn_id, position`),
  };
}

async function waitProcessed(db: Db, sessionId: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (db.prepare('SELECT state FROM offline_sessions WHERE id = ?').pluck().get(sessionId) === 'processed') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`session ${sessionId} was not processed in time`);
}

/** Codes seen across all seeds' clean runs, to check the scenarios exercise the rules. */
const seenCodes = new Set<string>();
const seenOutcomes = new Set<string>();

describe('processing the same session three ways gives the same database', () => {
  it.each(SEEDS)('seed %i: clean run = run + duplicate re-upload + rerun = interrupted run resumed on a new connection', async (seed) => {
    const sc = generate(seed);
    const total = sc.all.length;

    // A: one clean run.
    const a = await setUp(sc);
    let dumpA: Record<string, unknown[]>;
    try {
      const done = await processSession(a.env.app, a.sysadmin, a.sessionId);
      expect(done.counts).toMatchObject({ total, pending: 0 });
      dumpA = dump(a.env.db);
    } finally {
      await a.env.close();
    }
    const outcomes = dumpA.offline_transactions as { outcome: string; code: string }[];
    expect(outcomes).toHaveLength(total);
    expect(outcomes.every((t) => t.outcome !== 'pending' && t.code)).toBe(true);
    for (const t of outcomes) { seenCodes.add(t.code); seenOutcomes.add(t.outcome); }
    for (const n of dumpA.result_notices as { code: string }[]) seenCodes.add(n.code);

    // B: run, reopen, the desks re-send everything (all duplicates), run again.
    const b = await setUp(sc);
    let dumpB: Record<string, unknown[]>;
    try {
      await processSession(b.env.app, b.sysadmin, b.sessionId);
      const afterFirst = dump(b.env.db);
      expect((await call(b.env.app, 'POST', `/api/sessions/${b.sessionId}/reopen`, b.sysadmin)).status).toBe(200);
      for (const u of sc.uploads) {
        const reply = await upload(b.env.app, b.circA, b.sessionId, u.transactions, { workstation: u.desk.name });
        expect(reply.accepted).toEqual([]);
        expect(reply.duplicates).toEqual(u.transactions.map((t) => t.id));
      }
      const again = await processSession(b.env.app, b.sysadmin, b.sessionId);
      expect(again.counts).toMatchObject({ total, pending: 0 });
      dumpB = dump(b.env.db);
      expect(dumpB).toEqual(afterFirst);
    } finally {
      await b.env.close();
    }

    // C: the lock taken and the first k applied, one by one with their results; then the server "dies"
    // and a new connection's processor resumes the session.
    const c = await setUp(sc);
    let dumpC: Record<string, unknown[]>;
    try {
      const { env } = c;
      expect(env.services.sessions.lockForProcessing(c.sessionId)).toBe(true);
      const applier = new TransactionApplier(env.db);
      const settings = { sessionId: c.sessionId, branchId: env.library.branchIds[BRANCH_A], overridePolicy: sc.overridePolicy };
      const firstK = env.db.prepare(`SELECT payload, sort_at FROM offline_transactions WHERE session_id = ? AND outcome = 'pending'
        ORDER BY phase, sort_at, workstation, seq LIMIT ?`).all(c.sessionId, sc.k) as StoredTransaction[];
      for (const row of firstK) applier.apply(row, settings);
      expect(env.db.prepare("SELECT count(*) FROM offline_transactions WHERE session_id = ? AND outcome = 'pending'").pluck().get(c.sessionId))
        .toBe(total - sc.k);

      const db2 = openDatabase(env.file);
      try {
        expect(new Processor(db2, { error: () => undefined }).resumeInterrupted()).toEqual([c.sessionId]);
        await waitProcessed(db2, c.sessionId);
      } finally {
        db2.close();
      }
      dumpC = dump(env.db);
    } finally {
      await c.env.close();
    }

    expect(dumpB).toEqual(dumpA);
    expect(dumpC).toEqual(dumpA);
  });

  it('the random sessions reach every kind of result and the rules that matter here', ({ skip }) => {
    if (seenCodes.size === 0) skip('the seeds did not run (filtered out)');
    expect([...seenOutcomes].sort()).toEqual(['applied', 'applied_with_notice', 'exception', 'skipped']);
    for (const code of ['SUCCESS', 'OPEN_CIRCULATION_EXISTS', 'ROUTE_ITEM', 'HOLD_CAPTURED', 'ASSET_COPY_NOT_FOUND', 'ACTOR_USER_NOT_FOUND',
      'PATRON_CARD_INACTIVE', 'ACTION_CIRCULATION_NOT_FOUND', 'ITEM_NOT_CHECKED_OUT', 'SKIP_ASSET_CHANGED', 'PATRON_BARRED', 'OVERDUE_FINE']) {
      expect(seenCodes, code).toContain(code);
    }
  });
});
