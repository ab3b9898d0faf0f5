import type { RiskLevel } from './cases.schema.js';

/**
 * How often a case's client must be contacted, by the case's risk level: a policy value the
 * agency sets (`cases.contact_policy`), never a constant in code. Days between contacts.
 */
export type ContactPolicy = Readonly<Record<RiskLevel, number>>;

/** What a new agency starts from (the migration seeds the same values). */
export const DEFAULT_CONTACT_POLICY: ContactPolicy = { low: 30, moderate: 14, high: 7, critical: 2 };

/**
 * The day the next contact is due: `lastContactDate` (YYYY-MM-DD — the last documented
 * contact, or the day the case opened or reopened when there is none since) plus the policy's
 * interval for the risk level.
 */
export function nextContactDue(riskLevel: RiskLevel, lastContactDate: string, policy: ContactPolicy): string {
  return addDays(lastContactDate, policy[riskLevel]);
}

/** The policy's words for the contact task a case carries. */
export function contactTaskTitle(riskLevel: RiskLevel, intervalDays: number): string {
  const every = intervalDays === 1 ? 'every day' : `every ${intervalDays} days`;
  return `Contact the client (${riskLevel} risk: ${every})`;
}

/** A complete policy from per-level rows; a level without a row keeps the default. */
export function contactPolicyOf(
  rows: readonly { risk_level: RiskLevel; interval_days: number }[],
): ContactPolicy {
  const policy: Record<RiskLevel, number> = { ...DEFAULT_CONTACT_POLICY };
  for (const row of rows) policy[row.risk_level] = row.interval_days;
  return policy;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Calendar arithmetic on YYYY-MM-DD dates (computed in UTC, so no daylight-saving surprises). */
export function addDays(date: string, days: number): string {
  if (!ISO_DATE.test(date)) throw new Error(`not a date: ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The later of some YYYY-MM-DD dates (nulls ignored). */
export function latestDate(...dates: (string | null | undefined)[]): string | null {
  let latest: string | null = null;
  for (const date of dates) if (date && (latest === null || date > latest)) latest = date;
  return latest;
}
