/**
 * The offline snapshot on the device. Cards and items are split into
 * hash buckets (shared bucketOf) so a scan reads one small record, never
 * the whole half-million-barcode list; a new snapshot replaces the old one
 * in a single transaction, so a desk never sees half of each, and a delta
 * (what changed since the version the desk holds) rewrites only the buckets
 * it touches, in one transaction too.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { msg, str } from '@lit/localize';
import {
  BUCKETS, SNAPSHOT_FORMAT, bucketOf, eachItem, eachPatron, itemTitleKeys, titleEntries,
  type ItemEntry, type PatronEntry, type Snapshot, type SnapshotDelta, type TitleEntry,
} from '../../shared/snapshot.js';
import { ColumnError } from '../../shared/snapshot-columns.js';

/** Why the offline data was not refreshed, in the desk's language (read when one is thrown). */
const ERRORS = {
  get changedMeanwhile() { return msg('The offline data changed on this device while an update to it came in; it will be fetched again.'); },
  unreachable: (reason: string) => msg(str`The server cannot be reached to refresh the offline data (${reason}); the stored data is kept.`),
  get logIn() { return msg('Log in again to refresh the offline data; the stored data is kept.'); },
  status: (status: number) => msg(str`The server answered ${status} when asked for the offline data; the stored data is kept.`),
  get unreadable() { return msg('The offline data from the server could not be read; the stored data is kept.'); },
  format: (format: string, expected: number) =>
    msg(str`The server sent offline data in a format this app does not read (format ${format}, expected ${expected}); reload the app to update it.`),
};

export const SNAPSHOT_DB_NAME = 'offline-circ-snapshot';
const SNAPSHOT_DB_VERSION = 1;
const META_KEY = 'current';

export interface SnapshotMeta extends Omit<Snapshot, 'patrons' | 'items' | 'item_types' | 'titles' | 'title_holds'> {
  etag: string;
  stored_at: string;
  /** When the server last confirmed this snapshot (stored, or answered 304): what "age" should mean to staff. */
  checked_at: string;
  patron_count: number;
  item_count: number;
}

/** Card barcode → entry. */
export type PatronBucket = Record<string, PatronEntry>;
/**
 * Item barcode → [item type, title], the card a hold on this copy wants it for (the few; none: undefined),
 * and its title's record id when it has one.
 */
export type ItemBucket = Record<string, [type: string, title: string, holdFor?: string, record?: string]>;
/** Title-level holds waiting: title key → the card of the patron whose hold is oldest. */
export type TitleHolds = Record<string, string>;

interface SnapshotSchema extends DBSchema {
  meta: { key: string; value: SnapshotMeta };
  /** Keys `p:<n>` and `i:<n>`, n in 0..BUCKETS-1, and TITLE_HOLDS_KEY. */
  buckets: { key: string; value: PatronBucket | ItemBucket | TitleHolds };
}

const TITLE_HOLDS_KEY = 'th';

export type SnapshotDb = IDBPDatabase<SnapshotSchema>;

export function openSnapshotDb(name = SNAPSHOT_DB_NAME): Promise<SnapshotDb> {
  return openDB<SnapshotSchema>(name, SNAPSHOT_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('meta');
        db.createObjectStore('buckets');
      }
    },
  });
}

/**
 * Data in format 2, which a device updated to this app keeps until its next
 * refresh (perhaps not before the network is back), must still be read as it
 * was stored: in 256 buckets, each item a bare type or [type, card a hold wants it for].
 * Formats 3 and 4 are stored as format 5 is (3 less balances, limits and title-level holds): format 5
 * changed how the data travels, not how the desk keeps it.
 */
const FORMAT_2_BUCKETS = 256;
type Format2Item = string | [type: string, holdFor: string];

async function storedInFormat2(db: SnapshotDb): Promise<boolean> {
  const meta = await snapshotMeta(db);
  return meta !== null && (meta.format as number) === 2;
}

const bucketKey = (kind: 'p' | 'i', barcode: string, format2: boolean): string =>
  `${kind}:${bucketOf(barcode, format2 ? FORMAT_2_BUCKETS : BUCKETS)}`;

/**
 * Recently read buckets and the meta record, per open database. A store in
 * this tab clears it; the age limit bounds how long a snapshot stored by
 * another tab stays unseen.
 */
const CACHE_SIZE = 64;
const CACHE_MAX_AGE_MS = 30_000;
interface BucketCache {
  generation: number;
  entries: Map<string, { bucket: PatronBucket | ItemBucket | undefined; at: number }>;
  meta?: { value: SnapshotMeta | null; at: number };
  titleHolds?: { value: TitleHolds; at: number };
}
const caches = new WeakMap<SnapshotDb, BucketCache>();

function cacheOf(db: SnapshotDb): BucketCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, cache = { generation: 0, entries: new Map() });
  return cache;
}

function invalidate(db: SnapshotDb): void {
  const cache = cacheOf(db);
  cache.generation++;
  cache.entries.clear();
  cache.meta = undefined;
  cache.titleHolds = undefined;
}

async function readBucket(db: SnapshotDb, key: string): Promise<PatronBucket | ItemBucket | undefined> {
  // Cards and items only: the title-holds record has its own reader and cache.
  const cache = cacheOf(db);
  const hit = cache.entries.get(key);
  if (hit && Date.now() - hit.at < CACHE_MAX_AGE_MS) {
    cache.entries.delete(key);
    cache.entries.set(key, hit);
    return hit.bucket;
  }
  const generation = cache.generation;
  const bucket = await db.get('buckets', key) as PatronBucket | ItemBucket | undefined;
  // A snapshot stored while this read was in flight makes what it read stale: do not keep it.
  if (cache.generation === generation) {
    cache.entries.set(key, { bucket, at: Date.now() });
    if (cache.entries.size > CACHE_SIZE) cache.entries.delete(cache.entries.keys().next().value!);
  }
  return bucket;
}

/** An item's stored value, its type and title spelled out from the snapshot's lists. */
function itemValue(types: readonly string[], titles: readonly TitleEntry[], [, type, title, holdFor]: ItemEntry): ItemBucket[string] {
  const [text, record] = titles[title];
  return record !== null ? [types[type], text, holdFor, record] : holdFor === undefined ? [types[type], text] : [types[type], text, holdFor];
}

/**
 * The columns the server sends (format 5) read into the desk's buckets, row by row (no list of five million
 * rows beside them); throws ColumnError, before anything is stored, when they do not read.
 */
function intoBuckets(snapshot: Snapshot, patron: (entry: PatronEntry) => void, item: (barcode: string, value: ItemBucket[string]) => void) {
  try {
    const isText = (v: unknown) => typeof v === 'string';
    const lists = { title_holds: (v: unknown) => Array.isArray(v) && v.length === 2 && v.every(isText),
      ...('delta' in snapshot ? { removed_cards: isText, removed_items: isText, removed_title_holds: isText } : {}) };
    for (const [name, valid] of Object.entries(lists)) {
      const list = (snapshot as Partial<SnapshotDelta>)[name as keyof typeof lists];
      if (!Array.isArray(list) || !list.every(valid)) throw new ColumnError(`the offline data's ${name} is not a list of the expected entries`);
    }
    const titles = titleEntries(snapshot);
    const patron_count = eachPatron(snapshot, patron);
    const item_count = eachItem(snapshot, (entry) => item(entry[0], itemValue(snapshot.item_types, titles, entry)));
    return { patron_count, item_count };
  } catch (err) {
    // Whatever in the data stopped the reading (a missing list, a value of the wrong kind), it is data that does not read.
    throw err instanceof ColumnError ? err : new ColumnError((err as Error).message);
  }
}

function metaOf(snapshot: Snapshot, etag: string, at: string, counts: { patron_count: number; item_count: number }): SnapshotMeta {
  const { patrons: _p, items: _i, item_types: _t, titles: _ti, title_holds: _h, ...head } = snapshot;
  const { delta: _d, since: _s, removed_cards: _rc, removed_items: _ri, removed_title_holds: _rt, ...rest } = head as Partial<SnapshotDelta> & typeof head;
  return { ...rest, etag, stored_at: at, checked_at: at, ...counts };
}

/** Replaces the stored snapshot with this one, all of it or (on failure) none of it. */
export async function storeSnapshot(db: SnapshotDb, snapshot: Snapshot, etag: string, now = new Date()): Promise<SnapshotMeta> {
  // Null-prototype objects, so a barcode such as "__proto__" is a key like any other.
  const patrons = Array.from({ length: BUCKETS }, () => Object.create(null) as PatronBucket);
  const items = Array.from({ length: BUCKETS }, () => Object.create(null) as ItemBucket);
  const counts = intoBuckets(snapshot,
    (entry) => { patrons[bucketOf(entry[0])][entry[0]] = entry; },
    (barcode, value) => { items[bucketOf(barcode)][barcode] = value; });
  const titleHolds = Object.assign(Object.create(null) as TitleHolds, Object.fromEntries(snapshot.title_holds ?? []));
  const meta = metaOf(snapshot, etag, now.toISOString(), counts);

  invalidate(db);
  const tx = db.transaction(['meta', 'buckets'], 'readwrite');
  const store = tx.objectStore('buckets');
  const writes: Promise<unknown>[] = [store.clear(), tx.objectStore('meta').put(meta, META_KEY), store.put(titleHolds, TITLE_HOLDS_KEY)];
  for (let n = 0; n < BUCKETS; n++) writes.push(store.put(patrons[n], `p:${n}`), store.put(items[n], `i:${n}`));
  await Promise.all([...writes, tx.done]);
  invalidate(db);
  return meta;
}

/**
 * Applies what changed since the stored version: each touched bucket read, changed and written back,
 * with the new head, in one transaction — so a desk holds either the old version or the new, never half.
 */
export async function applyDelta(db: SnapshotDb, delta: SnapshotDelta, etag: string, now = new Date()): Promise<SnapshotMeta> {
  const byBucket = new Map<string, ((bucket: Record<string, unknown>) => void)[]>();
  const change = (key: string, fn: (bucket: Record<string, unknown>) => void) => {
    let list = byBucket.get(key);
    if (!list) byBucket.set(key, list = []);
    list.push(fn);
  };
  let patronCount = 0;
  let itemCount = 0;
  // Read first: it checks every list of the delta, so nothing below (nor inside the transaction) meets one that is not there.
  intoBuckets(delta,
    (entry) => change(`p:${bucketOf(entry[0])}`, (b) => { if (!Object.hasOwn(b, entry[0])) patronCount++; b[entry[0]] = entry; }),
    (barcode, value) => change(`i:${bucketOf(barcode)}`, (b) => { if (!Object.hasOwn(b, barcode)) itemCount++; b[barcode] = value; }));
  for (const card of delta.removed_cards) change(`p:${bucketOf(card)}`, (b) => { if (Object.hasOwn(b, card)) { delete b[card]; patronCount--; } });
  for (const item of delta.removed_items) change(`i:${bucketOf(item)}`, (b) => { if (Object.hasOwn(b, item)) { delete b[item]; itemCount--; } });
  invalidate(db);
  const tx = db.transaction(['meta', 'buckets'], 'readwrite');
  const store = tx.objectStore('buckets');
  const old = await tx.objectStore('meta').get(META_KEY);
  if (!old || old.version !== delta.since) {
    const aborted = tx.done.catch(() => undefined);
    tx.abort();
    await aborted;
    throw new Error(ERRORS.changedMeanwhile);
  }
  let meta: SnapshotMeta;
  try {
    await Promise.all([...byBucket].map(async ([key, fns]) => {
      const bucket = ((await store.get(key)) ?? Object.create(null)) as Record<string, unknown>;
      for (const fn of fns) fn(bucket);
      await store.put(bucket as PatronBucket, key);
    }));
    const holds = ((await store.get(TITLE_HOLDS_KEY)) ?? Object.create(null)) as TitleHolds;
    for (const key of delta.removed_title_holds) delete holds[key];
    for (const [key, card] of delta.title_holds) holds[key] = card;
    await store.put(holds, TITLE_HOLDS_KEY);
    meta = metaOf(delta, etag, now.toISOString(), { patron_count: old.patron_count + patronCount, item_count: old.item_count + itemCount });
    await tx.objectStore('meta').put(meta, META_KEY);
  } catch (err) {
    // Never half a delta: what it wrote goes with it, and the version held stays whole.
    const aborted = tx.done.catch(() => undefined);
    try { tx.abort(); } catch { /* already ended */ }
    await aborted;
    throw err;
  }
  await tx.done;
  invalidate(db);
  return meta;
}

/**
 * The stored snapshot's meta. Every scan asks for it (barcode rules, loan
 * policies, age), and an IndexedDB read on that path cost about as much as
 * the scan's own durable write; so it is kept like the buckets.
 */
export async function snapshotMeta(db: SnapshotDb): Promise<SnapshotMeta | null> {
  const cache = cacheOf(db);
  if (cache.meta && Date.now() - cache.meta.at < CACHE_MAX_AGE_MS) return cache.meta.value;
  const generation = cache.generation;
  const value = (await db.get('meta', META_KEY)) ?? null;
  if (cache.generation === generation) cache.meta = { value, at: Date.now() };
  return value;
}

/** The card's entry, or null when the snapshot does not know the barcode (or there is no snapshot). */
export async function lookupPatron(db: SnapshotDb, barcode: string): Promise<PatronEntry | null> {
  const bucket = await readBucket(db, bucketKey('p', barcode, await storedInFormat2(db))) as PatronBucket | undefined;
  return bucket && Object.hasOwn(bucket, barcode) ? bucket[barcode] : null;
}

export async function lookupItemType(db: SnapshotDb, barcode: string): Promise<string | null> {
  return (await lookupItem(db, barcode))?.type ?? null;
}

export interface ItemInfo {
  type: string;
  title: string;
  /**
   * When a hold wants the item, the card it is wanted for ('' when that patron has no active card): a hold
   * on this copy first, else the oldest waiting on its title (by its record, else by its title's text).
   */
  holdFor?: string;
}

async function titleHolds(db: SnapshotDb): Promise<TitleHolds> {
  const cache = cacheOf(db);
  if (cache.titleHolds && Date.now() - cache.titleHolds.at < CACHE_MAX_AGE_MS) return cache.titleHolds.value;
  const generation = cache.generation;
  const value = ((await db.get('buckets', TITLE_HOLDS_KEY)) ?? {}) as TitleHolds;
  if (cache.generation === generation) cache.titleHolds = { value, at: Date.now() };
  return value;
}

export async function lookupItem(db: SnapshotDb, barcode: string): Promise<ItemInfo | null> {
  const format2 = await storedInFormat2(db);
  const bucket = await readBucket(db, bucketKey('i', barcode, format2)) as ItemBucket | undefined;
  if (!bucket || !Object.hasOwn(bucket, barcode)) return null;
  if (format2) {
    const old = bucket[barcode] as unknown as Format2Item;
    return typeof old === 'string' ? { type: old, title: '' } : { type: old[0], title: '', holdFor: old[1] };
  }
  const [type, title, own, record] = bucket[barcode];
  let holdFor = own;
  if (holdFor === undefined) {
    const waiting = await titleHolds(db);
    holdFor = itemTitleKeys(title, record ?? null).map((key) => (Object.hasOwn(waiting, key) ? waiting[key] : undefined)).find((c) => c !== undefined);
  }
  return holdFor === undefined ? { type, title } : { type, title, holdFor };
}

/** Asks the server for a newer snapshot than the stored one and stores it if there is one. */
export async function refreshSnapshot(db: SnapshotDb, fetchImpl: typeof fetch = fetch, now = new Date()): Promise<'updated' | 'unchanged'> {
  // Read afresh: another tab may have stored a newer snapshot, and its etag is the one to send.
  const meta = (await db.get('meta', META_KEY)) ?? null;
  let response: Response;
  try {
    // Data of this format names its version: the server answers with what changed since, when it can.
    const since = meta?.format === SNAPSHOT_FORMAT && typeof meta.version === 'number' ? `?since=${meta.version}` : '';
    response = await fetchImpl(`/api/snapshot${since}`, {
      headers: meta?.etag ? { 'if-none-match': meta.etag } : {},
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    throw new Error(ERRORS.unreachable((err as Error).message));
  }
  if (response.status === 304 && meta) {
    await markChecked(db, meta.etag, now);
    return 'unchanged';
  }
  if (response.status === 401) throw new Error(ERRORS.logIn);
  if (!response.ok) throw new Error(ERRORS.status(response.status));
  let snapshot: Snapshot | SnapshotDelta;
  try {
    snapshot = await response.json() as Snapshot | SnapshotDelta;
  } catch {
    throw new Error(ERRORS.unreadable);
  }
  if (snapshot?.format !== SNAPSHOT_FORMAT) throw new Error(ERRORS.format(String(snapshot?.format), SNAPSHOT_FORMAT));
  try {
    if ('delta' in snapshot && snapshot.delta) await applyDelta(db, snapshot, response.headers.get('etag') ?? '', now);
    else await storeSnapshot(db, snapshot, response.headers.get('etag') ?? '', now);
  } catch (err) {
    // Columns that do not read are refused before anything is written: the stored data stays.
    if (err instanceof ColumnError) throw new Error(ERRORS.unreadable);
    throw err;
  }
  return 'updated';
}

/** Records a 304, unless another tab stored a different snapshot meanwhile. */
async function markChecked(db: SnapshotDb, etag: string, now: Date): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const current = await tx.store.get(META_KEY);
  if (current && current.etag === etag) await tx.store.put({ ...current, checked_at: now.toISOString() }, META_KEY);
  await tx.done;
  invalidate(db);
}
