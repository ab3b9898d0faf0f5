import { z } from 'zod';
import { CASE_TYPES, RISK_LEVELS } from './cases.schema.js';
import { REFERRAL_STATUSES, REFERRAL_URGENCIES } from './casework.schema.js';

const Reason = z.string().trim().min(1).max(4000);

export const CaseReferralsParams = z.strictObject({ id: z.uuid() });
export const CaseReferralParams = z.strictObject({ id: z.uuid(), referralId: z.uuid() });
export const ReferralParams = z.strictObject({ referralId: z.uuid() });

export const MakeReferralBody = z.strictObject({
  toProgramId: z.uuid(),
  reason: Reason,
  urgency: z.enum(REFERRAL_URGENCIES),
});
export type MakeReferralBody = z.output<typeof MakeReferralBody>;

export const AcceptReferralBody = z.strictObject({
  type: z.enum(CASE_TYPES).default('intake'),
  riskLevel: z.enum(RISK_LEVELS),
  /** The receiving team; defaults to the caller's first team. */
  teamId: z.uuid().optional(),
  /** The receiving worker; defaults to the caller, `null` leaves the case in the team's queue. */
  workerId: z.uuid().nullable().optional(),
  /** The receiving program is a 42 CFR Part 2 program. */
  part2: z.boolean().default(false),
});
export type AcceptReferralBody = z.output<typeof AcceptReferralBody>;

export const DeclineReferralBody = z.strictObject({ reason: Reason });
export type DeclineReferralBody = z.output<typeof DeclineReferralBody>;

export const IncomingReferralsQuery = z.strictObject({
  status: z.enum(REFERRAL_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type IncomingReferralsQuery = z.output<typeof IncomingReferralsQuery>;

export const ReferralResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    clientId: z.uuid(),
    /** Null when withheld (a referral from a 42 CFR Part 2 case, to someone who may not see it). */
    fromCaseId: z.uuid().nullable(),
    fromProgramId: z.uuid().nullable(),
    toProgramId: z.uuid(),
    reason: z.string().nullable(),
    urgency: z.enum(REFERRAL_URGENCIES),
    part2: z.boolean(),
    /** Where the referral comes from and why are withheld: Part 2 information the caller may not see. */
    part2Withheld: z.boolean(),
    status: z.enum(REFERRAL_STATUSES),
    referredBy: z.uuid(),
    referredAt: z.string(),
    decidedBy: z.uuid().nullable(),
    decidedAt: z.string().nullable(),
    declineReason: z.string().nullable(),
    /** The case the receiving program opened on accepting. */
    acceptedCaseId: z.uuid().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'CaseReferral' });
export type ReferralView = z.output<typeof ReferralResponse>;
export const ReferralListResponse = z.object({ items: z.array(ReferralResponse) });
export const ReferralPageResponse = z.object({
  items: z.array(ReferralResponse),
  nextCursor: z.string().nullable(),
});
