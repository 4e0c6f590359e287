/**
 * The form of a sentence for a count, chosen by the language's plural rules
 * (Intl.PluralRules), so "1 in-house use" and "3 in-house uses" are each a
 * whole sentence the caller wrote out; a translation can give every form its
 * language has (one, few, many…) and msg() can take this helper's place.
 */
type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

let rules: Intl.PluralRules | undefined;

export function plural(count: number, forms: Forms): string {
  // The sentences are the page's language (English until they are translated), not the device's.
  rules ??= new Intl.PluralRules(globalThis.document?.documentElement.lang || 'en');
  return forms[rules.select(count)] ?? forms.other;
}
