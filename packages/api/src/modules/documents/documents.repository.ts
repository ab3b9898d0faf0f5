import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { DocumentsDatabase, type DocumentsDb } from './documents.database.js';
import type {
  DocumentCategory,
  DocumentMergeMoveTable,
  DocumentTable,
  DocumentVersionTable,
} from './documents.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type DocumentVersionRow = Selectable<DocumentVersionTable>;
export type NewDocument = Insertable<DocumentTable>;
export type NewDocumentVersion = Insertable<DocumentVersionTable>;
export type MergeMoveRow = Selectable<DocumentMergeMoveTable>;

/** A document with its current version's file facts. */
export type DocumentRow = Selectable<DocumentTable> & {
  blob_key: string;
  size_bytes: number;
  sha256: string;
  content_type: string;
  original_filename: string;
  uploaded_by: string;
  uploaded_at: Date;
};

/** The record a list is about: exactly one of them. */
export type DocumentOwner = { clientId: string } | { caseId: string } | { providerId: string };

export interface DocumentListQuery {
  owner: DocumentOwner;
  category?: DocumentCategory | undefined;
  includeDeleted: boolean;
  /** The last row of the previous page: newest first, then id descending. */
  after?: { createdAt: string; id: string } | undefined;
  limit: number;
}

const EXAMPLE_DOCUMENT = '0de70000-0000-4000-8000-0000000d0c01';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_OTHER_CLIENT = '0de70000-0000-4000-8000-0000000d0002';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_MERGE = '0de70000-0000-4000-8000-0000000e0001';

/** Document columns (dates as 'YYYY-MM-DD' text, the same on PGlite and node-postgres) and the current version's. */
const documentColumns = [
  'd.id',
  'd.agency_id',
  'd.title',
  'd.category',
  'd.client_id',
  'd.case_id',
  'd.provider_id',
  'd.part2',
  'd.owning_program_id',
  sql<string>`d.document_date::text`.as('document_date'),
  'd.retention_class',
  sql<string | null>`d.destroy_after::text`.as('destroy_after'),
  'd.legal_hold',
  'd.legal_hold_reason',
  'd.legal_hold_set_by',
  'd.legal_hold_set_at',
  'd.status',
  'd.deleted_at',
  'd.deleted_by',
  'd.deletion_reason',
  'd.current_version',
  'd.created_by',
  'd.version',
  'd.created_at',
  'd.updated_at',
  'v.blob_key',
  'v.size_bytes',
  'v.sha256',
  'v.content_type',
  'v.original_filename',
  'v.uploaded_by',
  'v.uploaded_at',
] as const;

/** Documents, their versions and client-merge moves: the only SQL of the documents module. */
@Injectable()
export class DocumentsRepository {
  constructor(private readonly database: DocumentsDatabase) {}

  private get db(): DocumentsDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_DOCUMENT] })
  async findById(id: string, db: DocumentsDb = this.db): Promise<DocumentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return withCurrentVersion(db).where('d.id', '=', id).executeTakeFirst();
  }

  /** The document, locked for the rest of the transaction (a new version, a deletion, a hold). */
  @GenerateSql({ params: [EXAMPLE_DOCUMENT, GenerateSql.db] })
  async lockById(id: string, db: DocumentsDb): Promise<DocumentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return withCurrentVersion(db).where('d.id', '=', id).forUpdate('d').executeTakeFirst();
  }

  @GenerateSql({
    name: 'a client’s, every filter',
    params: [
      {
        owner: { clientId: EXAMPLE_CLIENT },
        category: 'assessment',
        includeDeleted: false,
        after: { createdAt: '2026-01-05T10:00:00.000Z', id: EXAMPLE_DOCUMENT },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'a case’s, deleted too',
    params: [{ owner: { caseId: EXAMPLE_DOCUMENT }, includeDeleted: true, limit: 51 }],
  })
  @GenerateSql({
    name: 'a provider’s',
    params: [{ owner: { providerId: EXAMPLE_DOCUMENT }, includeDeleted: false, limit: 51 }],
  })
  list(query: DocumentListQuery): Promise<DocumentRow[]> {
    let q = withCurrentVersion(this.db);
    const owner = query.owner;
    if ('clientId' in owner) q = q.where('d.client_id', '=', owner.clientId);
    else if ('caseId' in owner) q = q.where('d.case_id', '=', owner.caseId);
    else q = q.where('d.provider_id', '=', owner.providerId);
    if (query.category) q = q.where('d.category', '=', query.category);
    if (!query.includeDeleted) q = q.where('d.status', '=', 'active');
    const after = query.after;
    if (after) {
      const at = sql<Date>`${after.createdAt}::timestamptz`;
      q = q.where((eb) =>
        eb.or([
          eb('d.created_at', '<', at),
          eb.and([eb('d.created_at', '=', at), eb('d.id', '<', after.id)]),
        ]),
      );
    }
    return q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(query.limit).execute();
  }

  @GenerateSql({ params: [EXAMPLE_DOCUMENT] })
  async versionsOf(documentId: string): Promise<DocumentVersionRow[]> {
    if (!isUuid(documentId)) return [];
    return this.db
      .selectFrom('documents.document_versions')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('version_number', 'desc')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_DOCUMENT, 2] })
  async findVersion(documentId: string, versionNumber: number): Promise<DocumentVersionRow | undefined> {
    if (!isUuid(documentId)) return undefined;
    return this.db
      .selectFrom('documents.document_versions')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('version_number', '=', versionNumber)
      .executeTakeFirst();
  }

  /**
   * A new document with its first version, in one statement: the document's current version
   * must exist (checked at commit), so the two rows only ever appear together.
   */
  @GenerateSql({
    params: [
      {
        id: EXAMPLE_DOCUMENT,
        agency_id: EXAMPLE_AGENCY,
        title: 'Intake assessment',
        category: 'assessment',
        client_id: EXAMPLE_CLIENT,
        case_id: null,
        provider_id: null,
        part2: false,
        owning_program_id: null,
        document_date: '2026-01-05',
        retention_class: 'clinical_7y',
        destroy_after: '2033-01-05',
        current_version: 1,
        created_by: EXAMPLE_USER,
      },
      {
        document_id: EXAMPLE_DOCUMENT,
        version_number: 1,
        blob_key: `documents/${EXAMPLE_DOCUMENT}/0de700000000400080000000000b0b01`,
        size_bytes: 1024,
        sha256: '0'.repeat(64),
        content_type: 'application/pdf',
        original_filename: 'assessment.pdf',
        uploaded_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertDocument(
    document: NewDocument,
    firstVersion: NewDocumentVersion,
    db: DocumentsDb,
  ): Promise<void> {
    await db
      .with('document', (q) => q.insertInto('documents.documents').values(document).returning('id'))
      .insertInto('documents.document_versions')
      .values(firstVersion)
      .execute();
  }

  @GenerateSql({
    params: [
      {
        document_id: EXAMPLE_DOCUMENT,
        version_number: 2,
        blob_key: `documents/${EXAMPLE_DOCUMENT}/0de700000000400080000000000b0b02`,
        size_bytes: 2048,
        sha256: '1'.repeat(64),
        content_type: 'application/pdf',
        original_filename: 'assessment-signed.pdf',
        uploaded_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertVersion(version: NewDocumentVersion, db: DocumentsDb): Promise<void> {
    await db.insertInto('documents.document_versions').values(version).execute();
  }

  /** Makes `versionNumber` current when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_DOCUMENT, 2, 1, GenerateSql.db] })
  async setCurrentVersion(
    id: string,
    versionNumber: number,
    version: number,
    db: DocumentsDb,
  ): Promise<boolean> {
    const result = await db
      .updateTable('documents.documents')
      .set({ current_version: versionNumber, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Soft-deletes an active document not under legal hold, still at `version`. */
  @GenerateSql({ params: [EXAMPLE_DOCUMENT, { by: EXAMPLE_USER, reason: 'Filed twice' }, 1, GenerateSql.db] })
  async softDelete(
    id: string,
    deletion: { by: string; reason: string },
    version: number,
    db: DocumentsDb,
  ): Promise<boolean> {
    const result = await db
      .updateTable('documents.documents')
      .set({
        status: 'deleted',
        deleted_at: sql`now()`,
        deleted_by: deletion.by,
        deletion_reason: deletion.reason,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'active')
      .where('legal_hold', '=', false)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({ params: [EXAMPLE_DOCUMENT, 2, GenerateSql.db] })
  async restore(id: string, version: number, db: DocumentsDb): Promise<boolean> {
    const result = await db
      .updateTable('documents.documents')
      .set({
        status: 'active',
        deleted_at: null,
        deleted_by: null,
        deletion_reason: null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'deleted')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Places (`hold` given) or releases (null) a legal hold, when the row is still at `version`. */
  @GenerateSql({
    name: 'place',
    params: [EXAMPLE_DOCUMENT, { by: EXAMPLE_USER, reason: 'Litigation 2026-CV-12' }, 1, GenerateSql.db],
  })
  @GenerateSql({ name: 'release', params: [EXAMPLE_DOCUMENT, null, 2, GenerateSql.db] })
  async setLegalHold(
    id: string,
    hold: { by: string; reason: string } | null,
    version: number,
    db: DocumentsDb,
  ): Promise<boolean> {
    const result = await db
      .updateTable('documents.documents')
      .set({
        legal_hold: hold !== null,
        legal_hold_reason: hold?.reason ?? null,
        legal_hold_set_by: hold?.by ?? null,
        legal_hold_set_at: hold ? sql<Date>`now()` : null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** A client's documents within an agency, locked for a merge moving them; returns their ids. */
  @GenerateSql({ params: [EXAMPLE_CLIENT, EXAMPLE_AGENCY, GenerateSql.db] })
  async documentsOfClientForUpdate(clientId: string, agencyId: string, db: DocumentsDb): Promise<string[]> {
    const rows = await db
      .selectFrom('documents.documents')
      .select('id')
      .where('client_id', '=', clientId)
      .where('agency_id', '=', agencyId)
      .orderBy('id')
      .forUpdate()
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Moves documents to another client record (a merge or its undoing). Only those still on
   * `fromClientId` move, so replaying a move changes nothing. Returns the ids moved with their agency.
   */
  @GenerateSql({ params: [[EXAMPLE_DOCUMENT], EXAMPLE_CLIENT, EXAMPLE_OTHER_CLIENT, GenerateSql.db] })
  async moveToClient(
    documentIds: string[],
    fromClientId: string,
    toClientId: string,
    db: DocumentsDb,
  ): Promise<{ id: string; agency_id: string }[]> {
    if (documentIds.length === 0) return [];
    return db
      .updateTable('documents.documents')
      .set({ client_id: toClientId, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', 'in', documentIds)
      .where('client_id', '=', fromClientId)
      .returning(['id', 'agency_id'])
      .execute();
  }

  @GenerateSql({
    params: [EXAMPLE_MERGE, [EXAMPLE_DOCUMENT], EXAMPLE_CLIENT, EXAMPLE_OTHER_CLIENT, GenerateSql.db],
  })
  async recordMergeMoves(
    mergeId: string,
    documentIds: string[],
    fromClientId: string,
    toClientId: string,
    db: DocumentsDb,
  ): Promise<void> {
    if (documentIds.length === 0) return;
    await db
      .insertInto('documents.merge_moves')
      .values(
        documentIds.map((documentId) => ({
          merge_id: mergeId,
          document_id: documentId,
          from_client_id: fromClientId,
          to_client_id: toClientId,
        })),
      )
      .onConflict((oc) => oc.columns(['merge_id', 'document_id']).doNothing())
      .execute();
  }

  /** The documents a merge moved and that have not been moved back yet, locked. */
  @GenerateSql({ params: [EXAMPLE_MERGE, GenerateSql.db] })
  pendingMergeMoves(mergeId: string, db: DocumentsDb): Promise<MergeMoveRow[]> {
    return db
      .selectFrom('documents.merge_moves')
      .selectAll()
      .where('merge_id', '=', mergeId)
      .where('restored_at', 'is', null)
      .orderBy('document_id')
      .forUpdate()
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_MERGE, [EXAMPLE_DOCUMENT], GenerateSql.db] })
  async markMergeMovesRestored(mergeId: string, documentIds: string[], db: DocumentsDb): Promise<void> {
    if (documentIds.length === 0) return;
    await db
      .updateTable('documents.merge_moves')
      .set({ restored_at: sql`now()` })
      .where('merge_id', '=', mergeId)
      .where('document_id', 'in', documentIds)
      .execute();
  }
}

/** Documents joined with their current version. */
function withCurrentVersion(db: DocumentsDb) {
  return db
    .selectFrom('documents.documents as d')
    .innerJoin('documents.document_versions as v', (join) =>
      join.onRef('v.document_id', '=', 'd.id').onRef('v.version_number', '=', 'd.current_version'),
    )
    .select(documentColumns);
}
