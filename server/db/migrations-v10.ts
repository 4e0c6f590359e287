/**
 * Migration 10: a real library's state, imported. Items carry the id of
 * their title in the library system (`record_id`), and so may holds: a hold
 * on a record waits for any item of it. Each import is recorded as a run
 * (who, when, the as-of time its files describe); a loan a complete loans
 * file no longer has is closed by that run, a hold cancelled, a bill settled,
 * and each names the run that did it, so the audit can show why.
 */
import { bump, changed } from './migrations-v3.js';

export const MIGRATION_10 = `
  CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    -- The time the files describe the library at: what the run changed took effect then.
    as_of TEXT NOT NULL,
    staff TEXT NOT NULL,
    files TEXT NOT NULL,
    complete INTEGER NOT NULL,
    counts TEXT NOT NULL
  );

  ALTER TABLE items ADD COLUMN record_id TEXT;
  CREATE INDEX items_record ON items(record_id) WHERE record_id IS NOT NULL;
  ALTER TABLE holds ADD COLUMN record_id TEXT;
  -- Title-level holds by record, as processing and the snapshot will look them up.
  CREATE INDEX holds_record ON holds(record_id, status) WHERE item_id IS NULL;

  ALTER TABLE loans ADD COLUMN closed_by_import INTEGER REFERENCES import_runs(id);
  ALTER TABLE holds ADD COLUMN cancelled_by_import INTEGER REFERENCES import_runs(id);
  ALTER TABLE bills ADD COLUMN settled_by_import INTEGER REFERENCES import_runs(id);

  -- Desks will match title-level holds by record: a changed record id changes what they carry.
  DROP TRIGGER library_version_items_upd;
  ${bump('items_upd', 'UPDATE OF barcode, item_type, title, record_id ON items', changed('barcode', 'item_type', 'title', 'record_id'))}
  DROP TRIGGER library_version_holds_upd;
  ${bump('holds_upd', 'UPDATE OF patron_id, item_id, title, record_id, status, created_at ON holds',
    changed('patron_id', 'item_id', 'title', 'record_id', 'status', 'created_at'))}
`;
