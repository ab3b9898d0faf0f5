import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/**
 * The notice 42 CFR 2.32(a)(1) requires with every disclosure of Part 2 (substance use disorder)
 * records. One text for the whole system: the cases and documents modules import it for Part 2
 * notes and documents, the clients module for Part 2 enrolments and consents.
 */
export const PART2_REDISCLOSURE_NOTICE =
  'This record which has been disclosed to you is protected by Federal confidentiality rules ' +
  '(42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony ' +
  'that describes the information contained in this record, in any civil, criminal, ' +
  'administrative, or legislative proceedings by any Federal, State, or local authority, against ' +
  'the patient, unless authorized by the consent of the patient, except as provided at 42 CFR ' +
  '2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, ' +
  'the Federal rules prohibit you from making any other use or disclosure of this record unless ' +
  'at least one of the following applies: (i) Further use or disclosure is expressly permitted by ' +
  'the written consent of the individual whose information is being disclosed in this record or ' +
  'as otherwise permitted by 42 CFR part 2. (ii) You are a covered entity or business associate ' +
  'and have received the record for treatment, payment, or health care operations, or (iii) You ' +
  'have received the record from a covered entity or business associate as permitted by 45 CFR ' +
  'part 164, subparts A and E. A general authorization for the release of medical or other ' +
  'information is NOT sufficient to meet the required elements of written consent to further use ' +
  'or redisclose the record (see 42 CFR 2.31).';

/** Response header marking a body that discloses Part 2 information, so clients and proxies can tell without parsing it. */
export const PART2_NOTICE_HEADER = 'x-redisclosure-notice';
export const PART2_NOTICE_HEADER_VALUE = '42-CFR-2.32';

/**
 * The members every list that may hold Part 2 items answers with: how many items were withheld
 * from the caller (a count, never their content) and the notice when any shown item is Part 2.
 */
export const Part2DisclosureFields = {
  withheld: z.number().int().min(0),
  redisclosureNotice: z.string().nullable(),
};

export interface Part2Disclosure {
  withheld: number;
  redisclosureNotice: string | null;
}

/** The disclosure members for a response that shows `disclosesPart2` and left out `withheld` items. */
export function part2Disclosure(disclosesPart2: boolean, withheld: number): Part2Disclosure {
  return { withheld, redisclosureNotice: disclosesPart2 ? PART2_REDISCLOSURE_NOTICE : null };
}

/** Sets the redisclosure header when the body carries the notice; returns the body (like withEtag). */
export function withRedisclosureNotice<T extends { redisclosureNotice: string | null }>(
  reply: FastifyReply,
  body: T,
): T {
  if (body.redisclosureNotice !== null) void reply.header(PART2_NOTICE_HEADER, PART2_NOTICE_HEADER_VALUE);
  return body;
}

/** A client's record held at a program: a Part 2 question is always about both. */
export interface ClientAtProgram {
  clientId: string;
  programId: string;
}

/**
 * What ClientAccess.part2Among decided for a batch of (client, program) pairs: `disclosed` when the
 * client's record at that program is 42 CFR Part 2 information the caller may see, `withheld` when
 * they may not, null when it is not Part 2 information.
 */
export class Part2Sight {
  static readonly none = new Part2Sight(new Map());

  constructor(private readonly standings: ReadonlyMap<string, boolean>) {}

  of(clientId: string, programId: string): 'disclosed' | 'withheld' | null {
    const mayShow = this.standings.get(pairKey(clientId, programId));
    if (mayShow === undefined) return null;
    return mayShow ? 'disclosed' : 'withheld';
  }
}

export function pairKey(clientId: string, programId: string): string {
  return `${clientId}/${programId}`;
}
