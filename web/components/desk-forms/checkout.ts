import { html, nothing } from 'lit';
import { countField, describedBy, dueField, invalid, itemField, patronField, type DeskFormHost } from './fields.js';
import { formatDate } from '../../format.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  get noncat() { return msg('Non-cataloged item (paperback exchange, magazine…)'); },
  get type() { return msg('Type'); },
  get other() { return msg('Other'); },
  due: (date: string) => msg(str`Due ${date}`),
  get submit() { return msg('Check out'); },
};

/** A loan: the card, then the item (with the due date the server will give) or a non-cataloged type and count. */
export function checkoutForm(host: DeskFormHost) {
  const types = host.meta?.noncat_types ?? [];
  return html`${patronField(host, true)}
    <label class="check"><input type="checkbox" name="noncat" .checked=${host.noncat} @change=${host.noncatChanged}>
      ${TEXT.noncat}</label>
    ${host.noncat ? html`<label>${TEXT.type} <select name="noncat_type" required aria-invalid=${invalid(host, 'noncat_type')}
        aria-describedby=${describedBy(host, 'noncat_type')}>
        ${types.map((t) => html`<option value=${t.code} translate="no">${t.name}</option>`)}
        ${types.length ? nothing : html`<option value="other">${TEXT.other}</option>`}
      </select></label>
      ${countField(host)}`
      : html`${itemField(host)}${dueField(host)}
      ${host.due ? html`<p class="due-preview">${TEXT.due(formatDate(host.due.due, host.time.calendar.zone))} <span class="basis">(${host.due.basis})</span></p>` : nothing}`}
    <button type="submit">${TEXT.submit}</button>`;
}
