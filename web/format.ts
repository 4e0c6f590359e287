/** Dates and times as staff read them, in the device's own time zone. */
export const formatTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '';

export const formatDate = (iso: string | null | undefined): string =>
  iso ? new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '';

export function formatSkew(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 2) return 'in step';
  const abs = Math.abs(seconds);
  const text = abs >= 120 ? `${Math.round(abs / 60)} min` : `${abs} s`;
  return seconds > 0 ? `device ${text} slow` : `device ${text} fast`;
}

export const TYPE_LABELS: Record<string, string> = {
  checkout: 'Checkout', renew: 'Renewal', checkin: 'Checkin', in_house_use: 'In-house use', register: 'Registration',
};

export const OUTCOME_LABELS: Record<string, string> = {
  pending: 'Pending', applied: 'Applied', applied_with_notice: 'Applied with notice', exception: 'Exception', skipped: 'Skipped', voided: 'Voided',
};
