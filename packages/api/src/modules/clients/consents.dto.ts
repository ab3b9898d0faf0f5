import { z } from 'zod';
import { agencyToday } from '../../platform/time/agency-today.js';
import { Part2DisclosureFields } from './part2.js';
import {
  CONSENT_KINDS,
  CONSENT_PURPOSES,
  CONSENT_STATUSES,
  INFORMATION_CATEGORIES,
  RECIPIENT_TYPES,
  SIGNER_RELATIONSHIPS,
} from './privacy.schema.js';

const IsoDate = z.iso.date('Use a date such as 2026-02-03.');
const distinct = <T>(values: T[]) => new Set(values).size === values.length;

const Recipient = z
  .strictObject({
    type: z.enum(RECIPIENT_TYPES),
    /** The user, team, program or agency; for an outside organisation, optionally its provider id. */
    id: z.uuid().nullable().default(null),
    name: z.string().trim().min(1).max(200).nullable().default(null),
  })
  .superRefine((r, ctx) => {
    if (r.type !== 'organization' && r.id === null) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `Name the ${r.type} the information goes to.` });
    }
    if (r.type === 'organization' && r.name === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'Name the organisation the information goes to.',
      });
    }
  });

export const CreateConsentBody = z
  .strictObject({
    kind: z.enum(CONSENT_KINDS),
    recipient: Recipient,
    purposes: z.array(z.enum(CONSENT_PURPOSES)).min(1).refine(distinct, 'Each purpose once.'),
    categories: z.array(z.enum(INFORMATION_CATEGORIES)).min(1).refine(distinct, 'Each category once.'),
    /** For a Part 2 consent: the Part 2 program permitted to disclose. */
    disclosingProgramId: z.uuid().nullable().default(null),
    effectiveFrom: IsoDate,
    expiresOn: IsoDate.nullable().default(null),
    signedOn: IsoDate.refine((d) => d <= agencyToday(), 'A consent cannot be signed in the future.'),
    signedBy: z.strictObject({
      name: z.string().trim().min(1).max(200),
      relationship: z.enum(SIGNER_RELATIONSHIPS),
    }),
    documentId: z.uuid().nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.expiresOn !== null && b.expiresOn < b.effectiveFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiresOn'],
        message: 'A consent cannot expire before it starts.',
      });
    }
    if (b.kind !== 'part2') {
      if (b.disclosingProgramId !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['disclosingProgramId'],
          message: 'Only a Part 2 consent names a disclosing program.',
        });
      }
      return;
    }
    // 42 CFR 2.31: a Part 2 consent names who may disclose, to whom, for what, and until when.
    if (b.expiresOn === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiresOn'],
        message: 'A Part 2 consent must say when it expires (42 CFR 2.31).',
      });
    }
    if (b.disclosingProgramId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['disclosingProgramId'],
        message: 'A Part 2 consent must name the program permitted to disclose (42 CFR 2.31).',
      });
    }
  });
export type CreateConsentBody = z.output<typeof CreateConsentBody>;

export const RevokeConsentBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export type RevokeConsentBody = z.output<typeof RevokeConsentBody>;

export const ConsentIdParams = z.strictObject({ id: z.uuid(), consentId: z.uuid() });

export const ConsentResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    kind: z.enum(CONSENT_KINDS),
    recipient: z.object({
      type: z.enum(RECIPIENT_TYPES),
      id: z.uuid().nullable(),
      name: z.string().nullable(),
    }),
    purposes: z.array(z.string()),
    categories: z.array(z.string()),
    disclosingProgramId: z.uuid().nullable(),
    effectiveFrom: z.string(),
    expiresOn: z.string().nullable(),
    signedOn: z.string(),
    signedBy: z.object({ name: z.string(), relationship: z.enum(SIGNER_RELATIONSHIPS) }),
    documentId: z.uuid().nullable(),
    /** Standing today: `active` (in force), `scheduled` (not yet effective), `expired`, `revoked`. */
    status: z.enum(CONSENT_STATUSES),
    revokedAt: z.string().nullable(),
    revokedBy: z.uuid().nullable(),
    revocationReason: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Consent' });
export type ConsentView = z.output<typeof ConsentResponse>;

/** Part 2 consents the caller may not see are counted in `withheld`, never shown. */
export const ConsentListResponse = z.object({ items: z.array(ConsentResponse), ...Part2DisclosureFields });
export type ConsentListView = z.output<typeof ConsentListResponse>;
