import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Principal } from '../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { contentRangeHeader, parseRangeHeader } from '../../platform/storage/blob-range.js';
import type { BlobRange } from '../../platform/storage/blob-store.js';
import { part2Disclosure, PART2_REDISCLOSURE_NOTICE } from '../clients/part2.js';
import {
  DocumentAccess,
  DOCUMENTS_READ,
  DOCUMENTS_WRITE,
  type Reach,
  type UploadTarget,
} from './document-access.js';
import { contentDisposition, DocumentFiles, servedContentType, type StoredFile } from './document-files.js';
import { DocumentsDatabase, type DocumentsDb } from './documents.database.js';
import {
  UploadFields,
  type ContentQuery,
  type DocumentDetailView,
  type DocumentListQuery,
  type DocumentListView,
  type LegalHoldBody,
  type LegalHoldView,
} from './documents.dto.js';
import { DocumentsTopics, type DocumentEvent, type DocumentVersionEvent } from './documents.events.js';
import {
  DocumentsRepository,
  type DocumentOwner,
  type DocumentRow,
  type NewDocumentVersion,
} from './documents.repository.js';
import type { IncomingUpload } from './multipart-upload.js';
import { defaultRetentionClass, destroyAfter, documentDateFor } from './retention.js';
import { toDocumentView, toLegalHoldView, toVersionView } from './views.js';
import { isUuid } from '../../platform/database/ids.js';

/** What a download sends: status, headers and the bytes (none for 304). */
export interface DocumentContent {
  status: 200 | 206 | 304;
  headers: Record<string, string>;
  body: { stream: Readable; length: number } | null;
}

/** The conditional and range headers a download honours. */
export interface ContentRequest {
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifRange?: string | undefined;
}

/**
 * Documents: metadata here, bytes in the blob store (DocumentFiles). Every read and write goes
 * through DocumentAccess (the record the document belongs to decides), Part 2 documents only to
 * those who may see them, with the redisclosure notice; deletion is soft and refused under a
 * legal hold.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly database: DocumentsDatabase,
    private readonly documents: DocumentsRepository,
    private readonly access: DocumentAccess,
    private readonly files: DocumentFiles,
    private readonly clock: AgencyClock,
  ) {}

  /** Largest file accepted, for the upload routes. */
  get maxBytes(): number {
    return this.files.maxBytes;
  }

  async upload(principal: Principal, open: () => Promise<IncomingUpload>): Promise<DocumentDetailView> {
    const uploader = actorId(principal);
    const id = randomUUID();
    const incoming = await open();
    await withUpload(incoming, async () => {
      const fields = parseFields(incoming.fields);
      const target = await this.access.uploadTarget(principal, fields);
      const plan = filingPlan(fields, target, this.clock.today());
      const file = await this.files.store(id, incoming.file);
      await this.files.keep(file, async () => {
        await incoming.finished;
        await this.database.transaction(async (trx) => {
          await this.documents.insertDocument(
            {
              id,
              agency_id: target.agencyId,
              title: fields.title,
              category: fields.category,
              client_id: target.clientId,
              case_id: target.caseId,
              provider_id: target.providerId,
              part2: plan.part2,
              owning_program_id: plan.owningProgramId,
              document_date: plan.documentDate,
              retention_class: plan.retentionClass,
              destroy_after: plan.destroyAfter,
              current_version: 1,
              created_by: uploader,
            },
            versionRow(id, 1, file, uploader),
            trx,
          );
          await publishEvent(trx, DocumentsTopics.uploaded, {
            ...eventOf({ id, agency_id: target.agencyId, ...linksOf(target) }),
            versionNumber: 1,
          } satisfies DocumentVersionEvent);
        });
      });
    });
    return this.detail(await this.row(id), 'scope');
  }

  async addVersion(
    principal: Principal,
    id: string,
    version: number,
    open: () => Promise<IncomingUpload>,
  ): Promise<DocumentDetailView> {
    const uploader = actorId(principal);
    const { document, via } = await this.access.require(principal, id, DOCUMENTS_WRITE);
    await this.requirePart2(principal, document);
    refuseDeleted(document, 'add a version to');
    if (document.version !== version) throw Problems.preconditionFailed();
    const incoming = await open();
    await withUpload(incoming, async () => {
      if (Object.keys(incoming.fields).length > 0) {
        throw Problems.validation([{ field: 'body', message: 'A new version takes the file only.' }]);
      }
      const file = await this.files.store(id, incoming.file);
      await this.files.keep(file, async () => {
        await incoming.finished;
        await this.database.transaction(async (trx) => {
          const locked = await this.documents.lockById(id, trx);
          if (!locked) throw Problems.notFound('document');
          refuseDeleted(locked, 'add a version to');
          if (locked.version !== version) throw Problems.preconditionFailed();
          const next = locked.current_version + 1;
          await this.documents
            .insertVersion(versionRow(id, next, file, uploader), trx)
            .catch(rethrowVersionTaken);
          if (!(await this.documents.setCurrentVersion(id, next, version, trx))) {
            throw Problems.preconditionFailed();
          }
          await publishEvent(trx, DocumentsTopics.versionAdded, {
            ...eventOf(locked),
            versionNumber: next,
          } satisfies DocumentVersionEvent);
        });
      });
    });
    return this.detail(await this.row(id), via);
  }

  async get(principal: Principal, id: string): Promise<DocumentDetailView> {
    const { document, via } = await this.access.require(principal, id, DOCUMENTS_READ);
    await this.requirePart2(principal, document);
    return this.detail(document, via);
  }

  /**
   * A client's, case's or provider's documents, newest first. The record asked about must be
   * within reach; documents hung off a record the caller cannot reach (another team's case of
   * the same client) are left out, and Part 2 documents the caller may not see are left out and
   * counted (`withheld`). A page may hold fewer than `limit` items; follow `nextCursor`.
   */
  async list(principal: Principal, query: DocumentListQuery): Promise<DocumentListView> {
    const owner = await this.listOwner(principal, query);
    const rows = await this.documents.list({
      owner,
      category: query.category,
      includeDeleted: query.includeDeleted === 'true',
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const reaches = this.access.reachability(principal, DOCUMENTS_READ);
    const shown: DocumentRow[] = [];
    let withheld = 0;
    for (const row of page) {
      if ((await reaches(row)) === null) continue;
      if (await this.access.maySeePart2(principal, row)) shown.push(row);
      else withheld++;
    }
    const last = page[page.length - 1];
    return {
      items: shown.map(toDocumentView),
      nextCursor:
        rows.length > query.limit && last
          ? encodeNameCursor({ name: last.created_at.toISOString(), id: last.id })
          : null,
      ...part2Disclosure(
        shown.some((row) => row.part2),
        withheld,
      ),
    };
  }

  /**
   * The bytes of the current (or a given) version: whole, or one byte range (206; 416 past the
   * end). ETag is the SHA-256, so `If-None-Match` answers 304 and `If-Range` keeps a resumed
   * download from mixing two versions.
   */
  async content(
    principal: Principal,
    id: string,
    query: ContentQuery,
    request: ContentRequest,
  ): Promise<DocumentContent> {
    const { document } = await this.access.require(principal, id, DOCUMENTS_READ);
    await this.requirePart2(principal, document);
    if (document.status === 'deleted') {
      throw new ProblemError({
        status: 410,
        type: 'document-deleted',
        title: 'Document deleted',
        detail: 'This document was deleted; it can be restored by someone who may change it.',
      });
    }
    const file =
      query.version === undefined || query.version === document.current_version
        ? document
        : await this.documents.findVersion(id, query.version);
    if (!file) throw Problems.notFound('document version');
    const etag = `"${file.sha256}"`;
    const headers: Record<string, string> = {
      etag,
      'accept-ranges': 'bytes',
      'content-type': servedContentType(file.content_type),
      'content-disposition': contentDisposition(file.original_filename, file.content_type, query.disposition),
      'x-content-type-options': 'nosniff',
      // A document opened in the browser runs nothing and loads nothing.
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    };
    if (document.part2) headers['x-redisclosure-notice'] = '42-CFR-2.32';
    if (matchesEtag(request.ifNoneMatch, file.sha256)) return { status: 304, headers, body: null };
    const range: BlobRange | undefined =
      request.ifRange === undefined || request.ifRange.trim() === etag
        ? parseRangeHeader(request.range)
        : undefined;
    const read = await this.files.open(file.blob_key, range);
    if (read.range) headers['content-range'] = contentRangeHeader(read.range, read.size);
    return {
      status: read.range ? 206 : 200,
      headers,
      body: { stream: read.stream, length: read.contentLength },
    };
  }

  async remove(
    principal: Principal,
    id: string,
    version: number,
    reason: string,
  ): Promise<DocumentDetailView> {
    const by = actorId(principal);
    const { document, via } = await this.access.require(principal, id, DOCUMENTS_WRITE);
    await this.requirePart2(principal, document);
    if (document.legal_hold) throw underLegalHold();
    await this.database.transaction(async (trx) => {
      const locked = await this.lock(id, trx);
      if (locked.legal_hold) throw underLegalHold();
      if (locked.status === 'deleted')
        throw Problems.conflict('The document is already deleted.', 'already-deleted');
      if (locked.version !== version) throw Problems.preconditionFailed();
      if (!(await this.documents.softDelete(id, { by, reason }, version, trx)))
        throw Problems.preconditionFailed();
      await publishEvent(trx, DocumentsTopics.deleted, eventOf(locked) satisfies DocumentEvent);
    });
    return this.detail(await this.row(id), via);
  }

  async restore(principal: Principal, id: string, version: number): Promise<DocumentDetailView> {
    actorId(principal);
    const { document, via } = await this.access.require(principal, id, DOCUMENTS_WRITE);
    await this.requirePart2(principal, document);
    await this.database.transaction(async (trx) => {
      const locked = await this.lock(id, trx);
      if (locked.status !== 'deleted') throw Problems.conflict('The document is not deleted.', 'not-deleted');
      if (locked.version !== version) throw Problems.preconditionFailed();
      if (!(await this.documents.restore(id, version, trx))) throw Problems.preconditionFailed();
      await publishEvent(trx, DocumentsTopics.restored, eventOf(locked) satisfies DocumentEvent);
    });
    return this.detail(await this.row(id), via);
  }

  /** Places or releases a legal hold (agency-wide grant); answers the hold, not the document. */
  async legalHold(
    principal: Principal,
    id: string,
    version: number,
    body: LegalHoldBody,
  ): Promise<LegalHoldView> {
    const by = actorId(principal);
    await this.access.requireForLegalHold(principal, id);
    await this.database.transaction(async (trx) => {
      const locked = await this.lock(id, trx);
      if (locked.version !== version) throw Problems.preconditionFailed();
      if (body.hold === locked.legal_hold) {
        throw Problems.conflict(
          body.hold ? 'The document is already under legal hold.' : 'The document is not under legal hold.',
          body.hold ? 'already-held' : 'not-held',
        );
      }
      const hold = body.hold ? { by, reason: body.reason ?? '' } : null;
      if (!(await this.documents.setLegalHold(id, hold, version, trx))) throw Problems.preconditionFailed();
      await publishEvent(
        trx,
        body.hold ? DocumentsTopics.legalHoldSet : DocumentsTopics.legalHoldReleased,
        eventOf(locked) satisfies DocumentEvent,
      );
    });
    return toLegalHoldView(await this.row(id));
  }

  private async listOwner(principal: Principal, query: DocumentListQuery): Promise<DocumentOwner> {
    if (query.caseId) {
      await this.access.requireCase(principal, query.caseId);
      return { caseId: query.caseId };
    }
    if (query.clientId) return { clientId: await this.access.requireClient(principal, query.clientId) };
    if (query.providerId) {
      await this.access.requireProvider(principal, query.providerId);
      return { providerId: query.providerId };
    }
    throw Problems.validation([
      { field: 'query.clientId', message: 'Give exactly one of clientId, caseId or providerId.' },
    ]);
  }

  private async detail(row: DocumentRow, via: Reach): Promise<DocumentDetailView> {
    const versions = await this.documents.versionsOf(row.id);
    return {
      ...toDocumentView(row),
      versions: versions.map(toVersionView),
      access: via,
      redisclosureNotice: row.part2 ? PART2_REDISCLOSURE_NOTICE : null,
    };
  }

  private async requirePart2(principal: Principal, document: DocumentRow): Promise<void> {
    if (!(await this.access.maySeePart2(principal, document))) throw part2Withheld();
  }

  private async lock(id: string, trx: DocumentsDb): Promise<DocumentRow> {
    const row = await this.documents.lockById(id, trx);
    if (!row) throw Problems.notFound('document');
    return row;
  }

  private async row(id: string): Promise<DocumentRow> {
    const row = await this.documents.findById(id);
    if (!row) throw Problems.notFound('document');
    return row;
  }
}

function versionRow(
  documentId: string,
  versionNumber: number,
  file: StoredFile,
  uploader: string,
): NewDocumentVersion {
  return {
    document_id: documentId,
    version_number: versionNumber,
    blob_key: file.key,
    size_bytes: file.sizeBytes,
    sha256: file.sha256,
    content_type: file.contentType,
    original_filename: file.filename,
    uploaded_by: uploader,
  };
}

/** How a new document is filed: Part 2 status, holding program, date and retention. */
interface FilingPlan {
  part2: boolean;
  owningProgramId: string | null;
  documentDate: string;
  retentionClass: UploadFields['retentionClass'] & string;
  destroyAfter: string | null;
}

/** `today` is the agency's day: the default document date and the latest one accepted. */
function filingPlan(fields: UploadFields, target: UploadTarget, today: string): FilingPlan {
  const errors: { field: string; message: string }[] = [];
  const dated = documentDateFor(fields.documentDate, today);
  if (dated === null) {
    errors.push({ field: 'body.documentDate', message: 'A document cannot be dated in the future.' });
  }
  const documentDate = dated ?? today;
  const askedPart2 = fields.part2 === undefined ? null : fields.part2 === 'true';
  let part2 = askedPart2 ?? false;
  let owningProgramId = fields.owningProgramId ?? null;
  if (target.caseId) {
    if (target.casePart2 && askedPart2 === false) {
      errors.push({ field: 'body.part2', message: 'A document of a Part 2 case is a Part 2 record.' });
    }
    if (target.casePart2 && owningProgramId !== null && owningProgramId !== target.caseProgramId) {
      errors.push({
        field: 'body.owningProgramId',
        message: 'A Part 2 case’s documents are held by its program.',
      });
    }
    part2 = target.casePart2 || part2;
    owningProgramId ??= target.caseProgramId;
  } else if (part2 && target.clientId === null) {
    errors.push({ field: 'body.part2', message: 'Part 2 records are about a client: link the client.' });
  } else if (part2 && owningProgramId === null) {
    errors.push({ field: 'body.owningProgramId', message: 'Name the Part 2 program that holds the record.' });
  }
  const retentionClass =
    fields.retentionClass ?? defaultRetentionClass(fields.category, documentDate, target.birthDate);
  if (retentionClass === 'minor_until_25' && target.clientId === null) {
    errors.push({
      field: 'body.retentionClass',
      message: 'Only a client’s records are kept until they are 25.',
    });
  }
  if (errors.length > 0) throw Problems.validation(errors);
  return {
    part2,
    owningProgramId,
    documentDate,
    retentionClass,
    destroyAfter: destroyAfter(retentionClass, documentDate, target.birthDate),
  };
}

/** The form fields, validated as the JSON body of any other route would be. */
function parseFields(raw: Record<string, string>): UploadFields {
  const parsed = UploadFields.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw Problems.validation(
    parsed.error.issues.map((issue) => ({
      field: ['body', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/** Runs the work on an upload; if it fails, the rest of the upload is discarded. */
async function withUpload(incoming: IncomingUpload, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    incoming.abandon();
    throw err;
  }
}

function linksOf(target: UploadTarget) {
  return { client_id: target.clientId, case_id: target.caseId, provider_id: target.providerId };
}

function eventOf(row: {
  id: string;
  agency_id: string;
  client_id: string | null;
  case_id: string | null;
  provider_id: string | null;
}): DocumentEvent {
  return {
    documentId: row.id,
    agencyId: row.agency_id,
    clientId: row.client_id,
    caseId: row.case_id,
    providerId: row.provider_id,
  };
}

/** Who is acting, as recorded on document rows: a user's (or service account's) id. */
function actorId(principal: Principal): string {
  if (!isUuid(principal.id)) throw Problems.forbidden('Only a named user may file or change documents.');
  return principal.id;
}

function refuseDeleted(row: DocumentRow, what: string): void {
  if (row.status === 'deleted') {
    throw Problems.conflict(`Restore the document before you ${what} it.`, 'document-deleted');
  }
}

function underLegalHold(): ProblemError {
  return Problems.conflict(
    'The document is under legal hold and cannot be deleted until the hold is released.',
    'legal-hold',
  );
}

function part2Withheld(): ProblemError {
  return new ProblemError({
    status: 403,
    type: 'part2-consent-required',
    title: 'Part 2 record withheld',
    detail:
      'This document is a 42 CFR Part 2 record. It is disclosed only to staff of the program that ' +
      "holds it, to those named in the client's written consent, or in a medical emergency (break-the-glass).",
  });
}

/** Two uploads of a new version at once: the one that lost the race tries again. */
function rethrowVersionTaken(err: unknown): never {
  if (typeof err === 'object' && err !== null && 'code' in err && err.code === '23505') {
    throw Problems.conflict(
      'Another version was added at the same moment; reload and try again.',
      'version-conflict',
    );
  }
  throw err;
}

function matchesEtag(ifNoneMatch: string | undefined, sha256: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === `"${sha256}"`);
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The page cursor of a list: the last document's creation time and id. */
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const { name, id } = decodeNameCursor(cursor);
  if (!CURSOR_TIME.test(name)) {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
  return { createdAt: name, id };
}
