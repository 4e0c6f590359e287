/**
 * Rules the database answers, each written once as SQL and used by every
 * query that needs it (repositories, processing, the snapshot).
 */

/**
 * The card a patron is known by: an active one (a patron has one; should an import or a
 * registration ever leave two, the lowest barcode, so every list names the same card).
 * A scalar subquery, NULL when the patron has no active card: `patronId` is the SQL for the
 * patron's id, a column (`n.patron_id`) or a parameter (`?`).
 */
export const activeCardOf = (patronId: string): string =>
  `(SELECT barcode FROM patron_cards WHERE patron_id = ${patronId} AND active = 1 ORDER BY barcode LIMIT 1)`;

/**
 * The branch tree as (ancestor_id, branch_id) pairs, each branch paired with itself and
 * with every branch above it: `WHERE ancestor_id IN (…)` gives subtrees, `WHERE branch_id
 * = ?` gives a branch's chain up to its library system. Start a statement with it.
 */
export const BRANCH_TREE = `WITH RECURSIVE branch_tree(ancestor_id, branch_id) AS (
    SELECT id, id FROM branches
    UNION
    SELECT t.ancestor_id, b.id FROM branch_tree t JOIN branches b ON b.parent_id = t.branch_id
  )`;

/**
 * The order a session's transactions are processed, retried and listed in: registrations
 * first (phase 0), then skew-corrected time, ties by workstation and the device's seq.
 * Columns of offline_transactions; the index offline_transactions_order serves it.
 */
export const PROCESSING_ORDER = 'phase, sort_at, workstation, seq';

/** How many of a session's transactions have each outcome (one row per outcome present). */
export const OUTCOME_COUNTS = 'SELECT outcome, count(*) AS n FROM offline_transactions WHERE session_id = ? GROUP BY outcome';
