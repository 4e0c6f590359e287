/**
 * Reading Koha's offline circulation files (`.koc`, format version 1.0): a
 * `Version=` header line of tab-separated key=value pairs, then tab-separated
 * rows `YYYY-MM-DD HH:MM:SS[ mmm]`, action, arguments.
 */
import { parseKocAmount } from './koc-amount.js';
import type { MappedRecord } from './mapped-record.js';
import { wallClockToIso, type ZoneOffsetAt } from './zone-offset.js';
import { msg, str } from '../i18n/msg.js';

export function readKocHeader(line: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const pair of line.split('\t')) {
    const at = pair.indexOf('=');
    if (at > 0) info[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return info;
}

export function mapKocRow(text: string, zone: ZoneOffsetAt): MappedRecord {
  const [stamp = '', action = '', ...args] = text.split('\t').map((f) => f.trim());
  const occurred_at = kocTime(stamp, zone);
  if (!occurred_at) return { ok: false, reason: msg(str`timestamp '${stamp}' is not YYYY-MM-DD HH:MM:SS with optional milliseconds`) };
  switch (action) {
    case 'issue': {
      const [cardnumber, barcode] = args;
      if (!cardnumber || !barcode) return { ok: false, reason: msg('issue needs a card number and an item barcode') };
      return { ok: true, fields: { type: 'checkout', occurred_at, patron_barcode: cardnumber, item_barcode: barcode } };
    }
    case 'return': {
      const [barcode] = args;
      if (!barcode) return { ok: false, reason: msg('return needs an item barcode') };
      return { ok: true, fields: { type: 'checkin', occurred_at, item_barcode: barcode } };
    }
    case 'payment': {
      const payment = kocPayment(args);
      return payment.ok ? { ok: true, fields: { type: 'payment', occurred_at, ...payment.fields } } : payment;
    }
    default:
      return { ok: false, reason: action ? msg(str`unknown action '${action}'`) : msg('missing action') };
  }
}

/**
 * A payment row's columns (card number, amount in currency units) as the
 * fields of SPEC §4's `payment` transaction. Koha's pay() takes the amount
 * as given, so one we cannot hold in whole cents is refused, not rounded.
 */
export function kocPayment([cardnumber, amount]: string[]):
  { ok: true; fields: { patron_barcode: string; amount_cents: number } } | { ok: false; reason: string } {
  if (!cardnumber || !amount) return { ok: false, reason: msg('payment needs a card number and an amount') };
  const amount_cents = parseKocAmount(amount);
  if (amount_cents === undefined) return { ok: false, reason: msg(str`amount '${amount}' is not an amount above zero like 5.00`) };
  return { ok: true, fields: { patron_barcode: cardnumber, amount_cents } };
}

/**
 * `YYYY-MM-DD HH:MM:SS mmm` (the millisecond column is left out by some
 * generators). The file has no zone, so the given zone's rules apply.
 */
function kocTime(stamp: string, zone: ZoneOffsetAt): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\s+(\d{1,3}))?$/.exec(stamp);
  if (!m) return undefined;
  return wallClockToIso(m.slice(1, 7).map(Number), m[7] ? Number(m[7]) : 0, zone);
}
