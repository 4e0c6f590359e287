/**
 * Items from CSV: checked, then upserted by barcode. A changed status is a change the
 * import made, effective at the run's as-of time — unless this server changed the item
 * after that time, which the library system's file cannot know yet (it is then kept).
 * `record_id`, the title's id in the library system, is optional: a file without the
 * column leaves each item's record as it is.
 */
import type { Db } from '../db/open.js';
import type { ImportCounts } from '../../shared/api.js';
import { failWhileWriting, forEachRow, must, noCounts, type Fail } from './rows.js';
import { checkCode, duplicateFinder, missingValues, report } from './values.js';
import { problem } from '../../shared/import-errors.js';
import { ITEM_CHANGED_AFTER } from './import-run.js';

export const ITEM_COLUMNS = ['barcode', 'title', 'author', 'call_number', 'item_type', 'owning_branch', 'status', 'record_id'] as const;
export const ITEM_STATUSES = [
  'available', 'checked_out', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'claims_returned', 'damaged',
  'non_circulating',
] as const;
/** Items not yet given an author, call number or record. */
const OPTIONAL: ReadonlySet<string> = new Set(['author', 'call_number', 'record_id']);
const OPTIONAL_COLUMNS = ['record_id'] as const;
const STATUSES: ReadonlySet<string> = new Set(ITEM_STATUSES);
/** Statuses an item keeps while a patron has it on loan. */
const ON_LOAN_ANYWAY: ReadonlySet<string> = new Set(['lost', 'claims_returned']);

export function checkItems(text: string, branches: Set<string>, fail: Fail): void {
  const duplicate = duplicateFinder('barcode');
  forEachRow(text, ITEM_COLUMNS, fail, (values, line) => {
    const [barcode, , , , , owningBranch, status, recordId] = values;
    const problems = missingValues(ITEM_COLUMNS, values, OPTIONAL);
    if (barcode !== '') {
      const bad = checkCode(barcode, 'barcode');
      problems.push(bad ?? duplicate(barcode, line));
    }
    if (owningBranch !== '' && !branches.has(owningBranch)) problems.push(problem('unknown_branch', { column: 'owning_branch', value: owningBranch }));
    if (status !== '' && !STATUSES.has(status)) {
      problems.push(problem('bad_item_status', { column: 'status', value: status, statuses: ITEM_STATUSES.join(', ') }));
    }
    if (recordId !== '') problems.push(checkCode(recordId, 'record_id'));
    report(fail, line, problems);
  }, OPTIONAL_COLUMNS);
}

interface OldItem {
  id: number; title: string; author: string; call_number: string; item_type: string; owning_branch_id: number; status: string;
  record_id: string | null; newer: number;
}

/**
 * `stateStatus`: the status the loans and holds files of the same run give an item (out on
 * loan, or on the hold shelf). Those files say what is out and what waits on the shelf, so
 * their word wins over the items file's status column — else the two files would undo each
 * other on every run. An item lost or claimed returned keeps that status even on loan.
 */
export function writeItems(db: Db, text: string, branchIds: Map<string, number>, asOf: string,
  stateStatus: ReadonlyMap<string, string> = new Map()): ImportCounts {
  const counts = noCounts();
  let kept = 0;
  const find = db.prepare(`SELECT i.id, i.title, i.author, i.call_number, i.item_type, i.owning_branch_id, i.status, i.record_id,
      ${ITEM_CHANGED_AFTER} AS newer FROM items i WHERE i.barcode = @barcode`);
  const insert = db.prepare(
    `INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status,
       status_changed_at, status_changed_via, record_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'import', ?)`,
  );
  // The current branch is where the item physically is, which a catalogue export does not know.
  // A new status is a change the import made, at the as-of time: scans from before it are stale.
  const update = db.prepare(
    `UPDATE items SET title = @title, author = @author, call_number = @call_number, item_type = @item_type,
       owning_branch_id = @branch, record_id = @record_id,
       status_changed_at = CASE WHEN status = @status THEN status_changed_at ELSE @asOf END,
       status_changed_via = CASE WHEN status = @status THEN status_changed_via ELSE 'import' END,
       status_changed_by_session = CASE WHEN status = @status THEN status_changed_by_session END,
       status_changed_by_txn = CASE WHEN status = @status THEN status_changed_by_txn END,
       status = @status
     WHERE id = @id`,
  );
  forEachRow(text, ITEM_COLUMNS, failWhileWriting, (values, _line, present) => {
    const [barcode, title, author, callNumber, itemType, owningBranch, statusColumn, fileRecord] = values;
    const fromState = stateStatus.get(barcode);
    const fileStatus = fromState && !(fromState === 'checked_out' && ON_LOAN_ANYWAY.has(statusColumn)) ? fromState : statusColumn;
    const branchId = must(branchIds.get(owningBranch), `branch '${owningBranch}'`);
    const old = find.get({ barcode, asOf }) as OldItem | undefined;
    const recordId = present.has('record_id') ? fileRecord || null : old?.record_id ?? null;
    if (!old) {
      insert.run(barcode, title, author, callNumber, itemType, branchId, branchId, fileStatus, asOf, recordId);
      counts.inserted++;
      return;
    }
    // Changed here after the file was written: its status stays what this server made it.
    const keep = old.status !== fileStatus && old.newer === 1;
    if (keep) kept++;
    const status = keep ? old.status : fileStatus;
    if (
      old.title === title && old.author === author && old.call_number === callNumber && old.item_type === itemType &&
      old.owning_branch_id === branchId && old.status === status && old.record_id === recordId
    ) {
      if (!keep) counts.unchanged++;
    } else {
      update.run({ title, author, call_number: callNumber, item_type: itemType, branch: branchId, status, asOf, id: old.id, record_id: recordId });
      if (!keep) counts.updated++;
    }
  }, OPTIONAL_COLUMNS);
  // Said only when it happened: an items file is rarely older than what processing did.
  return kept > 0 ? { ...counts, kept_newer: kept } : counts;
}
