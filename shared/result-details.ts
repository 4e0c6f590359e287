/**
 * What processing says about one transaction, beyond its code: sentences with data in them
 * ("Item 3100… was on loan to P2002; that loan was closed at …"). The server stores only the
 * sentence's key and its data (DetailPart); each reader puts the words around them — the desk
 * in its language, the API's `detail` and CSV exports in English or the language asked for.
 * One definition of every sentence, here.
 */
import { msg, str } from './i18n/msg.js';
import { formatCount, formatLocale, formatMoney } from './i18n/locale.js';
import { plural } from './i18n/plural.js';
import { formatLocalDate } from './library-time.js';
import { statusWord, typeWord } from './words.js';

export { statusWord, typeWord, outcomeWord, sessionStateWord } from './words.js';

type Params = Record<string, string | number | null | undefined>;

/** A patron as staff know them: name and card (or record number). */
interface Who { name: string; card: string }

/** A calendar date (YYYY-MM-DD) in the current language's words. */
const day = (date: string): string => formatLocalDate(date, 'UTC', formatLocale());

/** An instant as the date and time at the branch (its zone in the part, when known). */
const instant = (iso: string, zone?: string | null): string => formatLocalDate(iso, zone ?? 'UTC', formatLocale(), zone ? AT_BRANCH : IN_UTC);
const AT_BRANCH: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
/** Without its branch's zone, the time says it is UTC's. Intl refuses a zone name beside dateStyle, hence the fields one by one. */
const IN_UTC: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };

const patron = (p: Who): string => msg(str`${p.name} (${p.card})`);

/** Every sentence, by key. Each takes the data its part carries. */
const SENTENCES = {
  /** Text stored before sentences had keys, or an error's own words: shown as it is. */
  text: (p: { text: string }) => p.text,
  noPatron: (p: { card: string }) => msg(str`No patron has card ${p.card}.`),
  cardInactive: (p: { card: string; current: string | null }) => p.current
    ? msg(str`Card ${p.card} is inactive; the patron's current card is ${p.current}.`)
    : msg(str`Card ${p.card} is inactive and the patron has no active card.`),
  cardExists: (p: { card: string }) => msg(str`Card ${p.card} already belongs to a patron.`),
  barred: (p: Who) => msg(str`${patron(p)} is barred.`),
  inactive: (p: Who) => msg(str`${patron(p)}'s account is inactive.`),
  expired: (p: Who & { date: string }) => msg(str`${patron(p)}'s account expired on ${day(p.date)}.`),
  overItemLimit: (p: Who & { out: number; profile: string; max: number }) => plural(p.out, {
    one: msg(str`${patron(p)} had ${formatCount(p.out)} item out; the limit for ${p.profile} is ${formatCount(p.max)}.`),
    other: msg(str`${patron(p)} had ${formatCount(p.out)} items out; the limit for ${p.profile} is ${formatCount(p.max)}.`),
  }),
  overFineLimit: (p: Who & { owed: number; limit: number }) =>
    msg(str`${patron(p)} owed ${formatMoney(p.owed)}, over the limit of ${formatMoney(p.limit)}.`),
  waitedOnShelfFor: (p: Who & { item: string }) =>
    msg(str`Item ${p.item} waited on the hold shelf for ${patron(p)}; their hold stays, first in line for the next copy.`),
  setAsideFor: (p: Who & { item: string }) => msg(str`Item ${p.item} was set aside for ${patron(p)}; their hold waits for the next copy.`),
  holdWaitingOnTitle: (p: Who & { title: string }) => msg(str`${patron(p)} has a hold waiting on “${p.title}”; it waits for the next copy.`),
  notCirculating: (p: { item: string }) => msg(str`Item ${p.item} does not circulate (library use only).`),
  damaged: (p: { item: string }) => msg(str`Item ${p.item} was marked damaged.`),
  inTransit: (p: { item: string; from?: string | null; to?: string | null }) => p.from && p.to
    ? msg(str`Item ${p.item} was in transit from ${p.from} to ${p.to}; the transit was closed.`)
    : msg(str`Item ${p.item} was in transit.`),
  onShelfUnclaimed: (p: { item: string }) => msg(str`Item ${p.item} was on the hold shelf, though no hold waits for it; check the shelf.`),
  renewedAtCheckout: (p: { card: string; item: string; renewal: number }) =>
    msg(str`${p.card} already had item ${p.item}; the checkout was recorded as renewal ${formatCount(p.renewal)}.`),
  lentWhileMarked: (p: { item: string; status: string }) =>
    msg(str`Item ${p.item} was marked ${statusWord(p.status)}; review its record and the previous borrower's account.`),
  onLoanToOther: (p: { item: string; card: string; at: string; zone?: string | null }) =>
    msg(str`Item ${p.item} was on loan to ${p.card}; that loan was closed at ${instant(p.at, p.zone)}.`),
  itemNotFound: (p: { item: string }) => msg(str`No item has barcode ${p.item}.`),
  /** The item changed after the scan; `by` says what changed it (import, online, session, this session, other session). */
  changedAfterScan: (p: { item: string; status: string; changed: string; at: string; zone?: string | null; by: string;
    type?: string; workstation?: string; session?: number | string | null }) => {
    const status = statusWord(p.status);
    const changed = instant(p.changed, p.zone);
    const at = instant(p.at, p.zone);
    switch (p.by) {
      case 'import': return msg(str`Item ${p.item} became ${status} through a library data import at ${changed}, after this scan at ${at}.`);
      case 'online': return msg(str`Item ${p.item} became ${status} online at ${changed}, after this scan at ${at}.`);
      case 'this-session': return msg(str`Item ${p.item} became ${status} by a ${typeWord(p.type ?? '')} from ${p.workstation} already applied in this session (an earlier run or a retry) at ${changed}, after this scan at ${at}.`);
      case 'other-session': return msg(str`Item ${p.item} became ${status} by a ${typeWord(p.type ?? '')} from ${p.workstation} in offline session ${p.session} at ${changed}, after this scan at ${at}.`);
      default: return msg(str`Item ${p.item} became ${status} by offline session ${p.session ?? '?'} at ${changed}, after this scan at ${at}.`);
    }
  },
  renewedNotOnLoan: (p: { item: string }) => msg(str`Item ${p.item} was not on loan when it was renewed.`),
  onLoanToSomeoneElse: (p: { item: string; card: string; scanned: string }) => msg(str`Item ${p.item} is on loan to ${p.card}, not to ${p.scanned}.`),
  renewalOverLimit: (p: { renewal: number; max: number }) => msg(str`Renewal ${formatCount(p.renewal)} of at most ${formatCount(p.max)}.`),
  backWhileMarked: (p: { item: string; status: string; borrower?: string | null; lostAt?: string | null; zone?: string | null }) => {
    const back = p.borrower
      ? msg(str`Item ${p.item} was marked ${statusWord(p.status)} and is back (borrower ${p.borrower}); review the account.`)
      : msg(str`Item ${p.item} was marked ${statusWord(p.status)} and is back; review the account.`);
    return p.lostAt ? `${back} ${msg(str`Overdue fines count only until it was marked lost, at ${instant(p.lostAt, p.zone)}.`)}` : back;
  },
  overdueFine: (p: { days: number; amount: number; card: string; untilLost?: number }) => p.untilLost
    ? plural(p.days, {
      one: msg(str`Returned ${formatCount(p.days)} day late (counted until it was marked lost): ${formatMoney(p.amount)} billed to ${p.card}.`),
      other: msg(str`Returned ${formatCount(p.days)} days late (counted until it was marked lost): ${formatMoney(p.amount)} billed to ${p.card}.`),
    })
    : plural(p.days, {
      one: msg(str`Returned ${formatCount(p.days)} day late: ${formatMoney(p.amount)} billed to ${p.card}.`),
      other: msg(str`Returned ${formatCount(p.days)} days late: ${formatMoney(p.amount)} billed to ${p.card}.`),
    }),
  notOnLoan: (p: { item: string; status: string }) => msg(str`Item ${p.item} was not on loan (status: ${statusWord(p.status)}).`),
  shelveForHold: (p: Who & { item: string; title: string }) => msg(str`Put ${p.item} “${p.title}” on the hold shelf for ${patron(p)}.`),
  sendForHold: (p: Who & { item: string; title: string; to: string }) => msg(str`Send ${p.item} “${p.title}” to ${p.to} for ${patron(p)}'s hold.`),
  sendHome: (p: { item: string; title: string; to: string }) => msg(str`Send ${p.item} “${p.title}” home to ${p.to}.`),
  due: (p: { date: string }) => msg(str`Due ${day(p.date)}.`),
  noncatLent: (p: { count: number; kind: string }) => msg(str`${formatCount(p.count)} × ${p.kind} lent.`),
  usesRecorded: (p: { count: number }) => plural(p.count, {
    one: msg(str`${formatCount(p.count)} use recorded.`),
    other: msg(str`${formatCount(p.count)} uses recorded.`),
  }),
  paid: (p: { amount: number; card: string; settled: number; owed?: number }) => p.owed
    ? plural(p.settled, {
      one: msg(str`Paid ${formatMoney(p.amount)} by ${p.card}: ${formatCount(p.settled)} bill settled, ${formatMoney(p.owed)} still owed.`),
      other: msg(str`Paid ${formatMoney(p.amount)} by ${p.card}: ${formatCount(p.settled)} bills settled, ${formatMoney(p.owed)} still owed.`),
    })
    : plural(p.settled, {
      one: msg(str`Paid ${formatMoney(p.amount)} by ${p.card}: ${formatCount(p.settled)} bill settled.`),
      other: msg(str`Paid ${formatMoney(p.amount)} by ${p.card}: ${formatCount(p.settled)} bills settled.`),
    }),
  credit: (p: { amount: number; card: string }) => msg(str`${formatMoney(p.amount)} more than ${p.card} owed is now a credit on their account.`),
  registered: (p: { name: string; card: string }) => msg(str`Patron ${p.name} registered with card ${p.card}.`),
  notApplied: () => msg("Not applied: the session's override policy is off."),
  voided: (p: { staff: string; reason: string }) => msg(str`Voided by ${p.staff}: ${p.reason}`),
} satisfies Record<string, (p: never) => string>;

export type DetailKey = keyof typeof SENTENCES;
export type DetailParams<K extends DetailKey> = Parameters<(typeof SENTENCES)[K]>[0];

/** One sentence as stored: its key and its data. */
export type DetailPart = readonly [key: string, params?: Params];

/** A sentence to store: typed by its key, so a rule cannot forget the data its words need. */
export function part<K extends DetailKey>(key: K, ...params: DetailParams<K> extends undefined ? [] : [DetailParams<K>]): DetailPart {
  return params.length ? [key, params[0] as Params] : [key];
}

/** A sentence in the current language; an unknown key (a newer server's) shows its data rather than nothing. */
export function sentence([key, params]: DetailPart): string {
  const say = (SENTENCES as unknown as Record<string, (p: Params) => string>)[key];
  if (say) return say(params ?? {});
  return Object.values(params ?? {}).filter((v) => v != null).join(' · ');
}

/** A result's explanation: its sentences, one after another. */
export const detailText = (parts: readonly DetailPart[] | null | undefined): string | null =>
  parts?.length ? parts.map(sentence).join(' ') : null;

/** The API's form of parts: objects, as JSON readers expect. */
export const partsForApi = (parts: readonly DetailPart[] | null): ApiPart[] | null =>
  parts && parts.map(([key, params]) => (params
    ? { key, params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as ApiPart['params'] } : { key }));

export type ApiPart = { key: string; params?: Record<string, string | number | null> };

/** Parts from the API's form. */
export const partsFromApi = (parts: readonly ApiPart[] | null | undefined): DetailPart[] | null =>
  parts ? parts.map((p) => [p.key, p.params] as const) : null;

/**
 * An explanation the API sent (`detail_parts`), in the current language: what the app shows.
 * The English `detail` beside it is for scripts, and never shown.
 */
export const detailFromApi = (parts: readonly ApiPart[] | null | undefined): string | null => detailText(partsFromApi(parts));

/** Parts as stored (JSON text); old rows' English text reads as one `text` part. */
export function parseParts(stored: string | null): DetailPart[] | null {
  if (stored === null) return null;
  if (stored.startsWith('[')) {
    try {
      return JSON.parse(stored) as DetailPart[];
    } catch {
      // Fall through: text that happens to start with a bracket.
    }
  }
  return [['text', { text: stored }]];
}
