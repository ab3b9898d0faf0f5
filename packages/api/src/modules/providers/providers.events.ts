/** Events the providers module publishes through the outbox. Payloads carry ids, never PHI. */
export const ProvidersTopics = {
  providerCreated: 'providers.provider.created',
  providerUpdated: 'providers.provider.updated',
  credentialExpiring: 'providers.credential.expiring',
} as const;

export interface ProviderCreatedEvent {
  providerId: string;
  agencyId: string;
}

export interface ProviderUpdatedEvent {
  providerId: string;
  agencyId: string;
  /** Which fields changed. */
  changed: string[];
}

export interface CredentialExpiringEvent {
  credentialId: string;
  providerId: string;
  agencyId: string;
  /** '90' | '60' | '30' days before expiry, or 'expired'. */
  threshold: string;
  expiresOn: string;
}
