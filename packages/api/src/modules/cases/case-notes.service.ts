import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { ClientAccess } from '../clients/client-access.js';
import { part2Disclosure, PART2_REDISCLOSURE_NOTICE, type Part2Disclosure } from '../clients/part2.js';
import { actorId, CASE_READ, CaseAccess } from './case-access.js';
import { isLateEntry, noteContentHash } from './case-note-signature.js';
import type {
  CreateAddendumBody,
  CreateNoteBody,
  NoteDetailView,
  NoteListQuery,
  NoteView,
  PatchNoteBody,
} from './case-notes.dto.js';
import { CaseNotesRepository, type CaseNoteRow, type DraftChanges } from './case-notes.repository.js';
import { CasesDatabase } from './cases.database.js';
import { CasesTopics, type NoteCosignedEvent, type NoteSignedEvent } from './cases.events.js';
import { type CaseRow } from './cases.repository.js';
import { toNoteView } from './views.js';
import { isUuid } from '../../platform/database/ids.js';

export const NOTES_WRITE = 'cases.notes.write';
export const NOTES_COSIGN = 'cases.notes.cosign';

/**
 * Case notes: an author drafts and edits a note, then signs it; from then on it is locked (the
 * database refuses changes too) and corrections are addenda, themselves drafted and signed.
 * Notes that are 42 CFR Part 2 records are withheld from callers who may not see Part 2
 * information about the client, and carry the redisclosure notice when shown.
 */
@Injectable()
export class CaseNotesService {
  constructor(
    private readonly database: CasesDatabase,
    private readonly notes: CaseNotesRepository,
    private readonly access: CaseAccess,
    private readonly clients: ClientAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    principal: Principal,
    caseId: string,
    query: NoteListQuery,
  ): Promise<{ items: NoteView[]; nextCursor: string | null } & Part2Disclosure> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    const rows = await this.notes.list({
      caseId: row.id,
      viewerId: viewerId(principal),
      after: query.cursor ? decodeNoteCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const restricted = page.some((note) => isRestricted(principal, note));
    const mayDisclose = !restricted || (await this.maySeePart2(principal, row));
    const shown = page.filter((note) => mayDisclose || !isRestricted(principal, note));
    const last = page[page.length - 1];
    return {
      items: shown.map(toNoteView),
      nextCursor:
        rows.length > query.limit && last
          ? encodeNameCursor({ name: last.contact_at.toISOString(), id: last.id })
          : null,
      ...part2Disclosure(
        shown.some((note) => note.part2),
        page.length - shown.length,
      ),
    };
  }

  async get(principal: Principal, caseId: string, noteId: string): Promise<NoteDetailView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    const note = await this.visibleNote(principal, row, noteId);
    return {
      ...toNoteView(note),
      addendumIds: await this.notes.addendaOf(note.id, viewerId(principal)),
      redisclosureNotice: note.part2 ? PART2_REDISCLOSURE_NOTICE : null,
    };
  }

  async create(principal: Principal, caseId: string, body: CreateNoteBody): Promise<NoteView> {
    const { case: row } = await this.access.require(principal, caseId, NOTES_WRITE);
    requireOpen(row);
    const id = randomUUID();
    await this.notes.insert({
      id,
      case_id: row.id,
      author_id: actorId(principal),
      note_type: body.noteType,
      contact_at: new Date(body.contactAt),
      duration_minutes: body.durationMinutes,
      body: body.body,
      part2: part2Of(row, body.part2),
      cosign_required: body.requiresCosign,
      late_entry: body.lateEntry,
      parent_note_id: null,
    });
    return toNoteView(await this.row(id));
  }

  /** The author changes their draft (If-Match); a signed note answers 409. */
  async patch(
    principal: Principal,
    caseId: string,
    noteId: string,
    version: number,
    body: PatchNoteBody,
  ): Promise<NoteView> {
    const { case: row } = await this.access.require(principal, caseId, NOTES_WRITE);
    const note = await this.ownDraft(principal, row, noteId);
    if (note.version !== version) throw Problems.preconditionFailed();
    if (note.parent_note_id !== null) {
      const fixed = (['noteType', 'contactAt', 'durationMinutes', 'lateEntry'] as const).filter(
        (key) => body[key] !== undefined,
      );
      if (fixed.length > 0) {
        throw Problems.validation(
          fixed.map((key) => ({
            field: `body.${key}`,
            message: 'An addendum takes this from the note it adds to; change only its text.',
          })),
        );
      }
    }
    if (body.part2 === false && row.part2) {
      throw Problems.validation([
        { field: 'body.part2', message: 'Notes of a 42 CFR Part 2 case are always Part 2 records.' },
      ]);
    }
    const changes: DraftChanges = {};
    if (body.noteType !== undefined) changes.note_type = body.noteType;
    if (body.contactAt !== undefined) changes.contact_at = new Date(body.contactAt);
    if (body.durationMinutes !== undefined) changes.duration_minutes = body.durationMinutes;
    if (body.body !== undefined) changes.body = body.body;
    if (body.part2 !== undefined) changes.part2 = body.part2;
    if (body.requiresCosign !== undefined) changes.cosign_required = body.requiresCosign;
    if (body.lateEntry !== undefined) changes.late_entry = body.lateEntry;
    if (!(await this.notes.updateDraft(note.id, changes, version))) await this.refuseStale(note.id);
    return toNoteView(await this.row(note.id));
  }

  /**
   * The author signs their draft (If-Match): it is locked from then on, its content hashed, and
   * marked a late entry when signed more than CASE_NOTE_LATE_ENTRY_HOURS after the contact.
   */
  async sign(principal: Principal, caseId: string, noteId: string, version: number): Promise<NoteView> {
    const { case: row } = await this.access.require(principal, caseId, NOTES_WRITE);
    const note = await this.ownDraft(principal, row, noteId, 'sign');
    if (note.version !== version) throw Problems.preconditionFailed();
    const signedAt = new Date();
    const signedBy = actorId(principal);
    // An addendum documents no contact of its own: it is never late against the original's.
    const lateEntry =
      note.late_entry ||
      (note.parent_note_id === null &&
        isLateEntry(note.contact_at, signedAt, this.config.CASE_NOTE_LATE_ENTRY_HOURS));
    const signature = {
      signed_at: signedAt,
      signed_by: signedBy,
      late_entry: lateEntry,
      content_hash: noteContentHash({
        ...note,
        signed_at: signedAt,
        signed_by: signedBy,
        late_entry: lateEntry,
      }),
    };
    await this.database.transaction(async (trx) => {
      if (!(await this.notes.sign(note.id, signature, version, trx))) await this.refuseStale(note.id);
      await publishEvent(trx, CasesTopics.noteSigned, {
        noteId: note.id,
        caseId: row.id,
        agencyId: row.agency_id,
        authorId: note.author_id,
        parentNoteId: note.parent_note_id,
        lateEntry,
        cosignRequired: note.cosign_required,
      } satisfies NoteSignedEvent);
    });
    return toNoteView(await this.row(note.id));
  }

  /** A correction or addition to a signed note: a new draft linked to it. */
  async addAddendum(
    principal: Principal,
    caseId: string,
    noteId: string,
    body: CreateAddendumBody,
  ): Promise<NoteView> {
    // Allowed on a closed case too: a correction of the record is always possible.
    const { case: row } = await this.access.require(principal, caseId, NOTES_WRITE);
    const parent = await this.visibleNote(principal, row, noteId);
    if (parent.status !== 'signed') {
      throw Problems.conflict(
        'This note is still a draft: edit it instead of adding an addendum.',
        'note-draft',
      );
    }
    if (parent.parent_note_id !== null) {
      throw Problems.conflict('Add the addendum to the original note, not to another addendum.');
    }
    const id = randomUUID();
    await this.notes.insert({
      id,
      case_id: row.id,
      author_id: actorId(principal),
      note_type: parent.note_type,
      contact_at: parent.contact_at,
      duration_minutes: null,
      body: body.body,
      part2: parent.part2 || part2Of(row, body.part2),
      cosign_required: body.requiresCosign,
      late_entry: false,
      parent_note_id: parent.id,
    });
    return toNoteView(await this.row(id));
  }

  /**
   * A supervisor's co-signature of a signed note that requires one (If-Match). Never the
   * author's own: a co-signature is a second person's attestation.
   */
  async cosign(principal: Principal, caseId: string, noteId: string, version: number): Promise<NoteView> {
    const { case: row } = await this.access.require(principal, caseId, NOTES_COSIGN);
    const note = await this.visibleNote(principal, row, noteId);
    if (note.author_id === principal.id) {
      throw Problems.forbidden('You cannot co-sign your own note; a supervisor co-signs it.');
    }
    if (note.status !== 'signed')
      throw Problems.conflict('The author has not signed this note yet.', 'note-draft');
    if (!note.cosign_required) throw Problems.conflict('This note does not require a co-signature.');
    if (note.cosigned_at !== null) throw Problems.conflict('This note is already co-signed.');
    if (note.version !== version) throw Problems.preconditionFailed();
    const cosignedBy = actorId(principal);
    await this.database.transaction(async (trx) => {
      if (!(await this.notes.cosign(note.id, cosignedBy, version, trx))) throw Problems.preconditionFailed();
      await publishEvent(trx, CasesTopics.noteCosigned, {
        noteId: note.id,
        caseId: row.id,
        agencyId: row.agency_id,
        cosignedBy,
      } satisfies NoteCosignedEvent);
    });
    return toNoteView(await this.row(note.id));
  }

  /** The author discards their draft (If-Match); signed notes are never deleted. */
  async discard(principal: Principal, caseId: string, noteId: string, version: number): Promise<void> {
    const { case: row } = await this.access.require(principal, caseId, NOTES_WRITE);
    const note = await this.ownDraft(principal, row, noteId, 'discard');
    if (note.version !== version) throw Problems.preconditionFailed();
    if (!(await this.notes.deleteDraft(note.id, version))) await this.refuseStale(note.id);
  }

  /**
   * A note of the case the caller may see: another author's draft is not visible (404), and a
   * Part 2 note the caller may not see answers 403 naming consent.
   */
  private async visibleNote(principal: Principal, row: CaseRow, noteId: string): Promise<CaseNoteRow> {
    const note = await this.notes.findById(noteId);
    if (note?.case_id !== row.id) throw Problems.notFound('note');
    if (note.status === 'draft' && note.author_id !== principal.id) throw Problems.notFound('note');
    if (isRestricted(principal, note) && !(await this.maySeePart2(principal, row))) throw part2Withheld();
    return note;
  }

  /** The caller's own draft; a signed note answers 409 (it can no longer change). */
  private async ownDraft(
    principal: Principal,
    row: CaseRow,
    noteId: string,
    action: 'edit' | 'sign' | 'discard' = 'edit',
  ): Promise<CaseNoteRow> {
    const note = await this.visibleNote(principal, row, noteId);
    if (note.status === 'signed') throw noteSigned(action);
    if (note.author_id !== principal.id) throw Problems.forbidden('Only the author may change a draft note.');
    return note;
  }

  private maySeePart2(principal: Principal, row: CaseRow): Promise<boolean> {
    return this.clients.canSeePart2(principal, row.client_id, row.program_id);
  }

  /** A conditional write matched nothing: the note was signed or changed meanwhile. */
  private async refuseStale(noteId: string): Promise<never> {
    const now = await this.notes.findById(noteId);
    if (now?.status === 'signed') throw noteSigned('edit');
    throw Problems.preconditionFailed();
  }

  private async row(id: string): Promise<CaseNoteRow> {
    const note = await this.notes.findById(id);
    if (!note) throw Problems.notFound('note');
    return note;
  }
}

/** A Part 2 note the caller did not write: disclosed only to those who may see Part 2 information. */
function isRestricted(principal: Principal, note: CaseNoteRow): boolean {
  return note.part2 && note.author_id !== principal.id;
}

/** A note of a Part 2 case is always a Part 2 record; otherwise the author says. */
function part2Of(row: CaseRow, requested: boolean | undefined): boolean {
  return row.part2 || (requested ?? false);
}

function requireOpen(row: CaseRow): void {
  if (row.status === 'closed') {
    throw Problems.conflict('The case is closed: it takes no new notes, only addenda to its signed ones.');
  }
}

function viewerId(principal: Principal): string {
  return isUuid(principal.id) ? principal.id : '00000000-0000-0000-0000-000000000000';
}

function noteSigned(action: 'edit' | 'sign' | 'discard'): ProblemError {
  const detail = {
    edit: 'This note is signed and can no longer change; add an addendum to correct it.',
    sign: 'This note is already signed.',
    discard: 'This note is signed and is part of the record; add an addendum to correct it.',
  }[action];
  return Problems.conflict(detail, 'note-signed');
}

function part2Withheld(): ProblemError {
  return new ProblemError({
    status: 403,
    type: 'part2-consent-required',
    title: 'Part 2 record withheld',
    detail:
      'This note is a 42 CFR Part 2 record. It is disclosed only to staff of ' +
      "the program that holds it, to those named in the client's written consent, or in a medical " +
      'emergency (break-the-glass).',
  });
}

const NOTE_CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The page cursor of a case's notes: the last note's contact time and id. */
function decodeNoteCursor(text: string): { contactAt: string; id: string } {
  const cursor = decodeNameCursor(text);
  if (!NOTE_CURSOR_TIME.test(cursor.name)) {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
  return { contactAt: cursor.name, id: cursor.id };
}
