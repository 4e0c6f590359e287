import { html } from 'lit';
import { describedBy, invalid, patronField, type DeskFormHost } from './fields.js';
import { msg } from '@lit/localize';

const TEXT = {
  get amount() { return msg('Amount'); },
  get amountHint() { return msg('Such as 5.00'); },
  get note() { return msg('Note'); },
  get noteHint() { return msg('Optional: cash, card, what it pays for'); },
  get submit() { return msg('Record payment'); },
};

/**
 * Money taken from a patron: the card (with what it owes, as far as this desk
 * knows), the sum, and a note. Processing pays the oldest bills first; what is
 * left over becomes a credit.
 */
export const paymentForm = (host: DeskFormHost) => html`${patronField(host, true)}
  <div class="field"><label>${TEXT.amount} <input name="amount" dir="ltr" inputmode="decimal" autocomplete="off" required
    aria-invalid=${invalid(host, 'amount')} aria-describedby=${describedBy(host, 'amount', 'amount-hint')}></label>
    <small id="amount-hint" class="hint">${TEXT.amountHint}</small></div>
  <div class="field"><label>${TEXT.note} <input name="note" autocomplete="off" maxlength="200"
    aria-invalid=${invalid(host, 'note')} aria-describedby=${describedBy(host, 'note', 'note-hint')}></label>
    <small id="note-hint" class="hint">${TEXT.noteHint}</small></div>
  <button type="submit">${TEXT.submit}</button>`;
