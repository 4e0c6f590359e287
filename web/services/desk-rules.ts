/**
 * What the desk knows offline, from the snapshot and from registrations
 * made on this device: whether a card is blocked, whether a barcode follows
 * the library's rule, and the due date the server will give.
 */
import { dueAfter, pickPolicy } from '../../shared/loan-policy.js';
import { BLOCK_CODES, BLOCK_LABELS, barcodeProblem, patronWarning, type BlockReason, type PatronEntry } from '../../shared/snapshot.js';
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
  return [barcode, patron?.profile ?? 'adult', expires, null, patron ? `${patron.first_name} ${patron.last_name}` : '', 0, null];
}

export async function patronEntry(barcode: string): Promise<PatronEntry | null> {
  return (await store.lookupPatron(await db(), barcode).catch(() => null)) ?? localPatron(barcode);
}

/** What a card is taken for: the question ends "Lend anyway?" or "Renew anyway?". */
export type CardPurpose = 'checkout' | 'renew';

/** Every heading and message the rules give staff, in one place; each message a whole sentence or two. */
const TEXT = {
  badCard: 'Unusual card number',
  badCardMessage: (card: string, problem: string) => `Card ${card}: ${problem}.`,
  /** Each block says what it is, so staff know what to tell the patron. */
  blockHeadings: {
    barred: 'Patron barred', inactive: 'Account inactive', lost_card: 'Card reported lost', fines: 'Fines over the limit', expired: 'Card expired',
  } satisfies Record<BlockReason | 'expired', string>,
  blockMessage: {
    checkout: (who: string, label: string, age: string) => `${who}: ${label} (${age}). Lend anyway?`,
    renew: (who: string, label: string, age: string) => `${who}: ${label} (${age}). Renew anyway?`,
  },
  cardWithName: (card: string, name: string) => `Card ${card} (${name})`,
  cardAlone: (card: string) => `Card ${card}`,
  badItem: 'Unusual barcode',
  badItemMessage: (item: string, problem: string) => `Item ${item}: ${problem}.`,
  unknownItem: 'Item not in the offline data',
  unknownItemMessage: (item: string, age: string) =>
    `Item ${item} is not in the offline data (${age}): a mis-scan, or an item added since? Record it anyway?`,
  hold: 'Wanted by a hold',
  holdFor: (card: string) => `patron ${card}`,
  holdForSomeone: 'another patron',
  holdMessage: {
    checkout: (item: string, whom: string, age: string) => `Item ${item} is wanted by a hold for ${whom} (${age}). Lend it anyway?`,
    renew: (item: string, whom: string, age: string) => `Item ${item} is wanted by a hold for ${whom} (${age}). Renew it anyway?`,
    renewUnlessBorrower: (item: string, whom: string, age: string, card: string) =>
      `Item ${item} is wanted by a hold for ${whom} (${age}). Nothing is wrong if the borrower is ${card}. Renew it anyway?`,
  },
};

/**
 * The warnings for a patron card, asked once when the card is taken at
 * checkout or renewal: a barcode that breaks the rule, then a block (barred,
 * inactive, lost card, fines, expired). Another kind of block (a limit of
 * items out, say) is one more reason in the snapshot and one more heading here.
 */
export async function patronWarnings(barcode: string, purpose: CardPurpose = 'checkout',
  known?: PatronEntry | null): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const warnings: Warning[] = [];
  const problem = barcodeProblem(m?.barcode_rules.patron, barcode);
  if (problem) warnings.push({ code: 'BAD_PATRON_BARCODE', heading: TEXT.badCard, message: TEXT.badCardMessage(barcode, problem) });
  // The caller may have looked the card up already (for its name): `known` saves a second lookup.
  const entry = known === undefined ? await patronEntry(barcode) : known;
  // A balance over the fine limit blocks as the server does (the desk's own payments are taken off by the caller's data).
  const reason = patronWarning(entry, today(), m?.fine_limit_cents ?? Infinity);
  if (reason) {
    const who = entry?.[4] ? TEXT.cardWithName(barcode, entry[4]) : TEXT.cardAlone(barcode);
    warnings.push({ code: BLOCK_CODES[reason], heading: TEXT.blockHeadings[reason],
      message: TEXT.blockMessage[purpose](who, BLOCK_LABELS[reason], ageText(m?.checked_at)) });
  }
  return warnings;
}

/** The item as the offline data knows it (type, title, a hold that wants it), or null. */
export async function itemInfo(barcode: string): Promise<store.ItemInfo | null> {
  return store.lookupItem(await db(), barcode).catch(() => null);
}

/**
 * An item barcode that breaks the library's rule; else, when the offline data
 * lists items, one it does not know (a mis-scan, or a card in the item field
 * that is no patron's either). `item` is what itemInfo() found for it.
 */
export async function itemWarnings(barcode: string, item: store.ItemInfo | null): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const problem = barcodeProblem(m?.barcode_rules.item, barcode);
  if (problem) return [{ code: 'BAD_ITEM_BARCODE', heading: TEXT.badItem, message: TEXT.badItemMessage(barcode, problem) }];
  if (!item && m && m.item_count > 0) {
    return [{ code: 'ITEM_NOT_IN_OFFLINE_DATA', heading: TEXT.unknownItem, message: TEXT.unknownItemMessage(barcode, ageText(m.checked_at)) }];
  }
  return [];
}

/** Whether the library's barcode rules say a code is a card or an item: its form fits one of them and not the other. */
function formOf(code: string, rules: store.SnapshotMeta['barcode_rules'] | undefined): 'card' | 'item' | null {
  const card = !!rules?.patron.pattern && !barcodeProblem(rules.patron, code);
  const item = !!rules?.item.pattern && !barcodeProblem(rules.item, code);
  return card === item ? null : card ? 'card' : 'item';
}

/**
 * Whether a code scanned into the item field is a patron's card: not an item
 * the offline data knows, and either of the form of the library's cards or a
 * card the offline data (or this device) knows. With no barcode rules and no
 * offline data, nothing is taken for a card.
 */
export async function isPatronCard(code: string, item: store.ItemInfo | null): Promise<boolean> {
  if (item) return false;
  if (formOf(code, (await meta().catch(() => null))?.barcode_rules) === 'card') return true;
  return (await patronEntry(code)) !== null;
}

/**
 * Whether a code scanned into the patron field is an item: of the form of the
 * library's items, or one the offline data knows (and knows as no card). With
 * no rules and no data, nothing is.
 */
export async function isItem(code: string): Promise<boolean> {
  if (formOf(code, (await meta().catch(() => null))?.barcode_rules) === 'item') return true;
  return (await itemInfo(code)) !== null && (await store.lookupPatron(await db(), code).catch(() => null)) === null;
}

/**
 * A hold waiting for someone else: lending or renewing the item keeps that
 * patron waiting (processing reports it as HOLD_FOR_OTHER_PATRON). The
 * patron it is wanted for takes it without a warning.
 */
export async function holdWarnings(type: CardPurpose, itemBarcode: string, patronBarcode: string | undefined,
  item: store.ItemInfo | null): Promise<Warning[]> {
  if (item?.holdFor === undefined || (patronBarcode !== undefined && item.holdFor === patronBarcode)) return [];
  const age = ageText((await meta().catch(() => null))?.checked_at);
  const whom = item.holdFor ? TEXT.holdFor(item.holdFor) : TEXT.holdForSomeone;
  // A renewal without the card: the desk cannot tell whether the borrower is that patron (then all is well).
  const message = type === 'renew' && patronBarcode === undefined && item.holdFor
    ? TEXT.holdMessage.renewUnlessBorrower(itemBarcode, whom, age, item.holdFor)
    : TEXT.holdMessage[type](itemBarcode, whom, age);
  return [{ code: 'HOLD_FOR_OTHER_PATRON', heading: TEXT.hold, message }];
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
