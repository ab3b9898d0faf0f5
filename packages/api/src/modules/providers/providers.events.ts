/** Events the providers module publishes through the outbox. Payloads carry ids, never PHI. */
export const ProvidersTopics = {
  providerCreated: 'providers.provider.created',
  providerUpdated: 'providers.provider.updated',
  credentialExpiring: 'providers.credential.expiring',
  contractCreated: 'providers.contract.created',
  contractUpdated: 'providers.contract.updated',
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

export interface ContractCreatedEvent {
  contractId: string;
  providerId: string;
  agencyId: string;
}

/** Rates may have changed: consumers re-read them through `ContractRates`. */
export interface ContractUpdatedEvent {
  contractId: string;
  providerId: string;
  agencyId: string;
  /** Which of `status`, `endsOn`, `lines` changed. */
  changed: string[];
}
