/** Items from CSV: checked, then upserted by barcode; a changed status counts as a change the import made. */
import type { Db } from '../db/open.js';
import type { ImportCounts } from '../../shared/api.js';
import { failWhileWriting, forEachRow, must, noCounts, type Fail } from './rows.js';
import { checkCode, duplicateFinder, missingValues, report, show } from './values.js';

export const ITEM_COLUMNS = ['barcode', 'title', 'author', 'call_number', 'item_type', 'owning_branch', 'status'] as const;
export const ITEM_STATUSES = [
  'available', 'checked_out', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'claims_returned', 'damaged',
  'non_circulating',
] as const;
/** Items not yet given an author or call number. */
const OPTIONAL: ReadonlySet<string> = new Set(['author', 'call_number']);
const STATUSES: ReadonlySet<string> = new Set(ITEM_STATUSES);

export function checkItems(text: string, branches: Set<string>, fail: Fail): void {
  const duplicate = duplicateFinder('barcode');
  forEachRow(text, ITEM_COLUMNS, fail, (values, line) => {
    const [barcode, , , , , owningBranch, status] = values;
    const problems = missingValues(ITEM_COLUMNS, values, OPTIONAL);
    if (barcode !== '') {
      const bad = checkCode(barcode, 'barcode');
      problems.push(bad ?? duplicate(barcode, line));
    }
    if (owningBranch !== '' && !branches.has(owningBranch)) problems.push(`unknown branch ${show(owningBranch)}`);
    if (status !== '' && !STATUSES.has(status)) {
      problems.push(`bad status ${show(status)} (expected one of ${ITEM_STATUSES.join(', ')})`);
    }
    report(fail, line, problems);
  });
}

export function writeItems(db: Db, text: string, branchIds: Map<string, number>, now: string): ImportCounts {
  const counts = noCounts();
  const find = db.prepare(
    'SELECT id, title, author, call_number, item_type, owning_branch_id, status FROM items WHERE barcode = ?',
  );
  const insert = db.prepare(
    `INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status,
       status_changed_at, status_changed_via)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')`,
  );
  // The current branch is where the item physically is, which a catalogue export does not know.
  // A new status is a change the import made, at the import's time: scans from before it are stale.
  const update = db.prepare(
    `UPDATE items SET title = @title, author = @author, call_number = @call_number, item_type = @item_type,
       owning_branch_id = @branch,
       status_changed_at = CASE WHEN status = @status THEN status_changed_at ELSE @now END,
       status_changed_via = CASE WHEN status = @status THEN status_changed_via ELSE 'import' END,
       status_changed_by_session = CASE WHEN status = @status THEN status_changed_by_session END,
       status_changed_by_txn = CASE WHEN status = @status THEN status_changed_by_txn END,
       status = @status
     WHERE id = @id`,
  );
  forEachRow(text, ITEM_COLUMNS, failWhileWriting, (values) => {
    const [barcode, title, author, callNumber, itemType, owningBranch, status] = values;
    const branchId = must(branchIds.get(owningBranch), `branch '${owningBranch}'`);
    const old = find.get(barcode) as
      | { id: number; title: string; author: string; call_number: string; item_type: string;
          owning_branch_id: number; status: string }
      | undefined;
    if (!old) {
      insert.run(barcode, title, author, callNumber, itemType, branchId, branchId, status, now);
      counts.inserted++;
    } else if (
      old.title === title && old.author === author && old.call_number === callNumber && old.item_type === itemType &&
      old.owning_branch_id === branchId && old.status === status
    ) {
      counts.unchanged++;
    } else {
      update.run({ title, author, call_number: callNumber, item_type: itemType, branch: branchId, status, now, id: old.id });
      counts.updated++;
    }
  });
  return counts;
}
