/**
 * Migration 11: results beside their transactions, not inside them. A
 * result's code, text and times made each transaction's row grow by a
 * hundred bytes or more when it was processed, so the pages of a session's
 * transactions split as processing went: measured on the bench's session,
 * writing them took a quarter of processing. They now go to a table of
 * their own, by the transaction's number; the transaction keeps its outcome
 * (the same few bytes pending or not), which lists and counts filter on.
 * `transaction_outcomes` reads both as one row, as before.
 */
export const MIGRATION_11 = `
  CREATE TABLE transaction_results (
    num INTEGER PRIMARY KEY REFERENCES offline_transactions(num),
    -- NULL for a transaction voided before it was processed.
    code TEXT,
    detail TEXT,
    processed_at TEXT NOT NULL,
    -- A checkout's or renewal's due instant, as stored on the loan.
    due_at TEXT
  );
  INSERT INTO transaction_results (num, code, detail, processed_at, due_at)
    SELECT num, code, detail, coalesce(processed_at, ''), due_at FROM offline_transactions WHERE code IS NOT NULL;
  ALTER TABLE offline_transactions DROP COLUMN code;
  ALTER TABLE offline_transactions DROP COLUMN detail;
  ALTER TABLE offline_transactions DROP COLUMN processed_at;
  ALTER TABLE offline_transactions DROP COLUMN due_at;

  CREATE VIEW transaction_outcomes AS
    SELECT t.*, r.code, r.detail, r.processed_at, r.due_at
    FROM offline_transactions t LEFT JOIN transaction_results r ON r.num = t.num;
`;
