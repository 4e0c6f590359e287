/**
 * Loan policies from CSV: `item_type,patron_profile,loan_days,max_renewals,
 * daily_fine_cents,max_fine_cents,max_items_out`. A blank item type or profile means
 * any; the row with both blank is the default, which a library's first policy file (and
 * any complete one, which replaces every policy) must have — a loan always needs a
 * policy. The most specific policy wins (shared/loan-policy.ts pickPolicy). Rows update
 * by item type and profile; `max_items_out` blank means no limit.
 */
import type { ImportCounts } from '../../shared/api.js';
import { POLICY_LIMITS } from '../../shared/schemas/policies.js';
import type { ImportRun } from './import-run.js';
import { deleteAbsent, forEachRow, stateCounts, type Fail } from './rows.js';
import { checkText, checkWholeNumber, missingValues, report, wholeNumber } from './values.js';
import { problem } from '../../shared/import-errors.js';

export const POLICY_COLUMNS = ['item_type', 'patron_profile', 'loan_days', 'max_renewals', 'daily_fine_cents', 'max_fine_cents', 'max_items_out'] as const;
const OPTIONAL: ReadonlySet<string> = new Set(['item_type', 'patron_profile', 'max_items_out']);
const NUMBERS = ['loan_days', 'max_renewals', 'daily_fine_cents', 'max_fine_cents', 'max_items_out'] as const;

interface PolicyRow {
  id: number; item_type: string | null; patron_profile: string | null; loan_days: number; max_renewals: number;
  daily_fine_cents: number; max_fine_cents: number; max_items_out: number | null;
}

export function importPolicies(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db } = run;
  const counts = stateCounts();
  const firstLine = new Map<string, number>();
  const find = db.prepare<[string | null, string | null], PolicyRow>(`SELECT id, item_type, patron_profile, loan_days, max_renewals, daily_fine_cents,
    max_fine_cents, max_items_out FROM loan_policies WHERE item_type IS ? AND patron_profile IS ?`);
  const insert = db.prepare(`INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out)
    VALUES (@item_type, @patron_profile, @loan_days, @max_renewals, @daily_fine_cents, @max_fine_cents, @max_items_out)`);
  const update = db.prepare(`UPDATE loan_policies SET loan_days = @loan_days, max_renewals = @max_renewals, daily_fine_cents = @daily_fine_cents,
    max_fine_cents = @max_fine_cents, max_items_out = @max_items_out WHERE id = @id`);
  const hadPolicies = (db.prepare('SELECT count(*) FROM loan_policies').pluck().get() as number) > 0;
  const kept = new Set<number>();
  let defaultRow = false;

  forEachRow(text, POLICY_COLUMNS, fail, (values, line) => {
    const [itemType, profile] = values;
    const problems = missingValues(POLICY_COLUMNS, values, OPTIONAL);
    if (itemType !== '') problems.push(checkText(itemType, 'item_type', 64));
    if (profile !== '') problems.push(checkText(profile, 'patron_profile', 64));
    NUMBERS.forEach((column, i) => {
      const value = values[i + 2];
      if (value !== '') problems.push(checkWholeNumber(value, column, POLICY_LIMITS[column][0], POLICY_LIMITS[column][1]));
    });
    const isDefault = itemType === '' && profile === '';
    const key = `${itemType}\u0000${profile}`;
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, line);
    else problems.push(problem('duplicate_policy', { item_type: itemType, patron_profile: profile, first_line: first }));
    if (isDefault) defaultRow = true;
    if (!report(fail, line, problems)) return;

    const [loanDays, maxRenewals, dailyFine, maxFine, maxItemsOut] = NUMBERS.map((column, i) =>
      values[i + 2] === '' ? null : wholeNumber(values[i + 2], POLICY_LIMITS[column][0], POLICY_LIMITS[column][1]));
    const row = { item_type: itemType || null, patron_profile: profile || null, loan_days: loanDays, max_renewals: maxRenewals,
      daily_fine_cents: dailyFine, max_fine_cents: maxFine, max_items_out: maxItemsOut };
    const old = find.get(row.item_type, row.patron_profile);
    if (!old) {
      kept.add(Number(insert.run(row).lastInsertRowid));
      counts.inserted++;
      return;
    }
    kept.add(old.id);
    if (old.loan_days === loanDays && old.max_renewals === maxRenewals && old.daily_fine_cents === dailyFine && old.max_fine_cents === maxFine
      && old.max_items_out === maxItemsOut) {
      counts.unchanged++;
    } else {
      update.run({ ...row, id: old.id });
      counts.updated++;
    }
  });

  // A file that is (or replaces) every policy the library has must say what applies when nothing more specific does.
  if (!defaultRow && (!hadPolicies || run.complete)) {
    fail(1, problem('no_default_policy', { complete: hadPolicies }));
  }
  if (run.complete) deleteAbsent(db, 'loan_policies', kept, counts);
  return counts;
}
