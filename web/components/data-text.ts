/**
 * Text that is data, not the app's words: it is never translated, and in a right-to-left desk it
 * keeps its own direction. `translate="no"` tells browsers' translators and the pseudo-locale walk
 * (e2e/i18n-pseudo.spec.ts) to leave it alone.
 */
import { html } from 'lit';

/** A barcode, call number, code or username: always left to right, as scanned and printed. */
export const code = (value: string | number | null | undefined) =>
  html`<span class="data-code" dir="ltr" translate="no">${value ?? ''}</span>`;

/** A name or title (a patron's, a branch's, a session's): its direction is its own (an Arabic name in an English desk, or the reverse). */
export const name = (value: string | null | undefined) => html`<bdi translate="no">${value ?? ''}</bdi>`;

/** A date or time already formatted in the desk's language, marked as one for machines and the walk. */
export const time = (iso: string | null | undefined, text: string) => html`<time datetime=${iso ?? ''}>${text}</time>`;
