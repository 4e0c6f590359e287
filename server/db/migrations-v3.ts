/**
 * Migration 3: what the offline snapshot needs. `library_version` is a
 * counter that triggers bump whenever something the snapshot carries
 * changes, so the server can tell "nothing changed" without reading half a
 * million rows. Item status changes deliberately do not bump it: processing
 * changes statuses all the time and the snapshot does not carry them.
 *
 * UPDATE triggers fire only when a carried column really changes, so an
 * import that rewrites rows with the same values keeps the ETag (and spares
 * every desk a download).
 */
/** The WHEN of an UPDATE trigger: one of these columns really changed. */
export const changed = (...columns: string[]): string => columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');

/** A trigger that moves the library version (the snapshot's ETag) after `event`. */
export const bump = (name: string, event: string, when?: string): string => `
  CREATE TRIGGER library_version_${name} AFTER ${event}${when ? ` WHEN ${when}` : ''}
  BEGIN UPDATE library_version SET version = version + 1; END;`;

/** Triggers that move the library version when a row is added to or removed from `table`. */
export const onInsertDelete = (table: string): string => bump(`${table}_ins`, `INSERT ON ${table}`) + bump(`${table}_del`, `DELETE ON ${table}`);

export const MIGRATION_3 = `
  CREATE TABLE library_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
  );
  INSERT INTO library_version (id, version) VALUES (1, 0);

  -- Library-wide settings the desks need offline: barcode rules, the fine limit.
  CREATE TABLE library_settings (
    key TEXT PRIMARY KEY,
    value TEXT
  );
  ${onInsertDelete('patrons')}
  ${bump('patrons_upd', 'UPDATE OF profile, expires_on, barred, inactive ON patrons', changed('profile', 'expires_on', 'barred', 'inactive'))}
  ${onInsertDelete('patron_cards')}
  ${bump('patron_cards_upd', 'UPDATE ON patron_cards', changed('barcode', 'patron_id', 'active'))}
  ${onInsertDelete('branches')}
  ${bump('branches_upd', 'UPDATE ON branches', changed('code', 'name', 'parent_id'))}
  ${onInsertDelete('loan_policies')}
  ${bump('loan_policies_upd', 'UPDATE ON loan_policies')}
  ${onInsertDelete('noncat_types')}
  ${bump('noncat_types_upd', 'UPDATE ON noncat_types')}
  ${onInsertDelete('bills')}
  ${bump('bills_upd', 'UPDATE ON bills')}
  ${onInsertDelete('items')}
  ${bump('items_upd', 'UPDATE OF barcode, item_type ON items', changed('barcode', 'item_type'))}
  ${onInsertDelete('library_settings')}
  ${bump('library_settings_upd', 'UPDATE ON library_settings')}
`;
