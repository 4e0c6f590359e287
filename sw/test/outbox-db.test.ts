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
