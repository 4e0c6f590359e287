/**
 * The language numbers, money and dates are written in. The app sets it with the desk's
 * language; the server writes English unless a call asks for another (msg.ts `inLocale`).
 * Formatters cost far more to build than to use, and lists format every row, so each is
 * built once per language and options.
 */
let current = 'en';
const formats = new Map<string, Intl.NumberFormat>();

export const formatLocale = (): string => current;

export function setFormatLocale(locale: string): void {
  current = locale;
}

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${current}|${key}`;
  let format = formats.get(id);
  if (!format) formats.set(id, (format = new Intl.NumberFormat(current, options)));
  return format;
}

/** Whole cents as the language writes an amount: 5.00, 5,00, ٥٫٠٠. */
export const formatMoney = (cents: number): string =>
  numberFormat('money', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);

/** A count as the language writes it: 1,234, 1 234, 1.234. */
export const formatCount = (n: number): string => numberFormat('count', { maximumFractionDigits: 0 }).format(n);

/** Languages written right to left among the ones a library may add. */
const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb', 'ug']);

export const isRightToLeft = (locale: string): boolean => RTL.has(locale.split('-')[0].toLowerCase());
