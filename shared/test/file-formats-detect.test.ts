import { describe, it, expect } from 'vitest';
import { parseTransactionFile } from '../file-formats/index.js';

const device = { workstation: 'IMPORT-DESK', staff: 'kim' };
const now = new Date('2026-11-29T12:00:00Z');

const ourLine = JSON.stringify({ id: '0b7f6c1e-3c1a-4d2b-9f7e-1a2b3c4d5e6f', type: 'checkin', occurred_at: '2026-11-28T10:00:00.000Z',
  seq: 1, workstation: 'CENTRAL-DESK-1', staff: 'kim', item_barcode: 'I02901' });
const koc = [
  'Version=1.0\tGenerator=kocPHP\tGeneratorVersion=0.7',
  '2026-11-28 10:02:11 547\tissue\tP0251\tI02901',
  '2026-11-28 10:02:13 368\treturn\tI02955',
  '2026-11-28 10:02:15\treturn\tI02956',
].join('\n') + '\n';

describe('format detection', () => {
  it('tells the format from the content, not the name', async () => {
    const parsed = await parseTransactionFile(`${ourLine}\n`, 'pending.xacts', device, now);
    expect(parsed.format).toBe('jsonl');
    expect(parsed.transactions).toHaveLength(1);
  });

  it('detects the format from the header even under another name', async () => {
    const parsed = await parseTransactionFile(koc, 'export.jsonl', device, now);
    expect(parsed.format).toBe('koha');
    expect(parsed.transactions).toHaveLength(3);
  });

  it('lets the file name break the tie when no line says what it is', async () => {
    expect((await parseTransactionFile('not a record\n', 'desk.KOC', device, now)).format).toBe('koha');
    expect((await parseTransactionFile('not a record\n', 'pending.xacts', device, now)).format).toBe('evergreen');
    expect((await parseTransactionFile('not a record\n', 'export.txt', device, now)).format).toBe('jsonl');
  });
});
