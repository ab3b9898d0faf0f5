import { randomUUID } from 'node:crypto';
import { Temporal } from '@js-temporal/polyfill';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { isUuid } from '../../../platform/database/ids.js';
import { publishEvent, type DomainEvent } from '../../../platform/events/events.js';
import { OutboxDispatcher } from '../../../platform/events/outbox-dispatcher.js';
import { ClientAccess } from '../../clients/client-access.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import { AppointmentTopics, SchedulingTopics, type WaitlistOfferedEvent } from './appointments.events.js';
import { AppointmentsRepository } from './appointments.repository.js';
import type { TimeOfDay } from './appointments.schema.js';
import { BookingRules } from './booking-rules.js';
import { ResourcesRepository } from './resources.repository.js';
import { actorOf, APPOINTMENTS_READ, APPOINTMENTS_WRITE, SchedulingAccess } from './scheduling-access.js';
import type {
  CreateWaitlistEntryBody,
  WaitlistEntryView,
  WaitlistListQuery,
  WithdrawBody,
} from './waitlist.dto.js';
import { WaitlistRepository, type WaitlistEntryRow, type WaitlistOfferRow } from './waitlist.repository.js';

/** Events after which an appointment's time is free again. */
const FREEING_TOPICS: ReadonlySet<string> = new Set([
  AppointmentTopics.cancelled,
  AppointmentTopics.noShow,
  AppointmentTopics.rescheduled,
]);
const LIST_LIMIT = 200;

/**
 * The waitlist: clients waiting for an earlier or a particular slot. When a booked slot frees
 * (cancelled, no-show, rescheduled away; seen through the outbox), the best waiting entry it fits
 * — most urgent priority, then the longest waiting — is offered it for WAITLIST_OFFER_MINUTES and
 * `scheduling.waitlist.offered` is published. The offer holds nothing: the client books through
 * the normal route (with `waitlistEntryId`), and the exclusion constraint decides who gets the
 * time. An offer whose time is up goes back to waiting and the slot to the next entry
 * (`expireOffers`, run periodically; reads and matching already treat an expired offer as over).
 */
@Injectable()
export class Waitlist implements OnModuleInit {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly waitlist: WaitlistRepository,
    private readonly appointments: AppointmentsRepository,
    private readonly resources: ResourcesRepository,
    private readonly access: SchedulingAccess,
    private readonly clients: ClientAccess,
    private readonly rules: BookingRules,
    private readonly dispatcher: OutboxDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.dispatcher.subscribe('scheduling.waitlist', 'scheduling.appointment.*', (event) =>
      this.handle(event),
    );
  }

  async add(principal: Principal, body: CreateWaitlistEntryBody): Promise<WaitlistEntryView> {
    const { client } = await this.access.clientToBook(principal, body.clientId);
    const type = await this.resources.findType(body.appointmentTypeId);
    if (type?.agency_id !== client.agency_id || !type.active) {
      throw Problems.validation([{ field: 'body.appointmentTypeId', message: 'No such appointment type.' }]);
    }
    if (body.resourceIds.length > 0) {
      await this.rules.resourcesFor(client.agency_id, type, body.resourceIds, 'body.resourceIds');
    }
    const id = randomUUID();
    await this.waitlist.insert({
      id,
      agency_id: client.agency_id,
      client_id: client.id,
      appointment_type_id: type.id,
      resource_ids: body.resourceIds,
      earliest_date: body.earliestDate,
      latest_date: body.latestDate,
      times_of_day: body.timesOfDay,
      priority: body.priority,
      status_reason: null,
      booked_appointment_id: null,
      created_by: actorOf(principal),
    });
    return this.view(id);
  }

  /** Entries of the caller's agency whose client the caller may see by scope. */
  async list(principal: Principal, query: WaitlistListQuery): Promise<WaitlistEntryView[]> {
    if (query.clientId) await this.access.clientToRead(principal, query.clientId);
    const rows = await this.waitlist.list({
      agencyId: principal.agencyId,
      clientId: query.clientId,
      appointmentTypeId: query.appointmentTypeId,
      statuses: query.status ?? ['waiting', 'offered'],
      limit: LIST_LIMIT,
    });
    const visible = await this.access.visibleClients(
      principal,
      rows.map((r) => r.client_id),
    );
    return this.views(
      rows.filter((r) => visible.has(r.client_id)),
      visible,
    );
  }

  /** The agency zone the entries' dates and times of day are read in. */
  get timeZone(): string {
    return this.rules.clock.timeZone;
  }

  async get(principal: Principal, id: string): Promise<WaitlistEntryView> {
    await this.reach(principal, id, APPOINTMENTS_READ);
    return this.view(id);
  }

  /** Takes a waiting or offered entry off the list (its open offer ends with it). */
  async withdraw(principal: Principal, id: string, body: WithdrawBody): Promise<WaitlistEntryView> {
    await this.reach(principal, id, APPOINTMENTS_WRITE);
    await this.database.transaction(async (trx) => {
      const entry = await this.waitlist.findById(id, trx);
      if (!entry) throw Problems.notFound('waitlist entry');
      if (entry.status !== 'waiting' && entry.status !== 'offered') {
        throw Problems.conflict(`A ${entry.status} waitlist entry cannot be withdrawn.`, 'waitlist-closed');
      }
      for (const offer of await this.waitlist.openOffers([entry.id], trx)) {
        await this.waitlist.setOfferStatus(offer.id, 'withdrawn', trx);
      }
      await this.waitlist.update(
        entry.id,
        { status: 'withdrawn', offer_expires_at: null, status_reason: body.reason ?? null },
        trx,
      );
    });
    return this.view(id);
  }

  /**
   * Booking from the waitlist (in the booking's transaction): the entry must be the same
   * client's and still waiting or offered (an offer past its time too — whoever books first
   * gets the slot); it becomes booked.
   */
  async markBooked(
    entryId: string,
    clientId: string,
    appointmentId: string,
    trx: SchedulingDb,
  ): Promise<void> {
    const entry = await this.waitlist.findById(entryId, trx);
    if (entry?.client_id !== clientId) {
      throw Problems.validation([
        { field: 'body.waitlistEntryId', message: 'No such waitlist entry for this client.' },
      ]);
    }
    if (entry.status !== 'waiting' && entry.status !== 'offered') {
      throw Problems.validation([
        { field: 'body.waitlistEntryId', message: `This waitlist entry is ${entry.status}.` },
      ]);
    }
    for (const offer of await this.waitlist.openOffers([entry.id], trx)) {
      await this.waitlist.setOfferStatus(offer.id, 'accepted', trx);
    }
    await this.waitlist.update(
      entry.id,
      { status: 'booked', offer_expires_at: null, booked_appointment_id: appointmentId },
      trx,
    );
  }

  /** Outbox consumer: a freed slot is offered once, however often the event arrives. */
  async handle(event: DomainEvent): Promise<void> {
    if (!FREEING_TOPICS.has(event.topic)) return;
    const appointmentId = (event.payload as { appointmentId?: unknown }).appointmentId;
    if (typeof appointmentId === 'string' && isUuid(appointmentId)) await this.offerFreedSlot(appointmentId);
  }

  /** Offers the freed appointment's slot to the best entry it fits, unless it was offered already. */
  async offerFreedSlot(appointmentId: string, now = new Date()): Promise<string | null> {
    return this.database.transaction(async (trx) => {
      if (await this.waitlist.offeredBefore(appointmentId, trx)) return null;
      return this.offerNext(appointmentId, now, trx);
    });
  }

  /**
   * Ends offers whose time is up at `now`: the entry goes back to waiting and the slot to the
   * next entry it fits; then waiting entries past their latest date end as expired. Safe with
   * several runners (offers locked SKIP LOCKED). Returns how many offers ended.
   */
  async expireOffers(now = new Date()): Promise<number> {
    return this.database.transaction(async (trx) => {
      const due = await this.waitlist.lockExpired(now.toISOString(), 100, trx);
      for (const offer of due) {
        await this.waitlist.setOfferStatus(offer.id, 'expired', trx);
        const entry = await this.waitlist.findById(offer.entry_id, trx);
        if (entry?.status === 'offered') {
          await this.waitlist.update(entry.id, { status: 'waiting', offer_expires_at: null }, trx);
        }
        await this.offerNext(offer.freed_appointment_id, now, trx);
      }
      await this.waitlist.expirePastDates(this.rules.clock.dayOf(now), trx);
      return due.length;
    });
  }

  private async offerNext(appointmentId: string, now: Date, trx: SchedulingDb): Promise<string | null> {
    const freed = await this.appointments.findById(appointmentId, trx);
    if (!freed || !['cancelled', 'no_show', 'rescheduled'].includes(freed.status)) return null;
    if (freed.starts_at.getTime() <= now.getTime()) return null;
    const held = await this.appointments.resourcesOf([freed.id], trx);
    const resourceIds = held.map((r) => r.resource_id);
    const first = held[0];
    if (!first) return null;
    // Booked again meanwhile (by anyone): nothing to offer.
    const busy = await this.appointments.busy(
      resourceIds,
      first.blocked_from.toISOString(),
      first.blocked_to.toISOString(),
      trx,
    );
    if (busy.length > 0) return null;
    const local = Temporal.Instant.fromEpochMilliseconds(freed.starts_at.getTime()).toZonedDateTimeISO(
      this.rules.clock.timeZone,
    );
    const entry = await this.waitlist.bestFor(
      {
        agencyId: freed.agency_id,
        appointmentTypeId: freed.appointment_type_id,
        freedAppointmentId: freed.id,
        clientId: freed.client_id,
        resourceIds,
        localDate: local.toPlainDate().toString(),
        timeOfDay: timeOfDay(local.hour),
        now: now.toISOString(),
      },
      trx,
    );
    if (!entry) return null;
    // An entry whose earlier offer ran out (the job not yet run) leaves that offer first.
    for (const stale of await this.waitlist.openOffers([entry.id], trx)) {
      await this.waitlist.setOfferStatus(stale.id, 'expired', trx);
    }
    const expiresAt = new Date(now.getTime() + this.config.WAITLIST_OFFER_MINUTES * 60_000).toISOString();
    const offerId = randomUUID();
    await this.waitlist.insertOffer(
      {
        id: offerId,
        entry_id: entry.id,
        agency_id: freed.agency_id,
        freed_appointment_id: freed.id,
        starts_at: freed.starts_at.toISOString(),
        ends_at: freed.ends_at.toISOString(),
        resource_ids: resourceIds,
        expires_at: expiresAt,
      },
      trx,
    );
    await this.waitlist.update(entry.id, { status: 'offered', offer_expires_at: expiresAt }, trx);
    await publishEvent(trx, SchedulingTopics.waitlistOffered, {
      offerId,
      entryId: entry.id,
      agencyId: freed.agency_id,
      clientId: entry.client_id,
      appointmentTypeId: freed.appointment_type_id,
      freedAppointmentId: freed.id,
      resourceIds,
      startsAt: freed.starts_at.toISOString(),
      endsAt: freed.ends_at.toISOString(),
      expiresAt,
    } satisfies WaitlistOfferedEvent);
    return offerId;
  }

  /** The entry through its client: another agency's → 404, a client out of scope → 403. */
  private async reach(principal: Principal, id: string, permission: string): Promise<WaitlistEntryRow> {
    const row = await this.waitlist.findById(id);
    if (!row) throw Problems.notFound('waitlist entry');
    if (row.agency_id !== principal.agencyId && principal.grants[permission] !== 'all') {
      throw Problems.notFound('waitlist entry');
    }
    try {
      await this.clients.require(principal, row.client_id, permission);
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw Problems.notFound('waitlist entry');
      throw err;
    }
    return row;
  }

  private async view(id: string): Promise<WaitlistEntryView> {
    const row = await this.waitlist.findById(id);
    if (!row) throw Problems.notFound('waitlist entry');
    const name = await this.access.nameOf(row.client_id);
    const [view] = await this.views([row], new Map(name ? [[row.client_id, name]] : []));
    return view as WaitlistEntryView;
  }

  /** `names`: the clients' names, already checked against the caller's scope. */
  private async views(
    rows: readonly WaitlistEntryRow[],
    names: ReadonlyMap<string, string>,
  ): Promise<WaitlistEntryView[]> {
    const offers = await this.waitlist.openOffers(rows.map((r) => r.id));
    const now = Date.now();
    return rows.map((row) =>
      toWaitlistView(
        row,
        names.get(row.client_id) ?? null,
        offers.find((o) => o.entry_id === row.id),
        now,
      ),
    );
  }
}

function timeOfDay(hour: number): TimeOfDay {
  if (hour < 12) return 'morning';
  return hour < 17 ? 'afternoon' : 'evening';
}

function toWaitlistView(
  row: WaitlistEntryRow,
  clientName: string | null,
  offer: WaitlistOfferRow | undefined,
  now: number,
): WaitlistEntryView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    clientId: row.client_id,
    clientName,
    appointmentTypeId: row.appointment_type_id,
    resourceIds: row.resource_ids,
    earliestDate: row.earliest_date,
    latestDate: row.latest_date,
    timesOfDay: row.times_of_day,
    priority: row.priority,
    status: row.status,
    statusReason: row.status_reason,
    offer:
      row.status === 'offered' && offer
        ? {
            id: offer.id,
            freedAppointmentId: offer.freed_appointment_id,
            startsAt: offer.starts_at.toISOString(),
            endsAt: offer.ends_at.toISOString(),
            resourceIds: offer.resource_ids,
            expiresAt: offer.expires_at.toISOString(),
            expired: offer.expires_at.getTime() <= now,
          }
        : null,
    bookedAppointmentId: row.booked_appointment_id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
