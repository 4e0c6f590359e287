import { html } from 'lit';
import { msg } from '@lit/localize';
import { LightElement } from './light-element.js';
import { chooseLocale, getLocale, offeredLocales } from '../i18n/locale.js';

/**
 * The header's language menu: this device's language, kept offline. Each language is named
 * in itself, so a clerk finds theirs whatever the desk shows now.
 */
export class LocalePicker extends LightElement {
  private async changed(event: Event): Promise<void> {
    await chooseLocale((event.target as HTMLSelectElement).value);
  }

  protected override render() {
    const current = getLocale();
    return html`<label class="locale-picker"><span class="visually-hidden">${msg('Language')}</span>
      <select @change=${this.changed} title=${msg('Language')}>
        ${offeredLocales().map((l) => html`<option value=${l.code} lang=${l.code} translate="no" ?selected=${l.code === current}>${l.name}</option>`)}
      </select></label>`;
  }
}
customElements.define('oc-locale-picker', LocalePicker);
