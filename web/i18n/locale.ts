/**
 * The desk's language: the browser's by default, or the one chosen on this device (kept in
 * localStorage, so it holds offline and across reloads). Each language's strings are a chunk
 * of their own, loaded when chosen and precached by the service worker with the rest of the app.
 */
import { configureLocalization } from '@lit/localize';
import { sourceLocale, targetLocales, allLocales } from '../../shared/i18n/locales/locale-codes.js';
import { isRightToLeft, setFormatLocale } from '../../shared/i18n/locale.js';

const KEY = 'oc-locale';
/** The pseudo-locale the tests walk the app in: built and shipped, never offered. */
export const PSEUDO_LOCALE = 'en-XA';

type Locale = (typeof allLocales)[number];

const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => import(`../../shared/i18n/locales/${locale}.ts`),
});

export { getLocale };

/** The languages staff can choose, each named in itself. */
export const offeredLocales = (): { code: string; name: string }[] =>
  allLocales.filter((l) => l !== PSEUDO_LOCALE).map((code) => ({ code, name: nameOf(code) }));

function nameOf(code: string): string {
  const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}

const isLocale = (l: string | null): l is Locale => !!l && (allLocales as readonly string[]).includes(l);

/** The chosen language, else the first of the browser's that the app has (exactly, then by language alone). */
export function preferredLocale(): Locale {
  const chosen = localStorage.getItem(KEY);
  if (isLocale(chosen)) return chosen;
  for (const wanted of navigator.languages ?? [navigator.language]) {
    if (isLocale(wanted)) return wanted;
    const base = wanted.split('-')[0];
    if (isLocale(base)) return base;
  }
  return sourceLocale;
}

/** Shows the app in `locale`: strings, numbers and dates, direction, and the page's lang for screen readers. */
export async function applyLocale(locale: string): Promise<void> {
  const target = isLocale(locale) ? locale : sourceLocale;
  setFormatLocale(target);
  document.documentElement.lang = target;
  document.documentElement.dir = isRightToLeft(target) ? 'rtl' : 'ltr';
  await setLocale(target);
}

/** Chooses the language for this device from now on. */
export async function chooseLocale(locale: string): Promise<void> {
  localStorage.setItem(KEY, locale);
  await applyLocale(locale);
}
