import { html, nothing } from 'lit';
import { countField, dueField, itemField, patronField, type DeskFormHost } from './fields.js';
import { formatDate } from '../../format.js';

/** A loan: the card, then the item (with the due date the server will give) or a non-cataloged type and count. */
export function checkoutForm(host: DeskFormHost) {
  const types = host.meta?.noncat_types ?? [];
  return html`${patronField(host, true)}
    <label class="check"><input type="checkbox" name="noncat" .checked=${host.noncat} @change=${host.noncatChanged}>
      Non-cataloged item (paperback exchange, magazine…)</label>
    ${host.noncat ? html`<label>Type <select name="noncat_type" required>
        ${types.map((t) => html`<option value=${t.code}>${t.name}</option>`)}
        ${types.length ? nothing : html`<option value="other">Other</option>`}
      </select></label>
      ${countField()}`
      : html`${itemField(host)}${dueField()}
      ${host.due ? html`<p class="due-preview" aria-live="polite">Due ${formatDate(host.due.due)} <span class="basis">(${host.due.basis})</span></p>` : nothing}`}
    <button type="submit">Check out</button>`;
}
