import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as outbox from '../outbox-db.js';
import { CHUNK_SIZE, UploadError, uploadAll } from '../uploader.js';
import type { OutboxCounts, UploadProgress } from '../../shared/outbox-messages.js';
import { acceptAll, device, installFakeServer, scan } from './fake-server.js';

const target = { session_id: 7, session_name: 'Internet Down' };

describe('the uploader', () => {
  let db: outbox.OutboxDb;
  const told: [UploadProgress, OutboxCounts][] = [];
  const onProgress = (p: UploadProgress, c: OutboxCounts): void => { told.push([p, c]); };

  beforeEach(async () => {
    db = await outbox.openOutbox(`upload-${crypto.randomUUID()}`);
    await outbox.setDevice(db, device);
    told.length = 0;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    db.close();
  });

  const recordMany = async (count: number) => {
    for (let i = 0; i < count; i++) await outbox.record(db, scan(`I${String(i).padStart(5, '0')}`));
  };

  it('sends every pending scan in chunks, oldest first, and marks each one the server acknowledged as uploaded', async () => {
    await recordMany(CHUNK_SIZE + 50);
    const sent = installFakeServer();
    const progress = await uploadAll(db, target, onProgress);

    expect(sent.map((s) => s.transactions.length)).toEqual([CHUNK_SIZE, 50]);
    expect(sent.every((s) => s.url === '/api/sessions/7/uploads' && s.workstation === 'CENTRAL-DESK-1')).toBe(true);
    expect(sent.flatMap((s) => s.transactions.map((t) => t.seq))).toEqual(Array.from({ length: CHUNK_SIZE + 50 }, (_, i) => i + 1));
    expect(progress).toEqual({ sent: CHUNK_SIZE + 50, total: CHUNK_SIZE + 50, accepted: CHUNK_SIZE + 50, duplicates: 0, rejected: 0 });
    expect(await outbox.counts(db)).toEqual({ pending: 0, uploaded: CHUNK_SIZE + 50, rejected: 0 });
    expect((await outbox.list(db, 1, 'uploaded'))[0].session_id).toBe(7);
    // After each chunk the tabs are told the progress and the counts as they then were.
    expect(told.map(([p, c]) => [p.sent, c.pending, c.uploaded])).toEqual([[CHUNK_SIZE, 50, CHUNK_SIZE], [CHUNK_SIZE + 50, 0, CHUNK_SIZE + 50]]);
  });

  it('keeps duplicates once as already received, and refused records on the device with the reason', async () => {
    await recordMany(3);
    installFakeServer(({ transactions: [a, b, c] }) => ({
      accepted: [a.id], duplicates: [b.id], rejected: [{ index: 2, id: c.id, field: 'item_barcode', reason: 'item_barcode is not printable' }],
    }));
    const progress = await uploadAll(db, target, onProgress);

    expect(progress).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1 });
    expect(await outbox.counts(db)).toEqual({ pending: 0, uploaded: 2, rejected: 1 });
    const entries = await outbox.list(db, 10);
    expect(entries.map((e) => [e.tx.item_barcode, e.state, e.duplicate ?? false, e.reason ?? ''])).toEqual([
      ['I00002', 'rejected', false, 'item_barcode is not printable'],
      ['I00001', 'uploaded', true, ''],
      ['I00000', 'uploaded', false, ''],
    ]);
  });

  it('stops with NOTHING_ACKNOWLEDGED when a reply settles nothing, rather than sending the same chunk forever', async () => {
    await recordMany(3);
    const sent = installFakeServer(() => ({}));
    const failure = await uploadAll(db, target, onProgress).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(UploadError);
    expect((failure as UploadError).code).toBe('NOTHING_ACKNOWLEDGED');
    expect(sent).toHaveLength(1);
    expect(await outbox.counts(db)).toEqual({ pending: 3, uploaded: 0, rejected: 0 });
  });

  it('counts a refusal without an id as settling nothing: that record could never leave the queue', async () => {
    await recordMany(1);
    const sent = installFakeServer(() => ({ rejected: [{ index: 0, id: null, field: 'id', reason: 'id is not a UUID' }] }));
    await expect(uploadAll(db, target, onProgress)).rejects.toMatchObject({ code: 'NOTHING_ACKNOWLEDGED' });
    expect(sent).toHaveLength(1);
    expect(await outbox.counts(db)).toEqual({ pending: 1, uploaded: 0, rejected: 0 });
  });

  it('keeps what a chunk acknowledged when a later reply settles nothing', async () => {
    await recordMany(2);
    const sent = installFakeServer(({ transactions }, call) => ({ accepted: call === 1 ? [transactions[0].id] : [] }));
    await expect(uploadAll(db, target, onProgress)).rejects.toMatchObject({ code: 'NOTHING_ACKNOWLEDGED' });
    // The second request carried only the one the first reply left out.
    expect(sent.map((s) => s.transactions.map((t) => t.item_barcode))).toEqual([['I00000', 'I00001'], ['I00001']]);
    expect(await outbox.counts(db)).toEqual({ pending: 1, uploaded: 1, rejected: 0 });
  });

  it('fails with NETWORK when the server cannot be reached, marking nothing', async () => {
    await recordMany(2);
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(uploadAll(db, target, onProgress)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(await outbox.counts(db)).toEqual({ pending: 2, uploaded: 0, rejected: 0 });
  });

  it('passes on the server’s own error code and message, or the status when the body is not JSON', async () => {
    await recordMany(1);
    installFakeServer(() => Response.json({ code: 'SESSION_NOT_OPEN', message: 'Session “Internet Down” is processed' }, { status: 409 }));
    await expect(uploadAll(db, target, onProgress)).rejects.toMatchObject({ code: 'SESSION_NOT_OPEN', message: 'Session “Internet Down” is processed' });
    installFakeServer(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    await expect(uploadAll(db, target, onProgress)).rejects.toMatchObject({ code: 'HTTP_502' });
    expect(await outbox.counts(db)).toEqual({ pending: 1, uploaded: 0, rejected: 0 });
  });

  it('sends nothing from a device that is not registered as a workstation', async () => {
    await recordMany(1);
    await outbox.setDevice(db, null);
    const sent = installFakeServer();
    await expect(uploadAll(db, target, onProgress)).rejects.toMatchObject({ code: 'NO_WORKSTATION' });
    expect(sent).toHaveLength(0);
  });

  it('takes scans recorded while it runs into the same upload', async () => {
    await recordMany(2);
    const sent = installFakeServer(async (upload, call) => {
      if (call === 1) await outbox.record(db, scan('I09999'));
      return acceptAll(upload, call);
    });
    const progress = await uploadAll(db, target, onProgress);

    expect(sent.map((s) => s.transactions.map((t) => t.item_barcode))).toEqual([['I00000', 'I00001'], ['I09999']]);
    expect(progress).toEqual({ sent: 3, total: 3, accepted: 3, duplicates: 0, rejected: 0 });
    expect(await outbox.counts(db)).toEqual({ pending: 0, uploaded: 3, rejected: 0 });
  });

  it('joins an upload already running instead of sending the same chunk twice', async () => {
    await recordMany(2);
    const sent = installFakeServer();
    const [first, second] = await Promise.all([uploadAll(db, target, onProgress), uploadAll(db, target, onProgress)]);
    expect(sent).toHaveLength(1);
    expect(second).toEqual(first);
  });
});
