/**
 * Migration 6: the offline snapshot carries, for each item a hold wants,
 * the card of the patron it is wanted for, so a desk can warn before lending
 * it to someone else. Holds therefore move the library version too.
 */
const bump = (name: string, event: string, when?: string): string => `
  CREATE TRIGGER library_version_${name} AFTER ${event}${when ? ` WHEN ${when}` : ''}
  BEGIN UPDATE library_version SET version = version + 1; END;`;

export const MIGRATION_6 = `
  -- Title-level holds are matched on an item's title, which the snapshot now depends on.
  DROP TRIGGER library_version_items_upd;
  ${bump('items_upd', 'UPDATE OF barcode, item_type, title ON items', ['barcode', 'item_type', 'title'].map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR '))}
  ${bump('holds_ins', 'INSERT ON holds')}
  ${bump('holds_del', 'DELETE ON holds')}
  ${bump('holds_upd', 'UPDATE OF patron_id, item_id, title, status, created_at ON holds',
    ['patron_id', 'item_id', 'title', 'status', 'created_at'].map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR '))}
`;
