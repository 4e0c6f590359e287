import type { TransactionResult } from '../../shared/api.js';
import { describeCode } from '../../shared/result-codes.js';

const COLUMNS = ['id', 'seq', 'workstation', 'staff', 'type', 'occurred_at', 'item_barcode', 'patron_barcode', 'outcome', 'code',
  'all_codes', 'explanation', 'detail', 'notices', 'what_to_do', 'processed_at'] as const;

/** RFC 4180 quoting, and a leading apostrophe where a spreadsheet would read a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The results as CSV lines, produced one row at a time so large sessions stream. */
export function* resultsCsv(rows: Iterable<TransactionResult & { notice_details: string | null }>): Generator<string> {
  yield `\ufeff${COLUMNS.join(',')}\r\n`;
  for (const r of rows) {
    const info = r.code ? describeCode(r.code) : undefined;
    yield [r.id, r.seq, r.workstation, r.staff, r.type, r.occurred_at, r.item_barcode, r.patron_barcode, r.outcome, r.code,
      r.notice_codes.join(' '), info?.title, r.detail, r.notice_details, info?.fix, r.processed_at].map(csvCell).join(',') + '\r\n';
  }
}
