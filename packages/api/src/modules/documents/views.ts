import type { DocumentVersionView, DocumentView, LegalHoldView } from './documents.dto.js';
import type { DocumentRow, DocumentVersionRow } from './documents.repository.js';

export function toDocumentView(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    title: row.title,
    category: row.category,
    clientId: row.client_id,
    caseId: row.case_id,
    providerId: row.provider_id,
    part2: row.part2,
    owningProgramId: row.owning_program_id,
    documentDate: row.document_date,
    retentionClass: row.retention_class,
    destroyAfter: row.destroy_after,
    legalHold: legalHoldOf(row),
    status: row.status,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    deletedBy: row.deleted_by,
    deletionReason: row.deletion_reason,
    currentVersion: toVersionView({
      document_id: row.id,
      version_number: row.current_version,
      blob_key: row.blob_key,
      size_bytes: row.size_bytes,
      sha256: row.sha256,
      content_type: row.content_type,
      original_filename: row.original_filename,
      uploaded_by: row.uploaded_by,
      uploaded_at: row.uploaded_at,
    }),
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toVersionView(row: DocumentVersionRow): DocumentVersionView {
  return {
    number: row.version_number,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    contentType: row.content_type,
    filename: row.original_filename,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at.toISOString(),
  };
}

export function toLegalHoldView(row: DocumentRow): LegalHoldView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    status: row.status,
    retentionClass: row.retention_class,
    destroyAfter: row.destroy_after,
    legalHold: legalHoldOf(row),
    version: row.version,
  };
}

function legalHoldOf(row: DocumentRow): DocumentView['legalHold'] {
  if (!row.legal_hold || row.legal_hold_reason === null || row.legal_hold_set_at === null) return null;
  return {
    reason: row.legal_hold_reason,
    setBy: row.legal_hold_set_by,
    setAt: row.legal_hold_set_at.toISOString(),
  };
}
