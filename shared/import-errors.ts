/**
 * What can be wrong with a row of an import file, as a code and its params (the values the
 * sentence names: a column, a barcode, a line), and each one's sentence. The server reports
 * the code and params with the English sentence (`reason`, for scripts and the CLI); the
 * admin's import page writes the sentence again in the desk's language. One definition of
 * each text, here.
 *
 * Params are data (column names, the values found, line numbers, times as the server stores
 * them): they go into the sentence untranslated. Values are quoted and their invisible
 * characters made visible (`visible`), so a tab or a zero-width space in a barcode shows.
 */
import { msg, str } from './i18n/msg.js';
import { formatCount } from './i18n/locale.js';

type Empty = Record<string, never>;
type Cell = { column: string; value: string };

/** A value as a message quotes it: at most 80 characters, control and invisible characters written as escapes. */
export function visible(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return shown.replace(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const q = visible;
const n = formatCount;
/** Statuses a holds file may give (server/import/holds.ts). */
const WAITING = 'waiting';
const ON_SHELF = 'on_shelf';

/** Each code's sentence, in the current language (msg() runs when a text is asked for, never when this module loads). */
const TEXTS = {
  // The file's shape (server/import/csv.ts, rows.ts).
  csv_quote_in_field: (_: Empty) => msg('malformed CSV: a " inside an unquoted field (quote the whole field and double the ")'),
  csv_after_quote: (p: { character: string }) =>
    msg(str`malformed CSV: unexpected character "${q(p.character)}" after a closing quote (expected a comma or line end)`),
  csv_lone_cr: (_: Empty) => msg('malformed CSV: carriage return not followed by a line feed'),
  csv_unclosed_quote: (_: Empty) => msg('malformed CSV: quoted field is never closed (a " is missing)'),
  empty_line: (p: { expected: number }) => msg(str`empty line (expected ${n(p.expected)} fields)`),
  field_count: (p: { expected: number; got: number }) => msg(str`wrong number of fields (expected ${n(p.expected)}, got ${n(p.got)})`),
  empty_file: (p: { columns: string }) => msg(str`the file is empty (expected a header row: ${p.columns})`),
  unknown_column: (p: { column: string; columns: string }) => msg(str`unknown column '${q(p.column)}' (expected the columns ${p.columns})`),
  repeated_column: (p: { column: string }) => msg(str`column '${q(p.column)}' appears twice`),
  missing_column: (p: { column: string }) => msg(str`missing column '${p.column}'`),

  // One value (server/import/values.ts, times.ts).
  missing_value: (p: { column: string }) => msg(str`missing value for column '${p.column}'`),
  bad_code: (p: Cell) => msg(str`bad ${p.column} '${q(p.value)}' (expected 1–64 printable ASCII characters without spaces)`),
  bad_branch_code: (p: Cell) => msg(str`bad branch code '${q(p.value)}' (expected 1–64 printable ASCII characters without spaces)`),
  bad_parent_code: (p: Cell) => msg(str`bad parent branch code '${q(p.value)}' (expected 1–64 printable ASCII characters without spaces)`),
  bad_date: (p: Cell) => msg(str`bad date '${q(p.value)}' (expected YYYY-MM-DD, a real calendar date)`),
  bad_number: (p: Cell & { min: number; max: number }) =>
    msg(str`bad ${p.column} '${q(p.value)}' (expected a whole number from ${n(p.min)} to ${n(p.max)}, digits only)`),
  bad_cents: (p: Cell & { min: number; max: number }) =>
    msg(str`bad ${p.column} '${q(p.value)}' (expected a whole number from ${n(p.min)} to ${n(p.max)}, digits only) — amounts are in cents: 5.00 is 500`),
  text_control: (p: Cell) => msg(str`bad ${p.column} '${q(p.value)}' (control characters are not allowed)`),
  text_spaces: (p: Cell) => msg(str`bad ${p.column} '${q(p.value)}' (spaces at the start or end)`),
  text_too_long: (p: Cell & { max: number }) => msg(str`bad ${p.column} '${q(p.value)}' (at most ${n(p.max)} characters)`),
  time_without_zone: (p: Cell) =>
    msg(str`${p.column} '${q(p.value)}' has no time zone (add Z for UTC or an offset such as +01:00, or give only the date)`),
  bad_time: (p: Cell) =>
    msg(str`bad ${p.column} '${q(p.value)}' (expected an ISO 8601 time with Z or an offset, such as 2026-11-02T10:00:00Z, or a date 2026-11-02)`),
  duplicate: (p: Cell & { first_line: number }) => msg(str`duplicate ${p.column} '${q(p.value)}' (also on line ${n(p.first_line)})`),
  duplicate_branch_code: (p: Cell & { first_line: number }) => msg(str`duplicate branch code '${q(p.value)}' (also on line ${n(p.first_line)})`),

  // Branches.
  unknown_time_zone: (p: Cell) =>
    msg(str`unknown time zone '${q(p.value)}' (expected an IANA name such as America/Chicago or Europe/Berlin)`),
  unknown_parent: (p: Cell) => msg(str`unknown parent branch '${q(p.value)}'`),
  branch_cycle: (p: { branch: string; cycle: string }) => msg(str`branch '${q(p.branch)}' would be its own ancestor (${p.cycle})`),
  unknown_branch: (p: Cell) => msg(str`unknown branch '${q(p.value)}'`),

  // Patrons and items.
  replaced_card: (p: Cell) => msg(str`barcode '${q(p.value)}' is a replaced (inactive) card; use the patron's current card`),
  bad_barred: (p: Cell) => msg(str`bad barred value '${q(p.value)}' (expected true or false; 1/0 and yes/no are not accepted)`),
  bad_item_status: (p: Cell & { statuses: string }) => msg(str`bad status '${q(p.value)}' (expected one of ${p.statuses})`),

  // What a state file's row refers to (server/import/import-run.ts).
  unknown_item: (p: Cell) => msg(str`unknown ${p.column} '${q(p.value)}' (no item has that barcode)`),
  unknown_patron: (p: Cell) => msg(str`unknown ${p.column} '${q(p.value)}' (no patron has that card)`),
  replaced_patron_card: (p: Cell & { current: string }) => p.current
    ? msg(str`${p.column} '${q(p.value)}' is a replaced (inactive) card; the patron's current card is '${q(p.current)}'`)
    : msg(str`${p.column} '${q(p.value)}' is a replaced (inactive) card; the patron has no active card`),

  // Hours, closures, policies.
  bad_hours: (p: Cell) =>
    msg(str`bad hours for ${p.column} '${q(p.value)}' (expected HH:MM-HH:MM, ranges in order separated by commas, or blank for closed)`),
  closed_all_week: (_: Empty) =>
    msg('closed every day of the week: leave the branch out to keep its system\'s hours, and enter a long closure as a dated closure'),
  duplicate_closure: (p: { branch: string; first: string; first_line: number }) =>
    msg(str`a second closure of '${q(p.branch)}' starting ${p.first} (also on line ${n(p.first_line)})`),
  closure_reversed: (p: { first: string; last: string }) => msg(str`the closure ends (${p.last}) before it starts (${p.first})`),
  duplicate_policy: (p: { item_type: string; patron_profile: string; first_line: number }) =>
    p.item_type && p.patron_profile ? msg(str`a second policy for ${p.item_type} × ${p.patron_profile} (also on line ${n(p.first_line)})`)
    : p.item_type ? msg(str`a second policy for ${p.item_type} × any profile (also on line ${n(p.first_line)})`)
    : p.patron_profile ? msg(str`a second policy for any item type × ${p.patron_profile} (also on line ${n(p.first_line)})`)
    : msg(str`a second policy for any item type and any profile (the default) (also on line ${n(p.first_line)})`),
  no_default_policy: (p: { complete: boolean }) => p.complete
    ? msg('no default policy: a complete policy file needs one row with item_type and patron_profile both blank')
    : msg('no default policy: a library\'s first policy file needs one row with item_type and patron_profile both blank'),

  // Loans.
  duplicate_loan: (p: Cell & { first_line: number }) =>
    msg(str`duplicate ${p.column} '${q(p.value)}' (also on line ${n(p.first_line)}): an item has one open loan`),
  loan_after_as_of: (p: { checked_out_at: string; as_of: string }) =>
    msg(str`checked_out_at ${p.checked_out_at} is after the files' as-of time ${p.as_of}: the file cannot know a loan made after it was written`),
  due_before_checkout: (p: { due_at: string; checked_out_at: string }) => msg(str`due_at ${p.due_at} is before checked_out_at ${p.checked_out_at}`),

  // Holds.
  hold_without_target: (_: Empty) => msg('a hold needs a record_id (a hold on a title) or an item_barcode (a hold on one item)'),
  bad_hold_status: (p: Cell) => msg(str`bad status '${q(p.value)}' (expected ${WAITING} or ${ON_SHELF}; blank is ${WAITING})`),
  shelved_hold_without_item: (_: Empty) => msg('a hold on the shelf needs the item_barcode of the copy set aside'),
  duplicate_hold: (p: { patron: string; record: string; item: string; first_line: number }) => p.record
    ? msg(str`a second hold of '${q(p.patron)}' on record '${q(p.record)}' (also on line ${n(p.first_line)})`)
    : msg(str`a second hold of '${q(p.patron)}' on item '${q(p.item)}' (also on line ${n(p.first_line)})`),
  unknown_record: (p: Cell) => msg(str`unknown record_id '${q(p.value)}' (no item has it: give items their record_id in the items file)`),
  item_of_other_record: (p: { item: string; item_record: string; record: string }) => p.item_record
    ? msg(str`item '${q(p.item)}' is of record '${q(p.item_record)}', not of record '${q(p.record)}'`)
    : msg(str`item '${q(p.item)}' is of no record (its record_id is blank), not of record '${q(p.record)}'`),
  item_shelved_twice: (p: { item: string; first_line: number }) =>
    msg(str`item '${q(p.item)}' is already on the shelf for the hold on line ${n(p.first_line)}`),
  shelved_item_on_loan: (p: { item: string }) => msg(str`item '${q(p.item)}' is on loan, so it cannot wait on the hold shelf`),
  hold_after_as_of: (p: { placed_at: string; as_of: string }) =>
    msg(str`placed_at ${p.placed_at} is after the files' as-of time ${p.as_of}: the file cannot know a hold placed after it was written`),

  // Bills.
  duplicate_bill: (p: { patron: string; billed_at: string; reason: string; first_line: number }) =>
    msg(str`a second bill of '${q(p.patron)}' billed at ${p.billed_at} for '${q(p.reason)}' (also on line ${n(p.first_line)}): one row a bill`),
  bill_after_as_of: (p: { billed_at: string; as_of: string }) =>
    msg(str`billed_at ${p.billed_at} is after the files' as-of time ${p.as_of}: the file cannot know a bill made after it was written`),
} satisfies Record<string, (params: never) => string>;

export type ImportErrorCode = keyof typeof TEXTS;
export type ImportErrorParams<C extends ImportErrorCode> = Parameters<(typeof TEXTS)[C]>[0];
/** Every code, for the API schema. */
export const IMPORT_ERROR_CODES = Object.keys(TEXTS) as ImportErrorCode[];

/** One problem found in a file: its code and params. */
export type ImportProblem = { [C in ImportErrorCode]: { code: C; params: ImportErrorParams<C> } }[ImportErrorCode];

export const problem = <C extends ImportErrorCode>(code: C, params: ImportErrorParams<C>): ImportProblem =>
  ({ code, params }) as ImportProblem;

/** The sentence for a problem, in the current language (English on the server, unless inLocale says otherwise). */
export function importErrorText(p: ImportProblem): string {
  return (TEXTS[p.code] as (params: unknown) => string)(p.params);
}

/** The sentence for a code and params as an API reply has them, or undefined for a code this build does not know. */
export function importErrorTextOf(code: string, params: Record<string, unknown>): string | undefined {
  return Object.hasOwn(TEXTS, code) ? (TEXTS[code as ImportErrorCode] as (params: unknown) => string)(params) : undefined;
}
