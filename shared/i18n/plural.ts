/**
 * The form of a sentence for a count, chosen by the current language's plural rules
 * (Intl.PluralRules): "1 in-house use" and "3 in-house uses" are each a whole sentence the
 * caller writes out with msg(), so each is translated whole. Languages with more forms than
 * English (Arabic's two, few, many) take their "other" sentence for those unless the caller
 * gives them; translators are asked to write "other" so it reads right for any count.
 */
import { formatLocale } from './locale.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

export function plural(count: number, forms: Forms): string {
  const locale = formatLocale();
  let r = rules.get(locale);
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)));
  return forms[r.select(count)] ?? forms.other;
}
