/**
 * The app's own translations, read from the XLIFF files, so that a test can say "the French
 * for Checkout" rather than copy the French: a translator's change of words does not break
 * the tests, a string left in English does.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

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

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A control's name as shown in `locale`, or in English while its screen does not pass it through
 * msg() yet: for finding what to click and fill only. What staff read is asserted with tr() and,
 * in the pseudo-locale, with unmarkedText().
 */
export function shown(locale: string, english: string, ...values: (string | number)[]): RegExp {
  const names = [english.replace(/\{(\d+)\}/g, (_, i: string) => String(values[Number(i)]))];
  if (catalog(locale).has(english)) names.unshift(tr(locale, english, ...values));
  return new RegExp(`^\\s*(${names.map(escaped).join('|')})\\s*$`);
}

/**
 * The start of the translation of the first message whose English begins with `englishStart`, up to
 * its first value: for a sentence whose values are themselves sentences ("Saved on this device:
 * checkout of …"), where only its opening words can be compared.
 */
export function trStart(locale: string, englishStart: string): string {
  for (const [english, target] of catalog(locale)) {
    if (english.startsWith(englishStart)) return target.split(/\{\d+\}/)[0];
  }
  throw new Error(`no message starting "${englishStart}" in xliff/${locale}.xlf`);
}

/** Waits until the desk holds its offline data (block list, policies), read from its IndexedDB as the desk reads it. */
export async function offlineDataStored(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(async () => {
    // Opening a database that does not exist would create it empty, ahead of the app's own schema.
    if (!(await indexedDB.databases()).some((d) => d.name === 'offline-circ-snapshot')) return false;
    return new Promise<boolean>((resolve) => {
      const open = indexedDB.open('offline-circ-snapshot');
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('meta')) { db.close(); resolve(false); return; }
        const count = db.transaction('meta').objectStore('meta').count();
        count.onsuccess = () => { db.close(); resolve(count.result > 0); };
        count.onerror = () => { db.close(); resolve(false); };
      };
    });
  }), { timeout: 30_000 }).toBe(true);
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
    // A message may hold another (a sentence whose value is a sentence): brackets nest, so the innermost go first.
    const stripped = (text: string): string => {
      let rest = text;
      for (let before = ''; before !== rest;) {
        before = rest;
        rest = rest.replace(/⟦[^⟦⟧]*⟧/g, '');
      }
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
