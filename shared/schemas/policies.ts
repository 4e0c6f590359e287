import { Type, type Static } from 'typebox';
import { Nullable } from './common.js';

/**
 * The bounds of a loan policy's numbers, for the policies file and the admin page alike:
 * wide enough for any library, narrow enough that a mistyped column (a barcode in
 * loan_days) is caught rather than stored.
 */
export const POLICY_LIMITS = {
  loan_days: [1, 3650],
  max_renewals: [0, 999],
  daily_fine_cents: [0, 10_000_000],
  max_fine_cents: [0, 100_000_000],
  max_items_out: [0, 9999],
} as const;

const bounded = (key: keyof typeof POLICY_LIMITS, description: string) =>
  Type.Integer({ minimum: POLICY_LIMITS[key][0], maximum: POLICY_LIMITS[key][1], description });

/** An item type or a patron profile as items and patrons carry it; null: any. */
const Criterion = (what: string) => Nullable(Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$',
  description: `The ${what} this policy is for, exactly as items and patrons carry it; null for any` }));

export const LoanPolicyBody = Type.Object({
  item_type: Criterion('item type'),
  patron_profile: Criterion('patron profile'),
  loan_days: bounded('loan_days', 'Loan period in days (due at the end of the last local day, moved to the next open day)'),
  max_renewals: bounded('max_renewals', 'Renewals allowed'),
  daily_fine_cents: bounded('daily_fine_cents', 'Fine per open day late, in cents'),
  max_fine_cents: bounded('max_fine_cents', 'The most one overdue loan is fined, in cents'),
  max_items_out: Nullable(bounded('max_items_out', 'How many items a patron may have out under this policy; null: no limit')),
}, { additionalProperties: false });
export type LoanPolicyBody = Static<typeof LoanPolicyBody>;

export const LoanPolicyRecord = Type.Object({
  id: Type.Integer(),
  ...LoanPolicyBody.properties,
});
export type LoanPolicyRecord = Static<typeof LoanPolicyRecord>;
