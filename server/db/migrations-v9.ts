/**
 * Migration 9: money and limits. Loan policies say how many items a patron
 * may have out; bills record what of them is paid; payments taken at a desk
 * pay a patron's open bills oldest first, and what is paid beyond them stays
 * as a credit. A patron's open loans are found by an index of open loans
 * only (the full index of every loan by patron served no query).
 */
import { onInsertDelete } from './migrations-v3.js';

export const MIGRATION_9 = `
  ALTER TABLE loan_policies ADD COLUMN max_items_out INTEGER CHECK (max_items_out IS NULL OR max_items_out >= 0);

  ALTER TABLE bills ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents >= 0);
  CREATE INDEX bills_open_patron ON bills(patron_id, created_at, id) WHERE paid_cents < amount_cents;

  CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    patron_id INTEGER NOT NULL REFERENCES patrons(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    -- What was left after every open bill was paid: money the library owes the patron, or will count against later bills.
    credit_cents INTEGER NOT NULL DEFAULT 0 CHECK (credit_cents >= 0),
    note TEXT,
    branch_id INTEGER REFERENCES branches(id),
    paid_at TEXT NOT NULL,
    txn_id TEXT UNIQUE
  );
  CREATE INDEX payments_patron ON payments(patron_id) WHERE credit_cents > 0;
  ${onInsertDelete('payments')}

  DROP INDEX loans_patron;
  CREATE INDEX loans_open_patron ON loans(patron_id) WHERE checkin_at IS NULL;
`;
