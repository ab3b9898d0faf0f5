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
  return ROLE_LABELS[role] ?? codeLabel(role);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (withSeconds ? dateTimeSeconds : dateTime).format(date);
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar date (`1984-03-17`) as the reader writes dates; never shifted by time zone. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '—';
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return dateOnly.format(date);
}

/** Whole years from a birth date to today (or `onDate`). */
export function ageOn(birthDate: string, onDate: Date = new Date()): number {
  const [year = 0, month = 1, day = 1] = birthDate.split('-').map(Number);
  let age = onDate.getFullYear() - year;
  const beforeBirthday =
    onDate.getMonth() + 1 < month || (onDate.getMonth() + 1 === month && onDate.getDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

/** `hispanic_or_latino` → "Hispanic or latino": codes the API sends, in words. */
export function codeLabel(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Today as `YYYY-MM-DD` in the user's own time zone (date inputs and their defaults). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Integer cents as dollars: 2550 → "$25.50". */
export function formatCents(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}
