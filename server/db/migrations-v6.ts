/**
 * Migration 6: the offline snapshot carries, for each item a hold wants,
 * the card of the patron it is wanted for, so a desk can warn before lending
 * it to someone else. Holds therefore move the library version too.
 */
import { bump, changed, onInsertDelete } from './migrations-v3.js';

export const MIGRATION_6 = `
  -- Title-level holds are matched on an item's title, which the snapshot now depends on.
  DROP TRIGGER library_version_items_upd;
  ${bump('items_upd', 'UPDATE OF barcode, item_type, title ON items', changed('barcode', 'item_type', 'title'))}
  ${onInsertDelete('holds')}
  ${bump('holds_upd', 'UPDATE OF patron_id, item_id, title, status, created_at ON holds',
    changed('patron_id', 'item_id', 'title', 'status', 'created_at'))}
`;
