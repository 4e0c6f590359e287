/**
 * Holds from CSV: `patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status`.
 *
 * A hold is on a title (`record_id`: any item of that record fills it) or on one item
 * (`item_barcode` alone). `status` is `waiting` (blank means waiting) or `on_shelf`: set
 * aside for the patron at the pickup branch, which needs the item it is set aside on
 * (for a hold on a title, `item_barcode` names that copy; on a waiting title hold it is
 * the copy the library system targets, which this app does not need: any copy fills it).
 * An item on the shelf for a hold becomes `on_hold_shelf` at the pickup branch.
 *
 * A hold is known by its patron and its record (or item); a row the database has updates
 * its pickup branch, placed time and status. With `complete`, a waiting or shelved hold
 * the file does not have is cancelled by this run (holds.cancelled_by_import).
 *
 * Title-level holds also carry the record's title, which processing matches today; the
 * record id is stored beside it for matching by record.
 */
import type { ImportCounts } from '../../shared/api.js';
import { ITEM_CHANGED_AFTER, type ImportRun, type RunItem } from './import-run.js';
import { endAbsent, forEachRow, stateCounts, type Fail } from './rows.js';
import { checkTime, startInstant } from './times.js';
import { checkCode, missingValues, report } from './values.js';
import { problem } from '../../shared/import-errors.js';

export const HOLD_COLUMNS = ['patron_barcode', 'item_barcode', 'record_id', 'pickup_branch', 'placed_at', 'status'] as const;
const OPTIONAL: ReadonlySet<string> = new Set(['item_barcode', 'record_id', 'status']);
export const HOLD_FILE_STATUSES = ['waiting', 'on_shelf'] as const;
/** Holds still open: waiting, in transit to their pickup branch, or on its shelf. */
const OPEN = "('pending', 'captured', 'on_shelf')";

interface OpenHold { id: number; item_id: number | null; pickup_branch_id: number; status: string; created_at: string; record_id: string | null; newer: number }

export function importHolds(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db, asOf } = run;
  const counts = stateCounts();
  const held = `, (h.item_id IS NOT NULL AND EXISTS (SELECT 1 FROM items i WHERE i.id = h.item_id AND ${ITEM_CHANGED_AFTER})) AS newer`;
  const q = {
    // A title hold stored before records were known (by its title alone) is the same hold: it gets the record id.
    byRecord: db.prepare(`SELECT h.id, h.item_id, h.pickup_branch_id, h.status, h.created_at, h.record_id ${held} FROM holds h
      WHERE h.patron_id = @patron AND h.status IN ${OPEN} AND (h.record_id = @record OR (h.record_id IS NULL AND h.title = @title))
      ORDER BY h.record_id IS NULL, h.id LIMIT 1`),
    byItem: db.prepare(`SELECT h.id, h.item_id, h.pickup_branch_id, h.status, h.created_at, h.record_id ${held} FROM holds h
      WHERE h.patron_id = @patron AND h.item_id = @item AND h.title IS NULL AND h.status IN ${OPEN} ORDER BY h.id LIMIT 1`),
    recordTitle: db.prepare<[string], string>('SELECT title FROM items WHERE record_id = ? ORDER BY id LIMIT 1').pluck(),
    openLoan: db.prepare<[number], number>('SELECT 1 FROM loans WHERE item_id = ? AND checkin_at IS NULL').pluck(),
    insert: db.prepare(`INSERT INTO holds (patron_id, item_id, title, record_id, pickup_branch_id, status, created_at)
      VALUES (@patron, @item, @title, @record, @pickup, @status, @created)`),
    update: db.prepare(`UPDATE holds SET item_id = @item, pickup_branch_id = @pickup, status = @status, created_at = @created, record_id = @record
      WHERE id = @id`),
  };
  const firstLine = new Map<string, number>();
  /** Items set aside on the shelf by this file, and on which line. */
  const shelved = new Map<number, number>();
  const inFile = new Set<number>();

  forEachRow(text, HOLD_COLUMNS, fail, (values, line) => {
    const [patronBarcode, itemBarcode, recordId, pickup, placedAt, statusText] = values;
    const status = statusText || 'waiting';
    const problems = missingValues(HOLD_COLUMNS, values, OPTIONAL);
    if (patronBarcode !== '') problems.push(checkCode(patronBarcode, 'patron_barcode'));
    if (itemBarcode !== '') problems.push(checkCode(itemBarcode, 'item_barcode'));
    if (recordId !== '') problems.push(checkCode(recordId, 'record_id'));
    if (itemBarcode === '' && recordId === '') problems.push(problem('hold_without_target', {}));
    if (pickup !== '') problems.push(checkCode(pickup, 'pickup_branch') ?? run.branchProblem(pickup, 'pickup_branch'));
    if (placedAt !== '') problems.push(checkTime(placedAt, 'placed_at'));
    if (!(HOLD_FILE_STATUSES as readonly string[]).includes(status)) {
      problems.push(problem('bad_hold_status', { column: 'status', value: status }));
    } else if (status === 'on_shelf' && itemBarcode === '') {
      problems.push(problem('shelved_hold_without_item', {}));
    }
    if (patronBarcode !== '' && (recordId !== '' || itemBarcode !== '')) {
      const key = `${patronBarcode}\u0000${recordId ? `r:${recordId}` : `i:${itemBarcode}`}`;
      const first = firstLine.get(key);
      if (first === undefined) firstLine.set(key, line);
      else problems.push(problem('duplicate_hold', { patron: patronBarcode, record: recordId, item: recordId ? '' : itemBarcode, first_line: first }));
    }
    if (!report(fail, line, problems)) return;

    const { card, problem: cardProblem } = run.cardOrProblem(patronBarcode);
    const found = itemBarcode === '' ? { problem: null } : run.itemOrProblem(itemBarcode);
    const item: RunItem | undefined = found.item;
    const refProblems = [cardProblem, found.problem];
    let title: string | null = null;
    if (recordId !== '') {
      title = q.recordTitle.get(recordId) ?? null;
      if (title === null && run.itemsWritten) refProblems.push(problem('unknown_record', { column: 'record_id', value: recordId }));
      if (item && item.record_id !== recordId) {
        refProblems.push(problem('item_of_other_record', { item: itemBarcode, item_record: item.record_id ?? '', record: recordId }));
      }
    }
    if (item && status === 'on_shelf') {
      const first = shelved.get(item.id);
      if (first !== undefined) refProblems.push(problem('item_shelved_twice', { item: itemBarcode, first_line: first }));
      else shelved.set(item.id, line);
      // The loans file came first in this run: an item it still has out cannot also wait on the shelf.
      if (q.openLoan.get(item.id)) refProblems.push(problem('shelved_item_on_loan', { item: itemBarcode }));
    }
    const pickupId = run.branchId(pickup);
    if (!report(fail, line, refProblems) || !card || pickupId === undefined || (itemBarcode !== '' && !item) || (recordId !== '' && title === null)) return;
    const created = startInstant(placedAt, run.zoneOf(pickupId));
    if (created > asOf) {
      fail(line, problem('hold_after_as_of', { placed_at: created, as_of: asOf }));
      return;
    }

    const onTitle = recordId !== '';
    const dbStatus = status === 'on_shelf' ? 'on_shelf' : 'pending';
    // A hold waiting on a title is on no item yet; a hold on one item, or set aside, is on that item.
    const itemId = onTitle && status === 'waiting' ? null : item!.id;
    const old = (onTitle ? q.byRecord.get({ patron: card.patron_id, record: recordId, title, asOf })
      : q.byItem.get({ patron: card.patron_id, item: itemId, asOf })) as OpenHold | undefined;
    if (old) inFile.add(old.id);
    if (old?.newer || (status === 'on_shelf' && item!.newer)) {
      counts.kept_newer++;
      return;
    }
    const shelve = status === 'on_shelf' && (item!.status !== 'on_hold_shelf' || item!.current_branch_id !== pickupId);
    if (shelve) run.setItemStatus(item!, 'on_hold_shelf', pickupId);
    if (!old) {
      inFile.add(Number(q.insert.run({ patron: card.patron_id, item: itemId, title: onTitle ? title : null, record: onTitle ? recordId : null,
        pickup: pickupId, status: dbStatus, created }).lastInsertRowid));
      counts.inserted++;
    } else if (old.item_id === itemId && old.pickup_branch_id === pickupId && old.status === dbStatus && old.created_at === created
      && old.record_id === (onTitle ? recordId : old.record_id)) {
      if (shelve) counts.updated++;
      else counts.unchanged++;
    } else {
      q.update.run({ id: old.id, item: itemId, pickup: pickupId, status: dbStatus, created, record: onTitle ? recordId : old.record_id });
      counts.updated++;
    }
  });

  if (run.complete) {
    const open = db.prepare(`SELECT h.id, (h.created_at > @asOf OR (h.item_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM items i WHERE i.id = h.item_id AND ${ITEM_CHANGED_AFTER}))) AS newer
      FROM holds h WHERE h.status IN ${OPEN}`).all({ asOf }) as { id: number; newer: number }[];
    const cancel = db.prepare("UPDATE holds SET status = 'cancelled', cancelled_by_import = ? WHERE id = ?");
    endAbsent(open, (hold) => inFile.has(hold.id), counts, (hold) => cancel.run(run.runId, hold.id));
  }
  return counts;
}
