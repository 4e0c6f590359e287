import { LitElement } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';

/**
 * Renders into the light DOM: one global stylesheet (screen and print)
 * styles the whole app, and labels, forms and dialogs behave as plain HTML.
 * Every element renders again when the desk's language changes.
 */
export class LightElement extends LitElement {
  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
