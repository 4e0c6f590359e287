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
import { plural } from '../../shared/i18n/plural.js';
import { formatCount, formatMoney } from '../../shared/i18n/locale.js';
import { msg, str } from '@lit/localize';

export type Paper = '80mm' | 'a4';

const PRINT_KEY = 'oc-print-receipts';
const PAPER_KEY = 'oc-receipt-paper';

/** The receipt's words, read when it is printed: it is in the desk's language. */
const TEXT = {
  get heading() { return msg('Receipt'); },
  get date() { return msg('Date'); },
  get patron() { return msg('Patron'); },
  get card() { return msg('Card'); },
  /** A receipt's part for each kind of transaction, in the order printed. */
  sections: (): [string, string][] => [
    ['checkout', msg('Checked out')], ['renew', msg('Renewed')], ['checkin', msg('Returned')], ['payment', msg('Paid')],
  ],
  noncat: (count: number, name: string) => msg(str`${formatCount(count)} × ${name}`),
  due: (date: string) => msg(str`Due ${date}`),
  returnedOn: (date: string) => msg(str`Returned ${date}`),
  total: (n: number) => plural(n, { one: msg(str`${formatCount(n)} item`), other: msg(str`${formatCount(n)} items`) }),
  paidInAll: (amount: string) => msg(str`Paid in all: ${amount}`),
  foot: (workstation: string) =>
    msg(str`Recorded offline at ${workstation}. It will be added to your account when the library system is back.`),
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

/*
 * Data on the receipt (names, titles, codes, dates) is marked as data-text.ts marks it on screen:
 * never translated, and in its own direction on an Arabic receipt.
 */
function name(text: string): HTMLElement {
  const node = el('bdi', text);
  node.translate = false;
  return node;
}

function code(text: string): HTMLElement {
  const node = el('span', text, 'data-code');
  node.dir = 'ltr';
  node.translate = false;
  return node;
}

function time(iso: string, text: string): HTMLElement {
  const node = el('time', text);
  node.dateTime = iso;
  return node;
}

function line(label: string, ...value: (Node | string)[]): HTMLElement {
  const p = el('p');
  p.append(el('strong', `${label}: `), ...value);
  return p;
}

/** A title and its barcode, or a count of a non-cataloged type. */
function itemText(tx: OfflineTransaction, title: string, context: ReceiptContext): (Node | string)[] {
  if (tx.noncat_type) return [TEXT.noncat(tx.count ?? 1, context.noncatName(tx.noncat_type))];
  const barcode = code(tx.item_barcode ?? '');
  return title ? [name(title), ' (', barcode, ')'] : [barcode];
}

function render({ visit, context, at }: NonNullable<typeof last>): void {
  document.getElementById('receipt')?.remove();
  const root = el('section');
  root.id = 'receipt';
  root.setAttribute('aria-hidden', 'true');
  const branch = el('h1');
  branch.append(name(context.branchName));
  root.append(branch, el('h2', TEXT.heading), line(TEXT.date, time(at, formatTime(at, context.zone))));
  if (visit.card) root.append(visit.name ? line(TEXT.patron, name(visit.name), ' (', code(visit.card), ')') : line(TEXT.card, code(visit.card)));
  for (const [type, heading] of TEXT.sections()) {
    const lines = visit.lines.filter((l) => l.entry.tx.type === type);
    if (!lines.length) continue;
    root.append(el('h3', heading));
    const list = el('ol');
    for (const { entry: { tx }, title } of lines) {
      const li = el('li');
      if (tx.type === 'payment') {
        li.append(formatMoney(tx.amount_cents ?? 0));
        if (tx.note) li.append(' (', name(tx.note), ')');
      } else {
        li.append(...itemText(tx, title, context));
        if (tx.due_at) li.append(el('br'), TEXT.due(formatDate(tx.due_at, context.zone)));
        if (tx.backdate) li.append(el('br'), TEXT.returnedOn(formatDate(tx.backdate, context.zone)));
      }
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
