/**
 * The languages the server can write files in (CSV exports' `lang`): the app's own catalogs
 * (shared/i18n/locales), loaded once. English needs none: it is the source text.
 */
import type { LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales } from '../../shared/i18n/locales/locale-codes.js';
import { inLocale } from '../../shared/i18n/msg.js';

const modules = new Map<string, LocaleModule>();

/** Loads every catalog; call once at start-up. */
export async function loadLanguages(): Promise<void> {
  for (const locale of targetLocales) {
    if (!modules.has(locale)) modules.set(locale, (await import(`../../shared/i18n/locales/${locale}.ts`)) as LocaleModule);
  }
}

/** The language to write for a requested tag: itself, else its language alone (fr-CA → fr), else English. */
export function matchLanguage(requested: string | undefined): string {
  if (!requested) return sourceLocale;
  const wanted = requested.toLowerCase();
  const all = [sourceLocale, ...targetLocales] as string[];
  return all.find((l) => l.toLowerCase() === wanted) ?? all.find((l) => l.toLowerCase() === wanted.split('-')[0]) ?? sourceLocale;
}

/** Runs `fn` with texts, numbers and dates in `locale` (a matched one); English when its catalog is not loaded. */
export function inLanguage<T>(locale: string, fn: () => T): T {
  return inLocale(locale, modules.get(locale) ?? null, fn);
}
