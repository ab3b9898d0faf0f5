import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import {
  BOOKING_REQUIRED_TYPES,
  CredentialStatus,
  type Standing,
} from '../../providers/credential-status.js';
import type { AvailabilityQuery, AvailabilityView } from './appointments.dto.js';
import { AppointmentsRepository } from './appointments.repository.js';
import { BookingRules } from './booking-rules.js';
import { ResourcesRepository } from './resources.repository.js';
import { eachFreeSlot, LocalTimes, type HoursLine } from './slots.js';
import type { Span } from '../../../platform/time/agency-clock.js';

type ProviderAvailability = AvailabilityView['providers'][number];

/**
 * Free slots for providers over local days: each provider's resource, its working hours
 * (in the agency's zone), minus leave, holidays, agency closures and bookings that still hold
 * it, with the appointment type's length and buffers. A provider whose license or DEA
 * registration has expired (CredentialStatus) is not bookable and gets no slots; one whose
 * credential expires within the range gets slots up to its expiry day.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly resources: ResourcesRepository,
    private readonly appointments: AppointmentsRepository,
    private readonly credentials: CredentialStatus,
    private readonly rules: BookingRules,
  ) {}

  async search(principal: Principal, query: AvailabilityQuery, now = new Date()): Promise<AvailabilityView> {
    const clock = this.rules.clock;
    const type = await this.resources.findType(query.appointmentTypeId);
    if (type?.agency_id !== principal.agencyId) {
      throw Problems.validation([{ field: 'query.appointmentTypeId', message: 'No such appointment type.' }]);
    }
    const rows = await this.resources.findForProviders(principal.agencyId, query.providerIds);
    const ids = rows.map((r) => r.id);
    const from = clock.dayspan(query.from).start.toISOString();
    const to = clock.dayspan(query.to).end.toISOString();
    const [hours, exceptions, busy] = await Promise.all([
      this.resources.hoursOf(ids),
      this.resources.exceptionsDuring(principal.agencyId, ids, from, to),
      this.appointments.busy(ids, from, to),
    ]);
    const days = clock.days(query.from, query.to);
    // Per request: the clock's answers (shared by providers with the same hours), and the rows by
    // resource, so each provider's work is its own rows only.
    const times = new LocalTimes(clock);
    const resourceOf = new Map<string, (typeof rows)[number]>();
    for (const r of rows)
      if (r.provider_id !== null && !resourceOf.has(r.provider_id)) resourceOf.set(r.provider_id, r);
    const hoursOf = groupBy(hours, (h) => h.resource_id);
    const agencyWide: Span[] = [];
    const takenOf = new Map<string, Span[]>();
    for (const x of exceptions) {
      const span = { start: x.starts_at, end: x.ends_at };
      if (x.resource_id === null) agencyWide.push(span);
      else push(takenOf, x.resource_id, span);
    }
    for (const b of busy) push(takenOf, b.resource_id, { start: b.blocked_from, end: b.blocked_to });
    // Standing of every provider with a usable resource, in one query.
    const standings = type.allowed_resource_kinds.includes('provider')
      ? await this.credentials.standings(
          [...resourceOf.values()].filter((r) => r.active).map((r) => r.provider_id as string),
          query.from,
        )
      : new Map<string, Standing>();
    const providers: ProviderAvailability[] = [];
    for (const providerId of query.providerIds) {
      const resource = resourceOf.get(providerId);
      const entry: ProviderAvailability = {
        providerId,
        resourceId: resource?.id ?? null,
        bookable: false,
        reasons: [],
        slots: [],
      };
      providers.push(entry);
      if (!resource) {
        entry.reasons.push({
          code: 'no-resource',
          detail: 'The provider has no scheduling resource in this agency.',
        });
        continue;
      }
      if (!resource.active) {
        entry.reasons.push({
          code: 'resource-inactive',
          detail: 'The provider’s scheduling resource is inactive.',
        });
        continue;
      }
      if (!type.allowed_resource_kinds.includes('provider')) {
        entry.reasons.push({
          code: 'type-not-for-providers',
          detail: `${type.name} does not book providers.`,
        });
        continue;
      }
      const standing = standings.get(providerId);
      if (!standing?.bookable) {
        entry.reasons.push(
          ...(
            standing?.reasons ?? [{ code: 'provider-not-found', detail: 'The provider is not on record.' }]
          ).map((r) => ({ code: r.code, detail: r.detail })),
        );
        continue;
      }
      entry.bookable = true;
      const lastDay = lastBookableDay(standing);
      if (lastDay !== null && lastDay < query.to) {
        entry.reasons.push({
          code: 'credential-expires',
          detail: `A required credential expires on ${lastDay}; no slots after it.`,
        });
      }
      const own: HoursLine[] = hoursOf.get(resource.id) ?? [];
      if (own.length === 0)
        entry.reasons.push({ code: 'no-working-hours', detail: 'No working hours are set.' });
      const slots: ProviderAvailability['slots'] = [];
      eachFreeSlot(
        {
          clock,
          times,
          days,
          hours: own,
          taken: [...agencyWide, ...(takenOf.get(resource.id) ?? [])],
          durationMinutes: type.duration_minutes,
          bufferBeforeMinutes: type.buffer_before_minutes,
          bufferAfterMinutes: type.buffer_after_minutes,
          stepMinutes: query.stepMinutes,
          notBefore: now,
          lastDay,
        },
        (start, end) => slots.push({ startsAt: times.iso(start), endsAt: times.iso(end) }),
      );
      entry.slots = slots;
    }
    return {
      timeZone: clock.timeZone,
      appointmentTypeId: type.id,
      from: query.from,
      to: query.to,
      providers,
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function groupBy<K, V>(values: readonly V[], key: (v: V) => K): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const v of values) push(map, key(v), v);
  return map;
}

/** The last day before a booking-required credential (still valid on the first day) expires. */
function lastBookableDay(standing: Standing): string | null {
  const expiries = [standing.expiringWithin[30], standing.expiringWithin[60], standing.expiringWithin[90]]
    .flat()
    .filter((c) => BOOKING_REQUIRED_TYPES.includes(c.type))
    .map((c) => c.expiresOn)
    .sort();
  return expiries[0] ?? null;
}
