import { z } from 'zod';
import { allowedDocumentTypes } from '../../platform/storage/content-type.js';
import { Part2DisclosureFields } from '../clients/part2.js';
import { DOCUMENT_CATEGORIES, DOCUMENT_STATUSES, RETENTION_CLASSES } from './documents.schema.js';

const IsoDate = z.iso.date('Use a date such as 2026-01-31.');
const Reason = z.string().trim().min(3).max(500);

/**
 * The form fields of an upload (`multipart/form-data`, sent before the `file` part): what the
 * document is and which records it belongs to — a client, a case (the client follows from it)
 * and/or a provider; access to the document is decided through them.
 */
const uploadFieldShape = {
  title: z.string().trim().min(1).max(300),
  category: z.enum(DOCUMENT_CATEGORIES),
  clientId: z.uuid().optional(),
  caseId: z.uuid().optional(),
  providerId: z.uuid().optional(),
  /** A 42 CFR Part 2 record. Defaults to the case's flag (always true for a Part 2 case), else false. */
  part2: z.enum(['true', 'false']).optional(),
  /** The Part 2 program that holds the record; defaults to the case's program. */
  owningProgramId: z.uuid().optional(),
  /** The date the document bears (signed, issued); today when left out. Retention counts from it. */
  documentDate: IsoDate.optional(),
  /** Defaults by category (and to `minor_until_25` for a minor's clinical records). */
  retentionClass: z.enum(RETENTION_CLASSES).optional(),
};

export const UploadFields = z
  .strictObject(uploadFieldShape)
  .refine((f) => f.clientId ?? f.caseId ?? f.providerId, {
    message: 'Link the document to a client, a case or a provider.',
    path: ['clientId'],
  });
export type UploadFields = z.output<typeof UploadFields>;

/** The upload form as OpenAPI shows it: the fields above, then the file. */
export const UploadForm = z
  .object({
    ...uploadFieldShape,
    file: z.string().meta({
      format: 'binary',
      description: `The file, last. Accepted by content: ${allowedDocumentTypes.join(', ')}.`,
    }),
  })
  .meta({ id: 'DocumentUploadForm' });

export const VersionUploadForm = z
  .object({ file: z.string().meta({ format: 'binary', description: 'The new version of the file.' }) })
  .meta({ id: 'DocumentVersionUploadForm' });

const LegalHold = z.object({
  reason: z.string(),
  setBy: z.uuid().nullable(),
  setAt: z.string(),
});

export const DocumentVersionResponse = z
  .object({
    number: z.number().int(),
    sizeBytes: z.number().int(),
    /** Lowercase hex SHA-256 of the bytes; the download's ETag. */
    sha256: z.string(),
    contentType: z.string(),
    filename: z.string(),
    uploadedBy: z.uuid(),
    uploadedAt: z.string(),
  })
  .meta({ id: 'DocumentVersion' });
export type DocumentVersionView = z.output<typeof DocumentVersionResponse>;

export const DocumentResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    title: z.string(),
    category: z.enum(DOCUMENT_CATEGORIES),
    clientId: z.uuid().nullable(),
    caseId: z.uuid().nullable(),
    providerId: z.uuid().nullable(),
    /** A 42 CFR Part 2 record: shown only to those who may see it, with the redisclosure notice. */
    part2: z.boolean(),
    owningProgramId: z.uuid().nullable(),
    documentDate: z.string(),
    retentionClass: z.enum(RETENTION_CLASSES),
    /** The day after which the document may be destroyed; null for permanent records. */
    destroyAfter: z.string().nullable(),
    /** Set while the document is under legal hold (it cannot be deleted). */
    legalHold: LegalHold.nullable(),
    status: z.enum(DOCUMENT_STATUSES),
    deletedAt: z.string().nullable(),
    deletedBy: z.uuid().nullable(),
    deletionReason: z.string().nullable(),
    currentVersion: DocumentVersionResponse,
    createdBy: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Document' });
export type DocumentView = z.output<typeof DocumentResponse>;

export const DocumentDetailResponse = DocumentResponse.extend({
  /** Every version, newest first. */
  versions: z.array(DocumentVersionResponse),
  /** How the caller reached it: within their scope, or under a break-the-glass grant. */
  access: z.enum(['scope', 'break_glass']),
  redisclosureNotice: z.string().nullable(),
}).meta({ id: 'DocumentDetail' });
export type DocumentDetailView = z.output<typeof DocumentDetailResponse>;

export const DocumentListResponse = z.object({
  items: z.array(DocumentResponse),
  nextCursor: z.string().nullable(),
  ...Part2DisclosureFields,
});
export type DocumentListView = z.output<typeof DocumentListResponse>;

export const DocumentListQuery = z
  .strictObject({
    clientId: z.uuid().optional(),
    caseId: z.uuid().optional(),
    providerId: z.uuid().optional(),
    category: z.enum(DOCUMENT_CATEGORIES).optional(),
    includeDeleted: z.enum(['true', 'false']).default('false'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => [q.clientId, q.caseId, q.providerId].filter(Boolean).length === 1, {
    message: 'Give exactly one of clientId, caseId or providerId.',
    path: ['clientId'],
  });
export type DocumentListQuery = z.output<typeof DocumentListQuery>;

export const DocumentIdParams = z.strictObject({ id: z.uuid() });

export const ContentQuery = z.strictObject({
  /** A version number; the current version when left out. */
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** `inline` lets a browser show a PDF or an image in place; anything else is always an attachment. */
  disposition: z.enum(['attachment', 'inline']).default('attachment'),
});
export type ContentQuery = z.output<typeof ContentQuery>;

export const DeleteDocumentBody = z.strictObject({ reason: Reason });
export type DeleteDocumentBody = z.output<typeof DeleteDocumentBody>;

export const LegalHoldBody = z
  .strictObject({
    hold: z.boolean(),
    /** Why (the matter, the request): required to place a hold. */
    reason: Reason.optional(),
  })
  .refine((b) => !b.hold || b.reason !== undefined, {
    message: 'Say why the document is held (the matter or request).',
    path: ['reason'],
  });
export type LegalHoldBody = z.output<typeof LegalHoldBody>;

/** What a legal-hold change answers: the hold and retention, not the document's content. */
export const LegalHoldResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    status: z.enum(DOCUMENT_STATUSES),
    retentionClass: z.enum(RETENTION_CLASSES),
    destroyAfter: z.string().nullable(),
    legalHold: LegalHold.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'DocumentLegalHold' });
export type LegalHoldView = z.output<typeof LegalHoldResponse>;
