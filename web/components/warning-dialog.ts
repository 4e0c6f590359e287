import { html } from 'lit';
import { LightElement } from './light-element.js';
import { signal } from './feedback.js';
import type { ScanRefusedEvent } from '../controllers/scan-gate-controller.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  get allow() { return msg('Allow'); },
  get cancel() { return msg('Cancel'); },
  refused: (code: string) => msg(str`${code} was scanned while this question was open and was not recorded. Answer the question, then scan it again.`),
};

/**
 * Asks staff whether to go ahead despite a warning. Cancel has the focus,
 * so a stray Enter does not allow what staff did not read; a scan made while
 * it is open never reaches its buttons (ScanGateController) and is named here.
 */
export class WarningDialog extends LightElement {
  static override properties = { heading: { state: true }, message: { state: true }, refused: { state: true } };
  heading = '';
  message = '';
  /** The last scan refused while this question was open. */
  refused = '';
  private resolve?: (allowed: boolean) => void;

  ask(heading: string, message: string): Promise<boolean> {
    this.heading = heading;
    this.message = message;
    this.refused = '';
    signal('warning');
    return new Promise((resolve) => {
      this.resolve = resolve;
      void this.updateComplete.then(() => {
        this.querySelector('dialog')?.showModal();
        this.querySelector<HTMLButtonElement>('button.cancel')?.focus();
      });
    });
  }

  private answer(allowed: boolean): void {
    this.querySelector('dialog')?.close();
    this.resolve?.(allowed);
    this.resolve = undefined;
  }

  protected override render() {
    return html`<dialog class="warning" aria-labelledby="warning-title" aria-describedby="warning-text"
      @cancel=${(e: Event) => { e.preventDefault(); this.answer(false); }}
      @scan-refused=${(e: ScanRefusedEvent) => { this.refused = e.code; }}>
      <h2 id="warning-title">${this.heading}</h2>
      <p id="warning-text">${this.message}</p>
      <p role="alert" class="error">${this.refused ? TEXT.refused(this.refused) : ''}</p>
      <div class="actions">
        <button type="button" @click=${() => this.answer(true)}>${TEXT.allow}</button>
        <button type="button" class="secondary cancel" @click=${() => this.answer(false)}>${TEXT.cancel}</button>
      </div>
    </dialog>`;
  }
}
customElements.define('oc-warning-dialog', WarningDialog);
