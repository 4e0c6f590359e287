import { describe, expect, it } from 'vitest';
import { inLocale } from '../i18n/msg.js';
import * as french from '../i18n/locales/fr.js';
import { detailFromApi, detailText, part, partsForApi } from '../result-details.js';

describe('a result’s explanation as the API sends it, worded for the desk', () => {
  const parts = [part('noPatron', { card: 'P0099' }), part('due', { date: '2026-03-05' })];

  it('words the sentences from their keys and data, in English by default', () => {
    expect(detailFromApi(partsForApi(parts))).toBe('No patron has card P0099. Due Mar 5, 2026.');
  });

  it('words them in the desk’s language, data and dates included, not the English `detail`', () => {
    expect(inLocale('fr', french, () => detailFromApi(partsForApi(parts)))).toBe('Aucun usager n\'a la carte P0099. Retour prévu le 5 mars 2026.');
  });

  it('words a time at its branch, and one whose branch zone is unknown as UTC’s, saying so', () => {
    const at = '2026-03-05T21:30:00.000Z';
    expect(detailFromApi(partsForApi([part('onLoanToOther', { item: 'I00001', card: 'P0002', at, zone: 'Pacific/Auckland' })])))
      .toBe('Item I00001 was on loan to P0002; that loan was closed at Mar 6, 2026, 10:30 AM.');
    const zoneless = [part('onLoanToOther', { item: 'I00001', card: 'P0002', at, zone: undefined })];
    expect(detailFromApi(partsForApi(zoneless))).toBe('Item I00001 was on loan to P0002; that loan was closed at Mar 5, 2026, 9:30 PM UTC.');
    expect(detailFromApi(partsForApi(zoneless))).toBe(detailText(zoneless));
  });

  it('is nothing when there is nothing to say, and a newer server’s unknown sentence still shows its data', () => {
    expect(detailFromApi(null)).toBeNull();
    expect(detailFromApi([])).toBeNull();
    expect(detailFromApi([{ key: 'fromTheFuture', params: { item: 'I00007', branch: 'EAST', none: null } }])).toBe('I00007 · EAST');
  });
});
