/**
 * Migration 12: what changed for the desks, entry by entry. A desk that holds
 * the offline data of some library version asks for what changed since; each
 * change to a card, an item or a title-level hold now moves the version and
 * notes, with the new version, which card, item or title it touched, so the
 * answer is built from those entries alone (snapshot deltas) instead of the
 * whole library. Patrons' names move it too (desks show them), and so do
 * loans where a policy limits items out (desks carry those counts).
 *
 * Each table's version trigger becomes "move the version, then note what
 * changed", in one trigger, so the note always carries the version the change
 * made. `snapshot_log_floor` is the oldest version the notes still describe
 * completely: a desk older than that gets the whole data again.
 */
import { changed } from './migrations-v3.js';

const VERSION = '(SELECT version FROM library_version WHERE id = 1)';
const BUMP = 'UPDATE library_version SET version = version + 1;';
const cardsOf = (patronId: string): string =>
  `INSERT INTO snapshot_changes (version, card) SELECT ${VERSION}, barcode FROM patron_cards WHERE patron_id = ${patronId};`;
const card = (barcode: string): string => `INSERT INTO snapshot_changes (version, card) VALUES (${VERSION}, ${barcode});`;
const item = (barcode: string): string => `INSERT INTO snapshot_changes (version, item) VALUES (${VERSION}, ${barcode});`;
/** A title-level hold's key, as shared/snapshot.ts titleHoldKey writes it. */
const titleKey = (row: 'NEW' | 'OLD'): string =>
  `CASE WHEN ${row}.record_id IS NOT NULL THEN 'r:' || ${row}.record_id ELSE 't:' || ${row}.title END`;
const holdChange = (row: 'NEW' | 'OLD'): string => `
    INSERT INTO snapshot_changes (version, item) SELECT ${VERSION}, barcode FROM items WHERE id = ${row}.item_id;
    INSERT INTO snapshot_changes (version, title_key) SELECT ${VERSION}, ${titleKey(row)} WHERE ${row}.item_id IS NULL;`;

/** A trigger that moves the version and then notes what changed. */
const noted = (name: string, event: string, body: string, when?: string): string => `
  DROP TRIGGER IF EXISTS library_version_${name};
  CREATE TRIGGER library_version_${name} AFTER ${event}${when ? ` WHEN ${when}` : ''}
  BEGIN ${BUMP} ${body} END;`;

/** Whether the library limits items out at all: only then do loans change what desks carry. */
const LIMITS = 'EXISTS (SELECT 1 FROM loan_policies WHERE max_items_out IS NOT NULL)';

export const MIGRATION_12 = `
  CREATE TABLE snapshot_changes (
    version INTEGER NOT NULL,
    card TEXT,
    item TEXT,
    title_key TEXT
  );
  CREATE INDEX snapshot_changes_version ON snapshot_changes(version);
  CREATE TABLE snapshot_log_floor (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
  INSERT INTO snapshot_log_floor (id, version) SELECT 1, version FROM library_version;

  ${noted('patrons_upd', 'UPDATE OF profile, expires_on, barred, inactive, first_name, last_name ON patrons', cardsOf('NEW.id'),
    changed('profile', 'expires_on', 'barred', 'inactive', 'first_name', 'last_name'))}
  ${noted('patron_cards_ins', 'INSERT ON patron_cards', card('NEW.barcode'))}
  ${noted('patron_cards_del', 'DELETE ON patron_cards', card('OLD.barcode'))}
  ${noted('patron_cards_upd', 'UPDATE ON patron_cards', card('OLD.barcode') + card('NEW.barcode'), changed('barcode', 'patron_id', 'active'))}
  ${noted('bills_ins', 'INSERT ON bills', cardsOf('NEW.patron_id'))}
  ${noted('bills_del', 'DELETE ON bills', cardsOf('OLD.patron_id'))}
  ${noted('bills_upd', 'UPDATE ON bills', cardsOf('OLD.patron_id') + cardsOf('NEW.patron_id'),
    changed('patron_id', 'amount_cents', 'paid_cents'))}
  ${noted('payments_ins', 'INSERT ON payments', cardsOf('NEW.patron_id'))}
  ${noted('payments_del', 'DELETE ON payments', cardsOf('OLD.patron_id'))}
  ${noted('payments_upd', 'UPDATE ON payments', cardsOf('OLD.patron_id') + cardsOf('NEW.patron_id'), changed('patron_id', 'credit_cents'))}
  ${noted('items_ins', 'INSERT ON items', item('NEW.barcode'))}
  ${noted('items_del', 'DELETE ON items', item('OLD.barcode'))}
  ${noted('items_upd', 'UPDATE OF barcode, item_type, title, record_id ON items', item('OLD.barcode') + item('NEW.barcode'),
    changed('barcode', 'item_type', 'title', 'record_id'))}
  ${noted('holds_ins', 'INSERT ON holds', holdChange('NEW'))}
  ${noted('holds_del', 'DELETE ON holds', holdChange('OLD'))}
  ${noted('holds_upd', 'UPDATE OF patron_id, item_id, title, record_id, status, created_at ON holds', holdChange('OLD') + holdChange('NEW'),
    changed('patron_id', 'item_id', 'title', 'record_id', 'status', 'created_at'))}
  ${noted('loans_ins', 'INSERT ON loans', cardsOf('NEW.patron_id'), LIMITS)}
  ${noted('loans_upd', 'UPDATE OF checkin_at ON loans', cardsOf('NEW.patron_id'), `${LIMITS} AND (${changed('checkin_at')})`)}
  ${noted('loans_del', 'DELETE ON loans', cardsOf('OLD.patron_id'), LIMITS)}
`;
