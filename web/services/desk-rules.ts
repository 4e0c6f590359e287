/**
 * What the desk knows offline, from the snapshot and from what this device
 * recorded: whether a card is blocked, owes too much or has too many items
 * out, whether a barcode follows the library's rule, and the due date the
 * server will give.
 */
import { pickPolicy } from '../../shared/loan-policy.js';
import { dueDate, type LibraryCalendar, type LocalDate } from '../../shared/library-time.js';
import { BLOCK_CODES, barcodeProblem, patronWarning, type BarcodeProblem, type BlockReason, type PatronEntry } from '../../shared/snapshot.js';
import * as store from './snapshot-store.js';
import * as outbox from './outbox-client.js';
import { cardActivity, entriesSinceData, withActivity, type CardActivity } from './device-activity.js';
import { formatCount, formatMoney } from '../../shared/i18n/locale.js';
import { msg, str } from '@lit/localize';
import { plural } from '../../shared/i18n/plural.js';

export interface Warning { code: string; heading: string; message: string }
/** The due date the server will give a loan: a local date in the desk's branch (recorded as such), and the policy it comes from. */
export interface DuePreview { due: LocalDate; basis: string; fallback: boolean }

let dbPromise: ReturnType<typeof store.openSnapshotDb> | undefined;
const db = () => (dbPromise ??= store.openSnapshotDb());

export const snapshotDb = db;

export async function meta() {
  return store.snapshotMeta(await db());
}

/** Age of the offline data in words, for staff deciding whether to trust a warning. */
export function ageText(checkedAt: string | undefined, now = Date.now()): string {
  if (!checkedAt) return msg('no offline data yet');
  const minutes = Math.round((now - Date.parse(checkedAt)) / 60_000);
  if (minutes < 2) return msg('offline data just updated');
  if (minutes < 120) return msg(str`offline data ${formatCount(minutes)} min old`);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return msg(str`offline data ${formatCount(hours)} h old`);
  const days = Math.round(hours / 24);
  return plural(days, { one: msg(str`offline data ${formatCount(days)} day old`), other: msg(str`offline data ${formatCount(days)} days old`) });
}

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

/** A card as the desk judges it: its entry with this device's payments and loans since the data counted in. */
export interface CardStanding {
  /** The entry (balance less what was paid here, items out plus what was lent here); null for a card nobody here knows. */
  entry: PatronEntry | null;
  /** What this device recorded for the card since the data. */
  activity: CardActivity;
}

const NO_ACTIVITY: CardActivity = { paidCents: 0, lent: 0 };

/** The card's standing now: the offline data's entry, and what this device recorded since that data was made. */
export async function cardStanding(barcode: string): Promise<CardStanding> {
  const entry = await patronEntry(barcode);
  if (!entry) return { entry: null, activity: NO_ACTIVITY };
  const generatedAt = (await meta().catch(() => null))?.generated_at ?? null;
  const entries = await entriesSinceData(outbox.list, generatedAt).catch(() => []);
  const activity = cardActivity(entries, barcode, generatedAt);
  return { entry: withActivity(entry, activity), activity };
}

/** The profile's limit of items out (the loan policy for any item type, as at card scan) or for an item's type; null: none. */
export function itemsOutLimit(m: store.SnapshotMeta | null, profile: string, itemType: string | null = null): number | null {
  return (m ? pickPolicy(m.loan_policies, itemType, profile)?.max_items_out : null) ?? null;
}

/** What a card is taken for: the question ends "Lend anyway?" or "Renew anyway?". */
export type CardPurpose = 'checkout' | 'renew';

/** Every heading and message the rules give staff, in one place; each message a whole sentence or two, read when asked (in the desk's language). */
const TEXT = {
  get badCard() { return msg('Unusual card number'); },
  badCardMessage: (card: string, problem: string) => msg(str`Card ${card}: ${problem}.`),
  /** Each block says what it is, so staff know what to tell the patron. */
  blockHeading: (reason: BlockReason | 'expired'): string => {
    switch (reason) {
      case 'barred': return msg('Patron barred');
      case 'inactive': return msg('Account inactive');
      case 'lost_card': return msg('Card reported lost');
      case 'fines': return msg('Fines over the limit');
      case 'expired': return msg('Card expired');
    }
  },
  /** What the block is, inside the question. */
  blockLabel: (reason: BlockReason | 'expired'): string => {
    switch (reason) {
      case 'barred': return msg('the patron is barred');
      case 'inactive': return msg('the patron account is inactive');
      case 'lost_card': return msg('this card was reported lost or replaced');
      case 'fines': return msg('the patron owes fines over the limit');
      case 'expired': return msg('the patron account has expired');
    }
  },
  blockMessage: {
    checkout: (who: string, label: string, age: string) => msg(str`${who}: ${label} (${age}). Lend anyway?`),
    renew: (who: string, label: string, age: string) => msg(str`${who}: ${label} (${age}). Renew anyway?`),
  },
  finesMessage: (who: string, owed: string, limit: string, age: string) =>
    msg(str`${who} owes ${owed}, over the fine limit of ${limit} (${age}). Lend anyway?`),
  finesAfterPaymentMessage: (who: string, owed: string, paid: string, limit: string, age: string) =>
    msg(str`${who} still owes ${owed} after ${paid} paid at this desk, over the fine limit of ${limit} (${age}). Lend anyway?`),
  get limit() { return msg('Items-out limit reached'); },
  limitMessage: (who: string, out: number, profile: string, max: number, age: string) => plural(out, {
    one: msg(str`${who} has ${formatCount(out)} item out; the limit for ${profile} is ${formatCount(max)} (${age}, with this desk’s loans). Lend anyway?`),
    other: msg(str`${who} has ${formatCount(out)} items out; the limit for ${profile} is ${formatCount(max)} (${age}, with this desk’s loans). Lend anyway?`),
  }),
  cardWithName: (card: string, name: string) => msg(str`Card ${card} (${name})`),
  cardAlone: (card: string) => msg(str`Card ${card}`),
  get overpaid() { return msg('More than owed'); },
  overpaidMessage: (who: string, amount: string, owed: string, credit: string, age: string) =>
    msg(str`${who} owes ${owed} (${age}, with this desk’s payments): ${credit} of the ${amount} will be a credit on the account. Take it anyway?`),
  nothingOwedMessage: (who: string, amount: string, age: string) =>
    msg(str`${who} owes nothing (${age}, with this desk’s payments): all ${amount} will be a credit on the account. Take it anyway?`),
  get badItem() { return msg('Unusual barcode'); },
  badItemMessage: (item: string, problem: string) => msg(str`Item ${item}: ${problem}.`),
  get unknownItem() { return msg('Item not in the offline data'); },
  unknownItemMessage: (item: string, age: string) =>
    msg(str`Item ${item} is not in the offline data (${age}): a mis-scan, or an item added since? Record it anyway?`),
  get hold() { return msg('Wanted by a hold'); },
  holdFor: (card: string) => msg(str`patron ${card}`),
  get holdForSomeone() { return msg('another patron'); },
  holdMessage: {
    checkout: (item: string, whom: string, age: string) => msg(str`Item ${item} is wanted by a hold for ${whom} (${age}). Lend it anyway?`),
    renew: (item: string, whom: string, age: string) => msg(str`Item ${item} is wanted by a hold for ${whom} (${age}). Renew it anyway?`),
    renewUnlessBorrower: (item: string, whom: string, age: string, card: string) =>
      msg(str`Item ${item} is wanted by a hold for ${whom} (${age}). Nothing is wrong if the borrower is ${card}. Renew it anyway?`),
  },
  /** Why a barcode looks wrong (shared/snapshot.ts barcodeProblem), inside the question. */
  barcodeProblem: (problem: BarcodeProblem): string => problem === 'form'
    ? msg('it does not have the form of this library’s barcodes')
    : msg('its check digit is wrong (a mis-scan or typo?)'),
  /** Where the due date comes from: the policy for the item's type and the patron's profile, or the branch's default. */
  basis: (itemType: string, profile: string | null, days: number) => profile
    ? plural(days, { one: msg(str`${itemType} × ${profile}, ${formatCount(days)} day`), other: msg(str`${itemType} × ${profile}, ${formatCount(days)} days`) })
    : plural(days, { one: msg(str`${itemType}, ${formatCount(days)} day`), other: msg(str`${itemType}, ${formatCount(days)} days`) }),
  defaultBasis: (days: number) => plural(days, {
    one: msg(str`branch default, ${formatCount(days)} day: item not in the offline data`),
    other: msg(str`branch default, ${formatCount(days)} days: item not in the offline data`),
  }),
};

const who = (barcode: string, entry: PatronEntry | null): string => (entry?.[4] ? TEXT.cardWithName(barcode, entry[4]) : TEXT.cardAlone(barcode));

function badCard(barcode: string, m: store.SnapshotMeta | null): Warning[] {
  const problem = barcodeProblem(m?.barcode_rules.patron, barcode);
  return problem ? [{ code: 'BAD_PATRON_BARCODE', heading: TEXT.badCard, message: TEXT.badCardMessage(barcode, TEXT.barcodeProblem(problem)) }] : [];
}

/**
 * The warnings for a patron card, asked once when the card is taken at
 * checkout or renewal, judged on `today` (the branch's local date): a barcode
 * that breaks the rule, a block (barred, inactive, lost card, expired); and
 * for a checkout, as processing judges one, a balance over the fine limit and
 * a profile at its limit of items out — both counting what this device
 * recorded since the data (`standing`, looked up when not given).
 */
export async function patronWarnings(barcode: string, purpose: CardPurpose, today: LocalDate, standing?: CardStanding): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const warnings = badCard(barcode, m);
  const { entry, activity } = standing ?? await cardStanding(barcode);
  const age = ageText(m?.checked_at);
  // Blocks only: the balance is judged below, with the amounts, whatever block there is besides.
  const reason = patronWarning(entry, today);
  if (reason) {
    warnings.push({ code: BLOCK_CODES[reason], heading: TEXT.blockHeading(reason),
      message: TEXT.blockMessage[purpose](who(barcode, entry), TEXT.blockLabel(reason), age) });
  }
  if (purpose !== 'checkout' || !entry) return warnings;
  const fineLimit = m?.fine_limit_cents ?? Infinity;
  if (reason !== 'fines' && entry[5] > fineLimit) {
    const owed = formatMoney(entry[5]);
    warnings.push({ code: BLOCK_CODES.fines, heading: TEXT.blockHeading('fines'), message: activity.paidCents
      ? TEXT.finesAfterPaymentMessage(who(barcode, entry), owed, formatMoney(activity.paidCents), formatMoney(fineLimit), age)
      : TEXT.finesMessage(who(barcode, entry), owed, formatMoney(fineLimit), age) });
  }
  const limit = limitWarning(barcode, entry[4], entry[1], entry[6], null, m);
  if (limit) warnings.push(limit);
  return warnings;
}

/**
 * The items-out question when `out` items are out (the data's and this
 * desk's) and the next loan would pass the limit for the profile, or for the
 * item's type when it is known: processing flags a checkout made with as many
 * out as the limit.
 */
export function limitWarning(barcode: string, name: string, profile: string, out: number | null, itemType: string | null,
  m: store.SnapshotMeta | null): Warning | null {
  if (out === null) return null;
  const max = itemsOutLimit(m, profile, itemType);
  if (max === null || out < max) return null;
  return { code: 'PATRON_EXCEEDS_CHECKOUT_COUNT', heading: TEXT.limit,
    message: TEXT.limitMessage(name ? TEXT.cardWithName(barcode, name) : TEXT.cardAlone(barcode), out, profile, max, ageText(m?.checked_at)) };
}

/**
 * Before a payment: a card number that breaks the library's rule, and a sum
 * above what the card owes (the rest will be a credit; a typed 100.00 for
 * 10.00 is caught here). A card the data does not know owes what nobody here
 * can tell: no question about the sum.
 */
export async function paymentWarnings(barcode: string, amountCents: number, standing: CardStanding): Promise<Warning[]> {
  const m = await meta().catch(() => null);
  const warnings = badCard(barcode, m);
  const { entry } = standing;
  if (entry && amountCents > entry[5]) {
    const age = ageText(m?.checked_at);
    const amount = formatMoney(amountCents);
    warnings.push({ code: 'PAYMENT_EXCEEDS_BALANCE', heading: TEXT.overpaid, message: entry[5] > 0
      ? TEXT.overpaidMessage(who(barcode, entry), amount, formatMoney(entry[5]), formatMoney(amountCents - entry[5]), age)
      : TEXT.nothingOwedMessage(who(barcode, entry), amount, age) });
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
  if (problem) return [{ code: 'BAD_ITEM_BARCODE', heading: TEXT.badItem, message: TEXT.badItemMessage(barcode, TEXT.barcodeProblem(problem)) }];
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
 * the patron's profile, the loan's days counted in the desk branch's local
 * days and moved to its next open day — the same shared rule processing uses,
 * so the date the patron is told is the date stored. An item the snapshot
 * does not know gets the branch default, marked as such.
 */
export async function dueFor(itemBarcode: string | undefined, patronBarcode: string | undefined, at: Date,
  calendar: LibraryCalendar): Promise<DuePreview | null> {
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
    due: dueDate(at, policy.loan_days, calendar),
    basis: fallback ? TEXT.defaultBasis(policy.loan_days) : TEXT.basis(itemType, profile, policy.loan_days),
    fallback,
  };
}
