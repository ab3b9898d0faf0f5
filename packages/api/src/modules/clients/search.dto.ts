import { z } from 'zod';
import { ClientResponse, MedicaidId, Ssn } from './clients.dto.js';
import { PhoneNumber } from './details.dto.js';
import { normaliseName } from './duplicate-score.js';

export const ClientSearchQuery = z
  .strictObject({
    /** Any part of the name, in any order; a typo or two is forgiven ('Hernandes' finds Hernandez). */
    q: z
      .string()
      .max(100)
      .transform(normaliseName)
      .refine((v) => v.length >= 2, 'Type at least two letters of the name.')
      .optional(),
    birthDate: z.iso.date('Use a date such as 1980-02-03.').optional(),
    ssn: Ssn.optional(),
    medicaidId: MedicaidId.optional(),
    phone: PhoneNumber.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine(
    (v) => v.q !== undefined || v.birthDate || v.ssn || v.medicaidId || v.phone,
    'Search by name, birth date, SSN, Medicaid id or phone.',
  );
export type ClientSearchQuery = z.output<typeof ClientSearchQuery>;

export const ClientSearchResponse = z.object({
  items: z.array(
    ClientResponse.extend({
      /** How well the name matched (1 when no name was searched for). */
      score: z.number(),
    }),
  ),
});
export type ClientSearchHit = z.output<typeof ClientSearchResponse>['items'][number];

export const DuplicateCandidateResponse = z
  .object({
    clientId: z.uuid(),
    /** 0–1; registration asks for confirmation from 0.7. */
    score: z.number(),
    reasons: z.array(z.string()),
    /** Whether the caller may open the record; names are given only then. */
    visible: z.boolean(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
  })
  .meta({ id: 'DuplicateCandidate' });
export type DuplicateCandidateView = z.output<typeof DuplicateCandidateResponse>;
export const DuplicateListResponse = z.object({ items: z.array(DuplicateCandidateResponse) });
