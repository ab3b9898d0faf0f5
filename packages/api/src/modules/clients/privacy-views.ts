import type { BreakGlassView, PrivacyReviewView } from './break-glass.dto.js';
import type { BreakGlassRow, PrivacyReviewRow } from './break-glass.repository.js';
import type { ConsentView } from './consents.dto.js';
import type { ConsentRow } from './consents.repository.js';

export function toConsentView(row: ConsentRow): ConsentView {
  return {
    id: row.id,
    clientId: row.client_id,
    kind: row.kind,
    recipient: { type: row.recipient_type, id: row.recipient_id, name: row.recipient_name },
    purposes: row.purposes,
    categories: row.categories,
    disclosingProgramId: row.disclosing_program_id,
    effectiveFrom: row.effective_from,
    expiresOn: row.expires_on,
    signedOn: row.signed_on,
    signedBy: { name: row.signed_by_name, relationship: row.signed_by_relationship },
    documentId: row.document_id,
    status: row.status,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    revocationReason: row.revocation_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toBreakGlassView(
  row: Pick<
    BreakGlassRow,
    'id' | 'client_id' | 'user_id' | 'reason' | 'purpose_of_use' | 'granted_at' | 'expires_at'
  >,
): BreakGlassView {
  return {
    id: row.id,
    clientId: row.client_id,
    userId: row.user_id,
    reason: row.reason,
    purposeOfUse: row.purpose_of_use,
    grantedAt: row.granted_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}

export function toPrivacyReviewView(row: PrivacyReviewRow): PrivacyReviewView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    status: row.status,
    breakGlass: toBreakGlassView({ ...row, id: row.break_glass_id }),
    reviewerId: row.reviewer_id,
    outcome: row.outcome,
    notes: row.notes,
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
}
