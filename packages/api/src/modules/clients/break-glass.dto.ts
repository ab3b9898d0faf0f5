import { z } from 'zod';
import { REVIEW_OUTCOMES, REVIEW_STATUSES } from './privacy.schema.js';

/** Purposes an emergency access may state: emergency treatment by default. */
export const BREAK_GLASS_PURPOSES = ['ETREAT', 'TREAT', 'PUBHLTH'] as const;

export const RequestBreakGlassBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(20, 'Say why in at least 20 characters; the privacy officer reviews every emergency access.')
    .max(1000),
  purposeOfUse: z.enum(BREAK_GLASS_PURPOSES).default('ETREAT'),
});
export type RequestBreakGlassBody = z.output<typeof RequestBreakGlassBody>;

export const BreakGlassResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    userId: z.uuid(),
    reason: z.string(),
    purposeOfUse: z.string(),
    grantedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'BreakGlassGrant' });
export type BreakGlassView = z.output<typeof BreakGlassResponse>;

export const BreakGlassListResponse = z.object({ items: z.array(BreakGlassResponse) });

export const PrivacyReviewQuery = z.strictObject({
  status: z.enum(REVIEW_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type PrivacyReviewQuery = z.output<typeof PrivacyReviewQuery>;

export const ReviewIdParams = z.strictObject({ id: z.uuid() });

export const ReviewBreakGlassBody = z
  .strictObject({
    outcome: z.enum(REVIEW_OUTCOMES),
    notes: z.string().trim().min(1).max(2000).nullable().default(null),
  })
  .refine((b) => b.outcome === 'appropriate' || b.notes !== null, {
    path: ['notes'],
    message: 'Say what was inappropriate about this access.',
  });
export type ReviewBreakGlassBody = z.output<typeof ReviewBreakGlassBody>;

export const PrivacyReviewResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    status: z.enum(REVIEW_STATUSES),
    breakGlass: BreakGlassResponse,
    reviewerId: z.uuid().nullable(),
    outcome: z.enum(REVIEW_OUTCOMES).nullable(),
    notes: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'PrivacyReview' });
export type PrivacyReviewView = z.output<typeof PrivacyReviewResponse>;

export const PrivacyReviewListResponse = z.object({
  items: z.array(PrivacyReviewResponse),
  nextCursor: z.string().nullable(),
});
