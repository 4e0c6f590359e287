/**
 * What the desk knows offline, from the snapshot and from registrations
 * made on this device: whether a card is blocked, whether a barcode follows
 * the library's rule, and the due date the server will give.
 */
import { dueAfter, pickPolicy } from '../../shared/loan-policy.js';
import { BLOCK_CODES, BLOCK_LABELS, barcodeProblem, patronWarning, type PatronEntry } from '../../shared/snapshot.js';
import * as store from './snapshot-store.js';
import * as outbox from './outbox-client.js';

export interface Warning { code: string; heading: string; message: string }
export interface DuePreview { due: string; basis: string; fallback: boolean }

let dbPromise: ReturnType<typeof store.openSnapshotDb> | undefined;
const db = () => (dbPromise ??= store.openSnapshotDb());

export const snapshotDb = db;

export async function meta() {
  return store.snapshotMeta(await db());
}

/** Age of the offline data in words, for staff deciding whether to trust a warning. */
export function ageText(checkedAt: string | undefined, now = Date.now()): string {
  if (!checkedAt) return 'no offline data yet';
  const minutes = Math.round((now - Date.parse(checkedAt)) / 60_000);
  if (minutes < 2) return 'offline data just updated';
  if (minutes < 120) return `offline data ${minutes} min old`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `offline data ${hours} h old` : `offline data ${Math.round(hours / 24)} days old`;
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** A card registered on this device, not yet known to the server's snapshot. */
async function localPatron(barcode: string): Promise<PatronEntry | null> {
  const regs = await outbox.registrations().catch(() => []);
  const found = regs.find((r) => r.tx.patron?.barcode === barcode);
  if (!found) return null;
  const expires = new Date(Date.now() + 3 * 365 * 86400_000).toISOString().slice(0, 10);
  const patron = found.tx.patron;
  return [barcode, patron?.profile ?? 'adult', expires, null, patron ? `${patron.first_name} ${patron.last_name}` : ''];
}

export async function patronEntry(barcode: string): Promise<PatronEntry | null> {
  return (await store.lookupPatron(await db(), barcode).catch(() => null)) ?? localPatron(barcode);
}

/** The warnings for a patron card at checkout or renewal: a block, or a barcode that breaks the rule. */
export async function patronWarnings(barcode: string): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const warnings: Warning[] = [];
  const problem = barcodeProblem(m?.barcode_rules.patron, barcode);
  if (problem) warnings.push({ code: 'BAD_PATRON_BARCODE', heading: 'Unusual card number', message: `Card ${barcode}: ${problem}.` });
  const reason = patronWarning(await patronEntry(barcode), today());
  if (reason) {
    warnings.push({ code: BLOCK_CODES[reason], heading: 'Patron blocked',
      message: `Card ${barcode}: ${BLOCK_LABELS[reason]} (${ageText(m?.checked_at)}). Lend anyway?` });
  }
  return warnings;
}

export async function itemWarnings(barcode: string): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const problem = barcodeProblem(m?.barcode_rules.item, barcode);
  return problem ? [{ code: 'BAD_ITEM_BARCODE', heading: 'Unusual barcode', message: `Item ${barcode}: ${problem}.` }] : [];
}

/**
 * A hold waiting for someone else: lending or renewing the item keeps that
 * patron waiting (processing reports it as HOLD_FOR_OTHER_PATRON). The
 * patron it is wanted for takes it without a warning.
 */
export async function holdWarnings(type: 'checkout' | 'renew', itemBarcode: string, patronBarcode: string | undefined): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const item = await store.lookupItem(await db(), itemBarcode).catch(() => null);
  if (item?.holdFor === undefined || (patronBarcode !== undefined && item.holdFor === patronBarcode)) return [];
  const whom = item.holdFor ? `patron ${item.holdFor}` : 'another patron';
  // A renewal without the card: the desk cannot tell whether the borrower is that patron (then all is well).
  const unless = patronBarcode === undefined && item.holdFor ? ` Nothing is wrong if the borrower is ${item.holdFor}.` : '';
  return [{ code: 'HOLD_FOR_OTHER_PATRON', heading: 'Wanted by a hold',
    message: `Item ${itemBarcode} is wanted by a hold for ${whom} (${ageText(m?.checked_at)}).${unless} ${type === 'renew' ? 'Renew' : 'Lend'} it anyway?` }];
}

/**
 * The due date the server will compute: the policy for the item's type and
 * the patron's profile, from the same shared function the server uses. An
 * item the snapshot does not know gets the branch default, marked as such.
 */
export async function dueFor(itemBarcode: string | undefined, patronBarcode: string | undefined, at = new Date()): Promise<DuePreview | null> {
  const m = await meta().catch(() => null);
  if (!m) return null;
  const d = await db();
  const itemType = itemBarcode ? await store.lookupItemType(d, itemBarcode).catch(() => null) : null;
  const patron = patronBarcode ? await patronEntry(patronBarcode) : null;
  const profile = patron?.[1] ?? null;
  const policy = pickPolicy(m.loan_policies, itemType, profile);
  if (!policy) return null;
  const fallback = !itemType;
  return {
    due: dueAfter(at, policy.loan_days),
    basis: fallback ? `branch default, ${policy.loan_days} days: item not in the offline data`
      : `${itemType}${profile ? ` × ${profile}` : ''}, ${policy.loan_days} days`,
    fallback,
  };
}
