/** Patrons from CSV, each with one card: checked, then upserted by card barcode. */
import type { Db } from '../db/open.js';
import type { ImportCounts } from '../../shared/api.js';
import { failWhileWriting, forEachRow, must, noCounts, type Fail } from './rows.js';
import { checkCode, checkDate, duplicateFinder, missingValues, parseBarred, report } from './values.js';
import { problem } from '../../shared/import-errors.js';

export const PATRON_COLUMNS = ['barcode', 'first_name', 'last_name', 'profile', 'home_branch', 'expires_on', 'barred'] as const;
/** People and organisations without a first name. */
const OPTIONAL: ReadonlySet<string> = new Set(['first_name']);

interface PatronRow {
  barcode: string;
  first_name: string;
  last_name: string;
  profile: string;
  home_branch: string;
  expires_on: string;
  barred: boolean;
}

export function checkPatrons(db: Db, text: string, branches: Set<string>, fail: Fail): void {
  const cardActive = db.prepare('SELECT active FROM patron_cards WHERE barcode = ?').pluck();
  const duplicate = duplicateFinder('barcode');
  forEachRow(text, PATRON_COLUMNS, fail, (values, line) => {
    const [barcode, , , , homeBranch, expiresOn, barred] = values;
    const problems = missingValues(PATRON_COLUMNS, values, OPTIONAL);
    if (barcode !== '') {
      const bad = checkCode(barcode, 'barcode');
      problems.push(bad ?? duplicate(barcode, line));
      if (!bad && cardActive.get(barcode) === 0) {
        problems.push(problem('replaced_card', { column: 'barcode', value: barcode }));
      }
    }
    if (homeBranch !== '' && !branches.has(homeBranch)) problems.push(problem('unknown_branch', { column: 'home_branch', value: homeBranch }));
    if (expiresOn !== '') problems.push(checkDate(expiresOn, 'expires_on'));
    if (barred !== '' && parseBarred(barred) === null) problems.push(problem('bad_barred', { column: 'barred', value: barred }));
    report(fail, line, problems);
  });
}

function toPatron(values: string[]): PatronRow {
  const [barcode, first_name, last_name, profile, home_branch, expires_on, barred] = values;
  return { barcode, first_name, last_name, profile, home_branch, expires_on, barred: parseBarred(barred) === true };
}

export function writePatrons(db: Db, text: string, branchIds: Map<string, number>, now: string): ImportCounts {
  const counts = noCounts();
  const find = db.prepare(
    `SELECT p.id, p.first_name, p.last_name, p.profile, p.home_branch_id, p.expires_on, p.barred, c.active
     FROM patron_cards c JOIN patrons p ON p.id = c.patron_id WHERE c.barcode = ?`,
  );
  const insertPatron = db.prepare(
    `INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, barred, inactive, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const insertCard = db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, 1)');
  const update = db.prepare(
    `UPDATE patrons SET first_name = ?, last_name = ?, profile = ?, home_branch_id = ?, expires_on = ?, barred = ?
     WHERE id = ?`,
  );
  forEachRow(text, PATRON_COLUMNS, failWhileWriting, (values) => {
    const row = toPatron(values);
    const branchId = must(branchIds.get(row.home_branch), `branch '${row.home_branch}'`);
    const barred = row.barred ? 1 : 0;
    const old = find.get(row.barcode) as
      | { id: number; first_name: string; last_name: string; profile: string; home_branch_id: number;
          expires_on: string; barred: number; active: number }
      | undefined;
    if (!old) {
      const id = insertPatron.run(row.first_name, row.last_name, row.profile, branchId, row.expires_on, barred, now)
        .lastInsertRowid;
      insertCard.run(row.barcode, id);
      counts.inserted++;
      return;
    }
    if (old.active !== 1) throw new Error(`import: card '${row.barcode}' was made inactive during the import`);
    const same = old.first_name === row.first_name && old.last_name === row.last_name && old.profile === row.profile &&
      old.home_branch_id === branchId && old.expires_on === row.expires_on && old.barred === barred;
    if (same) {
      counts.unchanged++;
    } else {
      update.run(row.first_name, row.last_name, row.profile, branchId, row.expires_on, barred, old.id);
      counts.updated++;
    }
  });
  return counts;
}
