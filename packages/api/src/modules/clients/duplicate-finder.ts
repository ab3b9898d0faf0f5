import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { ProblemError } from '../../platform/errors/problem.js';
import { ClientAccess } from './client-access.js';
import type { ClientRow } from './clients.repository.js';
import {
  birthDateTypos,
  duplicateScore,
  LIKELY_DUPLICATE,
  normaliseName,
  type DuplicateEvidence,
} from './duplicate-score.js';
import { identifierIndex } from './identifiers.js';
import type { DuplicateCandidateView } from './search.dto.js';
import {
  ClientSearchRepository,
  type DuplicateCandidateRow,
  type DuplicateProbe,
} from './search.repository.js';

const READ = 'clients.clients.read';
/** Candidates reported at most (best first). */
const MAX_CANDIDATES = 10;

/** A person as registration describes them, before there is a record. */
export interface PersonToRegister {
  givenName: string;
  familyName: string;
  birthDate: string;
  sexAtBirth: string;
  ssn: string | null;
  medicaidId: string | null;
}

/**
 * Likely duplicates of a person within an agency: the same SSN or Medicaid id, or a similar name
 * born on the same day (or a typo of it), scored with reasons (duplicate-score.ts). Callers see
 * the names only of candidates within their scope; the others are ids, scores and reasons.
 */
@Injectable()
export class DuplicateFinder {
  constructor(
    private readonly search: ClientSearchRepository,
    private readonly access: ClientAccess,
    private readonly cipher: FieldCipher,
  ) {}

  /** Likely duplicates, in the caller's agency, of a person about to be registered. */
  async forNewClient(principal: Principal, person: PersonToRegister): Promise<DuplicateCandidateView[]> {
    return this.find(
      {
        agencyId: principal.agencyId,
        excludeId: null,
        name: normaliseName(`${person.givenName} ${person.familyName}`),
        sexAtBirth: person.sexAtBirth,
        birthDates: [person.birthDate, ...birthDateTypos(person.birthDate)],
        ssnIndex: person.ssn ? identifierIndex(this.cipher, 'ssn', person.ssn) : null,
        medicaidIndex: person.medicaidId ? identifierIndex(this.cipher, 'medicaid', person.medicaidId) : null,
      },
      principal,
    );
  }

  /**
   * Likely duplicates of a client on record as a change would leave it (names, birth date, sex or
   * identifiers edited), other than the client itself. An unchanged identifier keeps its index.
   */
  async forChangedClient(
    principal: Principal,
    client: ClientRow,
    change: Partial<PersonToRegister>,
  ): Promise<DuplicateCandidateView[]> {
    const probe = probeOf(client);
    const birthDate = change.birthDate ?? client.birth_date;
    return this.find(
      {
        ...probe,
        name: normaliseName(
          `${change.givenName ?? client.given_name} ${change.familyName ?? client.family_name}`,
        ),
        sexAtBirth: change.sexAtBirth ?? client.sex_at_birth,
        birthDates: [birthDate, ...birthDateTypos(birthDate)],
        ...(change.ssn !== undefined
          ? { ssnIndex: change.ssn ? identifierIndex(this.cipher, 'ssn', change.ssn) : null }
          : {}),
        ...(change.medicaidId !== undefined
          ? {
              medicaidIndex: change.medicaidId
                ? identifierIndex(this.cipher, 'medicaid', change.medicaidId)
                : null,
            }
          : {}),
      },
      principal,
    );
  }

  /** Likely duplicates of a client on record (for a caller who may read that client). */
  async ofClient(principal: Principal, clientId: string): Promise<DuplicateCandidateView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    return this.find(probeOf(client), principal);
  }

  /** The 409 registration answers while likely duplicates exist and the caller has not acknowledged them. */
  static problem(candidates: DuplicateCandidateView[], action = 'register anyway'): ProblemError {
    return new ProblemError({
      status: 409,
      type: 'possible-duplicate',
      title: 'Possible duplicate',
      detail: `The agency may already have a record of this person. Open the matching record, or ${action} with "acknowledgeDuplicates": true.`,
      extensions: { candidates },
    });
  }

  private async find(probe: DuplicateProbe, principal: Principal): Promise<DuplicateCandidateView[]> {
    const rows = await this.search.duplicateCandidates(probe);
    const likely = rows
      .map((row) => ({ row, ...duplicateScore(evidence(probe, row)) }))
      .filter((c) => c.score >= LIKELY_DUPLICATE)
      .sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : 1))
      .slice(0, MAX_CANDIDATES);
    const filter = this.access.filter(principal, READ);
    const visible = filter
      ? await this.search.inScope(
          likely.map((c) => c.row.id),
          filter,
        )
      : new Set();
    return likely.map(({ row, score, reasons }) => ({
      clientId: row.id,
      score,
      reasons,
      visible: visible.has(row.id),
      ...(visible.has(row.id) ? { givenName: row.given_name, familyName: row.family_name } : {}),
    }));
  }
}

function probeOf(client: ClientRow): DuplicateProbe {
  return {
    agencyId: client.agency_id,
    excludeId: client.id,
    name: normaliseName(`${client.given_name} ${client.family_name}`),
    sexAtBirth: client.sex_at_birth,
    birthDates: [client.birth_date, ...birthDateTypos(client.birth_date)],
    ssnIndex: client.ssn_index,
    medicaidIndex: client.medicaid_id_index,
  };
}

function evidence(probe: DuplicateProbe, row: DuplicateCandidateRow): DuplicateEvidence {
  const compare = (mine: string | null, theirs: string | null, alsoSame = false) =>
    mine && (theirs === mine || alsoSame) ? 'same' : mine && theirs ? 'different' : 'unknown';
  const binary = (sex: string) => sex === 'female' || sex === 'male';
  return {
    nameScore: Number(row.name_score),
    birthDate:
      row.birth_date === probe.birthDates[0]
        ? 'same'
        : probe.birthDates.includes(row.birth_date)
          ? 'typo'
          : 'different',
    ssn: compare(probe.ssnIndex, row.ssn_index),
    medicaidId: compare(probe.medicaidIndex, row.medicaid_id_index, row.medicaid_on_coverage),
    sexDiffers: binary(probe.sexAtBirth) && binary(row.sex_at_birth) && probe.sexAtBirth !== row.sex_at_birth,
  };
}
