import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as outbox from '../outbox-db.js';
import { answer, type WorkerContext } from '../outbox-requests.js';
import type { OutboxBroadcast, OutboxReply, OutboxRequest } from '../../shared/outbox-messages.js';
import { device, installFakeServer, scan } from './fake-server.js';

/** What the page and the other tabs heard, in the order they heard it. */
type Heard = ['reply', OutboxReply] | ['broadcast', OutboxBroadcast];

describe('the worker answering the page', () => {
  let db: outbox.OutboxDb;
  let heard: Heard[];
  let ctx: WorkerContext;
  const ask = (request: OutboxRequest) => answer(request, ctx, (reply) => { heard.push(['reply', reply]); });

  beforeEach(async () => {
    db = await outbox.openOutbox(`requests-${crypto.randomUUID()}`);
    await outbox.setDevice(db, device);
    heard = [];
    ctx = { db: async () => db, broadcast: (m) => { heard.push(['broadcast', m]); }, skipWaiting: vi.fn(async () => undefined) };
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    db.close();
  });

  it('confirms a scan with the stored entry, then tells every tab the new counts', async () => {
    const tx = scan('I00042');
    await ask({ type: 'record', tx });
    expect(heard).toEqual([
      ['reply', { ok: true, entry: expect.objectContaining({ id: tx.id, state: 'pending', tx: expect.objectContaining({ seq: 1, workstation: 'CENTRAL-DESK-1' }) }) }],
      ['broadcast', { type: 'changed', counts: { pending: 1, uploaded: 0, rejected: 0 } }],
    ]);
  });

  it('tells the tabs the counts after a file’s transactions were added', async () => {
    const txs = [1, 2].map((i) => ({ ...scan(), seq: i, workstation: 'OTHER', staff: 'kim' }));
    await ask({ type: 'import', transactions: txs });
    expect(heard).toEqual([['reply', { ok: true, changed: 2 }], ['broadcast', { type: 'changed', counts: { pending: 2, uploaded: 0, rejected: 0 } }]]);
  });

  it('answers a failed request with the reason and tells no tab of a change', async () => {
    await outbox.setDevice(db, null);
    await ask({ type: 'record', tx: scan() });
    expect(heard).toEqual([['reply', { ok: false, error: expect.stringContaining('not registered'), code: 'NO_WORKSTATION' }]]);
  });

  it('answers each request with its own reply', async () => {
    await ask({ type: 'record', tx: scan() });
    heard = [];
    await ask({ type: 'counts' });
    await ask({ type: 'list', limit: 5 });
    await ask({ type: 'get-device' });
    await ask({ type: 'get-upload-target' });
    expect(heard).toEqual([
      ['reply', { ok: true, counts: { pending: 1, uploaded: 0, rejected: 0 } }],
      ['reply', { ok: true, entries: [expect.objectContaining({ state: 'pending' })] }],
      ['reply', { ok: true, device }],
      ['reply', { ok: true, target: null }],
    ]);
  });

  it('lets a waiting new version take over without opening the outbox', async () => {
    ctx.db = () => Promise.reject(new Error('SKIP_WAITING must not open the outbox'));
    await ask({ type: 'SKIP_WAITING' });
    expect(ctx.skipWaiting).toHaveBeenCalledOnce();
    expect(heard).toEqual([['reply', { ok: true }]]);
  });

  it('answers a request it does not know with an error', async () => {
    await answer({ type: 'erase-everything' } as unknown as OutboxRequest, ctx, (reply) => { heard.push(['reply', reply]); });
    expect(heard).toEqual([['reply', { ok: false, error: expect.stringContaining('Unknown request'), code: 'UNKNOWN_REQUEST' }]]);
  });

  it('uploads to the chosen session, telling the tabs the counts after each chunk and the result at the end', async () => {
    for (let i = 0; i < 3; i++) await outbox.record(db, scan());
    installFakeServer();
    const target = { session_id: 4, session_name: 'Internet Down' };
    await ask({ type: 'upload', target });

    const progress = { sent: 3, total: 3, accepted: 3, duplicates: 0, rejected: 0 };
    expect(heard).toEqual([
      ['broadcast', { type: 'changed', counts: { pending: 0, uploaded: 3, rejected: 0 } }],
      ['broadcast', { type: 'upload-progress', target, progress }],
      ['broadcast', { type: 'changed', counts: { pending: 0, uploaded: 3, rejected: 0 } }],
      ['broadcast', { type: 'upload-done', target, progress }],
      ['reply', { ok: true, progress }],
    ]);
    expect(await outbox.getUploadTarget(db)).toEqual(target);
  });

  it('forgets a session that no longer takes uploads, and says why', async () => {
    await outbox.record(db, scan());
    installFakeServer(() => Response.json({ code: 'SESSION_NOT_OPEN', message: 'Session “Internet Down” is processed' }, { status: 409 }));
    const target = { session_id: 4, session_name: 'Internet Down' };
    await ask({ type: 'upload', target });

    expect(heard).toEqual([
      ['broadcast', { type: 'changed', counts: { pending: 1, uploaded: 0, rejected: 0 } }],
      ['broadcast', { type: 'upload-failed', target, code: 'SESSION_NOT_OPEN', error: 'Session “Internet Down” is processed' }],
      ['reply', { ok: false, code: 'SESSION_NOT_OPEN', error: 'Session “Internet Down” is processed' }],
    ]);
    expect(await outbox.getUploadTarget(db)).toBeNull();
  });
});
