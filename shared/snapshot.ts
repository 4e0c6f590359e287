/**
 * The offline data snapshot: what a desk needs to warn and to compute due
 * dates with no network. The server builds it (GET /api/snapshot, gzip,
 * ETag); the app stores it in IndexedDB in hash buckets so a scan looks
 * up one small record instead of loading half a million barcodes.
 */
import type { LoanPolicy } from './loan-policy.js';
import { dateOfDay, dayNumber, type LibraryCalendar } from './library-time.js';
import {
  ColumnError, eachFront, frontCoded, packed, packedReader, sparse, sparseReader, unfront, unsparse,
  type FrontCoded, type Packed, type Sparse,
} from './snapshot-columns.js';

/**
 * 2: items may carry the card a hold wants them for.
 * 3: cards carry the patron's name and items their title, for the desk's screen and receipts.
 * 4: branches carry their calendar (zone, hours, closures); cards their balance and, where a limit
 *    applies, their items out; items name their type and title by index (a title's copies share one
 *    entry), and title-level holds come as one list by title instead of on every copy; desks that
 *    hold a version ask for what changed since (a delta).
 * Each is a new number, so an app that reads only an older format refuses the new data (and
 * keeps what it has) rather than misreading it, and a desk holding older data gets a new tag.
 */
export const SNAPSHOT_FORMAT = 5;

/** Why a card is blocked, as the snapshot says; expiry is judged on the device from `expires_on`, fines from the balance. */
export type BlockReason = 'barred' | 'inactive' | 'lost_card' | 'fines';

export interface BarcodeRule {
  /** A regular expression (JavaScript syntax) the whole barcode must match; null for no rule. */
  pattern: string | null;
  /** 'luhn': the last digit is a Luhn (mod 10) check digit over the digits before it. */
  check_digit: 'none' | 'luhn';
}

export interface NoncatType { code: string; name: string; loan_days: number }

/** A branch or library system with its calendar, resolved (its zone, hours and closures, inherited where it has none). */
export interface SnapshotBranch { code: string; name: string; parent: string | null; calendar: LibraryCalendar }

/**
 * [card barcode, profile, expires_on (YYYY-MM-DD), block or null, the patron's name, balance in cents
 * (what they owe; negative for a credit), items out (only where a loan policy limits the profile, else null)]
 * — every card, active or not.
 */
export type PatronEntry = [barcode: string, profile: string, expires_on: string, block: BlockReason | null, name: string,
  balance_cents: number, items_out: number | null];

/** A title as items refer to it: its text, and its record id in the library system when it has one. */
export type TitleEntry = [title: string, record_id: string | null];

/**
 * [item barcode, its type (index into item_types), its title (index into titles)], and for an item a
 * hold on this very copy wants, the card of the patron it is wanted for ('' when that patron has no
 * active card): the hold it is set aside for, else the oldest waiting on this copy. Holds on a title
 * are in title_holds.
 */
export type ItemEntry = [barcode: string, item_type: number, title: number, hold_for?: string];

/** A title-level hold waiting: the title's key (titleKey) and the card of the patron whose hold is oldest. */
export type TitleHoldEntry = [key: string, card: string];

/** What a desk keeps besides cards and items; sent whole in every snapshot and every delta. */
export interface SnapshotHead {
  format: typeof SNAPSHOT_FORMAT;
  /** The library version this data shows: a desk asks for what changed since it. */
  version: number;
  generated_at: string;
  branches: SnapshotBranch[];
  loan_policies: LoanPolicy[];
  noncat_types: NoncatType[];
  profiles: string[];
  barcode_rules: { patron: BarcodeRule; item: BarcodeRule };
  fine_limit_cents: number;
}

/**
 * Every card, sorted by barcode: its patron's profile (index into `profiles`), expiry (day number),
 * block (0 for none, else BLOCKS' index + 1), name, and, for the few that have them, the balance and items out.
 */
export interface PatronColumns {
  cards: FrontCoded;
  profiles: Packed;
  expires_on: Packed;
  blocks: Packed;
  names: string[];
  balances: Sparse<number>;
  items_out: Sparse<number>;
}

/** Every item, sorted by barcode: its type and title (indexes into item_types and titles), and the card a hold on this copy wants it for. */
export interface ItemColumns { barcodes: FrontCoded; types: Packed; titles: Packed; hold_for: Sparse<string> }

/** The titles items refer to, sorted by text (then record): the text, and the record id where there is one. */
export interface TitleColumns { texts: FrontCoded; records: Sparse<string> }

export interface Snapshot extends SnapshotHead {
  item_types: string[];
  titles: TitleColumns;
  title_holds: TitleHoldEntry[];
  patrons: PatronColumns;
  items: ItemColumns;
}

/** What changed since a version the desk holds: entries to put in place, and keys to remove. Indices refer to this delta's own lists. */
export interface SnapshotDelta extends Snapshot {
  delta: true;
  since: number;
  removed_cards: string[];
  removed_items: string[];
  removed_title_holds: string[];
}

/** The block a card's `blocks` column names, after 0 for none. */
const BLOCKS: readonly BlockReason[] = ['barred', 'inactive', 'lost_card', 'fines'];

/** The days of 0000-01-01 and 9999-12-31: an expiry outside them would not be YYYY-MM-DD text, which the desk compares with today's. */
const FIRST_DAY = -719_528;
const LAST_DAY = 2_932_896;

function expiryDate(day: number): string {
  if (!Number.isInteger(day) || day < FIRST_DAY || day > LAST_DAY) throw new ColumnError(`day ${day} is not a date`);
  return dateOfDay(day);
}

/** Cards and items travel sorted by barcode: front coding needs neighbours alike. */
const byBarcode = (a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

const rowCount = (column: FrontCoded): number => {
  if (!Array.isArray(column)) throw new ColumnError('the offline data has no list of barcodes');
  return column.length;
};

/**
 * Visits every card as a row, in order. Throws ColumnError when the columns do not fit together
 * (before any visit when their lengths differ; at the row otherwise).
 */
export function eachPatron(snapshot: Pick<Snapshot, 'patrons' | 'profiles'>, visit: (entry: PatronEntry) => void): number {
  if (!Array.isArray(snapshot.profiles)) throw new ColumnError('the offline data has no list of profiles');
  const c = snapshot.patrons;
  const rows = rowCount(c?.cards);
  const profile = packedReader(c.profiles, rows);
  const expires = packedReader(c.expires_on, rows);
  const blocks = packedReader(c.blocks, rows);
  const balances = sparseReader(c.balances, rows);
  const itemsOut = sparseReader(c.items_out, rows);
  if (!Array.isArray(c.names) || c.names.length !== rows) throw new ColumnError('the names do not match the cards');
  eachFront(c.cards, (card, row) => {
    const profileName = snapshot.profiles[profile(row)];
    const b = blocks(row);
    const block = b === 0 ? null : BLOCKS[b - 1];
    if (profileName === undefined || block === undefined) throw new ColumnError(`card ${card} names a profile or block the data does not list`);
    visit([card, profileName, expiryDate(expires(row)), block, c.names[row], balances.get(row) ?? 0, itemsOut.get(row) ?? null]);
  });
  return rows;
}

/** Visits every item as a row ([barcode, type no., title no., card a hold wants it for?]), in order; throws as eachPatron. */
export function eachItem(snapshot: Pick<Snapshot, 'items' | 'item_types' | 'titles'>, visit: (entry: ItemEntry) => void): number {
  const c = snapshot.items;
  const rows = rowCount(c?.barcodes);
  const type = packedReader(c.types, rows);
  const title = packedReader(c.titles, rows);
  const holdFor = sparseReader(c.hold_for, rows);
  if (!Array.isArray(snapshot.item_types)) throw new ColumnError('the offline data has no list of item types');
  const types = snapshot.item_types.length;
  const titles = rowCount(snapshot.titles?.texts);
  eachFront(c.barcodes, (barcode, row) => {
    const t = type(row);
    const n = title(row);
    if (t < 0 || t >= types || n < 0 || n >= titles) throw new ColumnError(`item ${barcode} names a type or title the data does not list`);
    const wanted = holdFor.get(row);
    visit(wanted === undefined ? [barcode, t, n] : [barcode, t, n, wanted]);
  });
  return rows;
}

export function patronEntries(snapshot: Pick<Snapshot, 'patrons' | 'profiles'>): PatronEntry[] {
  const entries: PatronEntry[] = [];
  eachPatron(snapshot, (entry) => { entries.push(entry); });
  return entries;
}

export function itemEntries(snapshot: Pick<Snapshot, 'items' | 'item_types' | 'titles'>): ItemEntry[] {
  const entries: ItemEntry[] = [];
  eachItem(snapshot, (entry) => { entries.push(entry); });
  return entries;
}

export function titleEntries(snapshot: Pick<Snapshot, 'titles'>): TitleEntry[] {
  const texts = unfront(snapshot.titles?.texts);
  const records = unsparse(snapshot.titles.records, texts.length, null);
  return texts.map((text, row): TitleEntry => [text, records[row]]);
}

/** Rows into columns, for offline data built in JavaScript (tests); the server writes the same in SQL (server/domain/snapshot/queries.ts). */
export function patronColumns(entries: readonly PatronEntry[], profiles: readonly string[]): PatronColumns {
  const sorted = [...entries].sort(byBarcode);
  return {
    cards: frontCoded(sorted.map((e) => e[0])),
    profiles: packed(sorted.map((e) => { const n = profiles.indexOf(e[1]); if (n < 0) throw new Error(`profile ${e[1]} not listed`); return n; })),
    expires_on: packed(sorted.map((e) => dayNumber(e[2]))),
    blocks: packed(sorted.map((e) => (e[3] === null ? 0 : BLOCKS.indexOf(e[3]) + 1))),
    names: sorted.map((e) => e[4]),
    balances: sparse(sorted.map((e) => e[5]), (cents) => cents === 0),
    items_out: sparse(sorted.map((e) => e[6])),
  };
}

export function itemColumns(entries: readonly ItemEntry[]): ItemColumns {
  const sorted = [...entries].sort(byBarcode);
  return {
    barcodes: frontCoded(sorted.map((e) => e[0])),
    types: packed(sorted.map((e) => e[1])),
    titles: packed(sorted.map((e) => e[2])),
    hold_for: sparse(sorted.map((e) => e[3])),
  };
}

export function titleColumns(titles: readonly TitleEntry[]): TitleColumns {
  return { texts: frontCoded(titles.map((t) => t[0])), records: sparse(titles.map((t) => t[1])) };
}

/** The key a title-level hold waits on: its record when it names one, else its title's text. Items answer to both of theirs. */
export const titleHoldKey = (title: string, record: string | null): string => (record !== null ? `r:${record}` : `t:${title}`);
export const itemTitleKeys = (title: string, record: string | null): string[] =>
  record !== null ? [`r:${record}`, `t:${title}`] : [`t:${title}`];

/**
 * How many buckets the device keeps cards and items in. Every item scan reads
 * its item's bucket (is it known, its title, a hold): at 500,000 items, 2,048
 * buckets of about 250 items keep that read to a millisecond or two, where
 * 256 buckets of 2,000 (format 2) cost several.
 */
export const BUCKETS = 2048;

/** FNV-1a over the barcode's characters, into one of `buckets` buckets. */
export function bucketOf(barcode: string, buckets = BUCKETS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < barcode.length; i++) {
    h ^= barcode.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** The acknowledgement code recorded in a transaction when staff allow a warning. */
export const BLOCK_CODES: Record<BlockReason | 'expired', string> = {
  barred: 'PATRON_BARRED', inactive: 'PATRON_INACTIVE', lost_card: 'PATRON_CARD_INACTIVE', fines: 'PATRON_EXCEEDS_FINES', expired: 'PATRON_ACCOUNT_EXPIRED',
};

/**
 * What to warn about for a card, judged at `today` (YYYY-MM-DD, the branch's local date) and against the
 * fine limit (a card whose balance is above it is blocked for fines); null when nothing.
 */
export function patronWarning(entry: PatronEntry | null | undefined, today: string, fineLimitCents = Infinity): (BlockReason | 'expired') | null {
  if (!entry) return null;
  if (entry[3]) return entry[3];
  if (entry[2] < today) return 'expired';
  if ((entry[5] ?? 0) > fineLimitCents) return 'fines';
  return null;
}

/** The Luhn check: the last digit makes the weighted digit sum a multiple of 10. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Why a barcode breaks the library's rule: not of its form, or a wrong check digit. A code, not a
 * sentence: the desk says it in its own language (desk-rules).
 */
export type BarcodeProblem = 'form' | 'check_digit';

/** Why a barcode breaks the library's rule, or null when it follows it. */
export function barcodeProblem(rule: BarcodeRule | undefined, barcode: string): BarcodeProblem | null {
  if (!rule) return null;
  if (rule.pattern) {
    let re: RegExp;
    try { re = new RegExp(`^(?:${rule.pattern})$`); } catch { return null; }
    if (!re.test(barcode)) return 'form';
  }
  if (rule.check_digit === 'luhn' && !luhnValid(barcode)) return 'check_digit';
  return null;
}
