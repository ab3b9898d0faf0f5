import type { CredentialView, ProviderView } from './providers.dto.js';
import type { CredentialRow, ProviderRow } from './providers.repository.js';

export function toProviderView(row: ProviderRow): ProviderView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    kind: row.kind,
    name: row.name,
    npi: row.npi,
    taxonomyCode: row.taxonomy_code,
    status: row.status,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toCredentialView(row: CredentialRow): CredentialView {
  return {
    id: row.id,
    providerId: row.provider_id,
    type: row.type,
    number: row.number,
    issuer: row.issuer,
    issuedOn: row.issued_on,
    expiresOn: row.expires_on,
    verificationStatus: row.verification_status,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
