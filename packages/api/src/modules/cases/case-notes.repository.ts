import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import type { CaseNoteTable } from './cases.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type CaseNoteRow = Selectable<CaseNoteTable>;
export type NewCaseNote = Insertable<CaseNoteTable>;
/** What an author may still change while the note is a draft. */
export type DraftChanges = Partial<
  Pick<
    CaseNoteRow,
    'note_type' | 'contact_at' | 'duration_minutes' | 'body' | 'part2' | 'cosign_required' | 'late_entry'
  >
>;
export interface Signature {
  signed_at: Date;
  signed_by: string;
  content_hash: string;
  late_entry: boolean;
}

export interface CaseNoteListQuery {
  caseId: string;
  /** Drafts are shown to their author only. */
  viewerId: string;
  /** The last row of the previous page: most recent contact first, then id descending. */
  after?: { contactAt: string; id: string } | undefined;
  limit: number;
}

const EXAMPLE_CASE = '0de70000-0000-4000-8000-0000000ca001';
const EXAMPLE_NOTE = '0de70000-0000-4000-8000-0000000ca101';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_SUPERVISOR = '0de70000-0000-4000-8000-00000000c003';

/** Case notes and addenda: the note SQL of the cases module. */
@Injectable()
export class CaseNotesRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_NOTE] })
  async findById(id: string, db: CasesDb = this.db): Promise<CaseNoteRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('cases.case_notes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    name: 'next page',
    params: [
      {
        caseId: EXAMPLE_CASE,
        viewerId: EXAMPLE_USER,
        after: { contactAt: '2026-01-05T15:00:00.000Z', id: EXAMPLE_NOTE },
        limit: 51,
      },
    ],
  })
  list(query: CaseNoteListQuery): Promise<CaseNoteRow[]> {
    let q = this.db
      .selectFrom('cases.case_notes')
      .selectAll()
      .where('case_id', '=', query.caseId)
      .where((eb) => eb.or([eb('status', '=', 'signed'), eb('author_id', '=', query.viewerId)]));
    const after = query.after;
    if (after) {
      const contactAt = sql<Date>`${after.contactAt}::timestamptz`;
      q = q.where((eb) =>
        eb.or([
          eb('contact_at', '<', contactAt),
          eb.and([eb('contact_at', '=', contactAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    return q.orderBy('contact_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  }

  /** Ids of a note's addenda the viewer may see (signed, or their own drafts), oldest first. */
  @GenerateSql({ params: [EXAMPLE_NOTE, EXAMPLE_USER] })
  async addendaOf(noteId: string, viewerId: string, db: CasesDb = this.db): Promise<string[]> {
    const rows = await db
      .selectFrom('cases.case_notes')
      .select('id')
      .where('parent_note_id', '=', noteId)
      .where((eb) => eb.or([eb('status', '=', 'signed'), eb('author_id', '=', viewerId)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_NOTE,
        case_id: EXAMPLE_CASE,
        author_id: EXAMPLE_USER,
        note_type: 'contact',
        contact_at: '2026-01-05T15:00:00.000Z',
        duration_minutes: 45,
        body: 'Home visit.',
        part2: false,
        cosign_required: false,
        late_entry: false,
        parent_note_id: null,
      },
      GenerateSql.db,
    ],
  })
  async insert(note: NewCaseNote, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.case_notes').values(note).execute();
  }

  /** Changes a draft still at `version`; false when it moved on or was signed meanwhile. */
  @GenerateSql({ params: [EXAMPLE_NOTE, { body: 'Home visit; client well.' }, 1, GenerateSql.db] })
  async updateDraft(
    id: string,
    changes: DraftChanges,
    version: number,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.case_notes')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Signs a draft still at `version`: from here on the row is locked (see the migration's trigger). */
  @GenerateSql({
    params: [
      EXAMPLE_NOTE,
      {
        signed_at: new Date('2026-01-05T16:00:00.000Z'),
        signed_by: EXAMPLE_USER,
        content_hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        late_entry: false,
      },
      1,
      GenerateSql.db,
    ],
  })
  async sign(id: string, signature: Signature, version: number, db: CasesDb = this.db): Promise<boolean> {
    const result = await db
      .updateTable('cases.case_notes')
      .set({ ...signature, status: 'signed', version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records the co-signature of a signed note awaiting one; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_NOTE, EXAMPLE_SUPERVISOR, 2, GenerateSql.db] })
  async cosign(id: string, cosignedBy: string, version: number, db: CasesDb = this.db): Promise<boolean> {
    const result = await db
      .updateTable('cases.case_notes')
      .set({
        cosigned_at: sql`now()`,
        cosigned_by: cosignedBy,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('status', '=', 'signed')
      .where('cosign_required', '=', true)
      .where('cosigned_at', 'is', null)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Discards a draft still at `version` (signed notes are never deleted). */
  @GenerateSql({ params: [EXAMPLE_NOTE, 1, GenerateSql.db] })
  async deleteDraft(id: string, version: number, db: CasesDb = this.db): Promise<boolean> {
    const result = await db
      .deleteFrom('cases.case_notes')
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
