import { LitElement } from 'lit';

/**
 * Renders into the light DOM: one global stylesheet (screen and print)
 * styles the whole app, and labels, forms and dialogs behave as plain HTML.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
