/**
 * A session's results as CSV, for a spreadsheet or a library's own scripts.
 * Times are written as the branch where each transaction happened reads them:
 * its local time with the UTC offset in force then (2026-12-22T23:59:59-08:00),
 * to the second — still exact instants, and the day staff there lived. The
 * zone's name is a column, and a loan's due date its local date, so no one
 * has to work either out. The first columns are those of earlier exports, in
 * the same order; the new ones come last.
 */
import { offsetMinutesAt } from '../../shared/library-time.js';
import { describeCode } from '../../shared/result-codes.js';
import { detailText, parseParts } from '../../shared/result-details.js';
import type { StoredResult } from '../repo/results-repo.js';
import { inLanguage } from '../i18n/languages.js';

const COLUMNS = ['id', 'seq', 'workstation', 'staff', 'type', 'occurred_at', 'item_barcode', 'patron_barcode', 'outcome', 'code',
  'all_codes', 'explanation', 'detail', 'notices', 'what_to_do', 'processed_at',
  'branch', 'time_zone', 'due_date', 'due_at', 'amount_cents', 'note'] as const;

/** RFC 4180 quoting, and a leading apostrophe where a spreadsheet would read a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * An instant as the zone's wall clock with its offset, ISO 8601 to the second: "2026-12-23T07:59:59.000Z" in
 * America/Los_Angeles is "2026-12-22T23:59:59-08:00". Offsets in use are whole minutes; a historic one with
 * seconds is rounded to the minute, the wall time with it, so the text still names one instant to the minute.
 */
export function localTimeWithOffset(instant: string | null, zone: string): string | null {
  if (!instant) return null;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const offset = Math.round(offsetMinutesAt(zone, ms));
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
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
    const local = (instant: string | null) => localTimeWithOffset(instant, r.time_zone);
    yield inLanguage(language, () => {
      const info = r.code ? describeCode(r.code) : undefined;
      const notices = r.notice_details.map((d) => detailText(parseParts(d))).join(' | ');
      return [r.id, r.seq, r.workstation, r.staff, r.type, local(r.occurred_at), r.item_barcode, r.patron_barcode, r.outcome, r.code,
        r.notice_codes.join(' '), info?.title, detailText(parseParts(r.detail)), notices || null, info?.fix, local(r.processed_at),
        r.branch, r.time_zone, r.due_date, local(r.due_at), r.amount_cents, r.note].map(csvCell).join(',') + '\r\n';
    });
  }
}
