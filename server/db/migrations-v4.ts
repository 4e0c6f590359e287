/**
 * Migration 4: the audit trail (who did what, when, from which
 * workstation) and retiring workstations without losing their history.
 */
export const MIGRATION_4 = `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff TEXT NOT NULL,
    workstation TEXT,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT
  );
  CREATE INDEX audit_log_action ON audit_log(action, id);

  ALTER TABLE workstations ADD COLUMN retired_at TEXT;
`;
