import type { LoanPolicy } from '../../shared/loan-policy.js';

const DAY_MS = 86400_000;

/**
 * The overdue fine for a return: the daily fine for each started day past
 * the due time, capped by the policy's maximum. A return backdated to or
 * before the due date owes nothing.
 */
export function overdueFineCents(dueAt: string, returnedAt: string, policy: Pick<LoanPolicy, 'daily_fine_cents' | 'max_fine_cents'>): { days: number; cents: number } {
  const late = Date.parse(returnedAt) - Date.parse(dueAt);
  if (late <= 0) return { days: 0, cents: 0 };
  const days = Math.ceil(late / DAY_MS);
  return { days, cents: Math.min(days * policy.daily_fine_cents, policy.max_fine_cents) };
}
