import { z } from 'zod';
import { MedicaidId } from './clients.dto.js';
import { COVERAGE_PRIORITIES, PAYERS } from './details.schema.js';

const IsoDate = z.iso.date('Use a date such as 2026-02-03.');
const Text = (max: number) => z.string().trim().min(1).max(max);
const MemberId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{4,30}$/, 'A member id is 4 to 30 letters, digits or dashes.')
  .transform((v) => v.toUpperCase());

export const CoverageIdParams = z.strictObject({ id: z.uuid(), coverageId: z.uuid() });

export const CoverageResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    payer: z.enum(PAYERS),
    payerName: z.string().nullable(),
    /** Masked: the full member id is revealed by its own audited route. */
    memberIdLast4: z.string(),
    groupNumber: z.string().nullable(),
    planName: z.string().nullable(),
    priority: z.enum(COVERAGE_PRIORITIES),
    startDate: z.string(),
    endDate: z.string().nullable(),
    /** In force today. */
    current: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ClientCoverage' });
export type CoverageView = z.output<typeof CoverageResponse>;
export const CoverageListResponse = z.object({ items: z.array(CoverageResponse) });

const medicaidMemberId = (b: { payer?: string; memberId?: string }) =>
  b.payer !== 'medicaid' || b.memberId === undefined || MedicaidId.safeParse(b.memberId).success;
const MEDICAID_MEMBER_ID = {
  message: 'A Wisconsin Medicaid member id is 10 digits.',
  path: ['memberId'],
};
const endsAfterStart = (b: { startDate?: string; endDate?: string | null }) =>
  !b.startDate || !b.endDate || b.endDate >= b.startDate;
const ENDS_AFTER_START = { message: 'Coverage cannot end before it starts.', path: ['endDate'] };

export const CreateCoverageBody = z
  .strictObject({
    payer: z.enum(PAYERS),
    /** e.g. 'Wisconsin Medicaid (ForwardHealth)', 'Quartz', 'Medicare Part B'. */
    payerName: Text(200).nullable().default(null),
    memberId: MemberId,
    groupNumber: Text(50).nullable().default(null),
    planName: Text(200).nullable().default(null),
    priority: z.enum(COVERAGE_PRIORITIES),
    startDate: IsoDate,
    endDate: IsoDate.nullable().default(null),
  })
  .refine(medicaidMemberId, MEDICAID_MEMBER_ID)
  .refine(endsAfterStart, ENDS_AFTER_START);
export type CreateCoverageBody = z.output<typeof CreateCoverageBody>;

export const PatchCoverageBody = z
  .strictObject({
    payerName: Text(200).nullable(),
    memberId: MemberId,
    groupNumber: Text(50).nullable(),
    planName: Text(200).nullable(),
    priority: z.enum(COVERAGE_PRIORITIES),
    startDate: IsoDate,
    endDate: IsoDate.nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchCoverageBody = z.output<typeof PatchCoverageBody>;

export const EndCoverageBody = z.strictObject({ endDate: IsoDate });
export type EndCoverageBody = z.output<typeof EndCoverageBody>;

export const CoverageMemberIdResponse = z
  .object({ coverageId: z.uuid(), payer: z.enum(PAYERS), memberId: z.string() })
  .meta({ id: 'ClientCoverageMemberId' });
