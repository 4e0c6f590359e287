import { html } from 'lit';
import { hasLastReceipt, receiptSettings, reprintLast, type Paper } from './receipt.js';

/**
 * Whether the desk prints a receipt for each loan, on which paper, and a
 * reprint of the last one. A template, not an element: it is drawn again
 * with the desk after each scan, so "Reprint" turns on with the first receipt.
 */
export const receiptOptions = () => html`<div class="row receipt-tools">
  <label class="check"><input type="checkbox" .checked=${receiptSettings.enabled}
    @change=${(e: Event) => { receiptSettings.enabled = (e.target as HTMLInputElement).checked; }}> Print receipt</label>
  <label class="inline">Paper <select @change=${(e: Event) => { receiptSettings.paper = (e.target as HTMLSelectElement).value as Paper; }}>
    <option value="80mm" ?selected=${receiptSettings.paper === '80mm'}>80 mm receipt printer</option>
    <option value="a4" ?selected=${receiptSettings.paper === 'a4'}>A4</option>
  </select></label>
  <button type="button" class="secondary" ?disabled=${!hasLastReceipt()} @click=${reprintLast}>Reprint last receipt</button>
</div>`;
