import { html } from 'lit';
import { LightElement } from './light-element.js';
import { signal } from './feedback.js';

/**
 * Asks staff whether to go ahead despite a warning. Cancel has the focus,
 * so a scanner's stray Enter does not allow what staff did not read.
 */
export class WarningDialog extends LightElement {
  static override properties = { heading: { state: true }, message: { state: true } };
  heading = '';
  message = '';
  private resolve?: (allowed: boolean) => void;

  ask(heading: string, message: string): Promise<boolean> {
    this.heading = heading;
    this.message = message;
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
    return html`<dialog class="warning" aria-labelledby="warning-title" aria-describedby="warning-text" @cancel=${(e: Event) => { e.preventDefault(); this.answer(false); }}>
      <h2 id="warning-title">${this.heading}</h2>
      <p id="warning-text">${this.message}</p>
      <div class="actions">
        <button type="button" @click=${() => this.answer(true)}>Allow</button>
        <button type="button" class="secondary cancel" @click=${() => this.answer(false)}>Cancel</button>
      </div>
    </dialog>`;
  }
}
customElements.define('oc-warning-dialog', WarningDialog);
