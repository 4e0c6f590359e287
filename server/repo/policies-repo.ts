/** Loan policies, library-wide: the admin page's view and edits (the import loads them from a file: import/policies.ts). */
import type { Db } from '../db/open.js';
import type { LoanPolicyBody, LoanPolicyRecord } from '../../shared/api.js';

const COLUMNS = 'id, item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out';

export class PoliciesRepo {
  constructor(private readonly db: Db) {}

  /** Every policy: the default first, then by item type and profile (any before a named one). */
  all(): LoanPolicyRecord[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM loan_policies
      ORDER BY item_type IS NOT NULL, item_type, patron_profile IS NOT NULL, patron_profile`).all() as LoanPolicyRecord[];
  }

  byId(id: number): LoanPolicyRecord | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM loan_policies WHERE id = ?`).get(id) as LoanPolicyRecord | undefined;
  }

  /** The policy for exactly this item type and profile (null: any), if there is one. */
  find(itemType: string | null, profile: string | null): LoanPolicyRecord | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM loan_policies WHERE item_type IS ? AND patron_profile IS ?`).get(itemType, profile) as
      LoanPolicyRecord | undefined;
  }

  create(p: LoanPolicyBody): number {
    return Number(this.db.prepare(`INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out)
      VALUES (@item_type, @patron_profile, @loan_days, @max_renewals, @daily_fine_cents, @max_fine_cents, @max_items_out)`).run(p).lastInsertRowid);
  }

  update(id: number, p: LoanPolicyBody): void {
    this.db.prepare(`UPDATE loan_policies SET item_type = @item_type, patron_profile = @patron_profile, loan_days = @loan_days,
      max_renewals = @max_renewals, daily_fine_cents = @daily_fine_cents, max_fine_cents = @max_fine_cents, max_items_out = @max_items_out
      WHERE id = @id`).run({ ...p, id });
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM loan_policies WHERE id = ?').run(id);
  }
}
