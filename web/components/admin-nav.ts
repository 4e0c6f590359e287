import { html, nothing } from 'lit';
import { msg } from '@lit/localize';

/** The admin pages, each named when the navigation is drawn (so in the desk's language). */
const LINKS: readonly (readonly [string, () => string])[] = [
  ['#/admin', () => msg('Sessions')], ['#/admin/staff', () => msg('Staff')], ['#/admin/workstations', () => msg('Workstations')],
  ['#/admin/calendars', () => msg('Calendars')], ['#/admin/policies', () => msg('Loan policies')],
  ['#/admin/import', () => msg('Import data')], ['#/admin/audit', () => msg('Audit trail')],
];

/** The admin area's own navigation; the API reference is a plain page outside the app. */
export function adminNav(current: string) {
  return html`<nav class="modes" aria-label=${msg('Administration')}>
    ${LINKS.map(([href, label]) => html`<a href=${href} aria-current=${current === href ? 'page' : nothing}>${label()}</a>`)}
    <a href="/api/docs" target="_blank" rel="noopener">${msg('API reference')}</a>
  </nav>`;
}
