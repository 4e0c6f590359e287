/**
 * Offline receipts, printed with the browser's own print dialog: a print
 * stylesheet shows only the receipt, sized for an 80 mm receipt printer or
 * A4 as the desk chooses. The last receipt is kept so it can be reprinted.
 */
import type { OutboxEntry } from '../../shared/outbox-messages.js';
import { formatDate, formatTime } from '../format.js';

export type Paper = '80mm' | 'a4';

const PRINT_KEY = 'oc-print-receipts';
const PAPER_KEY = 'oc-receipt-paper';

/** Read once: each scan asks whether to print, and the answer changes only here. */
let printing: boolean | undefined;

export const receiptSettings = {
  get enabled(): boolean { return printing ??= localStorage.getItem(PRINT_KEY) === 'yes'; },
  set enabled(on: boolean) { printing = on; localStorage.setItem(PRINT_KEY, on ? 'yes' : 'no'); },
  get paper(): Paper { return localStorage.getItem(PAPER_KEY) === 'a4' ? 'a4' : '80mm'; },
  set paper(p: Paper) { localStorage.setItem(PAPER_KEY, p); },
};

let last: { entry: OutboxEntry; branchName: string; dueNote: string } | null = null;

function line(label: string, value: string): HTMLElement {
  const p = document.createElement('p');
  const b = document.createElement('strong');
  b.textContent = `${label}: `;
  p.append(b, value);
  return p;
}

function render(entry: OutboxEntry, branchName: string, dueNote: string): void {
  document.getElementById('receipt')?.remove();
  const tx = entry.tx;
  const root = document.createElement('section');
  root.id = 'receipt';
  root.setAttribute('aria-hidden', 'true');
  const title = document.createElement('h1');
  title.textContent = branchName;
  const kind = document.createElement('h2');
  kind.textContent = { checkout: 'Checkout receipt', renew: 'Renewal receipt', checkin: 'Return receipt', in_house_use: 'In-house use', register: 'Registration',
    payment: 'Payment receipt' }[tx.type];
  root.append(title, kind, line('Date', formatTime(tx.occurred_at)));
  if (tx.patron_barcode) root.append(line('Card', tx.patron_barcode));
  if (tx.item_barcode) root.append(line('Item', tx.item_barcode));
  if (tx.noncat_type) root.append(line('Item', `${tx.count ?? 1} × ${tx.noncat_type}`));
  if (tx.due_at) root.append(line('Due', `${formatDate(tx.due_at)}${dueNote ? ` (${dueNote})` : ''}`));
  if (tx.backdate) root.append(line('Returned', formatDate(tx.backdate)));
  const foot = document.createElement('p');
  foot.className = 'small';
  foot.textContent = `Recorded offline at ${tx.workstation} (#${tx.seq}). It will be added to your account when the library system is back.`;
  root.append(foot);
  document.body.append(root);
  document.body.dataset.paper = receiptSettings.paper;
}

export function printReceipt(entry: OutboxEntry, branchName: string, dueNote = ''): void {
  last = { entry, branchName, dueNote };
  render(entry, branchName, dueNote);
  window.print();
}

export function hasLastReceipt(): boolean {
  return last !== null;
}

export function reprintLast(): void {
  if (!last) return;
  render(last.entry, last.branchName, last.dueNote);
  window.print();
}
