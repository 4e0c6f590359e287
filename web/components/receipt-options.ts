import { html } from 'lit';
import { hasLastReceipt, receiptSettings, reprintLast, type Paper } from './receipt.js';
import { msg } from '@lit/localize';

const TEXT = {
  get print() { return msg('Print a receipt when the patron is done'); },
  get paper() { return msg('Paper'); },
  get roll() { return msg('80 mm receipt printer'); },
  get a4() { return msg('A4'); },
  get reprint() { return msg('Reprint last receipt'); },
};

/** The key's name as on the keyboard (and as aria-keyshortcuts takes it): not translated. */
const REPRINT_KEY = 'F9';

/**
 * Whether the desk prints one receipt at the end of each visit, on which
 * paper, and a reprint of the last one. A template, not an element: it is
 * drawn again with the desk after each visit, so "Reprint" turns on with the first receipt.
 */
export const receiptOptions = () => html`<div class="row receipt-tools">
  <label class="check"><input type="checkbox" .checked=${receiptSettings.enabled}
    @change=${(e: Event) => { receiptSettings.enabled = (e.target as HTMLInputElement).checked; }}> ${TEXT.print}</label>
  <label class="inline">${TEXT.paper} <select @change=${(e: Event) => { receiptSettings.paper = (e.target as HTMLSelectElement).value as Paper; }}>
    <option value="80mm" ?selected=${receiptSettings.paper === '80mm'}>${TEXT.roll}</option>
    <option value="a4" ?selected=${receiptSettings.paper === 'a4'}>${TEXT.a4}</option>
  </select></label>
  <button type="button" class="secondary" ?disabled=${!hasLastReceipt()} @click=${reprintLast} aria-keyshortcuts=${REPRINT_KEY}>
    ${TEXT.reprint} <kbd aria-hidden="true" translate="no">${REPRINT_KEY}</kbd></button>
</div>`;
