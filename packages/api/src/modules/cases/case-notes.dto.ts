import { z } from 'zod';
import { Part2DisclosureFields } from '../clients/part2.js';
import { NOTE_STATUSES, NOTE_TYPES } from './cases.schema.js';

/** A few minutes of clock skew between a device and the server are not "the future". */
const SKEW_MS = 5 * 60_000;
const ContactAt = z.iso
  .datetime({ offset: true, error: 'Use a date and time such as 2026-01-05T14:30:00Z.' })
  .refine((v) => Date.parse(v) <= Date.now() + SKEW_MS, 'A contact cannot be in the future.');
const NoteBody = z.string().trim().min(1).max(20_000);

export const NoteResponse = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    authorId: z.uuid(),
    noteType: z.enum(NOTE_TYPES),
    contactAt: z.string(),
    durationMinutes: z.number().int().nullable(),
    body: z.string(),
    /** A 42 CFR Part 2 record: shown only to those who may see it, with the redisclosure notice. */
    part2: z.boolean(),
    status: z.enum(NOTE_STATUSES),
    signedAt: z.string().nullable(),
    signedBy: z.uuid().nullable(),
    /** sha256 of the signed content. */
    contentHash: z.string().nullable(),
    requiresCosign: z.boolean(),
    cosignedAt: z.string().nullable(),
    cosignedBy: z.uuid().nullable(),
    lateEntry: z.boolean(),
    /** Set on an addendum: the signed note it corrects or adds to. */
    parentNoteId: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CaseNote' });
export type NoteView = z.output<typeof NoteResponse>;

export const NoteDetailResponse = NoteResponse.extend({
  /** Addenda of this note, oldest first. */
  addendumIds: z.array(z.uuid()),
  redisclosureNotice: z.string().nullable(),
}).meta({ id: 'CaseNoteDetail' });
export type NoteDetailView = z.output<typeof NoteDetailResponse>;

export const NoteListResponse = z.object({
  items: z.array(NoteResponse),
  nextCursor: z.string().nullable(),
  ...Part2DisclosureFields,
});

export const CaseNotesParams = z.strictObject({ id: z.uuid() });
export const NoteIdParams = z.strictObject({ id: z.uuid(), noteId: z.uuid() });

export const NoteListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type NoteListQuery = z.output<typeof NoteListQuery>;

export const CreateNoteBody = z.strictObject({
  noteType: z.enum(NOTE_TYPES),
  contactAt: ContactAt,
  durationMinutes: z.number().int().min(0).max(1440).nullable().default(null),
  body: NoteBody,
  /** Defaults to the case's flag; a note of a Part 2 case is always a Part 2 record. */
  part2: z.boolean().optional(),
  /** A supervisor must co-sign once it is signed. */
  requiresCosign: z.boolean().default(false),
  /** Marks a late entry explicitly (it is marked anyway when signed too long after the contact). */
  lateEntry: z.boolean().default(false),
});
export type CreateNoteBody = z.output<typeof CreateNoteBody>;

export const PatchNoteBody = z
  .strictObject({
    noteType: z.enum(NOTE_TYPES),
    contactAt: ContactAt,
    durationMinutes: z.number().int().min(0).max(1440).nullable(),
    body: NoteBody,
    part2: z.boolean(),
    requiresCosign: z.boolean(),
    lateEntry: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchNoteBody = z.output<typeof PatchNoteBody>;

export const CreateAddendumBody = z.strictObject({
  body: NoteBody,
  part2: z.boolean().optional(),
  requiresCosign: z.boolean().default(false),
});
export type CreateAddendumBody = z.output<typeof CreateAddendumBody>;
