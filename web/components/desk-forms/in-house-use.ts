import { html } from 'lit';
import { countField, itemField, type DeskFormHost } from './fields.js';

/** An item used in the library (read at a table, copied), counted for statistics. */
export const inHouseUseForm = (host: DeskFormHost) => html`${itemField(host)}${countField()}
  <button type="submit">Record use</button>`;
