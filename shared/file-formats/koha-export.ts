/**
 * Writing Koha's offline circulation file (`.koc`, version 1.0) for its
 * "Upload offline circulation file" tool, which queues each row and later
 * applies it in time order.
 *
 * What Koha's reader takes (offline_circ/enqueue_koc.pl and process_koc.pl):
 * a first line of tab-separated key=value pairs whose Version must be 1.0,
 * then rows split on tabs into a timestamp, a command and its arguments —
 * `issue` cardnumber barcode, `return` barcode, `payment` cardnumber amount.
 * The timestamp is split on white space into date, time and an id that
 * Koha ignores; `date time` becomes the operation's time in Koha's own local
 * time. Any other command has no argument list there and breaks the upload,
 * so nothing but those three rows is ever written.
 *
 * Koha applies an `issue` row for an item already on loan to that card as a
 * renewal (AddIssue → AddRenewal), so a renewal scanned with the patron's
 * card becomes an issue row; Koha gives every issue and renewal the due date
 * its own rules compute, and returns an item as of the row's time.
 */
import type { OfflineTransaction } from '../transaction.js';
import { msg, str } from '../i18n/msg.js';
import type { ExportedFile, FieldNeverCarried, NotCarried } from './exported-file.js';
import { formatKocAmount } from './koc-amount.js';
import { checkTimeZone, wallClockIn } from './zone-offset.js';

export interface KocOptions {
  /** The branch's IANA zone: Koha reads each row's zone-less time as its local time, which is the branch's. */
  timeZone: string;
}

const HEADER = 'Version=1.0\tGenerator=offline-circulation';

/** The reasons are read when shown, in the language of the moment (the server's summary writes the one asked for). */
export const KOC_NEVER_CARRIES: readonly FieldNeverCarried[] = [
  { field: 'workstation', get reason() { return msg('Koha queues every row under the branch of the librarian who uploads the file'); } },
  { field: 'staff', get reason() { return msg('Koha records the librarian who uploads the file'); } },
];

export function toKocFile(txs: readonly OfflineTransaction[], options: KocOptions): ExportedFile {
  const { timeZone } = options;
  checkTimeZone(timeZone);
  const rows = [HEADER];
  const notCarried: NotCarried[] = [];

  for (const tx of txs) {
    const leftOut = (reason: string) => notCarried.push({ id: tx.id, type: tx.type, reason });
    const without = (field: string, reason: string) => notCarried.push({ id: tx.id, type: tx.type, field, reason });
    let written = false;
    const write = (action: 'issue' | 'return' | 'payment', ...columns: string[]): boolean => {
      const row = kocRow(kocTimestamp(tx.occurred_at, timeZone), action, columns);
      if (row === undefined) leftOut(msg('a barcode is missing, or has a tab or line break, which a tab-separated row cannot hold'));
      else rows.push(row);
      written = row !== undefined;
      return written;
    };

    switch (tx.type) {
      case 'checkout':
        if (tx.noncat_type !== undefined) {
          leftOut(msg("Koha's offline file has no non-cataloged checkouts: record it in Koha by hand"));
        } else if (write('issue', tx.patron_barcode ?? '', tx.item_barcode ?? '') && tx.due_at) {
          without('due_at', dueReason(tx.due_at, timeZone));
        }
        break;
      case 'renew':
        if (!tx.patron_barcode) {
          leftOut(msg("Koha renews through an issue row, which needs the patron's card, and this renewal was scanned without one: renew it in Koha by hand"));
        } else if (write('issue', tx.patron_barcode, tx.item_barcode ?? '') && tx.due_at) {
          without('due_at', dueReason(tx.due_at, timeZone));
        }
        break;
      case 'checkin':
        if (write('return', tx.item_barcode ?? '') && tx.backdate) {
          without('backdate', msg(str`Koha returns the item as of the scan; it came back on ${onBranchClock(tx.backdate, timeZone)}: check the patron's fines by hand`));
        }
        break;
      case 'in_house_use':
        leftOut(msg("Koha's offline file has no in-house uses: record them in Koha by hand if your statistics need them"));
        break;
      case 'register':
        leftOut(msg(str`Koha's offline file has no registrations: register the patron (card ${tx.patron?.barcode ?? '?'}) in Koha before uploading, or the rows for that card fail with "Borrower not found"`));
        break;
      case 'payment':
        if (write('payment', tx.patron_barcode ?? '', kocPaymentAmount(tx.amount_cents ?? 0)) && tx.note) without('note', msg(str`Koha's payment row has no note ("${tx.note}")`));
        break;
      default: {
        // Adding a type to TransactionType stops the build here until it has a row or a reason.
        const unknownType: never = tx.type;
        leftOut(msg(str`this app's Koha writer does not know the type '${unknownType}'`));
      }
    }
    if (written && tx.acknowledged?.length) {
      without('acknowledged', msg(str`Koha has no place for the warnings staff allowed (${tx.acknowledged.join(', ')}); its offline processing does not check them`));
    }
  }
  return { text: `${rows.join('\n')}\n`, notCarried, neverCarried: KOC_NEVER_CARRIES };
}

/** A payment row's amount column: whole cents as Koha's currency units, `5.00`. */
export function kocPaymentAmount(amountCents: number): string {
  const amount = formatKocAmount(amountCents);
  if (amount === undefined) throw new RangeError('a payment is a whole number of cents above zero');
  return amount;
}

/**
 * `YYYY-MM-DD HH:MM:SS mmm` on the branch's wall clock, the layout Koha's
 * offline tools write. The third part is the id column Koha ignores; it
 * holds the milliseconds so that our own reader gets the instant back whole.
 */
function kocTimestamp(instant: string, timeZone: string): string {
  const wall = wallClockIn(instant, timeZone);
  return `${wall.slice(0, 10)} ${wall.slice(11, 19)} ${wall.slice(20, 23)}`;
}

function kocRow(timestamp: string, action: string, columns: string[]): string | undefined {
  if (columns.some((c) => c === '' || /[\t\r\n]/.test(c))) return undefined;
  return [timestamp, action, ...columns].join('\t');
}

function dueReason(due: string, timeZone: string): string {
  return msg(str`Koha gives the due date its own rules compute; the patron was told ${onBranchClock(due, timeZone)}`);
}

/** A date as it is, an instant as the branch's date and time, the way staff read them. */
function onBranchClock(dateOrInstant: string, timeZone: string): string {
  return dateOrInstant.length === 10 ? dateOrInstant : wallClockIn(dateOrInstant, timeZone).slice(0, 16).replace('T', ' ');
}
