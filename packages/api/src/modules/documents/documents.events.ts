/** Events the documents module publishes through the outbox. Payloads carry ids and codes, never PHI. */
export const DocumentsTopics = {
  uploaded: 'documents.document.uploaded',
  versionAdded: 'documents.document.version_added',
  deleted: 'documents.document.deleted',
  restored: 'documents.document.restored',
  legalHoldSet: 'documents.legal_hold.set',
  legalHoldReleased: 'documents.legal_hold.released',
  /** A client merge (or its undoing) moved the document to another client record. */
  moved: 'documents.document.moved',
} as const;

/** The records a document hangs off, as ids. */
export interface DocumentEvent {
  documentId: string;
  agencyId: string;
  clientId: string | null;
  caseId: string | null;
  providerId: string | null;
}

export interface DocumentVersionEvent extends DocumentEvent {
  versionNumber: number;
}

export interface DocumentMovedEvent {
  documentId: string;
  agencyId: string;
  fromClientId: string;
  toClientId: string;
  mergeId: string;
}
