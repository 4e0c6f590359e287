import { describe, it, expect, beforeEach } from 'vitest';
import {
  DESK_A1, DESK_A2, ITEMS, PATRONS, call, countRows, createSession, daysFromNow, loansOf, minutesAgo,
  processSession, tx, upload, uploadRequest, getSession, useTestEnv,
} from './helpers.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');
let sessionId: number;

beforeEach(async () => {
  sessionId = (await createSession(env.app, cookies.sysadmin)).id;
});

const storedIds = (session = sessionId): string[] =>
  (env.db.prepare('SELECT id FROM offline_transactions WHERE session_id = ? ORDER BY id').pluck().all(session) as string[]);

describe('uploading transactions', () => {
  it('accepts a batch, stores each transaction pending, and puts nothing into the circulation tables', async () => {
    const batch = [tx('checkout', { item_barcode: ITEMS.book1 }), tx('checkin', { item_barcode: ITEMS.onLoan }), tx('in_house_use', { count: 3 })];
    const reply = await upload(env.app, cookies.circA, sessionId, batch);
    expect(reply).toEqual({ upload_id: expect.any(Number), accepted: batch.map((t) => t.id), duplicates: [], rejected: [] });

    const rows = env.db.prepare('SELECT id, type, workstation, staff, outcome, upload_id FROM offline_transactions ORDER BY seq').all();
    expect(rows).toEqual(batch.map((t) => ({ id: t.id, type: t.type, workstation: DESK_A1, staff: 'circ-north', outcome: 'pending', upload_id: reply.upload_id })));
    const upload0 = env.db.prepare('SELECT session_id, staff, accepted, duplicates, rejected FROM uploads WHERE id = ?').get(reply.upload_id);
    expect(upload0).toEqual({ session_id: sessionId, staff: 'circ-north', accepted: 3, duplicates: 0, rejected: 0 });

    // Only processing changes the circulation database.
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(0);
    expect(loansOf(env.db, ITEMS.onLoan)[0].checkin_at).toBeNull();
    expect(countRows(env.db, 'in_house_uses')).toBe(0);
    const session = await getSession(env.app, cookies.sysadmin, sessionId);
    expect(session.counts).toMatchObject({ total: 3, pending: 3 });
    expect(session.progress).toEqual({ done: 0, total: 3 });
  });

  it('takes a workstation batch in chunks: two uploads append, each with its own counts', async () => {
    const first = [tx('checkin'), tx('checkin', { item_barcode: ITEMS.book2 })];
    const second = [tx('checkin', { item_barcode: ITEMS.book3 })];
    const r1 = await upload(env.app, cookies.circA, sessionId, first);
    const r2 = await upload(env.app, cookies.circA, sessionId, second);
    expect(r1.accepted).toHaveLength(2);
    expect(r2.accepted).toHaveLength(1);
    expect(r2.upload_id).not.toBe(r1.upload_id);
    expect(storedIds()).toEqual([...first, ...second].map((t) => t.id).sort());

    const session = await getSession(env.app, cookies.sysadmin, sessionId);
    expect(session.counts.total).toBe(3);
    expect(session.uploads.map((u) => [u.workstation, u.accepted])).toEqual([[DESK_A1, 2], [DESK_A1, 1]]);
  });

  it('lists uploads by workstation with the clock offset computed from the device time', async () => {
    // Desk 2's clock is five minutes slow, desk 1's two minutes fast.
    await upload(env.app, cookies.circA, sessionId, [tx('checkin', { workstation: DESK_A2 })], { workstation: DESK_A2, device_time: minutesAgo(5) });
    await upload(env.app, cookies.circA, sessionId, [tx('checkin')], { workstation: DESK_A1, device_time: minutesAgo(-2) });

    const session = await getSession(env.app, cookies.sysadmin, sessionId);
    expect(session.uploads.map((u) => u.workstation)).toEqual([DESK_A1, DESK_A2]);
    const [desk1, desk2] = session.uploads;
    expect(desk1.staff).toBe('circ-north');
    expect(desk1.clock_offset_ms).toBeGreaterThan(-120_000 - 5_000);
    expect(desk1.clock_offset_ms).toBeLessThanOrEqual(-120_000 + 5_000);
    expect(desk2.clock_offset_ms).toBeGreaterThanOrEqual(300_000);
    expect(desk2.clock_offset_ms).toBeLessThan(300_000 + 5_000);
    // received_at - device_time is exactly the recorded offset.
    for (const u of session.uploads) expect(Date.parse(u.received_at) - Date.parse(u.device_time)).toBe(u.clock_offset_ms);
  });

  it('stores each transaction with its skew-corrected sort time, registrations in the first phase', async () => {
    const occurred = minutesAgo(30);
    const checkin = tx('checkin', { occurred_at: occurred });
    const register = tx('register', { occurred_at: occurred });
    const reply = await upload(env.app, cookies.circA, sessionId, [checkin, register], { device_time: minutesAgo(10) });
    const offset = (env.db.prepare('SELECT clock_offset_ms FROM uploads WHERE id = ?').pluck().get(reply.upload_id)) as number;
    const rows = env.db.prepare('SELECT id, phase, sort_at FROM offline_transactions ORDER BY phase').all();
    expect(rows).toEqual([
      { id: register.id, phase: 0, sort_at: Date.parse(occurred) + offset },
      { id: checkin.id, phase: 1, sort_at: Date.parse(occurred) + offset },
    ]);
  });

  it('reports a repeat within one batch as a duplicate and stores it once', async () => {
    const t = tx('checkin');
    const reply = await upload(env.app, cookies.circA, sessionId, [t, tx('in_house_use'), t]);
    expect(reply.accepted).toHaveLength(2);
    expect(reply.duplicates).toEqual([t.id]);
    expect(countRows(env.db, 'offline_transactions', 'id = ?', t.id)).toBe(1);
    expect(countRows(env.db, 'offline_transactions')).toBe(2);
    expect(env.db.prepare('SELECT accepted, duplicates, rejected FROM uploads').get()).toEqual({ accepted: 2, duplicates: 1, rejected: 0 });
  });

  it('reports a re-upload of the same batch as all duplicates (a retry after a lost reply)', async () => {
    const batch = [tx('checkin'), tx('checkin', { item_barcode: ITEMS.book2 })];
    await upload(env.app, cookies.circA, sessionId, batch);
    const again = await upload(env.app, cookies.circA, sessionId, batch);
    expect(again.accepted).toEqual([]);
    expect(again.duplicates).toEqual(batch.map((t) => t.id));
    expect(countRows(env.db, 'offline_transactions')).toBe(2);
  });

  it('reports a transaction already held in another session as a duplicate and keeps it in the first', async () => {
    const other = (await createSession(env.app, cookies.sysadmin, { name: 'Second outage' })).id;
    const shared = tx('checkout');
    await upload(env.app, cookies.circA, sessionId, [shared]);
    const fresh = tx('checkin', { item_barcode: ITEMS.book2 });
    const reply = await upload(env.app, cookies.circA, other, [shared, fresh]);
    expect(reply.accepted).toEqual([fresh.id]);
    expect(reply.duplicates).toEqual([shared.id]);
    expect(countRows(env.db, 'offline_transactions', 'id = ?', shared.id)).toBe(1);
    expect(env.db.prepare('SELECT session_id FROM offline_transactions WHERE id = ?').pluck().get(shared.id)).toBe(sessionId);
    expect(storedIds(other)).toEqual([fresh.id]);
  });

  it('rejects each invalid record alone, with its index and reason, and keeps the rest', async () => {
    const good1 = tx('checkin');
    const good2 = tx('in_house_use', { count: 2 });
    const badUuid = tx('checkin', { id: 'not-a-uuid' });
    const unknownField = tx('checkin', { colour: 'blue' });
    const noPatron = tx('checkout', { patron_barcode: undefined });
    const zeroCount = tx('in_house_use', { count: 0 });
    const futureBackdate = tx('checkin', { backdate: daysFromNow(3).slice(0, 10) });
    const batch = [good1, badUuid, unknownField, noPatron, good2, zeroCount, futureBackdate, 'just text'];

    const reply = await upload(env.app, cookies.circA, sessionId, batch);
    expect(reply.accepted).toEqual([good1.id, good2.id]);
    expect(reply.duplicates).toEqual([]);
    expect(reply.rejected).toEqual([
      { index: 1, id: 'not-a-uuid', field: 'id', reason: expect.stringContaining('UUID') },
      { index: 2, id: unknownField.id, field: 'colour', reason: expect.stringContaining('colour') },
      { index: 3, id: noPatron.id, field: 'patron_barcode', reason: expect.stringContaining('required') },
      { index: 5, id: zeroCount.id, field: 'count', reason: expect.stringContaining('1 to 99') },
      { index: 6, id: futureBackdate.id, field: 'backdate', reason: expect.stringContaining('future') },
      { index: 7, id: null, field: '', reason: expect.stringContaining('JSON object') },
    ]);
    expect(storedIds()).toEqual([good1.id, good2.id].sort());
    expect(env.db.prepare('SELECT accepted, duplicates, rejected FROM uploads').get()).toEqual({ accepted: 2, duplicates: 0, rejected: 6 });
  });

  it('accepts a backdate of today or the past', async () => {
    const reply = await upload(env.app, cookies.circA, sessionId, [
      tx('checkin', { backdate: daysFromNow(-2).slice(0, 10) }), tx('checkin', { backdate: new Date().toISOString().slice(0, 10) }),
    ]);
    expect(reply.accepted).toHaveLength(2);
    expect(reply.rejected).toEqual([]);
  });

  it('records an upload where every record is rejected, storing no transaction', async () => {
    const reply = await upload(env.app, cookies.circA, sessionId, [tx('checkin', { seq: -1 })]);
    expect(reply.accepted).toEqual([]);
    expect(reply.rejected).toEqual([{ index: 0, id: expect.any(String), field: 'seq', reason: expect.any(String) }]);
    expect(countRows(env.db, 'offline_transactions')).toBe(0);
  });
});

describe('uploads the server refuses', () => {
  it.each(['processed', 'closed'] as const)('answers 409 SESSION_NOT_OPEN for a %s session and stores nothing', async (state) => {
    await processSession(env.app, cookies.sysadmin, sessionId);
    if (state === 'closed') expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/close`, cookies.sysadmin)).status).toBe(200);
    const uploadsBefore = countRows(env.db, 'uploads');

    const res = await uploadRequest(env.app, cookies.circA, sessionId, [tx('checkin'), tx('in_house_use')]);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'SESSION_NOT_OPEN', message: expect.stringContaining(state), message_key: 'sessionTakesNoUploads', params: { state } });
    expect(countRows(env.db, 'uploads')).toBe(uploadsBefore);
    expect(countRows(env.db, 'offline_transactions')).toBe(0);
  });

  it('answers 409 SESSION_NOT_OPEN while the session is being processed', async () => {
    expect(env.services.sessions.lockForProcessing(sessionId)).toBe(true);
    const res = await uploadRequest(env.app, cookies.circA, sessionId, [tx('checkin')]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SESSION_NOT_OPEN');
    expect(countRows(env.db, 'uploads')).toBe(0);
    expect(countRows(env.db, 'offline_transactions')).toBe(0);
  });

  it('answers 400 for more than 1000 records in one upload and stores nothing', async () => {
    const many = Array.from({ length: 1001 }, () => tx('in_house_use'));
    const res = await uploadRequest(env.app, cookies.circA, sessionId, many);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('transactions') });
    expect(countRows(env.db, 'uploads')).toBe(0);
    expect(countRows(env.db, 'offline_transactions')).toBe(0);
  });

  it('takes exactly 1000 records in one upload', async () => {
    const reply = await upload(env.app, cookies.circA, sessionId, Array.from({ length: 1000 }, () => tx('in_house_use')));
    expect(reply.accepted).toHaveLength(1000);
    expect(countRows(env.db, 'offline_transactions')).toBe(1000);
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over the cap and stores nothing', async () => {
    const padded = Array.from({ length: 5 }, () => tx('checkin', { staff: 'x'.repeat(1024 * 1024) }));
    const res = await uploadRequest(env.app, cookies.circA, sessionId, padded);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
    expect(countRows(env.db, 'uploads')).toBe(0);
    expect(countRows(env.db, 'offline_transactions')).toBe(0);
  });

  it('caps other routes lower: a 300 KB session name is refused with 413', async () => {
    const res = await call(env.app, 'POST', '/api/sessions', cookies.sysadmin, { name: 'x'.repeat(300 * 1024), branch: 'NORTH' });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for an unknown field, a malformed or impossible device time, a wrong type, or an empty batch', async () => {
    const base = { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: [tx('checkin')] };
    const cases: [unknown, string][] = [
      [{ ...base, session: 3 }, 'session'],
      [{ ...base, device_time: 'yesterday' }, 'device_time'],
      [{ ...base, device_time: '2026-13-45T99:99:99.000Z' }, 'device_time'],
      [{ ...base, transactions: [] }, 'transactions'],
      [{ ...base, workstation: 7 }, 'workstation'],
    ];
    for (const [body, named] of cases) {
      const res = await call(env.app, 'POST', `/api/sessions/${sessionId}/uploads`, cookies.circA, body);
      expect(res.status, JSON.stringify(named)).toBe(400);
      expect(res.body.message).toContain(named);
    }
    expect(countRows(env.db, 'uploads')).toBe(0);
  });

  it('answers 401 without a login, and 404 for an unknown session', async () => {
    expect((await uploadRequest(env.app, '', sessionId, [tx('checkin')])).status).toBe(401);
    expect((await uploadRequest(env.app, cookies.circA, 9999, [tx('checkin')])).status).toBe(404);
    expect(countRows(env.db, 'uploads')).toBe(0);
  });
});

describe('uploaded records keep their patron barcode for the results list', () => {
  it('stores the card of a registration as its patron barcode', async () => {
    const reg = tx('register', { patron: { barcode: 'P-REG-1', first_name: 'Rae', last_name: 'Gister' } });
    await upload(env.app, cookies.circA, sessionId, [reg, tx('checkout', { patron_barcode: PATRONS.juvenile })]);
    const rows = env.db.prepare('SELECT type, patron_barcode FROM offline_transactions ORDER BY phase').all();
    expect(rows).toEqual([{ type: 'register', patron_barcode: 'P-REG-1' }, { type: 'checkout', patron_barcode: PATRONS.juvenile }]);
  });
});

describe('a device clock that is far off', () => {
  it('is refused with a clear reason and stores nothing, rather than shifting transactions by years', async () => {
    const before = countRows(env.db, 'uploads');
    const res = await uploadRequest(env.app, cookies.circA, sessionId, [tx('in_house_use')], { device_time: '0000-01-01T00:00:00.000Z' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DEVICE_CLOCK_WRONG');
    expect(countRows(env.db, 'offline_transactions')).toBe(0);
    expect(countRows(env.db, 'uploads')).toBe(before);
  });
});
