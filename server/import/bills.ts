/**
 * Open balances from CSV: `patron_barcode,amount_cents,reason,billed_at` — what each
 * patron owes in the library system, one row a bill, the amount still open in cents.
 * A date without a time is read in the patron's home branch's zone.
 *
 * A bill is known by its patron, billed time and reason. Loading the same file again
 * changes nothing. A refreshed file whose amount differs says what is open now: less
 * means part was paid in the library system (recorded as paid here), more means more
 * was charged there (the bill grows); either way the bill then owes what the file says.
 *
 * With `complete`, the file is every open balance as of its as-of time: an open bill
 * billed by then that it does not have — imported, or an overdue fine this server billed,
 * which the library system has by then from the exported session or never will — is
 * settled (paid in full, bills.settled_by_import). A patron who paid here after the as-of
 * time, or a fine billed by a session processed after it, is left as it is: the library
 * system's file cannot know of it yet. Credits from payments here are left as they are.
 */
import type { ImportCounts } from '../../shared/api.js';
import type { ImportRun } from './import-run.js';
import { endAbsent, forEachRow, stateCounts, type Fail } from './rows.js';
import { checkTime, startInstant } from './times.js';
import { checkCode, checkText, checkWholeNumber, missingValues, report, wholeNumber } from './values.js';
import { problem as importProblem } from '../../shared/import-errors.js';

export const BILL_COLUMNS = ['patron_barcode', 'amount_cents', 'reason', 'billed_at'] as const;
const NO_OPTIONAL: ReadonlySet<string> = new Set();
const MAX_CENTS = 100_000_000;

/** SQL: the patron (`patronSql`) paid here after the as-of time, by when it took effect or when its session was processed. */
const paidHereAfter = (patronSql: string): string => `EXISTS (SELECT 1 FROM payments p LEFT JOIN transaction_outcomes t ON t.id = p.txn_id
  WHERE p.patron_id = ${patronSql} AND (p.paid_at > @asOf OR t.processed_at > @asOf))`;

export function importBills(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db, asOf } = run;
  const counts = stateCounts();
  const q = {
    find: db.prepare<[number, string, string], { id: number; amount_cents: number; paid_cents: number }>(`SELECT id, amount_cents, paid_cents FROM bills
      WHERE patron_id = ? AND created_at = ? AND reason = ? AND txn_id IS NULL ORDER BY id LIMIT 1`),
    paidAfter: db.prepare(`SELECT ${paidHereAfter('@patron')}`).pluck(),
    insert: db.prepare('INSERT INTO bills (patron_id, amount_cents, paid_cents, reason, created_at) VALUES (?, ?, 0, ?, ?)'),
    set: db.prepare('UPDATE bills SET amount_cents = ?, paid_cents = ? WHERE id = ?'),
  };
  const firstLine = new Map<string, number>();
  const inFile = new Set<number>();

  forEachRow(text, BILL_COLUMNS, fail, (values, line) => {
    const [patronBarcode, amountText, reason, billedAt] = values;
    const problems = missingValues(BILL_COLUMNS, values, NO_OPTIONAL);
    if (patronBarcode !== '') problems.push(checkCode(patronBarcode, 'patron_barcode'));
    if (amountText !== '') {
      problems.push(checkWholeNumber(amountText, 'amount_cents', 1, MAX_CENTS, /^\d+[.,]\d+$/.test(amountText) ? 'bad_cents' : 'bad_number'));
    }
    if (reason !== '') problems.push(checkText(reason, 'reason', 200));
    if (billedAt !== '') problems.push(checkTime(billedAt, 'billed_at'));
    if (!report(fail, line, problems)) return;
    const { card, problem } = run.cardOrProblem(patronBarcode);
    if (!report(fail, line, [problem]) || !card) return;
    const created = startInstant(billedAt, run.zoneOf(card.home_branch_id));
    const key = `${card.patron_id}\u0000${created}\u0000${reason}`;
    const first = firstLine.get(key);
    if (!report(fail, line, [
      first === undefined ? null : importProblem('duplicate_bill', { patron: patronBarcode, billed_at: created, reason, first_line: first }),
      created > asOf ? importProblem('bill_after_as_of', { billed_at: created, as_of: asOf }) : null,
    ])) return;
    firstLine.set(key, line);

    const open = wholeNumber(amountText, 1, MAX_CENTS)!;
    const old = q.find.get(card.patron_id, created, reason);
    if (old) inFile.add(old.id);
    if (q.paidAfter.get({ patron: card.patron_id, asOf })) {
      counts.kept_newer++;
      return;
    }
    if (!old) {
      inFile.add(Number(q.insert.run(card.patron_id, open, reason, created).lastInsertRowid));
      counts.inserted++;
      return;
    }
    const owed = old.amount_cents - old.paid_cents;
    if (owed === open) {
      counts.unchanged++;
      return;
    }
    // Less open: paid in the library system. More: charged there; the bill grows by the difference.
    if (open < owed) q.set.run(old.amount_cents, old.paid_cents + (owed - open), old.id);
    else q.set.run(old.amount_cents + (open - owed), old.paid_cents, old.id);
    counts.updated++;
  });

  if (run.complete) {
    const open = db.prepare(`SELECT b.id, (b.created_at > @asOf OR ${paidHereAfter('b.patron_id')}
        OR EXISTS (SELECT 1 FROM transaction_outcomes t WHERE t.id = b.txn_id AND t.processed_at > @asOf)) AS newer
      FROM bills b WHERE b.paid_cents < b.amount_cents`).all({ asOf }) as { id: number; newer: number }[];
    const settle = db.prepare('UPDATE bills SET paid_cents = amount_cents, settled_by_import = ? WHERE id = ?');
    endAbsent(open, (bill) => inFile.has(bill.id), counts, (bill) => settle.run(run.runId, bill.id));
  }
  return counts;
}
