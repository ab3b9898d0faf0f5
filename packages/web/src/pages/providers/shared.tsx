import { StatusBadge, type StatusTone } from '@ehrms/ui';
import type { ProviderCredential, ProviderStanding } from '../../api/types.js';

export const PROVIDERS_KEY = ['providers'] as const;

export interface CredentialStanding {
  tone: StatusTone;
  label: string;
}

/**
 * A credential's standing today, from the standing route's buckets: expired, expiring within
 * 30, 60 or 90 days, otherwise in good standing.
 */
export function credentialStanding(
  credential: ProviderCredential,
  standing: ProviderStanding | undefined,
): CredentialStanding {
  if (!standing) return { tone: 'neutral', label: 'Checking…' };
  const has = (list: ProviderCredential[]) => list.some((c) => c.id === credential.id);
  if (has(standing.expired)) return { tone: 'danger', label: 'Expired' };
  if (has(standing.expiringWithin[30])) return { tone: 'danger', label: 'Expires within 30 days' };
  if (has(standing.expiringWithin[60])) return { tone: 'warning', label: 'Expires within 60 days' };
  if (has(standing.expiringWithin[90])) return { tone: 'info', label: 'Expires within 90 days' };
  return { tone: 'success', label: 'OK' };
}

export function CredentialStandingBadge({ standing }: { standing: CredentialStanding }) {
  return <StatusBadge tone={standing.tone}>{standing.label}</StatusBadge>;
}

export function ActiveBadge({ active, activeLabel = 'Active' }: { active: boolean; activeLabel?: string }) {
  return active ? (
    <StatusBadge tone="success">{activeLabel}</StatusBadge>
  ) : (
    <StatusBadge tone="neutral">Inactive</StatusBadge>
  );
}
