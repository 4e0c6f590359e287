/**
 * Offline receipts, printed with the browser's own print dialog: one receipt
 * for a patron's whole visit (every loan, renewal and return, with titles and
 * due dates, and every payment), dates in the branch's zone, sized for an
 * 80 mm receipt printer or A4 as the desk chooses.
 * A print stylesheet shows only the receipt. The last one can be reprinted.
 */
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { Visit } from '../services/desk-visit.js';
import { formatDate, formatTime } from '../format.js';
import { formatMoney } from '../../shared/i18n/locale.js';
import { plural } from '../../shared/i18n/plural.js';

export type Paper = '80mm' | 'a4';

const PRINT_KEY = 'oc-print-receipts';
const PAPER_KEY = 'oc-receipt-paper';

const TEXT = {
  heading: 'Receipt',
  date: 'Date',
  patron: 'Patron',
  card: 'Card',
  sections: { checkout: 'Checked out', renew: 'Renewed', checkin: 'Returned', payment: 'Paid' } as Record<string, string>,
  item: (title: string, barcode: string) => title ? `${title} (${barcode})` : barcode,
  noncat: (count: number, name: string) => `${count} × ${name}`,
  due: (date: string) => `Due ${date}`,
  returnedOn: (date: string) => `Returned ${date}`,
  total: (n: number) => plural(n, { one: '1 item', other: `${n} items` }),
  payment: (amount: string, note: string) => note ? `${amount} (${note})` : amount,
  paidInAll: (amount: string) => `Paid in all: ${amount}`,
  foot: (workstation: string) => `Recorded offline at ${workstation}. It will be added to your account when the library system is back.`,
};

/** Read once: the desk asks at every visit's end, and the answer changes only here. */
let printing: boolean | undefined;

export const receiptSettings = {
  get enabled(): boolean { return printing ??= localStorage.getItem(PRINT_KEY) === 'yes'; },
  set enabled(on: boolean) { printing = on; localStorage.setItem(PRINT_KEY, on ? 'yes' : 'no'); },
  get paper(): Paper { return localStorage.getItem(PAPER_KEY) === 'a4' ? 'a4' : '80mm'; },
  set paper(p: Paper) { localStorage.setItem(PAPER_KEY, p); },
};

export interface ReceiptContext {
  branchName: string;
  /** A non-cataloged type's name for its code. */
  noncatName: (code: string) => string;
  /** The branch's time zone: the receipt's date and times are the branch's. */
  zone: string;
}

let last: { visit: Visit; context: ReceiptContext; at: string } | null = null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function line(label: string, value: string): HTMLElement {
  const p = el('p');
  p.append(el('strong', `${label}: `), value);
  return p;
}

function itemText(tx: OfflineTransaction, title: string, context: ReceiptContext): string {
  if (tx.noncat_type) return TEXT.noncat(tx.count ?? 1, context.noncatName(tx.noncat_type));
  return TEXT.item(title, tx.item_barcode ?? '');
}

function render({ visit, context, at }: NonNullable<typeof last>): void {
  document.getElementById('receipt')?.remove();
  const root = el('section');
  root.id = 'receipt';
  root.setAttribute('aria-hidden', 'true');
  root.append(el('h1', context.branchName), el('h2', TEXT.heading), line(TEXT.date, formatTime(at, context.zone)));
  if (visit.card) root.append(visit.name ? line(TEXT.patron, `${visit.name} (${visit.card})`) : line(TEXT.card, visit.card));
  for (const type of ['checkout', 'renew', 'checkin', 'payment']) {
    const lines = visit.lines.filter((l) => l.entry.tx.type === type);
    if (!lines.length) continue;
    root.append(el('h3', TEXT.sections[type]));
    const list = el('ol');
    for (const { entry: { tx }, title } of lines) {
      if (tx.type === 'payment') {
        list.append(el('li', TEXT.payment(formatMoney(tx.amount_cents ?? 0), tx.note ?? '')));
        continue;
      }
      const li = el('li', itemText(tx, title, context));
      if (tx.due_at) li.append(el('br'), TEXT.due(formatDate(tx.due_at, context.zone)));
      if (tx.backdate) li.append(el('br'), TEXT.returnedOn(formatDate(tx.backdate, context.zone)));
      list.append(li);
    }
    root.append(list);
  }
  const items = visit.lines.filter((l) => l.entry.tx.type !== 'payment').length;
  if (items) root.append(el('p', TEXT.total(items)));
  const paid = visit.lines.reduce((sum, l) => sum + (l.entry.tx.type === 'payment' ? l.entry.tx.amount_cents ?? 0 : 0), 0);
  if (paid) root.append(el('p', TEXT.paidInAll(formatMoney(paid))));
  const workstation = visit.lines[0]?.entry.tx.workstation ?? '';
  root.append(el('p', TEXT.foot(workstation), 'small'));
  document.body.append(root);
  document.body.dataset.paper = receiptSettings.paper;
}

/** Prints one receipt for the visit (nothing when nothing was recorded). */
export function printVisitReceipt(visit: Visit, context: ReceiptContext): void {
  if (!visit.lines.length) return;
  last = { visit, context, at: new Date().toISOString() };
  render(last);
  window.print();
}

export function hasLastReceipt(): boolean {
  return last !== null;
}

export function reprintLast(): void {
  if (!last) return;
  render(last);
  window.print();
}
