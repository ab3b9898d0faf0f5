import { createHash } from 'node:crypto';
import type { CaseNoteRow } from './case-notes.repository.js';

/** What a signature covers: the note's content and the signature itself. */
export type SignedContent = Pick<
  CaseNoteRow,
  | 'id'
  | 'case_id'
  | 'author_id'
  | 'note_type'
  | 'contact_at'
  | 'duration_minutes'
  | 'body'
  | 'part2'
  | 'cosign_required'
  | 'parent_note_id'
> & { signed_by: string; signed_at: Date; late_entry: boolean };

/**
 * sha256 (hex) of a note's signed content, stored with the signature: a later change of the
 * row by any path that bypasses the lock shows as a hash that no longer matches.
 */
export function noteContentHash(note: SignedContent): string {
  const canonical = JSON.stringify([
    'ehrms.case-note.v1',
    note.id,
    note.case_id,
    note.author_id,
    note.note_type,
    note.contact_at.toISOString(),
    note.duration_minutes,
    note.body,
    note.part2,
    note.cosign_required,
    note.parent_note_id,
    note.signed_by,
    note.signed_at.toISOString(),
    note.late_entry,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Whether the stored hash still matches the signed row. */
export function signatureIntact(note: CaseNoteRow): boolean {
  if (note.status !== 'signed' || !note.signed_at || !note.signed_by || !note.content_hash) return false;
  return (
    noteContentHash({ ...note, signed_at: note.signed_at, signed_by: note.signed_by }) === note.content_hash
  );
}

/**
 * A note signed more than `lateAfterHours` after the contact it documents is a late entry
 * (CASE_NOTE_LATE_ENTRY_HOURS): it stays valid but is marked, as auditors and payers expect.
 */
export function isLateEntry(contactAt: Date, signedAt: Date, lateAfterHours: number): boolean {
  return signedAt.getTime() - contactAt.getTime() > lateAfterHours * 3_600_000;
}
