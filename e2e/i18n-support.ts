/**
 * The app's own translations, read from the XLIFF files, so that a test can say "the French
 * for Checkout" rather than copy the French: a translator's change of words does not break
 * the tests, a string left in English does.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

const catalogs = new Map<string, Map<string, string>>();

const unescape = (xml: string): string => xml.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"')
  .replaceAll('&apos;', "'").replaceAll('&amp;', '&');
/** Placeholders become {0}, {1}… by their id. */
const plain = (xml: string): string => unescape(xml.replace(/<x id="(\d+)"[^>]*\/>/g, '{$1}'));

function catalog(locale: string): Map<string, string> {
  let found = catalogs.get(locale);
  if (!found) {
    found = new Map();
    const xliff = readFileSync(`xliff/${locale}.xlf`, 'utf8');
    for (const m of xliff.matchAll(/<source>([\s\S]*?)<\/source>\s*<target>([\s\S]*?)<\/target>/g)) found.set(plain(m[1]), plain(m[2]));
    catalogs.set(locale, found);
  }
  return found;
}

/** The translation of an English message (placeholders as {0}, {1}…), with the values put in. */
export function tr(locale: string, english: string, ...values: (string | number)[]): string {
  const target = catalog(locale).get(english);
  if (target === undefined) throw new Error(`no message "${english}" in xliff/${locale}.xlf`);
  return target.replace(/\{(\d+)\}/g, (_, i: string) => String(values[Number(i)]));
}

/** Shows the app in a language from the first page load on, as a device that chose it. */
export async function useLocale(page: Page, locale: string): Promise<void> {
  await page.addInitScript((l) => localStorage.setItem('oc-locale', l), locale);
}

/**
 * Text on screen that did not pass through msg(): in the pseudo-locale every message is
 * bracketed ⟦…⟧, so letters outside brackets are either data (marked translate="no", or a
 * <time>) or a string the code forgot. Labels a screen reader reads (aria-label, placeholder,
 * title, alt) and the options of menus count too.
 */
export async function unmarkedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const letters = /\p{L}/u;
    // Messages nest (a patron's name and card inside a sentence, a type inside "…, the whole transaction"): innermost first.
    const stripped = (text: string): string => {
      let rest = text;
      for (let before = ''; before !== rest;) [before, rest] = [rest, rest.replace(/⟦[^⟦⟧]*⟧/g, '')];
      return rest.trim();
    };
    const isData = (el: Element): boolean => !!el.closest('[translate="no"], time, script, style, noscript, template');
    const found = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || isData(el)) continue;
      const inMenu = el.closest('select, datalist');
      if (!inMenu && !el.checkVisibility()) continue;
      const rest = stripped(node.textContent ?? '');
      if (letters.test(rest)) found.add(`${el.tagName.toLowerCase()}: ${rest}`);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (isData(el) || !el.checkVisibility()) continue;
      for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
        const rest = stripped(el.getAttribute(name) ?? '');
        if (letters.test(rest)) found.add(`${el.tagName.toLowerCase()}[${name}]: ${rest}`);
      }
    }
    return [...found];
  });
}
