import type { AppointmentView } from './appointments.dto.js';
import type { AppointmentRow, BookedResourceRow } from './appointments.repository.js';
import type { AppointmentTypeView, ExceptionView, ResourceView } from './resources.dto.js';
import type { AppointmentTypeRow, ExceptionRow, ResourceRow } from './resources.repository.js';

export function toResourceView(row: ResourceRow): ResourceView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    kind: row.kind,
    providerId: row.provider_id,
    name: row.name,
    programId: row.program_id,
    location: row.location,
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toExceptionView(row: ExceptionRow): ExceptionView {
  return {
    id: row.id,
    resourceId: row.resource_id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    kind: row.kind,
    reason: row.reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
}

export function toAppointmentTypeView(row: AppointmentTypeRow): AppointmentTypeView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    code: row.code,
    name: row.name,
    durationMinutes: row.duration_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    allowedResourceKinds: row.allowed_resource_kinds,
    telehealthAllowed: row.telehealth_allowed,
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * An appointment as the caller may see it. `withheld`: the caller may not see the client (or it
 * is 42 CFR Part 2 information they may not see), so the view says the time is taken (type, time,
 * resources, status) without who or why. `part2`: Part 2 information the caller may see.
 */
export function toAppointmentView(
  row: AppointmentRow,
  resources: readonly BookedResourceRow[],
  withheld = false,
  clientName: string | null = null,
  part2 = false,
): AppointmentView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    clientId: withheld ? null : row.client_id,
    clientName: withheld ? null : clientName,
    clientWithheld: withheld,
    part2: !withheld && part2,
    appointmentTypeId: row.appointment_type_id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    status: row.status,
    statusReason: withheld ? null : row.status_reason,
    checkedInAt: row.checked_in_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    rescheduledFromId: row.rescheduled_from_id,
    rescheduledToId: row.rescheduled_to_id,
    seriesId: row.series_id,
    occurrenceStart: row.occurrence_start?.toISOString() ?? null,
    seriesException: row.series_exception,
    telehealth: row.telehealth,
    joinUrl: withheld ? null : row.join_url,
    notes: withheld ? null : row.notes,
    resources: resources
      .filter((r) => r.appointment_id === row.id)
      .map((r) => ({
        resourceId: r.resource_id,
        blockedFrom: r.blocked_from.toISOString(),
        blockedTo: r.blocked_to.toISOString(),
        blocking: r.blocking,
      })),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
