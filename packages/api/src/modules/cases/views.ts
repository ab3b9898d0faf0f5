import type { NoteView } from './case-notes.dto.js';
import type { CaseNoteRow } from './case-notes.repository.js';
import type { AssignmentView, CaseView } from './cases.dto.js';
import type { CaseAssignmentRow, CaseRow } from './cases.repository.js';

export function toCaseView(row: CaseRow, access: CaseView['access'] = 'scope'): CaseView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    clientId: row.client_id,
    programId: row.program_id,
    type: row.type,
    status: row.status,
    riskLevel: row.risk_level,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    assignedWorkerId: row.assigned_worker_id,
    teamId: row.team_id,
    part2: row.part2,
    access,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toAssignmentView(row: CaseAssignmentRow): AssignmentView {
  return {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    fromWorkerId: row.from_worker_id,
    toWorkerId: row.to_worker_id,
    fromTeamId: row.from_team_id,
    toTeamId: row.to_team_id,
    fromProgramId: row.from_program_id,
    toProgramId: row.to_program_id,
    reason: row.reason,
    assignedBy: row.assigned_by,
    assignedAt: row.assigned_at.toISOString(),
  };
}

export function toNoteView(row: CaseNoteRow): NoteView {
  return {
    id: row.id,
    caseId: row.case_id,
    authorId: row.author_id,
    noteType: row.note_type,
    contactAt: row.contact_at.toISOString(),
    durationMinutes: row.duration_minutes,
    body: row.body,
    part2: row.part2,
    status: row.status,
    signedAt: row.signed_at?.toISOString() ?? null,
    signedBy: row.signed_by,
    contentHash: row.content_hash,
    requiresCosign: row.cosign_required,
    cosignedAt: row.cosigned_at?.toISOString() ?? null,
    cosignedBy: row.cosigned_by,
    lateEntry: row.late_entry,
    parentNoteId: row.parent_note_id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
