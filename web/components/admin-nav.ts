import { html, nothing } from 'lit';

const LINKS = [
  ['#/admin', 'Sessions'], ['#/admin/staff', 'Staff'], ['#/admin/workstations', 'Workstations'], ['#/admin/calendars', 'Calendars'], ['#/admin/policies', 'Loan policies'],
  ['#/admin/import', 'Import data'], ['#/admin/audit', 'Audit trail'],
] as const;

/** The admin area's own navigation; the API reference is a plain page outside the app. */
export function adminNav(current: string) {
  return html`<nav class="modes" aria-label="Administration">
    ${LINKS.map(([href, label]) => html`<a href=${href} aria-current=${current === href ? 'page' : nothing}>${label}</a>`)}
    <a href="/api/docs" target="_blank" rel="noopener">API reference</a>
  </nav>`;
}
