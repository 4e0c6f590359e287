/**
 * Migration 7: processing you can trust.
 *
 * - What made an item's last change, beside when (its effective time): the
 *   offline transaction (and so its session), or an import, or an online
 *   change. The stale-scan rule names it, whatever made it.
 * - The installation's first administrator administers every library system,
 *   including those imported after the first start.
 * - The index of stale scans goes: a scan made after an item's change is now
 *   judged on its own rather than skipped because an earlier one was stale.
 * - A processing run that failed says why, so an administrator can resume it
 *   without restarting the server.
 */
export const MIGRATION_7 = `
  ALTER TABLE items ADD COLUMN status_changed_by_txn TEXT;
  ALTER TABLE items ADD COLUMN status_changed_via TEXT NOT NULL DEFAULT 'online'
    CHECK (status_changed_via IN ('online', 'offline', 'import'));
  UPDATE items SET status_changed_via = 'offline' WHERE status_changed_by_session IS NOT NULL;

  ALTER TABLE staff ADD COLUMN installation_admin INTEGER NOT NULL DEFAULT 0;
  -- The account the first start created: the oldest one holding the admin role at a library system.
  UPDATE staff SET installation_admin = 1 WHERE id = (
    SELECT min(r.staff_id) FROM staff_roles r JOIN branches b ON b.id = r.branch_id
    WHERE r.role = 'admin' AND b.parent_id IS NULL);

  -- Served only the rule that skipped every later scan of an item once one was stale; with one rule of
  -- time for every path, a scan after the change is judged on its own, as processing in time order would.
  DROP INDEX offline_transactions_stale;

  ALTER TABLE offline_sessions ADD COLUMN processing_error TEXT;
  ALTER TABLE offline_sessions ADD COLUMN processing_failed_at TEXT;
`;
