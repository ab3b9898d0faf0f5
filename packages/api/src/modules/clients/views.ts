import type { ClientView, EnrollmentView } from './clients.dto.js';
import type { ClientRow, EnrollmentRow } from './clients.repository.js';

export function toClientView(row: ClientRow, access: ClientView['access'] = 'scope'): ClientView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    givenName: row.given_name,
    middleName: row.middle_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    birthDate: row.birth_date,
    sexAtBirth: row.sex_at_birth,
    genderIdentity: row.gender_identity,
    pronouns: row.pronouns,
    race: row.race,
    ethnicity: row.ethnicity,
    primaryLanguage: row.primary_language,
    interpreterNeeded: row.interpreter_needed,
    ssnLast4: row.ssn_last4,
    hasMedicaidId: row.medicaid_id_ciphertext !== null,
    status: row.status,
    mergedIntoId: row.merged_into_id,
    deceasedOn: row.deceased_on,
    access,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toEnrollmentView(row: EnrollmentRow): EnrollmentView {
  return {
    id: row.id,
    clientId: row.client_id,
    programId: row.program_id,
    startDate: row.start_date,
    endDate: row.end_date,
    reason: row.reason,
    endReason: row.end_reason,
    part2: row.part2,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
