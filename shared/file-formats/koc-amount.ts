/**
 * Money in Koha's `.koc` payment rows: currency units with a decimal point,
 * `5.00`, which Koha hands to its account's pay() as the amount. We keep
 * money as whole cents (SPEC §4 `amount_cents`), so these convert exactly,
 * without floating point.
 */

/** 500 → `5.00`; undefined for anything but a whole number of cents above zero. */
export function formatKocAmount(cents: number): string | undefined {
  if (!Number.isSafeInteger(cents) || cents <= 0) return undefined;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * `5.00`, `5.5` or `5` → cents; undefined for what is not an amount above zero
 * in whole cents (a comma, a sign, a third decimal).
 */
export function parseKocAmount(text: string): number | undefined {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : undefined;
}
