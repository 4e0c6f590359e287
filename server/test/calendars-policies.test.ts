/**
 * The admin pages' API for library time and loan policies: each administered branch's
 * calendar (zone, hours and where they come from, closures and its system's), closures
 * added and removed by hand; loan policies listed, added, changed and removed — the
 * default always kept. What staff see, and what the database holds after.
 */
import { describe, it, expect } from 'vitest';
import { BRANCH_A, BRANCH_B, SYSTEM, call, useTestEnv } from './helpers.js';
import type { BranchCalendar, LoanPolicyRecord } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'adminB', 'circA');

const version = () => env.db.prepare('SELECT version FROM library_version').pluck().get() as number;
const closures = () => env.db.prepare('SELECT b.code, first_date, last_date, reason FROM branch_closures c JOIN branches b ON b.id = c.branch_id ORDER BY c.id').all();

async function calendars(cookie = cookies.sysadmin): Promise<BranchCalendar[]> {
  const res = await call<BranchCalendar[]>(env.app, 'GET', '/api/calendars', cookie);
  expect(res.status).toBe(200);
  return res.body;
}

describe('branch calendars', () => {
  it('show each administered branch\'s zone, hours (and whose they are) and closures, its system\'s included', async () => {
    const imported = await call(env.app, 'POST', '/api/import', cookies.sysadmin, {
      branches: `code,name,parent,time_zone\n${SYSTEM},Test Library System,,America/Chicago\n`,
      hours: `branch,mon,tue,wed,thu,fri,sat,sun\n${SYSTEM},09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,"10:00-12:00,13:00-16:00",\n`,
      closed: `branch,first,last,reason\n${SYSTEM},2026-12-25,,Christmas\n${BRANCH_B},2026-11-20,2026-11-21,Inventory\n`,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const north = (await calendars()).find((c) => c.code === BRANCH_A);
    expect(north).toEqual({
      code: BRANCH_A, name: 'North Branch', parent: SYSTEM, time_zone: null, zone: 'America/Chicago',
      hours: ['09:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-17:00', '10:00-12:00,13:00-16:00', ''], hours_from: SYSTEM,
      closures: [{ id: expect.any(Number), branch: SYSTEM, first_date: '2026-12-25', last_date: '2026-12-25', reason: 'Christmas' }],
    });
    // admin-south administers SOUTH only: its own calendar, with its own closure and the system's.
    expect((await calendars(cookies.adminB)).map((c) => [c.code, c.closures.map((x) => x.reason)])).toEqual([[BRANCH_B, ['Inventory', 'Christmas']]]);
  });

  it('a closure added by hand shows at once, moves the desks\' data, and is in the audit trail; removing it takes it away', async () => {
    const before = version();
    const added = await call<BranchCalendar>(env.app, 'POST', `/api/calendars/${BRANCH_A}/closures`, cookies.sysadmin,
      { first_date: '2026-12-31', last_date: '2027-01-01', reason: ' New Year ' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.closures).toEqual([{ id: expect.any(Number), branch: BRANCH_A, first_date: '2026-12-31', last_date: '2027-01-01', reason: 'New Year' }]);
    expect(closures()).toEqual([{ code: BRANCH_A, first_date: '2026-12-31', last_date: '2027-01-01', reason: 'New Year' }]);
    expect(version()).toBeGreaterThan(before);
    const oneDay = await call<BranchCalendar>(env.app, 'POST', `/api/calendars/${BRANCH_A}/closures`, cookies.sysadmin, { first_date: '2026-11-26', reason: 'Thanksgiving' });
    expect(oneDay.body.closures.map((c) => [c.first_date, c.last_date])).toEqual([['2026-11-26', '2026-11-26'], ['2026-12-31', '2027-01-01']]);

    const id = added.body.closures[0].id;
    const removed = await call<BranchCalendar>(env.app, 'POST', `/api/calendars/${BRANCH_A}/closures/${id}/remove`, cookies.sysadmin);
    expect(removed.status).toBe(200);
    expect(removed.body.closures.map((c) => c.reason)).toEqual(['Thanksgiving']);
    const audit = await call(env.app, 'GET', '/api/audit?action=calendar.closure_remove', cookies.sysadmin);
    expect(audit.body.entries).toEqual([expect.objectContaining({ target: BRANCH_A, details: expect.objectContaining({ reason: 'New Year' }) })]);
  });

  it('refuses a bad or reversed date, a blank reason, a second closure starting the same day, and another branch\'s admin', async () => {
    const post = (body: object, cookie = cookies.sysadmin, code = BRANCH_A) => call(env.app, 'POST', `/api/calendars/${code}/closures`, cookie, body);
    expect((await post({ first_date: '2026-02-30', reason: 'x' })).body).toEqual({ code: 'BAD_REQUEST', message: "Invalid body: 'first_date' 2026-02-30 is not a calendar date" });
    expect((await post({ first_date: '2026-12-31', last_date: '2026-12-01', reason: 'x' })).body.message).toBe('Invalid body: the closure ends (2026-12-01) before it starts (2026-12-31)');
    expect((await post({ first_date: '2026-12-31', reason: '  ' })).status).toBe(400);
    expect((await post({ first_date: '2026-12-31', reason: 'Stocktaking' })).status).toBe(201);
    expect((await post({ first_date: '2026-12-31', reason: 'Again' })).body.code).toBe('CLOSURE_EXISTS');
    expect((await post({ first_date: '2026-10-01', reason: 'x' }, cookies.adminB)).status).toBe(403);
    expect((await post({ first_date: '2026-10-01', reason: 'x' }, cookies.sysadmin, 'NOWHERE')).status).toBe(404);
    // A system's closure is removed at the system, not through one of its branches.
    const sys = await post({ first_date: '2026-12-25', reason: 'Christmas' }, cookies.sysadmin, SYSTEM);
    const id = (sys.body as BranchCalendar).closures.find((c) => c.reason === 'Christmas')!.id;
    expect((await call(env.app, 'POST', `/api/calendars/${BRANCH_A}/closures/${id}/remove`, cookies.sysadmin)).status).toBe(404);
    expect(closures()).toEqual([
      { code: BRANCH_A, first_date: '2026-12-31', last_date: '2026-12-31', reason: 'Stocktaking' },
      { code: SYSTEM, first_date: '2026-12-25', last_date: '2026-12-25', reason: 'Christmas' },
    ]);
  });
});

describe('loan policies', () => {
  const policy = (over: Partial<LoanPolicyRecord> = {}) => ({ item_type: 'magazine', patron_profile: null, loan_days: 7, max_renewals: 0,
    daily_fine_cents: 10, max_fine_cents: 200, max_items_out: null, ...over });

  it('are listed default first, added, changed and removed; each change in the audit trail and the desks\' data', async () => {
    const list = await call<LoanPolicyRecord[]>(env.app, 'GET', '/api/policies', cookies.adminB);
    expect(list.body.map((p) => [p.item_type, p.patron_profile, p.loan_days])).toEqual([[null, null, 21], ['book', 'juvenile', 28], ['dvd', null, 7]]);
    const before = version();
    const created = await call<LoanPolicyRecord>(env.app, 'POST', '/api/policies', cookies.sysadmin, policy({ max_items_out: 5 }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), ...policy({ max_items_out: 5 }) });
    expect(version()).toBeGreaterThan(before);
    const changed = await call<LoanPolicyRecord>(env.app, 'POST', `/api/policies/${created.body.id}`, cookies.sysadmin, policy({ loan_days: 14 }));
    expect(changed.body).toMatchObject({ loan_days: 14, max_items_out: null });
    expect(env.db.prepare("SELECT loan_days FROM loan_policies WHERE item_type = 'magazine'").pluck().get()).toBe(14);
    expect((await call(env.app, 'POST', `/api/policies/${created.body.id}/remove`, cookies.sysadmin)).status).toBe(204);
    expect(env.db.prepare("SELECT count(*) FROM loan_policies WHERE item_type = 'magazine'").pluck().get()).toBe(0);
    const audit = await call(env.app, 'GET', '/api/audit', cookies.sysadmin);
    expect(audit.body.entries.map((e: { action: string }) => e.action).slice(0, 3)).toEqual(['policy.remove', 'policy.update', 'policy.create']);
  });

  it('keep the default, refuse a second policy for the same item type and profile, bad numbers, and a branch admin', async () => {
    const list = (await call<LoanPolicyRecord[]>(env.app, 'GET', '/api/policies', cookies.sysadmin)).body;
    const defaultId = list[0].id;
    const dvd = list.find((p) => p.item_type === 'dvd')!;
    expect((await call(env.app, 'POST', `/api/policies/${defaultId}/remove`, cookies.sysadmin)).body.code).toBe('DEFAULT_POLICY_NEEDED');
    expect((await call(env.app, 'POST', `/api/policies/${defaultId}`, cookies.sysadmin, policy({ item_type: 'book' }))).body.code).toBe('DEFAULT_POLICY_NEEDED');
    expect((await call(env.app, 'POST', '/api/policies', cookies.sysadmin, policy({ item_type: 'dvd' }))).body).toEqual({ code: 'POLICY_EXISTS',
      message: `There is already the policy for dvd × any profile (#${dvd.id}): change that one` });
    expect((await call(env.app, 'POST', `/api/policies/${defaultId}`, cookies.sysadmin, policy({ item_type: null, loan_days: 0 }))).status).toBe(400);
    expect((await call(env.app, 'POST', '/api/policies', cookies.sysadmin, policy({ item_type: ' magazine' }))).status).toBe(400);
    const branchAdmin = await call(env.app, 'POST', '/api/policies', cookies.adminB, policy());
    expect(branchAdmin).toMatchObject({ status: 403, body: { message: 'Changing loan policies needs the admin role at a library system' } });
    expect((await call(env.app, 'GET', '/api/policies', cookies.circA)).status).toBe(403);
    expect((await call<LoanPolicyRecord[]>(env.app, 'GET', '/api/policies', cookies.sysadmin)).body).toEqual(list);
  });
});
