import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach } from 'vitest';
import * as outbox from '../outbox-db.js';
import type { DeviceInfo, NewTransaction } from '../../shared/outbox-messages.js';

const device: DeviceInfo = {
  workstation: 'CENTRAL-DESK-1', branch: 'CENTRAL',
  staff: { username: 'kim', display_name: 'Kim', roles: [{ branch: 'CENTRAL', role: 'circulation' }] },
};

let n = 0;
function scan(item = 'I00001'): NewTransaction {
  n++;
  return { id: crypto.randomUUID(), type: 'checkin', occurred_at: new Date(Date.UTC(2026, 10, 29, 10, 0, n)).toISOString(), item_barcode: item };
}

describe('the device outbox', () => {
  let db: outbox.OutboxDb;
  beforeEach(async () => {
    db = await outbox.openOutbox(`test-${crypto.randomUUID()}`);
    await outbox.setDevice(db, device);
  });

  it('refuses to record before the device is registered as a workstation', async () => {
    await outbox.setDevice(db, null);
    await expect(outbox.record(db, scan())).rejects.toThrow('not registered');
    expect((await outbox.counts(db)).pending).toBe(0);
  });

  it('numbers scans with a strictly increasing seq and stamps workstation and staff', async () => {
    const a = await outbox.record(db, scan());
    const b = await outbox.record(db, scan());
    expect([a.tx.seq, b.tx.seq]).toEqual([1, 2]);
    expect(a.tx.workstation).toBe('CENTRAL-DESK-1');
    expect(a.tx.staff).toBe('kim');
    expect(await outbox.counts(db)).toEqual({ pending: 2, uploaded: 0, rejected: 0 });
  });

  it('gives concurrent scans distinct sequence numbers and loses none', async () => {
    const entries = await Promise.all(Array.from({ length: 50 }, () => outbox.record(db, scan())));
    expect(new Set(entries.map((e) => e.tx.seq)).size).toBe(50);
    expect((await outbox.counts(db)).pending).toBe(50);
  });

  it('recording the same id twice stores it once', async () => {
    const tx = scan();
    await outbox.record(db, tx);
    await outbox.record(db, tx);
    expect((await outbox.counts(db)).pending).toBe(1);
  });

  it('hands out pending scans oldest first, and only what the server acknowledged leaves the queue', async () => {
    const entries = [];
    for (let i = 0; i < 5; i++) entries.push(await outbox.record(db, scan(`I0000${i}`)));
    const batch = await outbox.pendingBatch(db, 3);
    expect(batch.map((e) => e.tx.seq)).toEqual([1, 2, 3]);
    // The server acknowledged two and named one a duplicate; the fourth in the batch was never acknowledged.
    await outbox.markUploaded(db, [batch[0].id], [batch[1].id], 7);
    expect(await outbox.counts(db)).toEqual({ pending: 3, uploaded: 2, rejected: 0 });
    expect((await outbox.pendingBatch(db, 10)).map((e) => e.tx.seq)).toEqual([3, 4, 5]);
    const history = await outbox.list(db, 10, 'uploaded');
    expect(history.map((e) => [e.tx.seq, e.session_id, e.duplicate ?? false])).toEqual([[2, 7, true], [1, 7, false]]);
  });

  it('keeps refused records on the device with the reason, out of the upload queue', async () => {
    const e = await outbox.record(db, scan());
    await outbox.markRejected(db, [{ id: e.id, reason: 'item_barcode must be printable' }]);
    expect(await outbox.counts(db)).toEqual({ pending: 0, uploaded: 0, rejected: 1 });
    expect((await outbox.list(db, 10))[0].reason).toBe('item_barcode must be printable');
  });

  it('scans recorded while an upload is under way stay pending for the next one', async () => {
    await outbox.record(db, scan());
    const batch = await outbox.pendingBatch(db, 100);
    const during = await outbox.record(db, scan());
    await outbox.markUploaded(db, batch.map((e) => e.id), [], 1);
    expect((await outbox.pendingBatch(db, 100)).map((e) => e.id)).toEqual([during.id]);
  });

  it('keeps everything across a reopen of the database', async () => {
    const name = `reopen-${crypto.randomUUID()}`;
    const first = await outbox.openOutbox(name);
    await outbox.setDevice(first, device);
    await outbox.record(first, scan());
    first.close();
    const again = await outbox.openOutbox(name);
    expect((await outbox.counts(again)).pending).toBe(1);
    expect(await outbox.getDevice(again)).toEqual(device);
  });
});

describe('outbox schema upgrades and imports', () => {
  let db: outbox.OutboxDb;
  beforeEach(async () => {
    db = await outbox.openOutbox(`test-${crypto.randomUUID()}`);
    await outbox.setDevice(db, device);
  });

  it('upgrades a version 1 outbox in place: every entry and the device survive, and the new index works', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const v1 = await outbox.openOutbox(name, 1);
    await outbox.setDevice(v1, device);
    const kept = await outbox.record(v1, scan('I00042'));
    await outbox.markUploaded(v1, [kept.id], [], 3);
    const waiting = await outbox.record(v1, { id: crypto.randomUUID(), type: 'register', occurred_at: new Date().toISOString(),
      patron: { barcode: 'NEW-1', first_name: 'Ada', last_name: 'Birch' } });
    v1.close();

    const v2 = await outbox.openOutbox(name);
    expect(v2.version).toBe(outbox.OUTBOX_DB_VERSION);
    expect(await outbox.counts(v2)).toEqual({ pending: 1, uploaded: 1, rejected: 0 });
    expect(await outbox.getDevice(v2)).toEqual(device);
    expect((await outbox.registrations(v2)).map((e) => e.id)).toEqual([waiting.id]);
    expect((await outbox.list(v2, 10, 'uploaded'))[0]).toMatchObject({ id: kept.id, session_id: 3 });
  });

  it('keeps what staff acknowledged with the transaction, through upload marking', async () => {
    const e = await outbox.record(db, { ...scan(), type: 'checkout', patron_barcode: 'P0009', acknowledged: ['PATRON_BARRED'] });
    await outbox.markUploaded(db, [e.id], [], 1);
    const [stored] = await outbox.list(db, 1, 'uploaded');
    expect(stored.tx.acknowledged).toEqual(['PATRON_BARRED']);
  });

  it('adds the transactions of a file once, however often it is imported', async () => {
    const txs = [1, 2, 3].map((i) => ({ ...scan(`I0000${i}`), seq: i, workstation: 'OTHER', staff: 'kim' }));
    expect(await outbox.addImported(db, txs)).toBe(3);
    expect(await outbox.addImported(db, txs)).toBe(0);
    expect((await outbox.counts(db)).pending).toBe(3);
  });

  it('remembers the session staff chose until told to forget it', async () => {
    await outbox.setUploadTarget(db, { session_id: 4, session_name: 'Internet Down' });
    expect(await outbox.getUploadTarget(db)).toEqual({ session_id: 4, session_name: 'Internet Down' });
    await outbox.setUploadTarget(db, null);
    expect(await outbox.getUploadTarget(db)).toBeNull();
  });

  it('exports pending and refused entries, and uploaded ones only when asked', async () => {
    const a = await outbox.record(db, scan());
    const b = await outbox.record(db, scan('I00002'));
    await outbox.markUploaded(db, [a.id], [], 1);
    expect((await outbox.exportEntries(db, false)).map((e) => e.id)).toEqual([b.id]);
    expect((await outbox.exportEntries(db, true)).map((e) => e.id)).toEqual([a.id, b.id]);
  });
});

describe('the counts the outbox keeps', () => {
  it('stay equal to what counting the entries gives, through every kind of change, and are counted afresh when missing', async () => {
    const name = `counts-${crypto.randomUUID()}`;
    const db = await outbox.openOutbox(name);
    await outbox.setDevice(db, device);
    const counted = async () => {
      const [pending, uploaded, rejected] = await Promise.all((['pending', 'uploaded', 'rejected'] as const)
        .map((s) => db.transaction('outbox').store.index('by-state-seq').count(IDBKeyRange.bound([s, -Infinity], [s, Infinity]))));
      return { pending, uploaded, rejected };
    };
    const a = await outbox.record(db, scan());
    const b = await outbox.record(db, scan());
    await outbox.record(db, { ...scan(), id: a.id });
    const imported = [1, 2, 3].map((i) => ({ ...scan(`I0000${i}`), seq: i, workstation: 'OTHER', staff: 'kim' }));
    await outbox.addImported(db, imported);
    await outbox.addImported(db, imported);
    await outbox.markRejected(db, [{ id: b.id, reason: 'bad' }, { id: 'no-such-id', reason: 'bad' }]);
    await outbox.markUploaded(db, [a.id, b.id, imported[0].id], [imported[1].id, 'no-such-id'], 9);
    await outbox.markUploaded(db, [a.id], [], 9);
    expect(await outbox.counts(db)).toEqual({ pending: 1, uploaded: 4, rejected: 0 });
    expect(await outbox.counts(db)).toEqual(await counted());

    await db.delete('meta', 'counts');
    expect(await outbox.counts(db)).toEqual({ pending: 1, uploaded: 4, rejected: 0 });
    await outbox.record(db, scan());
    expect(await outbox.counts(db)).toEqual({ pending: 2, uploaded: 4, rejected: 0 });
    db.close();
  });
});
