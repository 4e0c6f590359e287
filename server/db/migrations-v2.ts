/**
 * Migration 2: what processing at ILS grade needs — who last changed an
 * item's status (to tell stale scans), every notice of a transaction (one
 * transaction can need several actions), and the history of fixes,
 * retries and voids.
 */
export const MIGRATION_2 = `
  ALTER TABLE items ADD COLUMN status_changed_by_session INTEGER;

  CREATE TABLE result_notices (
    txn_id TEXT NOT NULL REFERENCES offline_transactions(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    detail TEXT,
    branch_id INTEGER REFERENCES branches(id),
    item_id INTEGER REFERENCES items(id),
    patron_id INTEGER REFERENCES patrons(id),
    to_branch_id INTEGER REFERENCES branches(id),
    PRIMARY KEY (txn_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX result_notices_code ON result_notices(code);

  CREATE TABLE transaction_history (
    id INTEGER PRIMARY KEY,
    txn_id TEXT NOT NULL REFERENCES offline_transactions(id),
    action TEXT NOT NULL CHECK (action IN ('fix', 'retry', 'void')),
    staff TEXT NOT NULL,
    at TEXT NOT NULL,
    before TEXT,
    after TEXT,
    reason TEXT,
    previous_outcome TEXT,
    previous_code TEXT
  );
  CREATE INDEX transaction_history_txn ON transaction_history(txn_id);

  CREATE INDEX holds_title ON holds(title, status) WHERE item_id IS NULL;
  CREATE INDEX transits_open ON transits(item_id) WHERE received_at IS NULL;
  CREATE INDEX offline_transactions_item ON offline_transactions(session_id, item_barcode);
`;
