import { html } from 'lit';
import { describedBy, invalid, itemField, type DeskFormHost } from './fields.js';
import { deskToday } from '../../services/desk-time.js';
import { msg } from '@lit/localize';

const TEXT = {
  get backdate() { return msg('Effective date'); },
  get hint() { return msg('For items returned earlier (book drop); leave empty for now'); },
  get submit() { return msg('Check in'); },
};

/** A return: the item, and the day it really came back when it was left in the book drop. */
export const checkinForm = (host: DeskFormHost) => html`${itemField(host)}
  <div class="field"><label>${TEXT.backdate} <input name="backdate" type="date" max=${deskToday(host.time)}
    aria-invalid=${invalid(host, 'backdate')} aria-describedby=${describedBy(host, 'backdate', 'backdate-hint')}></label>
    <small id="backdate-hint" class="hint">${TEXT.hint}</small></div>
  <button type="submit">${TEXT.submit}</button>`;
