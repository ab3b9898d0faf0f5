import type { CoverageView } from './coverages.dto.js';
import type { CoverageRow } from './coverages.repository.js';
import type { AddressView, AliasView, ContactView, EmailView, PhoneView } from './details.dto.js';
import type { AddressRow, AliasRow, ContactRow, EmailRow, PhoneRow } from './details.repository.js';

/** `day` (the agency's today, from AgencyClock) decides whether a dated detail is `current`. */
const validOn = (day: string, from: string, to: string | null) => from <= day && (to === null || to >= day);

const audited = (row: { version: number; created_at: Date; updated_at: Date }) => ({
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export function toAliasView(row: AliasRow): AliasView {
  return { id: row.id, clientId: row.client_id, name: row.name, type: row.type, ...audited(row) };
}

export function toAddressView(row: AddressRow, day: string): AddressView {
  return {
    id: row.id,
    clientId: row.client_id,
    type: row.type,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    state: row.state,
    postalCode: row.postal_code,
    county: row.county,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    current: validOn(day, row.valid_from, row.valid_to),
    ...audited(row),
  };
}

export function toPhoneView(row: PhoneRow): PhoneView {
  return {
    id: row.id,
    clientId: row.client_id,
    type: row.type,
    number: row.number,
    smsOk: row.sms_ok,
    primary: row.is_primary,
    ...audited(row),
  };
}

export function toEmailView(row: EmailRow): EmailView {
  return {
    id: row.id,
    clientId: row.client_id,
    type: row.type,
    address: row.address,
    primary: row.is_primary,
    ...audited(row),
  };
}

export function toContactView(row: ContactRow, day: string): ContactView {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    relationship: row.relationship,
    phone: row.phone,
    email: row.email,
    isGuardian: row.is_guardian,
    legalAuthority: row.legal_authority,
    canReceiveInfo: row.can_receive_info,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    current: validOn(day, row.valid_from, row.valid_to),
    ...audited(row),
  };
}

export function toCoverageView(row: CoverageRow, day: string): CoverageView {
  return {
    id: row.id,
    clientId: row.client_id,
    payer: row.payer,
    payerName: row.payer_name,
    memberIdLast4: row.member_id_last4,
    groupNumber: row.group_number,
    planName: row.plan_name,
    priority: row.priority,
    startDate: row.start_date,
    endDate: row.end_date,
    current: validOn(day, row.start_date, row.end_date),
    ...audited(row),
  };
}
