/**
 * The device's outbox in IndexedDB. A typed schema drives store and index
 * names; the version number and upgrade function are where future schema
 * changes go, so an app update never drops what is waiting to be uploaded.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DeviceInfo, EntryState, NewTransaction, OutboxCounts, OutboxEntry, UploadTarget } from '../shared/outbox-messages.js';
import type { OfflineTransaction } from '../shared/transaction.js';

export const OUTBOX_DB_NAME = 'offline-circ';
/**
 * Version 1: outbox by state and seq, meta. Version 2: outbox by type (registrations made on this device).
 * Version 3: the counts by state kept in meta, changed in the same transaction as the entries: counting
 * an index walks every entry, which with tens of thousands on the device took a second after each scan.
 */
export const OUTBOX_DB_VERSION = 3;

interface OutboxSchema extends DBSchema {
  outbox: {
    key: string;
    value: OutboxEntry;
    indexes: { 'by-state-seq': [EntryState, number]; 'by-type': string };
  };
  meta: {
    key: string;
    value: { key: 'device'; device: DeviceInfo } | { key: 'seq'; value: number } | { key: 'upload-target'; target: UploadTarget } | CountsRow;
  };
}

export type OutboxDb = IDBPDatabase<OutboxSchema>;

/** The number of entries in each state, kept current by every write (schema version 3). */
type CountsRow = { key: 'counts' } & OutboxCounts;

const STATES = ['pending', 'uploaded', 'rejected'] as const;

/** Counts the entries of each state the slow way, through the index: at the upgrade, or if the row is missing. */
async function countEntries(index: { count(range: IDBKeyRange): Promise<number> }): Promise<OutboxCounts> {
  const [pending, uploaded, rejected] = await Promise.all(STATES.map((s) => index.count(stateRange(s))));
  return { pending, uploaded, rejected };
}

/**
 * Applies a change to the kept counts, inside the caller's readwrite
 * transaction on meta, so entries and counts commit (or fail) together.
 * Without a counts row (an older database) nothing is kept: counts() counts.
 */
async function adjustCounts(meta: { get(key: string): Promise<OutboxSchema['meta']['value'] | undefined>; put(value: OutboxSchema['meta']['value']): Promise<string> },
  delta: Partial<OutboxCounts>): Promise<void> {
  const row = await meta.get('counts');
  if (!row || row.key !== 'counts') return;
  await meta.put({ key: 'counts', pending: row.pending + (delta.pending ?? 0), uploaded: row.uploaded + (delta.uploaded ?? 0),
    rejected: row.rejected + (delta.rejected ?? 0) });
}

/**
 * Opens the outbox, upgrading an older one in place: each step only adds,
 * so an app update never loses what the device holds. A page or worker
 * still on the old version is asked to let go (it closes and reopens).
 */
export function openOutbox(name = OUTBOX_DB_NAME, version = OUTBOX_DB_VERSION): Promise<OutboxDb> {
  let opened: OutboxDb | undefined;
  const promise = openDB<OutboxSchema>(name, version, {
    async upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('by-state-seq', ['state', 'tx.seq']);
        db.createObjectStore('meta', { keyPath: 'key' });
      }
      if (oldVersion < 2 && version >= 2) {
        transaction.objectStore('outbox').createIndex('by-type', 'tx.type');
      }
      if (oldVersion < 3 && version >= 3) {
        const counts = await countEntries(transaction.objectStore('outbox').index('by-state-seq'));
        await transaction.objectStore('meta').put({ key: 'counts', ...counts });
      }
    },
    blocking() {
      opened?.close();
    },
  });
  return promise.then((db) => { opened = db; return db; });
}

const stateRange = (state: EntryState) => IDBKeyRange.bound([state, -Infinity], [state, Infinity]);

export async function getDevice(db: OutboxDb): Promise<DeviceInfo | null> {
  const row = await db.get('meta', 'device');
  return row && row.key === 'device' ? row.device : null;
}

export async function setDevice(db: OutboxDb, device: DeviceInfo | null): Promise<void> {
  if (device) await db.put('meta', { key: 'device', device });
  else await db.delete('meta', 'device');
}

export async function getUploadTarget(db: OutboxDb): Promise<UploadTarget | null> {
  const row = await db.get('meta', 'upload-target');
  return row && row.key === 'upload-target' ? row.target : null;
}

export async function setUploadTarget(db: OutboxDb, target: UploadTarget | null): Promise<void> {
  if (target) await db.put('meta', { key: 'upload-target', target });
  else await db.delete('meta', 'upload-target');
}

/** Every entry in recording order, for the export file; uploaded ones only when asked for. */
export async function exportEntries(db: OutboxDb, includeUploaded: boolean): Promise<OutboxEntry[]> {
  const states: EntryState[] = includeUploaded ? ['pending', 'rejected', 'uploaded'] : ['pending', 'rejected'];
  const all = (await Promise.all(states.map((s) => db.getAllFromIndex('outbox', 'by-state-seq', stateRange(s))))).flat();
  return all.sort((a, b) => a.recorded_at.localeCompare(b.recorded_at) || a.tx.seq - b.tx.seq);
}

/** Registrations recorded on this device: their cards can be used before the server knows them. */
export function registrations(db: OutboxDb): Promise<OutboxEntry[]> {
  return db.getAllFromIndex('outbox', 'by-type', 'register');
}

/**
 * Stores a scan with the next sequence number, in one transaction: two tabs
 * recording at once are serialised by IndexedDB and never share a number.
 * Resolves only once the transaction has committed.
 */
export async function record(db: OutboxDb, newTx: NewTransaction, now = new Date()): Promise<OutboxEntry> {
  const t = db.transaction(['outbox', 'meta'], 'readwrite');
  const meta = t.objectStore('meta');
  const deviceRow = await meta.get('device');
  if (!deviceRow || deviceRow.key !== 'device') {
    t.abort();
    await t.done.catch(() => undefined);
    // The page words it from the code, in the desk's language (web/services/outbox-client.ts).
    throw Object.assign(new Error('This device is not registered as a workstation yet'), { code: 'NO_WORKSTATION' });
  }
  const seqRow = await meta.get('seq');
  const seq = (seqRow && seqRow.key === 'seq' ? seqRow.value : 0) + 1;
  const tx = { ...newTx, seq, workstation: deviceRow.device.workstation, staff: deviceRow.device.staff.username } as OfflineTransaction;
  const entry: OutboxEntry = { id: tx.id, tx, state: 'pending', recorded_at: now.toISOString() };
  const existing = await t.objectStore('outbox').get(tx.id);
  if (existing) {
    await t.done;
    return existing;
  }
  await Promise.all([meta.put({ key: 'seq', value: seq }), t.objectStore('outbox').add(entry), adjustCounts(meta, { pending: 1 })]);
  await t.done;
  return entry;
}

/**
 * Adds transactions read from a file, keeping their own ids so that loading
 * the same file twice adds nothing. Returns how many were new.
 */
export async function addImported(db: OutboxDb, txs: OfflineTransaction[], now = new Date()): Promise<number> {
  const t = db.transaction(['outbox', 'meta'], 'readwrite');
  const store = t.objectStore('outbox');
  let added = 0;
  for (const tx of txs) {
    if (await store.getKey(tx.id)) continue;
    await store.add({ id: tx.id, tx, state: 'pending', recorded_at: now.toISOString() });
    added++;
  }
  if (added) await adjustCounts(t.objectStore('meta'), { pending: added });
  await t.done;
  return added;
}

/** The number of entries in each state: one small read, kept current by every write. */
export async function counts(db: OutboxDb): Promise<OutboxCounts> {
  const row = await db.get('meta', 'counts');
  if (row && row.key === 'counts') return { pending: row.pending, uploaded: row.uploaded, rejected: row.rejected };
  // No row (a database opened below version 3, or a row removed): count once and keep it from now on.
  const t = db.transaction(['outbox', 'meta'], 'readwrite');
  const counted = await countEntries(t.objectStore('outbox').index('by-state-seq'));
  await t.objectStore('meta').put({ key: 'counts', ...counted });
  await t.done;
  return counted;
}

/** The oldest pending transactions, in recording order. */
export function pendingBatch(db: OutboxDb, limit: number): Promise<OutboxEntry[]> {
  return db.getAllFromIndex('outbox', 'by-state-seq', stateRange('pending'), limit);
}

/** The newest entries first, optionally of one state. */
export async function list(db: OutboxDb, limit: number, state?: EntryState): Promise<OutboxEntry[]> {
  const entries: OutboxEntry[] = [];
  const index = db.transaction('outbox').store.index('by-state-seq');
  const states: EntryState[] = state ? [state] : ['pending', 'rejected', 'uploaded'];
  for (const s of states) {
    let cursor = await index.openCursor(stateRange(s), 'prev');
    while (cursor && entries.length < limit) {
      entries.push(cursor.value);
      cursor = await cursor.continue();
    }
  }
  return entries;
}

/**
 * Marks what the server acknowledged. Only ids the server named change, and
 * nothing is deleted: uploaded transactions stay readable as history.
 */
export async function markUploaded(db: OutboxDb, ids: string[], duplicates: string[], sessionId: number, now = new Date()): Promise<number> {
  const t = db.transaction(['outbox', 'meta'], 'readwrite');
  const store = t.objectStore('outbox');
  const delta = { pending: 0, uploaded: 0, rejected: 0 };
  const dup = new Set(duplicates);
  for (const id of [...ids, ...duplicates]) {
    const entry = await store.get(id);
    if (!entry || entry.state === 'uploaded') continue;
    await store.put({ ...entry, state: 'uploaded', uploaded_at: now.toISOString(), session_id: sessionId, duplicate: dup.has(id) || undefined, reason: undefined });
    delta[entry.state]--;
    delta.uploaded++;
  }
  if (delta.uploaded) await adjustCounts(t.objectStore('meta'), delta);
  await t.done;
  return delta.uploaded;
}

/** Keeps a record the server refused, with the reason, out of the upload queue but on the device. */
export async function markRejected(db: OutboxDb, rejected: { id: string; reason: string }[]): Promise<number> {
  const t = db.transaction(['outbox', 'meta'], 'readwrite');
  const store = t.objectStore('outbox');
  let changed = 0;
  for (const r of rejected) {
    const entry = await store.get(r.id);
    if (!entry || entry.state !== 'pending') continue;
    await store.put({ ...entry, state: 'rejected', reason: r.reason });
    changed++;
  }
  if (changed) await adjustCounts(t.objectStore('meta'), { pending: -changed, rejected: changed });
  await t.done;
  return changed;
}
