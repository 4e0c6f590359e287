/**
 * Writes the pseudo-locale's translations (xliff/en-XA.xlf): every message's text accented and
 * wrapped in ⟦ ⟧, its placeholders kept. The tests walk the app in this locale: any text on
 * screen without the brackets did not pass through msg() (e2e/i18n-pseudo.spec.ts).
 * Run by `npm run i18n` after lit-localize extract, before lit-localize build.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = 'xliff/en-XA.xlf';
const ACCENTS: Record<string, string> = {
  a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', c: 'ç', n: 'ñ', y: 'ý', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú', C: 'Ç', N: 'Ñ', Y: 'Ý',
};

/** Accents the words of an XLIFF source, leaving its placeholders (<x …/>) and entities (&amp;) as they are. */
export function pseudo(source: string): string {
  const text = source.replace(/(<[^>]+>|&[#\w]+;)|([^<&]+)/g, (_, keep: string | undefined, words: string | undefined) =>
    keep ?? words!.replace(/[aeiouycnAEIOUYCN]/g, (c) => ACCENTS[c]));
  return `⟦${text}⟧`;
}

if (process.argv[1]?.endsWith('pseudo-locale.ts')) {
  const xliff = readFileSync(FILE, 'utf8');
  let count = 0;
  const out = xliff.replace(/<trans-unit id="([^"]+)">\s*<source>([\s\S]*?)<\/source>(?:\s*<target>[\s\S]*?<\/target>)?/g, (_, id: string, source: string) => {
    count++;
    return `<trans-unit id="${id}">\n  <source>${source}</source>\n  <target>${pseudo(source)}</target>`;
  });
  writeFileSync(FILE, out);
  console.log(`${FILE}: ${count} messages in the pseudo-locale.`);
}
