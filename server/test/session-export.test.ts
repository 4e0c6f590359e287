/**
 * A session back out to the library system (issue 13, "Out"): GET /api/sessions/:id/export
 * and `npm run export` write Koha's .koc, Evergreen's offline transactions and this app's
 * JSON lines; what a format cannot carry is counted in the reply's headers, listed by the
 * summary and on the CLI's standard error, never written into the file. Round trips: each
 * file read back by this app's own importers (the desk's parseTransactionFile, then an
 * upload) gives the same transactions, and loading it twice adds nothing.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BRANCH_A, BRANCH_B, DESK_A1, ITEMS, PATRONS, call, createSession, minutesAgo, processSession, tx, upload, useTestEnv, type TestApp,
} from './helpers.js';
import { parseTransactionFile, zoneOffsetAt } from '../../shared/file-formats/index.js';
import type { ExportSummary, OfflineTransaction } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');
const REPO = join(import.meta.dirname, '..', '..');
const DESK_B1 = 'SOUTH-DESK-1';
const CHICAGO = 'America/Chicago';
const KOLKATA = 'Asia/Kolkata';

/** SYS (and so NORTH) keeps Chicago time; SOUTH keeps Kolkata's. */
async function zones(): Promise<void> {
  const res = await call(env.app, 'POST', '/api/import', cookies.sysadmin, {
    branches: `code,name,parent,time_zone\nSYS,Test Library System,,${CHICAGO}\n${BRANCH_B},South Branch,SYS,${KOLKATA}\n`,
    as_of: minutesAgo(120),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function get(app: TestApp, url: string, cookie = cookies.sysadmin) {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

async function summaryOf(sessionId: number, query: string): Promise<ExportSummary> {
  const res = await call<ExportSummary>(env.app, 'GET', `/api/sessions/${sessionId}/export-summary?${query}`, cookies.sysadmin);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The wall clock in a zone, as Koha writes and reads it (`YYYY-MM-DD HH:MM:SS`), worked out here with Intl. */
function wallClock(instant: string, zone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A day at a NORTH desk: every kind of transaction, one exception, one voided. */
function aDay() {
  const t = (type: Parameters<typeof tx>[0], fields: Record<string, unknown>, ago: number) => tx(type, { ...fields, occurred_at: minutesAgo(ago) });
  const day = {
    checkout: t('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2, due_at: '2099-01-15' }, 50),
    noncat: t('checkout', { item_barcode: undefined, patron_barcode: PATRONS.adult2, noncat_type: 'paperback', count: 2 }, 49),
    renew: t('renew', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult }, 48),
    renewNoCard: t('renew', { item_barcode: ITEMS.maxRenewed }, 47),
    checkin: t('checkin', { item_barcode: ITEMS.book2 }, 46),
    use: t('in_house_use', { item_barcode: ITEMS.book3, count: 3 }, 45),
    register: t('register', { patron: { barcode: 'P-NEW-1', first_name: 'Nia', last_name: 'New' } }, 44),
    payment: t('payment', { patron_barcode: PATRONS.adult, amount_cents: 250, note: 'cash' }, 43),
    unknown: t('checkout', { item_barcode: 'NO-SUCH-ITEM', patron_barcode: PATRONS.adult2 }, 42),
    voided: t('checkin', { item_barcode: 'ANOTHER-MISSCAN' }, 41),
  };
  return day;
}

async function processedDay() {
  await zones();
  const day = aDay();
  const session = await createSession(env.app, cookies.sysadmin, { branch: BRANCH_A });
  await upload(env.app, cookies.circA, session.id, Object.values(day));
  await processSession(env.app, cookies.sysadmin, session.id);
  const voided = await call(env.app, 'POST', `/api/sessions/${session.id}/transactions/${day.voided.id}/void`, cookies.sysadmin, { reason: 'mis-scan' });
  expect(voided.status).toBe(204);
  return { session, day };
}

/** What a file says of a transaction: everything but who, where and which (the reader supplies those). */
const content = ({ id: _id, seq: _seq, workstation: _w, staff: _s, ...rest }: OfflineTransaction) => rest;

describe('GET /api/sessions/:id/export', () => {
  it('Koha: an attachment of issue, return and payment rows at the branch\'s wall clock; the rest counted in the headers and listed by the summary', async () => {
    const { session, day } = await processedDay();
    const res = await get(env.app, `/api/sessions/${session.id}/export?format=koc`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="session-${session.id}.koc"`);
    const lines = res.body.split('\n');
    expect(lines[0]).toBe('Version=1.0\tGenerator=offline-circulation');
    const row = (t: OfflineTransaction, ...columns: string[]) => `${wallClock(t.occurred_at, CHICAGO)} ${t.occurred_at.slice(20, 23)}\t${columns.join('\t')}`;
    expect(lines.slice(1)).toEqual([
      row(day.checkout, 'issue', PATRONS.adult2, ITEMS.book1),
      row(day.renew, 'issue', PATRONS.adult, ITEMS.onLoan),
      row(day.checkin, 'return', ITEMS.book2),
      row(day.payment, 'payment', PATRONS.adult, '2.50'),
      // The exception is exported too (no outcome filter); the voided transaction never is.
      row(day.unknown, 'issue', PATRONS.adult2, 'NO-SUCH-ITEM'),
      '',
    ]);
    expect(res.body).not.toContain('ANOTHER-MISSCAN');

    const summary = await summaryOf(session.id, 'format=koc');
    expect(res.headers['x-not-carried']).toBe(String(summary.not_carried.length));
    expect(res.headers['x-transactions']).toBe('9');
    expect(res.headers['x-written']).toBe('5');
    expect(res.headers['x-export-summary']).toBe(`/api/sessions/${session.id}/export-summary?format=koc`);
    expect(summary).toMatchObject({ session: session.id, format: 'koc', outcome: 'all', file_name: `session-${session.id}.koc`, time_zone: CHICAGO,
      transactions: 9, written: 5 });
    // In processing order: the registration first.
    expect(summary.not_carried.map((n) => [n.id, n.field ?? null])).toEqual([
      [day.register.id, null], [day.checkout.id, 'due_at'], [day.noncat.id, null], [day.renewNoCard.id, null], [day.use.id, null], [day.payment.id, 'note'],
    ]);
    expect(summary.not_carried.find((n) => n.id === day.register.id)?.reason).toContain('register the patron (card P-NEW-1) in Koha');
    expect(summary.never_carried.map((n) => n.field)).toEqual(['workstation', 'staff']);
  });

  it('says what a file does not carry in the language asked for (the desk\'s), English when it has none', async () => {
    const { session, day } = await processedDay();
    // The pseudo-locale stands for any language: every one of its messages is bracketed ⟦…⟧, its values kept.
    const res = await get(env.app, `/api/sessions/${session.id}/export-summary?format=koc&lang=en-XA`);
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe('en-XA');
    const summary = JSON.parse(res.body) as ExportSummary;
    const register = summary.not_carried.find((n) => n.id === day.register.id)!.reason;
    expect(register).toMatch(/^⟦.*⟧$/);
    expect(register).toContain('P-NEW-1');
    expect(summary.not_carried.every((n) => /^⟦.*⟧$/.test(n.reason))).toBe(true);
    expect(summary.never_carried.every((n) => /^⟦.*⟧$/.test(n.reason))).toBe(true);

    const unknown = await get(env.app, `/api/sessions/${session.id}/export-summary?format=evergreen&lang=tlh`);
    expect(unknown.headers['content-language']).toBe('en');
    expect((JSON.parse(unknown.body) as ExportSummary).never_carried.find((n) => n.field === 'staff')?.reason)
      .toBe('Evergreen records the account that processes the session');
  });

  it('outcome=applied: only what processing applied, the clean session', async () => {
    const { session, day } = await processedDay();
    const res = await get(env.app, `/api/sessions/${session.id}/export?format=jsonl&outcome=applied`);
    const ids = res.body.trim().split('\n').map((l) => (JSON.parse(l) as OfflineTransaction).id);
    expect(ids).not.toContain(day.unknown.id);
    expect(ids).not.toContain(day.voided.id);
    expect(ids).toContain(day.checkout.id);
    expect(res.headers['x-transactions']).toBe(String(ids.length));
    expect((await summaryOf(session.id, 'format=jsonl&outcome=applied')).outcome).toBe('applied');
  });

  it('the summary in the language asked for (lang), the file itself the same in every language', async () => {
    const { session, day } = await processedDay();
    const english = await summaryOf(session.id, 'format=evergreen');
    // The pseudo-locale brackets every translated message, so a reason that skipped msg() shows.
    const pseudo = await summaryOf(session.id, 'format=evergreen&lang=en-XA');
    expect(pseudo.not_carried.map((n) => [n.id, n.field ?? null])).toEqual(english.not_carried.map((n) => [n.id, n.field ?? null]));
    for (const n of [...pseudo.not_carried, ...pseudo.never_carried]) expect(n.reason).toMatch(/^⟦.*⟧$/s);
    // The card number is data: it comes through as it is.
    expect(pseudo.not_carried.find((n) => n.id === day.register.id)?.reason).toContain('P-NEW-1');
    expect(english.not_carried.every((n) => !n.reason.includes('⟦'))).toBe(true);
    const file = await get(env.app, `/api/sessions/${session.id}/export?format=evergreen`);
    expect(file.body).not.toContain('⟦');
    expect((await get(env.app, `/api/sessions/${session.id}/export-summary?format=koc&lang=not a tag`)).status).toBe(400);
  });

  it('refuses an unknown format and another branch\'s session', async () => {
    const { session } = await processedDay();
    expect((await get(env.app, `/api/sessions/${session.id}/export?format=csv`)).status).toBe(400);
    expect((await get(env.app, `/api/sessions/${session.id}/export`)).status).toBe(400);
    expect((await get(env.app, `/api/sessions/${session.id}/export?format=koc`, cookies.circA)).status).toBe(403);
  });
});

describe('round trips through this app\'s own importers', () => {
  /** Loads a file the way the desk's Files page does, then uploads what it read into a new session, twice. */
  async function loadTwice(text: string, name: string, zone: string) {
    const reader = { workstation: DESK_A1, staff: 'circ-north', timeZoneOffsetAt: zoneOffsetAt(zone) };
    const read = await parseTransactionFile(text, name, reader);
    expect(read.errors).toEqual([]);
    const again = await parseTransactionFile(text, name, reader);
    const target = await createSession(env.app, cookies.sysadmin, { name: 'Loaded back', branch: BRANCH_A });
    const first = await upload(env.app, cookies.circA, target.id, read.transactions);
    const second = await upload(env.app, cookies.circA, target.id, again.transactions);
    expect(first.accepted.length).toBe(read.transactions.length);
    expect(second).toMatchObject({ accepted: [], duplicates: first.accepted, rejected: [] });
    return read;
  }

  it('JSON lines: the very same transactions, ids and all; loading them anywhere again adds nothing', async () => {
    const { session, day } = await processedDay();
    const res = await get(env.app, `/api/sessions/${session.id}/export?format=jsonl`);
    const read = await parseTransactionFile(res.body, 'session.jsonl', { workstation: 'X', staff: 'y' });
    expect(read.errors).toEqual([]);
    // In processing order: registrations first, then by time; the voided one left out.
    const notVoided = [day.register, ...Object.values(day).filter((t) => t !== day.voided && t !== day.register)];
    expect(read.transactions).toEqual(notVoided.map((t) => expect.objectContaining(t)));
    const other = await createSession(env.app, cookies.sysadmin, { name: 'Elsewhere', branch: BRANCH_A });
    expect(await upload(env.app, cookies.circA, other.id, read.transactions)).toMatchObject({ accepted: [], duplicates: notVoided.map((t) => t.id) });
  });

  it('Koha: every row comes back as the transaction it carries, at its exact time (a renewal as the issue Koha reads it as)', async () => {
    const { session, day } = await processedDay();
    const res = await get(env.app, `/api/sessions/${session.id}/export?format=koc`);
    const read = await loadTwice(res.body, `session-${session.id}.koc`, CHICAGO);
    expect(read.transactions.map(content)).toEqual([
      { type: 'checkout', occurred_at: day.checkout.occurred_at, patron_barcode: PATRONS.adult2, item_barcode: ITEMS.book1 },
      { type: 'checkout', occurred_at: day.renew.occurred_at, patron_barcode: PATRONS.adult, item_barcode: ITEMS.onLoan },
      { type: 'checkin', occurred_at: day.checkin.occurred_at, item_barcode: ITEMS.book2 },
      { type: 'payment', occurred_at: day.payment.occurred_at, patron_barcode: PATRONS.adult, amount_cents: 250 },
      { type: 'checkout', occurred_at: day.unknown.occurred_at, patron_barcode: PATRONS.adult2, item_barcode: 'NO-SUCH-ITEM' },
    ]);
  });

  it('Evergreen: each line comes back with what it carries; a due date given as a date is the end of that day in each desk\'s own zone', async () => {
    await zones();
    expect((await call(env.app, 'POST', '/api/workstations', cookies.sysadmin, { name: DESK_B1, branch: BRANCH_B })).status).toBe(201);
    // A system-wide session: desks at NORTH (Chicago) and SOUTH (Kolkata).
    const session = await createSession(env.app, cookies.sysadmin, { branch: 'SYS' });
    const north = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2, due_at: '2099-01-15', occurred_at: minutesAgo(30) });
    const south = tx('checkout', { item_barcode: ITEMS.southBook, patron_barcode: PATRONS.juvenile, due_at: '2099-01-15', occurred_at: minutesAgo(29),
      workstation: DESK_B1 });
    const use = tx('in_house_use', { item_barcode: ITEMS.book3, count: 2, occurred_at: minutesAgo(28) });
    await upload(env.app, cookies.circA, session.id, [north, use]);
    await upload(env.app, cookies.sysadmin, session.id, [south], { workstation: DESK_B1 });
    const res = await get(env.app, `/api/sessions/${session.id}/export?format=evergreen`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="session-${session.id}-evergreen.xacts"`);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const seconds = (t: OfflineTransaction) => Math.floor(Date.parse(t.occurred_at) / 1000);
    expect(lines).toEqual([
      { timestamp: seconds(north), type: 'checkout', barcode: ITEMS.book1, patron_barcode: PATRONS.adult2, due_date: '2099-01-16T05:59:59.000Z', checkout_time: north.occurred_at },
      { timestamp: seconds(south), type: 'checkout', barcode: ITEMS.southBook, patron_barcode: PATRONS.juvenile, due_date: '2099-01-15T18:29:59.000Z', checkout_time: south.occurred_at },
      { timestamp: seconds(use), type: 'in_house_use', barcode: ITEMS.book3, count: 2, use_time: use.occurred_at },
    ]);
    expect(res.headers['x-not-carried']).toBe('0');
    const read = await loadTwice(res.body, 'pending.xacts', CHICAGO);
    expect(read.transactions.map(content)).toEqual([
      { type: 'checkout', occurred_at: `${north.occurred_at.slice(0, 19)}.000Z`, item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2, due_at: '2099-01-16T05:59:59.000Z' },
      { type: 'checkout', occurred_at: `${south.occurred_at.slice(0, 19)}.000Z`, item_barcode: ITEMS.southBook, patron_barcode: PATRONS.juvenile, due_at: '2099-01-15T18:29:59.000Z' },
      { type: 'in_house_use', occurred_at: `${use.occurred_at.slice(0, 19)}.000Z`, item_barcode: ITEMS.book3, count: 2 },
    ]);
  });
});

describe('npm run export (CLI)', () => {
  function run(args: string[]) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/export.ts', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('writes the file to standard output (or --out), and what it does not carry to standard error', async () => {
    const { session, day } = await processedDay();
    const api = await get(env.app, `/api/sessions/${session.id}/export?format=koc`);
    const cli = run(['--session', String(session.id), '--format', 'koc', '--data-dir', env.dir]);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(api.body);
    expect(cli.stderr).toContain(`not carried: in_house_use ${day.use.id} (left out): Koha's offline file has no in-house uses`);
    expect(cli.stderr).toContain(`not carried: payment ${day.payment.id} (note): Koha's payment row has no note ("cash")`);
    expect(cli.stderr).toContain('never carried by koc: workstation:');
    expect(cli.stderr).toContain(`as koc, times in ${CHICAGO}: 5 of 9 transactions written; 6 thing(s) not carried (listed above).`);

    const out = join(env.dir, 'clean.jsonl');
    const applied = run(['--session', String(session.id), '--format', 'jsonl', '--outcome', 'applied', '--out', out, '--data-dir', env.dir]);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe((await get(env.app, `/api/sessions/${session.id}/export?format=jsonl&outcome=applied`)).body);
  });

  it('exits 2 on a bad command line and 1 for a session that does not exist', () => {
    expect(run(['--session', '1', '--format', 'csv', '--data-dir', env.dir])).toMatchObject({ status: 2, stderr: expect.stringContaining('give --format koc, evergreen, jsonl') });
    expect(run(['--format', 'koc', '--data-dir', env.dir])).toMatchObject({ status: 2, stderr: expect.stringContaining('give --session') });
    expect(run(['--session', '1', '--format', 'koc', '--outcome', 'exception', '--data-dir', env.dir]).status).toBe(2);
    expect(run(['--session', '999', '--format', 'koc', '--data-dir', env.dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('there is no session 999') });
  });
});
