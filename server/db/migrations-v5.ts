/**
 * Migration 5: indexes for speed, found by the benchmark (bench/).
 *
 * The index of a session's transactions by item barcode served one query
 * only — the barcodes a run found stale — and that query still had to read
 * every transaction of the session to check its code, at the start of each
 * run and of each retry. A partial index of the stale ones answers it by
 * itself, and an upload no longer writes a third index entry per row.
 */
export const MIGRATION_5 = `
  DROP INDEX offline_transactions_item;
  CREATE INDEX offline_transactions_stale ON offline_transactions(session_id, item_barcode)
    WHERE code = 'SKIP_ASSET_CHANGED';
`;
