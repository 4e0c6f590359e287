import { html } from 'lit';
import { countField, itemField, type DeskFormHost } from './fields.js';
import { msg } from '@lit/localize';

const TEXT = { get submit() { return msg('Record use'); } };

/** An item used in the library (read at a table, copied), counted for statistics. */
export const inHouseUseForm = (host: DeskFormHost) => html`${itemField(host)}${countField(host)}
  <button type="submit">${TEXT.submit}</button>`;
