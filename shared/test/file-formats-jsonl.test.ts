import { describe, it, expect } from 'vitest';
import { exportJsonLines, parseTransactionFile } from '../file-formats/index.js';
import type { OfflineTransaction } from '../transaction.js';

const device = { workstation: 'IMPORT-DESK', staff: 'kim' };
const now = new Date('2026-11-29T12:00:00Z');

const ours: OfflineTransaction[] = [
  { id: '0b7f6c1e-3c1a-4d2b-9f7e-1a2b3c4d5e6f', type: 'checkout', occurred_at: '2026-11-28T10:00:00.000Z', seq: 1,
    workstation: 'CENTRAL-DESK-1', staff: 'kim', item_barcode: 'I02901', patron_barcode: 'P0250', due_at: '2026-12-19' },
  { id: '1c8e7d2f-4d2b-4e3c-8a8f-2b3c4d5e6f70', type: 'checkout', occurred_at: '2026-11-28T10:01:00.000Z', seq: 2,
    workstation: 'CENTRAL-DESK-1', staff: 'kim', patron_barcode: 'P0250', noncat_type: 'paperback', count: 3,
    acknowledged: ['PATRON_EXPIRED'] },
  { id: '2d9f8e3a-5e3c-4f4d-9b9a-3c4d5e6f7081', type: 'checkin', occurred_at: '2026-11-28T10:02:00.000Z', seq: 3,
    workstation: 'CENTRAL-DESK-1', staff: 'kim', item_barcode: 'I02902', backdate: '2026-11-27' },
  { id: '3e0a9f4b-6f4d-4a5e-ac0b-4d5e6f708192', type: 'register', occurred_at: '2026-11-28T10:03:00.000Z', seq: 4,
    workstation: 'CENTRAL-DESK-1', staff: 'kim',
    patron: { barcode: 'PNEW-2901', first_name: 'Ada', last_name: 'Birch', email: 'ada@example.org' } },
];

describe('our JSON lines', () => {
  it('exports one record a line with a trailing newline', () => {
    const text = exportJsonLines(ours);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(ours.length + 1);
    expect(JSON.parse(text.split('\n')[0]!)).toEqual(ours[0]);
    expect(exportJsonLines([])).toBe('');
  });

  it('round-trips: export then parse gives the same transactions, ids untouched', async () => {
    const parsed = await parseTransactionFile(exportJsonLines(ours), 'export.jsonl', device, now);
    expect(parsed).toEqual({ format: 'jsonl', transactions: ours, errors: [] });
  });

  it('reports bad lines by line number and keeps the good ones', async () => {
    const lines = exportJsonLines(ours.slice(0, 2)).split('\n');
    const text = [
      lines[0],
      '{not json',
      '',
      JSON.stringify({ ...ours[2], id: 'not-a-uuid' }),
      JSON.stringify({ ...ours[2], colour: 'red' }),
      '[1,2]',
      lines[1],
    ].join('\n');
    const parsed = await parseTransactionFile(text, 'x.jsonl', device, now);
    expect(parsed.format).toBe('jsonl');
    expect(parsed.transactions).toEqual([ours[0], ours[1]]);
    expect(parsed.errors).toEqual([
      { line: 2, reason: 'is not valid JSON' },
      { line: 4, field: 'id', reason: 'must be a UUID v4' },
      { line: 5, field: 'colour', reason: 'is not a field of a checkin transaction' },
      { line: 6, reason: 'must be a JSON object' },
    ]);
  });

  it('ignores a UTF-8 BOM, CRLF line ends and blank lines', async () => {
    const text = '\uFEFF' + exportJsonLines(ours).replace(/\n/g, '\r\n\r\n');
    const parsed = await parseTransactionFile(text, 'x.jsonl', device, now);
    expect(parsed.transactions).toEqual(ours);
    expect(parsed.errors).toEqual([]);
  });

});
