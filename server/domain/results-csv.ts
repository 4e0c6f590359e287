import { describeCode } from '../../shared/result-codes.js';
import { detailText, parseParts } from '../../shared/result-details.js';
import type { StoredResult } from '../repo/results-repo.js';
import { inLanguage } from '../i18n/languages.js';

const COLUMNS = ['id', 'seq', 'workstation', 'staff', 'type', 'occurred_at', 'item_barcode', 'patron_barcode', 'outcome', 'code',
  'all_codes', 'explanation', 'detail', 'notices', 'what_to_do', 'processed_at'] as const;

/** RFC 4180 quoting, and a leading apostrophe where a spreadsheet would read a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The results as CSV lines, produced one row at a time so large sessions stream. The column names and
 * codes stay as they are for scripts; the explanation, the detail, the notices and what to do are in
 * `language` (English unless asked). Each row is worded whole in one synchronous call: rows of other
 * downloads, streaming at the same time in other languages, are worded between them.
 */
export function* resultsCsv(rows: Iterable<StoredResult>, language = 'en'): Generator<string> {
  yield `\ufeff${COLUMNS.join(',')}\r\n`;
  for (const r of rows) {
    yield inLanguage(language, () => {
      const info = r.code ? describeCode(r.code) : undefined;
      const notices = r.notice_details.map((d) => detailText(parseParts(d))).join(' | ');
      return [r.id, r.seq, r.workstation, r.staff, r.type, r.occurred_at, r.item_barcode, r.patron_barcode, r.outcome, r.code,
        r.notice_codes.join(' '), info?.title, detailText(parseParts(r.detail)), notices || null, info?.fix, r.processed_at].map(csvCell).join(',') + '\r\n';
    });
  }
}
