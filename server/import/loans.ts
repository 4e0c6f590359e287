/**
 * Open loans from CSV: `item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch`
 * — what the library system has out today, so a checkin scanned offline finds its loan.
 *
 * One open loan per item. The item becomes checked out (an item marked lost or claims
 * returned keeps that status: it is still on the patron's account). A row the database
 * already has (same item, patron and checkout time) updates its due date and renewals in
 * place; a row naming another patron or checkout time means the item went back and out
 * again in the library system, so the old loan is closed and the new one opened.
 *
 * `branch` is where the loan was made (blank: the item's owning branch); dates given
 * without a time are read in that branch's zone — checked_out_at as the start of the day,
 * due_at as its end. `renewals` blank is 0.
 *
 * With `complete`, the file is every open loan: one it does not have is closed at the
 * as-of time, by this import run (loans.closed_by_import), and its item, if checked out,
 * becomes available. Whatever this server changed after the as-of time is kept.
 */
import type { ImportCounts } from '../../shared/api.js';
import { ITEM_CHANGED_AFTER, type ImportRun } from './import-run.js';
import { endAbsent, forEachRow, stateCounts, type Fail } from './rows.js';
import { checkTime, dueInstant, startInstant } from './times.js';
import { checkCode, checkWholeNumber, duplicateFinder, missingValues, report, wholeNumber } from './values.js';
import { problem } from '../../shared/import-errors.js';

export const LOAN_COLUMNS = ['item_barcode', 'patron_barcode', 'checked_out_at', 'due_at', 'renewals', 'branch'] as const;
const OPTIONAL: ReadonlySet<string> = new Set(['renewals', 'branch']);
/** Statuses of an item that is on a patron's account: a loan keeps them. */
const ON_ACCOUNT: ReadonlySet<string> = new Set(['checked_out', 'lost', 'claims_returned']);

interface OpenLoan { id: number; patron_id: number; checkout_at: string; due_at: string; renewals: number; checkout_branch_id: number | null }

export function importLoans(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db, asOf } = run;
  const counts = stateCounts();
  const duplicate = duplicateFinder('item_barcode', 'duplicate_loan');
  const q = {
    open: db.prepare<[number], OpenLoan>(`SELECT id, patron_id, checkout_at, due_at, renewals, checkout_branch_id FROM loans
      WHERE item_id = ? AND checkin_at IS NULL`),
    insert: db.prepare(`INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at, renewals) VALUES (?, ?, ?, ?, ?, ?)`),
    update: db.prepare('UPDATE loans SET due_at = ?, renewals = ?, checkout_branch_id = ? WHERE id = ?'),
    close: db.prepare('UPDATE loans SET checkin_at = ?, closed_by_import = ? WHERE id = ?'),
  };
  /** Items the file has a loan for: the rest of the open loans are what a complete file closes. */
  const inFile = new Set<number>();

  forEachRow(text, LOAN_COLUMNS, fail, (values, line) => {
    const [itemBarcode, patronBarcode, checkedOutAt, dueAt, renewalsText, branch] = values;
    const problems = missingValues(LOAN_COLUMNS, values, OPTIONAL);
    if (itemBarcode !== '') {
      problems.push(checkCode(itemBarcode, 'item_barcode') ?? duplicate(itemBarcode, line));
    }
    if (patronBarcode !== '') problems.push(checkCode(patronBarcode, 'patron_barcode'));
    if (checkedOutAt !== '') problems.push(checkTime(checkedOutAt, 'checked_out_at'));
    if (dueAt !== '') problems.push(checkTime(dueAt, 'due_at'));
    if (renewalsText !== '') problems.push(checkWholeNumber(renewalsText, 'renewals', 0, 999));
    if (branch !== '') problems.push(checkCode(branch, 'branch', 'bad_branch_code') ?? run.branchProblem(branch, 'branch'));
    if (!report(fail, line, problems)) return;

    const { item, problem: itemProblem } = run.itemOrProblem(itemBarcode);
    const { card, problem: cardProblem } = run.cardOrProblem(patronBarcode);
    if (!report(fail, line, [itemProblem, cardProblem]) || !item || !card) return;
    const branchId = branch === '' ? item.owning_branch_id : run.branchId(branch);
    if (branchId === undefined) return;
    const zone = run.zoneOf(branchId);
    const checkout = startInstant(checkedOutAt, zone);
    const due = dueInstant(dueAt, zone);
    if (!report(fail, line, [
      checkout > asOf ? problem('loan_after_as_of', { checked_out_at: checkout, as_of: asOf }) : null,
      due < checkout ? problem('due_before_checkout', { due_at: due, checked_out_at: checkout }) : null,
    ])) return;
    inFile.add(item.id);

    const renewals = renewalsText === '' ? 0 : wholeNumber(renewalsText, 0, 999)!;
    const open = q.open.get(item.id);
    if (item.newer || (open && open.checkout_at > asOf)) {
      counts.kept_newer++;
      return;
    }
    let changed = false;
    if (open && open.patron_id === card.patron_id && open.checkout_at === checkout) {
      if (open.due_at !== due || open.renewals !== renewals || open.checkout_branch_id !== branchId) {
        q.update.run(due, renewals, branchId, open.id);
        changed = true;
      }
    } else {
      // The item came back and went out again in the library system: the old loan ended when the new one began, at the latest.
      if (open) q.close.run(checkout > open.checkout_at ? checkout : asOf, run.runId, open.id);
      q.insert.run(item.id, card.patron_id, checkout, branchId, due, renewals);
    }
    if (!ON_ACCOUNT.has(item.status)) {
      run.setItemStatus(item, 'checked_out', branchId);
      changed = true;
    }
    if (!open) counts.inserted++;
    else if (changed || open.patron_id !== card.patron_id || open.checkout_at !== checkout) counts.updated++;
    else counts.unchanged++;
  });

  if (run.complete) closeAbsent(run, inFile, counts);
  return counts;
}

/** A complete file's other side: every open loan it does not have ended by its as-of time. */
function closeAbsent(run: ImportRun, inFile: Set<number>, counts: ReturnType<typeof stateCounts>): void {
  const { db, asOf } = run;
  const open = db.prepare(`SELECT l.id, l.item_id, l.checkout_at, i.barcode, i.status, i.current_branch_id,
      (l.checkout_at > @asOf OR ${ITEM_CHANGED_AFTER}) AS newer
    FROM loans l JOIN items i ON i.id = l.item_id WHERE l.checkin_at IS NULL`)
    .all({ asOf }) as { id: number; item_id: number; checkout_at: string; barcode: string; status: string; current_branch_id: number; newer: number }[];
  const close = db.prepare('UPDATE loans SET checkin_at = ?, closed_by_import = ? WHERE id = ?');
  endAbsent(open, (loan) => inFile.has(loan.item_id), counts, (loan) => {
    close.run(asOf, run.runId, loan.id);
    // A lost or claimed item stays so: the library system's items file says what became of it.
    if (loan.status === 'checked_out') run.setItemStatus(run.item(loan.barcode)!, 'available');
  });
}
