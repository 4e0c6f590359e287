/**
 * Writing Evergreen's offline transactions: one JSON object a line, the file
 * its offline interface uploads for a workstation into a session.
 *
 * What Evergreen's reader takes (Open-ILS/src/offline/offline.pl): `type`
 * and `timestamp` (epoch seconds) on every line; for checkout and renew
 * `barcode`, `patron_barcode`, `due_date` and `checkout_time`, and for a
 * non-cataloged checkout `noncat`, `noncat_type` (its type's id) and
 * `noncat_count` instead of a barcode; `barcode` and `backdate` for checkin;
 * `barcode`, `count` and `use_time` for in_house_use; `user` for register.
 * Times are ISO 8601 as Evergreen's web client writes them (UTC, `Z`).
 *
 * Evergreen sets a checkout's start to `checkout_time` and its due date to
 * `due_date` when given — the processing account needs
 * CIRC_OVERRIDE_DUE_DATE, which its own web client's offline checkouts need
 * too — and takes only the date of a backdate, with the loan's due time of
 * day. Its offline processing overrides checkout and renewal blocks itself.
 */
import type { OfflineTransaction } from '../transaction.js';
import { msg, str } from '../i18n/msg.js';
import { formatMoney } from '../i18n/locale.js';
import type { ExportedFile, FieldNeverCarried, NotCarried } from './exported-file.js';
import { checkTimeZone, wallClockIn, wallClockToIso, zoneOffsetAt, type ZoneOffsetAt } from './zone-offset.js';

export interface EvergreenOptions {
  /**
   * The branch's IANA zone. A loan due on a date falls due at 23:59:59 local
   * on that date (SPEC §3), an instant Evergreen must be given; a backdate
   * given as an instant is the branch's date of that instant.
   */
  timeZone: string;
  /**
   * Evergreen's id (config.non_cataloged_type) for each of our non-cataloged
   * type codes. A code that is itself a whole number is taken as that id, as
   * codes read from an Evergreen file are.
   */
  noncatTypeIds?: Readonly<Record<string, number>>;
}

/** The reasons are read when shown, in the language of the moment (the server's summary writes the one asked for). */
export const EVERGREEN_NEVER_CARRIES: readonly FieldNeverCarried[] = [
  {
    field: 'workstation',
    get reason() { return msg('Evergreen files every line under the workstation named when the file is uploaded: write one file per workstation to keep them apart'); },
  },
  { field: 'staff', get reason() { return msg('Evergreen records the account that processes the session'); } },
];

type Line = Record<string, string | number>;

export function toEvergreenFile(txs: readonly OfflineTransaction[], options: EvergreenOptions): ExportedFile {
  const { timeZone } = options;
  checkTimeZone(timeZone);
  const branchZone = zoneOffsetAt(timeZone);
  const lines: string[] = [];
  const notCarried: NotCarried[] = [];

  for (const tx of txs) {
    const leftOut = (reason: string) => notCarried.push({ id: tx.id, type: tx.type, reason });
    const without = (field: string, reason: string) => notCarried.push({ id: tx.id, type: tx.type, field, reason });
    // Evergreen's timestamp is whole seconds; the exact time also goes where a row has one (checkout_time, use_time).
    const head: Line = { timestamp: Math.floor(Date.parse(tx.occurred_at) / 1000), type: tx.type };
    let line: Line | undefined;

    switch (tx.type) {
      case 'checkout':
        if (tx.noncat_type !== undefined) {
          const typeId = noncatTypeId(tx.noncat_type, options.noncatTypeIds);
          if (typeId === undefined) {
            leftOut(msg(str`Evergreen needs its own id for the non-cataloged type '${tx.noncat_type}' (noncatTypeIds): record it in Evergreen by hand`));
            break;
          }
          line = { ...head, patron_barcode: tx.patron_barcode ?? '', noncat: 1, noncat_type: typeId };
          if (tx.count !== undefined) line.noncat_count = tx.count;
          line.checkout_time = tx.occurred_at;
          if (tx.due_at) without('due_at', msg('Evergreen gives a non-cataloged checkout the loan period of its type'));
        } else {
          line = circLine(head, tx, branchZone);
        }
        break;
      case 'renew':
        line = circLine(head, tx, branchZone);
        break;
      case 'checkin':
        line = { ...head, barcode: tx.item_barcode ?? '' };
        if (tx.backdate) {
          const wall = tx.backdate.length === 10 ? `${tx.backdate}T00:00` : wallClockIn(tx.backdate, timeZone);
          const [date, time] = [wall.slice(0, 10), wall.slice(11, 16)];
          line.backdate = date;
          if (time !== '00:00') without('backdate', msg(str`Evergreen keeps only the date of a backdate (${date}), not the time ${time}`));
        }
        break;
      case 'in_house_use':
        line = { ...head, barcode: tx.item_barcode ?? '' };
        if (tx.count !== undefined) line.count = tx.count;
        line.use_time = tx.occurred_at;
        break;
      case 'register':
        // offline.pl builds the patron from `user` and needs Evergreen's own profile, home library and ID type ids
        // and an address, none of which this app records: such a line would fail there.
        leftOut(msg(str`Evergreen's offline registration needs its own profile, home library and ID type and an address: register the patron (card ${tx.patron?.barcode ?? '?'}) in Evergreen before processing the session`));
        break;
      case 'payment':
        leftOut(msg(str`Evergreen's offline file has no payments: take ${formatMoney(tx.amount_cents ?? 0)} from card ${tx.patron_barcode ?? '?'} in Evergreen by hand`));
        break;
      default: {
        // Adding a type to TransactionType stops the build here until it has a line or a reason.
        const unknownType: never = tx.type;
        leftOut(msg(str`this app's Evergreen writer does not know the type '${unknownType}'`));
      }
    }
    if (!line) continue;
    lines.push(`${JSON.stringify(line)}\n`);
    if (tx.acknowledged?.length) {
      without('acknowledged', msg(str`Evergreen's offline file has no place for the warnings staff allowed (${tx.acknowledged.join(', ')}); its offline processing overrides checkout and renewal blocks itself`));
    }
  }
  return { text: lines.join(''), notCarried, neverCarried: EVERGREEN_NEVER_CARRIES };
}

function circLine(head: Line, tx: OfflineTransaction, branchZone: ZoneOffsetAt): Line {
  const line: Line = { ...head, barcode: tx.item_barcode ?? '' };
  if (tx.patron_barcode) line.patron_barcode = tx.patron_barcode;
  if (tx.due_at) line.due_date = evergreenDueDate(tx.due_at, branchZone);
  line.checkout_time = tx.occurred_at;
  return line;
}

/**
 * Evergreen reads a zone-less or date-only due date as midnight at the start
 * of that day, a day early; a date is given as its last second at the branch.
 */
function evergreenDueDate(due: string, branchZone: ZoneOffsetAt): string {
  if (due.length !== 10) return due;
  const [y, m, d] = due.split('-').map(Number);
  return wallClockToIso([y, m, d, 23, 59, 59], 0, branchZone) ?? due;
}

function noncatTypeId(code: string, ids: EvergreenOptions['noncatTypeIds']): number | undefined {
  const id = ids && Object.hasOwn(ids, code) ? ids[code] : /^\d{1,9}$/.test(code) ? Number(code) : undefined;
  return id !== undefined && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
