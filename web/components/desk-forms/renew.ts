import { html } from 'lit';
import { dueField, itemField, patronField, type DeskFormHost } from './fields.js';
import { msg } from '@lit/localize';

const TEXT = { get submit() { return msg('Renew'); } };

/** A renewal: the item, the card if the borrower has it, a due date if staff give one. */
export const renewForm = (host: DeskFormHost) => html`${itemField(host)}${patronField(host, false)}${dueField(host)}
  <button type="submit">${TEXT.submit}</button>`;
