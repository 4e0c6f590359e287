/** Builds offline data (format 5, columns) for tests from readable rows: item types and titles spelled out, numbered here. */
import { OPEN_ALL_WEEK } from '../../shared/library-time.js';
import {
  SNAPSHOT_FORMAT, itemColumns, patronColumns, titleColumns, type ItemEntry, type PatronEntry, type Snapshot, type SnapshotBranch, type TitleHoldEntry,
} from '../../shared/snapshot.js';

/** [card, profile, expires_on, block, name] and, optionally, the balance and items out. */
export type PatronRow = [string, string, string, PatronEntry[3], string, number?, (number | null)?];
/** [barcode, item type, title, card a hold on it wants it for?, record id?]. */
export type ItemRow = [string, string, string, string?, string?];

export const openBranch = (code: string, name: string, parent: string | null, zone = 'UTC'): SnapshotBranch =>
  ({ code, name, parent, calendar: { zone, hours: OPEN_ALL_WEEK, closures: [] } });

export function snapshotOf(rows: { patrons: PatronRow[]; items: ItemRow[]; title_holds?: TitleHoldEntry[] },
  head: Partial<Omit<Snapshot, 'patrons' | 'items' | 'item_types' | 'titles' | 'title_holds'>> = {}): Snapshot {
  const types = [...new Set(rows.items.map((i) => i[1]))].sort();
  const titleKeys = [...new Set(rows.items.map((i) => JSON.stringify([i[2], i[4] ?? null])))].sort();
  const typeNo = new Map(types.map((t, n) => [t, n]));
  const titleNo = new Map(titleKeys.map((t, n) => [t, n]));
  const items = rows.items.map(([barcode, type, title, holdFor, record]): ItemEntry => {
    const entry: ItemEntry = [barcode, typeNo.get(type)!, titleNo.get(JSON.stringify([title, record ?? null]))!];
    if (holdFor !== undefined) entry.push(holdFor);
    return entry;
  });
  const patrons = rows.patrons.map(([c, p, e, b, n, bal, out]): PatronEntry => [c, p, e, b, n, bal ?? 0, out ?? null]);
  const profiles = [...new Set([...(head.profiles ?? ['adult', 'juvenile']), ...patrons.map((p) => p[1])])].sort();
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    generated_at: '2026-03-01T10:00:00.000Z',
    branches: [openBranch('SYS', 'System', null), openBranch('NORTH', 'North', 'SYS')],
    loan_policies: [{ item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 25, max_fine_cents: 1000 }],
    noncat_types: [],

    barcode_rules: { patron: { pattern: null, check_digit: 'none' }, item: { pattern: null, check_digit: 'none' } },
    fine_limit_cents: 1000,
    ...head,
    profiles,
    item_types: types,
    titles: titleColumns(titleKeys.map((k) => JSON.parse(k) as [string, string | null])),
    title_holds: rows.title_holds ?? [],
    patrons: patronColumns(patrons, profiles),
    items: itemColumns(items),
  };
}
