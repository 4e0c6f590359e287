/**
 * The SQL of the offline data's big parts (shared/snapshot.ts format 5), each
 * returning one JSON text, run by the snapshot worker. SQLite writes the
 * columns itself (with the SQL functions of sql-functions.ts): at 100,000 cards and 500,000 items that is well under a
 * second and twice the text's size in memory, against seconds and hundreds
 * of megabytes of garbage for rows stringified one by one in JavaScript.
 *
 * Every part is written once, for a filter: the whole library, or (for a
 * delta) the cards, items and title-level holds the change log names since
 * a version (@since). So a delta's entries are the full data's entries for
 * the same rows, always.
 */
import type { SnapshotPart } from '../../db/snapshot-worker.js';
import { activeCardOf } from '../../repo/sql-rules.js';

/** Which rows a part covers: everything, or what changed since @since. */
type Scope = 'all' | 'since';

const changed = (column: 'card' | 'item' | 'title_key'): string =>
  `(SELECT DISTINCT ${column} FROM snapshot_changes WHERE version > @since AND ${column} IS NOT NULL)`;

const KEY = "CASE WHEN record_id IS NOT NULL THEN 'r:' || record_id ELSE 't:' || title END";

/**
 * A packed column (shared/snapshot-columns.ts) of `value` over the part's rows, ordered by k: the
 * values less their least, in as many base-64 digits as the largest needs. `range` names the CTE
 * holding lo and hi for it.
 */
const packedColumn = (value: string, lo: string, hi: string): string =>
  `json_object('base', coalesce(${lo}, 0), 'width', snap_width(coalesce(${hi} - ${lo}, 0)),
    'digits', coalesce(group_concat(snap_pack(${value} - coalesce(${lo}, 0), snap_width(coalesce(${hi} - ${lo}, 0))), '' ORDER BY k), ''))`;

/** A sparse column: [k, value] for the rows where `value` is set and `keep` holds. */
const sparseColumn = (value: string, keep = `${value} IS NOT NULL`): string =>
  `json_group_array(json_array(k, ${value}) ORDER BY k) FILTER (WHERE ${keep})`;

/** Every patron profile, numbered as the profiles part lists them (patrons refer to them by number). */
const PROFILE_LIST = `SELECT profile FROM patrons UNION SELECT patron_profile FROM loan_policies WHERE patron_profile IS NOT NULL`;

/**
 * Cards with their patron, as columns (shared/snapshot.ts PatronColumns), sorted by card: profile no.,
 * expiry as a day number, block no., name, and the balance and items out of those that have them.
 */
function patrons(scope: Scope): string {
  const cards = scope === 'all' ? '' : `WHERE c.barcode IN ${changed('card')}`;
  const mine = scope === 'all' ? '' : `AND patron_id IN (SELECT patron_id FROM patron_cards WHERE barcode IN ${changed('card')})`;
  return `WITH owed AS (SELECT patron_id, sum(amount_cents - paid_cents) AS cents FROM bills WHERE paid_cents < amount_cents ${mine} GROUP BY patron_id),
      credit AS (SELECT patron_id, sum(credit_cents) AS cents FROM payments WHERE credit_cents > 0 ${mine} GROUP BY patron_id),
      limited AS (SELECT DISTINCT patron_profile AS profile FROM loan_policies WHERE max_items_out IS NOT NULL),
      outs AS (SELECT patron_id, count(*) AS n FROM loans WHERE checkin_at IS NULL AND EXISTS (SELECT 1 FROM limited) ${mine} GROUP BY patron_id),
      profs AS (SELECT profile, row_number() OVER (ORDER BY profile) - 1 AS n FROM (${PROFILE_LIST})),
      rows AS MATERIALIZED (SELECT row_number() OVER (ORDER BY c.barcode) - 1 AS k,
          snap_front(lag(c.barcode) OVER (ORDER BY c.barcode), c.barcode) AS card, pf.n AS profile,
          -- A date SQLite cannot read (imports and registrations check them) counts as long past, as format 4's text compared.
          coalesce(CAST(julianday(p.expires_on) - 2440587.5 AS INTEGER), 0) AS day,
          CASE WHEN p.barred THEN 1 WHEN p.inactive THEN 2 WHEN NOT c.active THEN 3 ELSE 0 END AS block,
          p.first_name || ' ' || p.last_name AS name, coalesce(o.cents, 0) - coalesce(cr.cents, 0) AS balance,
          CASE WHEN EXISTS (SELECT 1 FROM limited l WHERE l.profile IS NULL OR l.profile = p.profile) THEN coalesce(lo.n, 0) END AS items_out
        FROM patron_cards c JOIN patrons p ON p.id = c.patron_id JOIN profs pf ON pf.profile = p.profile
        LEFT JOIN owed o ON o.patron_id = p.id LEFT JOIN credit cr ON cr.patron_id = p.id LEFT JOIN outs lo ON lo.patron_id = p.id
        ${cards}),
      span AS (SELECT min(day) AS day_lo, max(day) AS day_hi, (SELECT count(*) - 1 FROM profs) AS profile_hi FROM rows)
    SELECT '{"cards":' || json_group_array(card ORDER BY k)
      || ',"profiles":' || ${packedColumn('profile', '0', 'profile_hi')}
      || ',"expires_on":' || ${packedColumn('day', 'day_lo', 'day_hi')}
      || ',"blocks":' || ${packedColumn('block', '0', '3')}
      || ',"names":' || json_group_array(name ORDER BY k)
      || ',"balances":' || ${sparseColumn('balance', 'balance <> 0')}
      || ',"items_out":' || ${sparseColumn('items_out')} || '}'
    FROM rows CROSS JOIN span`;
}

/** The items a part covers, as a filter on items i. */
const itemScope = (scope: Scope): string => (scope === 'all' ? '1' : `i.barcode IN ${changed('item')}`);

/** The part's item types and titles, numbered in order: items refer to them by number. */
const numbered = (scope: Scope): string => `types AS (SELECT item_type, row_number() OVER (ORDER BY item_type) - 1 AS n
      FROM (SELECT DISTINCT item_type FROM items i WHERE ${itemScope(scope)})),
    titles AS MATERIALIZED (SELECT title, record_id, row_number() OVER (ORDER BY title, record_id) - 1 AS n
      FROM (SELECT DISTINCT title, record_id FROM items i WHERE ${itemScope(scope)}))`;

const itemTypes = (scope: Scope): string => `WITH ${numbered(scope)} SELECT json_group_array(item_type ORDER BY n) FROM types`;

/** Titles as columns (TitleColumns): their text front-coded in order, and the record ids there are. */
const titles = (scope: Scope): string => `WITH ${numbered(scope)},
    rows AS MATERIALIZED (SELECT n AS k, snap_front(lag(title) OVER (ORDER BY n), title) AS text, record_id FROM titles)
  SELECT '{"texts":' || json_group_array(text ORDER BY k) || ',"records":' || ${sparseColumn('record_id')} || '}' FROM rows`;

/**
 * Items as columns (ItemColumns), sorted by barcode: type no., title no., and the card a hold on this very
 * copy wants it for, in the order processing fills holds: the hold it is set aside for, else the oldest waiting on it.
 */
function items(scope: Scope): string {
  // Numbered by rank, as the item_types and titles parts number them (in order, over the same items), without joining 5M items to them.
  return `WITH on_item AS (SELECT item_id, patron_id, row_number() OVER (PARTITION BY item_id ORDER BY status = 'pending', created_at, id) AS n
        FROM holds WHERE item_id IS NOT NULL AND status IN ('pending', 'captured', 'on_shelf')),
      wanted AS MATERIALIZED (SELECT oi.item_id, coalesce(${activeCardOf('oi.patron_id')}, '') AS card FROM on_item oi WHERE oi.n = 1),
      ranked AS (SELECT i.id, i.barcode, dense_rank() OVER (ORDER BY i.item_type) - 1 AS type,
          dense_rank() OVER (ORDER BY i.title, i.record_id) - 1 AS title
        FROM items i WHERE ${itemScope(scope)}),
      rows AS MATERIALIZED (SELECT row_number() OVER (ORDER BY r.barcode) - 1 AS k,
          snap_front(lag(r.barcode) OVER (ORDER BY r.barcode), r.barcode) AS barcode, r.type, r.title, w.card AS hold_for
        FROM ranked r LEFT JOIN wanted w ON w.item_id = r.id),
      span AS (SELECT max(type) AS type_hi, max(title) AS title_hi FROM rows)
    SELECT '{"barcodes":' || json_group_array(barcode ORDER BY k)
      || ',"types":' || ${packedColumn('type', '0', 'type_hi')}
      || ',"titles":' || ${packedColumn('title', '0', 'title_hi')}
      || ',"hold_for":' || ${sparseColumn('hold_for')} || '}'
    FROM rows CROSS JOIN span`;
}

/** Title-level holds waiting: [title key, card of the oldest one's patron]. */
function titleHolds(scope: Scope): string {
  return `WITH waiting AS (SELECT ${KEY} AS k, patron_id, row_number() OVER (PARTITION BY ${KEY} ORDER BY created_at, id) AS n
        FROM holds WHERE item_id IS NULL AND status = 'pending')
    SELECT json_group_array(json_array(w.k, coalesce(${activeCardOf('w.patron_id')}, ''))) FROM waiting w
    WHERE w.n = 1 ${scope === 'all' ? '' : `AND w.k IN ${changed('title_key')}`}`;
}

/**
 * Every patron profile, those named only by a policy too (a desk registering a patron may pick one). Here
 * rather than in the head: it reads every patron, a second at a consortium's million, which on the main
 * thread every request would wait behind.
 */
const PROFILES = `SELECT json_group_array(profile ORDER BY profile) FROM (${PROFILE_LIST})`;

/** The whole library's big parts. */
export function fullParts(): SnapshotPart[] {
  return [
    { name: 'profiles', sql: PROFILES, params: {} },
    { name: 'item_types', sql: itemTypes('all'), params: {} },
    { name: 'titles', sql: titles('all'), params: {} },
    { name: 'title_holds', sql: titleHolds('all'), params: {} },
    { name: 'patrons', sql: patrons('all'), params: {} },
    { name: 'items', sql: items('all'), params: {} },
  ];
}

/** What changed since a version: the same parts for the rows the change log names, and what is gone. */
export function deltaParts(since: number): SnapshotPart[] {
  const params = { since };
  return [
    { name: 'profiles', sql: PROFILES, params: {} },
    ...(['item_types', 'titles', 'title_holds', 'patrons', 'items'] as const).map((name) => ({
      name, params, sql: { item_types: itemTypes, titles, title_holds: titleHolds, patrons, items }[name]('since'),
    })),
    { name: 'removed_cards', params, sql: `SELECT json_group_array(card) FROM ${changed('card')} AS ch
        WHERE NOT EXISTS (SELECT 1 FROM patron_cards c WHERE c.barcode = ch.card)` },
    { name: 'removed_items', params, sql: `SELECT json_group_array(item) FROM ${changed('item')} AS ch
        WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.barcode = ch.item)` },
    { name: 'removed_title_holds', params, sql: `SELECT json_group_array(title_key) FROM ${changed('title_key')} AS ch
        WHERE NOT EXISTS (SELECT 1 FROM holds WHERE item_id IS NULL AND status = 'pending' AND ${KEY} = ch.title_key)` },
  ];
}
