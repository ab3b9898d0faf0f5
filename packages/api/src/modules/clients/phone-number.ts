/**
 * Phone numbers as E.164 (`+16085550100`): how they are stored and searched, so '608-555-0100',
 * '(608) 555 0100' and '+1 608 555 0100' are one number. Ten digits, or eleven starting with 1,
 * are North American; anything else must be written with its country code after a '+'.
 * Returns null for what cannot be a phone number.
 */
export function toE164(input: string): string | null {
  const trimmed = input.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
  if (/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return `+${digits}`;
  return null;
}
