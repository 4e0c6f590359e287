import { html } from 'lit';
import { itemField, today, type DeskFormHost } from './fields.js';

/** A return: the item, and the day it really came back when it was left in the book drop. */
export const checkinForm = (host: DeskFormHost) => html`${itemField(host)}
  <label>Effective date <input name="backdate" type="date" max=${today()}>
    <small>For items returned earlier (book drop); leave empty for now</small></label>
  <button type="submit">Check in</button>`;
