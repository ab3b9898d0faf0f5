import type { ContractView } from './contracts.dto.js';
import type { ContractLineRow, ContractRow } from './contracts.repository.js';
import type { LocationView } from './locations.dto.js';
import type { LocationRow } from './locations.repository.js';
import type { ServiceOfferingView } from './offerings.dto.js';
import type { ServiceOfferingRow } from './offerings.repository.js';
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

export function toLocationView(row: LocationRow): LocationView {
  return {
    id: row.id,
    providerId: row.provider_id,
    name: row.name,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    city: row.city,
    state: row.state,
    postalCode: row.postal_code,
    phone: row.phone,
    county: row.county,
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toServiceOfferingView(row: ServiceOfferingRow): ServiceOfferingView {
  return {
    id: row.id,
    providerId: row.provider_id,
    serviceCode: row.service_code,
    modifiers: row.modifiers,
    description: row.description,
    programId: row.program_id,
    unitType: row.unit_type,
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toContractView(row: ContractRow, lines: readonly ContractLineRow[]): ContractView {
  return {
    id: row.id,
    providerId: row.provider_id,
    number: row.number,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    status: row.status,
    lines: lines.map((line) => ({
      id: line.id,
      serviceCode: line.service_code,
      rateCents: line.rate_cents,
      unitType: line.unit_type,
      capUnits: line.cap_units,
      capAmountCents: line.cap_amount_cents,
      startsOn: line.starts_on,
      endsOn: line.ends_on,
    })),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
