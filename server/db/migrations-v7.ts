/**
 * Migration 7: processing you can trust, at speed.
 *
 * - Offline transactions get a number of their own (`num`, in arrival order)
 *   and are stored by it instead of by their UUID. Processing reads and
 *   writes them in processing order, which follows arrival closely (each
 *   desk's uploads come in its own time order), so a slice of results lands
 *   on a few neighbouring pages rather than one random page each; the UUID
 *   stays unique and indexed for duplicate checks and lookups.
 * - What made an item's last change, beside when (its effective time): the
 *   offline transaction (by number; its session), an import, or an online
 *   change. The stale-scan rule names it, whatever made it.
 * - The index of stale scans goes: a scan made after an item's change is now
 *   judged on its own rather than skipped because an earlier one was stale.
 * - The installation's first administrator administers every library system,
 *   including those imported after the first start.
 * - A processing run that failed says why, so an administrator can resume it
 *   without restarting the server.
 */
const TRANSACTION_COLUMNS = `id, session_id, upload_id, type, workstation, staff, seq, occurred_at, phase, sort_at, item_barcode, patron_barcode,
  payload, outcome, code, detail, processed_at`;

export const MIGRATION_7 = `
  CREATE TABLE offline_transactions_by_num (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    session_id INTEGER NOT NULL REFERENCES offline_sessions(id),
    upload_id INTEGER NOT NULL REFERENCES uploads(id),
    type TEXT NOT NULL,
    workstation TEXT NOT NULL,
    staff TEXT NOT NULL,
    seq INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    phase INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    item_barcode TEXT,
    patron_barcode TEXT,
    payload TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    code TEXT,
    detail TEXT,
    processed_at TEXT
  );
  INSERT INTO offline_transactions_by_num (${TRANSACTION_COLUMNS})
    SELECT ${TRANSACTION_COLUMNS} FROM offline_transactions ORDER BY upload_id, seq;
  DROP TABLE offline_transactions;
  ALTER TABLE offline_transactions_by_num RENAME TO offline_transactions;
  CREATE INDEX offline_transactions_order ON offline_transactions(session_id, outcome, phase, sort_at, workstation, seq);

  ALTER TABLE items ADD COLUMN status_changed_by_txn INTEGER;
  ALTER TABLE items ADD COLUMN status_changed_via TEXT NOT NULL DEFAULT 'online'
    CHECK (status_changed_via IN ('online', 'offline', 'import'));
  UPDATE items SET status_changed_via = 'offline' WHERE status_changed_by_session IS NOT NULL;

  ALTER TABLE staff ADD COLUMN installation_admin INTEGER NOT NULL DEFAULT 0;
  -- The account the first start created: the oldest one holding the admin role at a library system.
  UPDATE staff SET installation_admin = 1 WHERE id = (
    SELECT min(r.staff_id) FROM staff_roles r JOIN branches b ON b.id = r.branch_id
    WHERE r.role = 'admin' AND b.parent_id IS NULL);

  ALTER TABLE offline_sessions ADD COLUMN processing_error TEXT;
  ALTER TABLE offline_sessions ADD COLUMN processing_failed_at TEXT;
`;
