/**
 * Loan policy selection and due-date arithmetic. The server uses these when
 * processing, and the desk uses the same functions offline, so the due date
 * a patron is told is the one the database stores.
 */

export interface LoanPolicy {
  item_type: string | null;
  patron_profile: string | null;
  loan_days: number;
  max_renewals: number;
  daily_fine_cents: number;
  max_fine_cents: number;
  /** How many items a patron of this profile may have out at once; null or absent: no limit. */
  max_items_out?: number | null;
}

/** The most specific policy: item type × profile, then item type, then profile, then the default. */
export function pickPolicy<P extends LoanPolicy>(policies: readonly P[], itemType: string | null, profile: string | null): P | undefined {
  let best: P | undefined;
  let bestScore = -1;
  for (const p of policies) {
    if (p.item_type !== null && p.item_type !== itemType) continue;
    if (p.patron_profile !== null && p.patron_profile !== profile) continue;
    const score = (p.item_type !== null ? 2 : 0) + (p.patron_profile !== null ? 1 : 0);
    if (score > bestScore) { best = p; bestScore = score; }
  }
  return best;
}
