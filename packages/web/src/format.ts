const ROLE_LABELS: Record<string, string> = {
  system_admin: 'System administrator',
  agency_admin: 'Agency administrator',
  supervisor: 'Supervisor',
  case_manager: 'Case manager',
  clinician: 'Clinician',
  billing_specialist: 'Billing specialist',
  scheduler: 'Scheduler',
  auditor: 'Auditor',
  client: 'Client',
};

/** `case_manager` → "Case manager"; unknown roles get the same treatment. */
export function roleLabel(role: string): string {
  const known = ROLE_LABELS[role];
  if (known) return known;
  const words = role.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (withSeconds ? dateTimeSeconds : dateTime).format(date);
}
