import { StatusBadge, type StatusTone } from '@ehrms/ui';
import type { Client, ClientStatus } from '../../api/types.js';

export const CLIENTS_KEY = ['clients'] as const;

const STATUS: Record<ClientStatus, { tone: StatusTone; label: string }> = {
  active: { tone: 'success', label: 'Active' },
  inactive: { tone: 'neutral', label: 'Inactive' },
  deceased: { tone: 'neutral', label: 'Deceased' },
  merged: { tone: 'info', label: 'Merged' },
};

export function ClientStatusBadge({ status }: { status: ClientStatus }) {
  const { tone, label } = STATUS[status];
  return <StatusBadge tone={tone}>{label}</StatusBadge>;
}

/** "Maria Hernandez", as staff say it; the preferred name is shown beside it where there is room. */
export function clientName(client: Pick<Client, 'givenName' | 'middleName' | 'familyName'>): string {
  return [client.givenName, client.middleName, client.familyName].filter(Boolean).join(' ');
}

export const SEX_AT_BIRTH_LABELS: Record<Client['sexAtBirth'], string> = {
  female: 'Female',
  male: 'Male',
  intersex: 'Intersex',
  unknown: 'Unknown',
};
