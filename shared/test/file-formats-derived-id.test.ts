import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { derivedTransactionId, parseTransactionFile } from '../file-formats/index.js';
import { validateTransaction } from '../transaction.js';

const device = { workstation: 'IMPORT-DESK', staff: 'kim' };
const now = new Date('2026-11-29T12:00:00Z');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// e2e/fixtures holds the sample files the end-to-end tests load through the Files page.
function e2eFixture(name: string): string {
  return readFileSync(new URL(`../../e2e/fixtures/${name}`, import.meta.url), 'utf8');
}

describe('derived ids', () => {
  const xacts = [
    '{"timestamp":1795857900,"type":"checkin","barcode":"I02905"}',
    '{"timestamp":1795857900,"type":"checkin","barcode":"I02905"}',
  ].join('\n');

  it('are the same when the same file is loaded twice, or under another name', async () => {
    const a = await parseTransactionFile(xacts, 'pending.xacts', device, now);
    const b = await parseTransactionFile(xacts, 'renamed copy.txt', { workstation: 'OTHER', staff: 'lee' }, now);
    expect(a.transactions.map((t) => t.id)).toEqual(b.transactions.map((t) => t.id));
  });

  it('differ for the same content at another line number', async () => {
    const parsed = await parseTransactionFile(xacts, 'pending.xacts', device, now);
    const [first, second] = parsed.transactions;
    expect(first!.id).not.toBe(second!.id);
  });

  it('differ between formats and are UUID v4 shaped', async () => {
    const a = await derivedTransactionId('koha', 2, 'same text');
    const b = await derivedTransactionId('evergreen', 2, 'same text');
    expect(a).not.toBe(b);
    expect(a).toMatch(UUID_V4);
    expect(b).toMatch(UUID_V4);
    expect(await derivedTransactionId('koha', 2, 'same text')).toBe(a);
  });

  it('keep the ids of earlier lines when a file grows', async () => {
    const before = await parseTransactionFile(e2eFixture('sample.koc'), 'sample.koc', device, now);
    const grown = (e2eFixture('sample.koc')) + '2026-11-28 11:20:00 000\treturn\tI02917\n';
    const after = await parseTransactionFile(grown, 'sample.koc', device, now);
    expect(after.transactions.slice(0, before.transactions.length)).toEqual(before.transactions);
    expect(after.transactions).toHaveLength(before.transactions.length + 1);
  });
});

describe('fixture files', () => {
  it.each([
    ['sample.koc', 'koha', 4],
    ['pending.xacts', 'evergreen', 5],
  ] as const)('%s parses without errors', async (name, format, count) => {
    const parsed = await parseTransactionFile(e2eFixture(name), name, device);
    expect(parsed.errors).toEqual([]);
    expect(parsed.format).toBe(format);
    expect(parsed.transactions).toHaveLength(count);
    for (const tx of parsed.transactions) {
      expect(validateTransaction(tx)).toMatchObject({ ok: true });
      for (const code of [tx.item_barcode, tx.patron_barcode].filter(Boolean)) {
        expect(code).toMatch(/^(I029[0-8]\d|I02990|P02[5-8]\d|P0290)$/);
      }
    }
  });
});
