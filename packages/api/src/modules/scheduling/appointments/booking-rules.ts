import { errorDetail, isExclusionViolation } from '../../../platform/database/pg-errors.js';
import { Injectable } from '@nestjs/common';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { CredentialStatus } from '../../providers/credential-status.js';
import { AgencyClock, type Span } from '../../../platform/time/agency-clock.js';
import type { SchedulingDb } from '../scheduling.database.js';
import { ResourcesRepository, type AppointmentTypeRow, type ResourceRow } from './resources.repository.js';
import { within, workingSpans } from './slots.js';

const MINUTE = 60_000;

/** What a booking of `type` at `startsAt` takes: the appointment, and the time held with buffers. */
export interface Booking {
  appointment: Span;
  blocked: Span;
}

/**
 * The rules a booking must meet before it is written (the database then refuses overlaps):
 * resources of the agency, active, of a kind the type allows; a provider in good standing
 * (no expired license or DEA registration) on the day; inside each resource's working hours
 * (a room or other resource without hours is bookable at any time, a provider without hours at
 * none); clear of leave, holidays and closures.
 */
@Injectable()
export class BookingRules {
  constructor(
    private readonly resources: ResourcesRepository,
    private readonly credentials: CredentialStatus,
    readonly clock: AgencyClock,
  ) {}

  booking(type: AppointmentTypeRow, startsAt: Date): Booking {
    const start = startsAt.getTime();
    const end = start + type.duration_minutes * MINUTE;
    return {
      appointment: { start: new Date(start), end: new Date(end) },
      blocked: {
        start: new Date(start - type.buffer_before_minutes * MINUTE),
        end: new Date(end + type.buffer_after_minutes * MINUTE),
      },
    };
  }

  /** The resources named, checked against the agency and the type (400 naming `field`). */
  async resourcesFor(
    agencyId: string,
    type: AppointmentTypeRow,
    resourceIds: readonly string[],
    field: string,
  ): Promise<ResourceRow[]> {
    const rows = await this.resources.findByIds(resourceIds);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const errors = resourceIds.flatMap((id, i) => {
      const row = byId.get(id);
      if (row?.agency_id !== agencyId) return [{ field: `${field}.${i}`, message: 'No such resource.' }];
      if (!row.active) return [{ field: `${field}.${i}`, message: 'This resource is inactive.' }];
      if (!type.allowed_resource_kinds.includes(row.kind)) {
        return [
          {
            field: `${field}.${i}`,
            message: `A ${type.name} appointment books ${type.allowed_resource_kinds.join(' or ')} resources, not a ${row.kind}.`,
          },
        ];
      }
      return [];
    });
    if (errors.length > 0) throw Problems.validation(errors);
    return resourceIds.map((id) => byId.get(id) as ResourceRow);
  }

  /** Refuses (409) a booking a resource cannot take; overlaps with other bookings are the database's. */
  async check(agencyId: string, resources: readonly ResourceRow[], booking: Booking): Promise<void> {
    const day = this.clock.dayOf(booking.appointment.start);
    for (const resource of resources.filter((r) => r.kind === 'provider' && r.provider_id)) {
      const standing = await this.credentials
        .standing(resource.provider_id as string, day)
        .catch((err: unknown) => {
          if (err instanceof ProblemError && err.status === 404) return null;
          throw err;
        });
      if (!standing?.bookable) {
        throw new ProblemError({
          status: 409,
          type: 'provider-not-bookable',
          title: 'Provider not bookable',
          detail: standing?.reasons[0]?.detail ?? 'The provider is not on record.',
          extensions: { resourceId: resource.id, reasons: standing?.reasons.map((r) => r.code) ?? [] },
        });
      }
    }
    const hours = await this.resources.hoursOf(resources.map((r) => r.id));
    for (const resource of resources) {
      const own = hours.filter((h) => h.resource_id === resource.id);
      // A room nobody staffs is bookable at any time; a provider without hours works at none
      // (their resource is added with the provider, before a scheduler sets the hours).
      if (own.length === 0 && resource.kind !== 'provider') continue;
      const spans = [
        ...workingSpans(this.clock, own, day),
        ...workingSpans(this.clock, own, this.clock.dayOf(booking.blocked.start)),
      ];
      if (!spans.some((span) => within(booking.blocked, span))) {
        throw new ProblemError({
          status: 409,
          type: 'outside-working-hours',
          title: 'Outside working hours',
          detail:
            own.length === 0
              ? `${resource.name} has no working hours yet.`
              : `${resource.name} does not work at that time (${this.clock.timeZone}), buffers included.`,
          extensions: { resourceId: resource.id },
        });
      }
    }
    await this.clearOfExceptions(agencyId, resources, booking.blocked);
  }

  /**
   * Refuses (409 resource-unavailable) holds inside leave, a holiday or an agency closure. Called
   * once more in the booking's transaction after its holds are written: writing them waits for an
   * exception being added to the same resources (which locks them, ResourcesRepository.lockResources),
   * so this sees it — a booking and an exception never pass each other unnoticed.
   */
  async clearOfExceptions(
    agencyId: string,
    resources: readonly ResourceRow[],
    blocked: Span,
    db?: SchedulingDb,
  ): Promise<void> {
    const exceptions = await this.resources.exceptionsDuring(
      agencyId,
      resources.map((r) => r.id),
      blocked.start.toISOString(),
      blocked.end.toISOString(),
      db,
    );
    const first = exceptions[0];
    if (first) {
      throw new ProblemError({
        status: 409,
        type: 'resource-unavailable',
        title: 'Resource unavailable',
        detail:
          first.resource_id === null
            ? `The agency is closed then (${first.kind}).`
            : `${resources.find((r) => r.id === first.resource_id)?.name ?? 'The resource'} is unavailable then (${first.kind}).`,
        extensions: { resourceId: first.resource_id, exceptionId: first.id },
      });
    }
  }
}

/**
 * The exclusion constraint's refusal (SQLSTATE 23P01) as a 409 naming the resource taken; any
 * other error passes through.
 */
export function slotUnavailable(err: unknown, resources: readonly ResourceRow[]): unknown {
  if (!isExclusionViolation(err)) return err;
  const text = errorDetail(err);
  const taken = resources.find((r) => text.includes(r.id)) ?? resources[0];
  return new ProblemError({
    status: 409,
    type: 'slot-unavailable',
    title: 'Slot unavailable',
    detail: `${taken?.name ?? 'A resource'} is already booked at that time.`,
    extensions: { resourceId: taken?.id ?? null },
  });
}
