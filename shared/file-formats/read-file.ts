/**
 * Reading an offline transaction file of any of the three formats into
 * transactions (SPEC §4, "Import and export"). One bad line never costs the
 * good ones: each is kept or reported on its own.
 *
 * Pure and isomorphic: runs in the page, the service worker and the server.
 */
import { validateTransaction, type OfflineTransaction } from '../transaction.js';
import { derivedTransactionId } from './derived-id.js';
import { detectFormat, type FileFormat } from './detect.js';
import { mapEvergreenLine } from './evergreen.js';
import { readJsonLine } from './jsonl.js';
import { mapKocRow, readKocHeader } from './koha.js';
import { splitLines } from './lines.js';
import type { ZoneOffsetAt } from './zone-offset.js';
import { msg, str } from '../i18n/msg.js';

export interface FileLineError {
  /** 1-based line number in the file as staff would see it in an editor. */
  line: number;
  /** The record's field at fault, when the reason is about one: data, shown as it is beside the worded reason. */
  field?: string;
  reason: string;
}

export interface ParsedFile {
  format: FileFormat;
  transactions: OfflineTransaction[];
  errors: FileLineError[];
}

export interface ImportDevice {
  workstation: string;
  staff: string;
  /**
   * Minutes east of UTC of the clock that wrote the file (UTC+01:00 → 60,
   * UTC−05:00 → −300; the opposite sign of Date#getTimezoneOffset). Koha rows
   * and some Evergreen dates carry no zone; without this they are read as UTC.
   */
  timeZoneOffsetMinutes?: number;
  /**
   * For a zone with daylight-saving time: the offset (minutes east of UTC) in
   * force at a wall-clock time, given as milliseconds as if that wall clock
   * were UTC. Takes precedence over timeZoneOffsetMinutes; the desk passes
   * `localOffsetAt`, its own zone's rules, so a file spanning a clock change
   * is read right on both sides of it.
   */
  timeZoneOffsetAt?: ZoneOffsetAt;
}

/**
 * `fileName` is only a hint for files whose content says nothing; `now` is
 * what "not in the future" is measured against.
 */
export async function parseTransactionFile(
  text: string,
  fileName: string,
  device: ImportDevice,
  now: Date = new Date(),
): Promise<ParsedFile> {
  const offset = device.timeZoneOffsetMinutes ?? 0;
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
    throw new RangeError('timeZoneOffsetMinutes must be whole minutes between -840 and 840');
  }
  const zone: ZoneOffsetAt = device.timeZoneOffsetAt ?? (() => offset);
  const lines = splitLines(text);
  const format = detectFormat(lines, fileName);
  const transactions: OfflineTransaction[] = [];
  const errors: FileLineError[] = [];

  if (format === 'jsonl') {
    for (const line of lines) {
      const result = readJsonLine(line.text, now);
      if (result.ok) transactions.push(result.tx);
      else errors.push(lineError(line.number, result.field, result.reason));
    }
    return { format, transactions, errors };
  }

  let rows = lines;
  if (format === 'koha') {
    const header = lines[0];
    if (header && header.text.startsWith('Version=')) {
      rows = lines.slice(1);
      const version = readKocHeader(header.text).Version;
      // Koha itself warns and carries on; rows still have to fit the 1.0 layout below.
      if (version !== '1.0') errors.push({ line: header.number, reason: msg(str`unknown .koc version '${version}' (only 1.0 is known)`) });
    } else if (header) {
      errors.push({ line: header.number, reason: msg('a .koc file starts with a Version=1.0 header line') });
    }
  }

  for (const line of rows) {
    const mapped = format === 'koha' ? mapKocRow(line.text, zone) : mapEvergreenLine(line.text, zone);
    if (!mapped.ok) { errors.push({ line: line.number, reason: mapped.reason }); continue; }
    const { type, occurred_at, ...rest } = mapped.fields;
    const candidate: Record<string, unknown> = {
      id: await derivedTransactionId(format, line.number, line.text),
      type,
      occurred_at,
      seq: line.number,
      workstation: device.workstation,
      staff: device.staff,
    };
    // Absent, not undefined: the record must look the same after a JSON or IndexedDB round trip.
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) candidate[key] = value;
    const result = validateTransaction(candidate, now);
    if (result.ok) transactions.push(result.tx);
    else errors.push(lineError(line.number, result.field, result.reason));
  }
  return { format, transactions, errors };
}

function lineError(line: number, field: string, reason: string): FileLineError {
  return field ? { line, field, reason } : { line, reason };
}
