import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type { ReminderPolicyBody, ReminderPolicyView } from './reminders.dto.js';
import { SchedulingTopics, type ReminderDueEvent } from './appointments.events.js';
import type { AppointmentRow } from './appointments.repository.js';
import { BookingRules } from './booking-rules.js';
import { reminderLeadSchema, reminderTimes, type ReminderLead } from './reminder-schedule.js';
import { RemindersRepository } from './reminders.repository.js';
import { ResourcesRepository } from './resources.repository.js';
import { actorOf } from './scheduling-access.js';

/** What an agency without a stored policy gets: 72 hours before, and 10:00 the business day before. */
export const DEFAULT_REMINDER_LEADS: readonly ReminderLead[] = [
  { hoursBefore: 72 },
  { businessDaysBefore: 1, atLocalTime: '10:00' },
];

const Leads = z.array(reminderLeadSchema);
/** How many due reminders one job pass takes (the next pass takes the rest). */
const BATCH = 200;

/**
 * Appointment reminders: the agency's policy (leads), the due reminders of each booked
 * appointment (recomputed in the same transaction as every booking, move and cancellation) and
 * the job that publishes `scheduling.appointment.reminder_due` once per reminder. Sending them
 * (SMS, e-mail, portal) is the notifications module's, from that event.
 */
@Injectable()
export class ReminderSchedule {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly reminders: RemindersRepository,
    private readonly resources: ResourcesRepository,
    private readonly rules: BookingRules,
  ) {}

  async policy(principal: Principal): Promise<ReminderPolicyView> {
    const row = await this.reminders.policy(principal.agencyId);
    return {
      agencyId: principal.agencyId,
      leads: row ? Leads.parse(row.leads) : [...DEFAULT_REMINDER_LEADS],
      isDefault: !row,
      timeZone: this.rules.clock.timeZone,
      version: row?.version ?? 0,
    };
  }

  /** Replaces the caller's agency policy (If-Match; version 0 while the default applies). */
  async replacePolicy(
    principal: Principal,
    version: number,
    body: ReminderPolicyBody,
  ): Promise<ReminderPolicyView> {
    const ok = await this.reminders.replacePolicy(
      principal.agencyId,
      JSON.stringify(body.leads),
      version,
      actorOf(principal),
    );
    if (!ok) throw Problems.preconditionFailed();
    return this.policy(principal);
  }

  /**
   * Brings the appointment's pending reminders in line with its current state: a booked
   * appointment gets one per lead still ahead of `now`; any other status gets none. Call in the
   * transaction that changed the appointment.
   */
  async refresh(appointment: AppointmentRow, trx: SchedulingDb, now = new Date()): Promise<void> {
    await this.reminders.dropPending(appointment.id, trx);
    if (appointment.status !== 'booked') return;
    const policy = await this.reminders.policy(appointment.agency_id, trx);
    const leads = policy ? Leads.parse(policy.leads) : DEFAULT_REMINDER_LEADS;
    const holidays = await this.holidaysBefore(appointment.agency_id, appointment.starts_at, trx);
    const rows = leads.flatMap((lead) =>
      reminderTimes({
        startsAt: appointment.starts_at.toISOString(),
        zone: this.rules.clock.timeZone,
        leads: [lead],
        now: now.toISOString(),
        holidays,
      }).map((dueAt) => ({
        id: randomUUID(),
        appointment_id: appointment.id,
        agency_id: appointment.agency_id,
        lead_key: JSON.stringify(lead),
        lead: JSON.stringify(lead),
        due_at: dueAt,
      })),
    );
    await this.reminders.insert(rows, trx);
  }

  /**
   * Publishes the reminders due at `now`, each exactly once: the rows are locked `FOR UPDATE
   * SKIP LOCKED` and marked in the transaction that writes their events, so two runners (or
   * replicas) never publish one twice. A reminder whose appointment is no longer booked, or has
   * started, is marked skipped. Returns how many were published.
   */
  async publishDue(now = new Date()): Promise<number> {
    let published = 0;
    for (;;) {
      const batch = await this.database.transaction(async (trx) => {
        const due = await this.reminders.lockDue(now.toISOString(), BATCH, trx);
        for (const row of due) {
          const wanted = row.status === 'booked' && row.starts_at.getTime() > now.getTime();
          if (wanted) {
            await publishEvent(trx, SchedulingTopics.reminderDue, {
              reminderId: row.id,
              appointmentId: row.appointment_id,
              agencyId: row.agency_id,
              clientId: row.client_id,
              appointmentTypeId: row.appointment_type_id,
              seriesId: row.series_id,
              lead: row.lead,
              dueAt: row.due_at.toISOString(),
              startsAt: row.starts_at.toISOString(),
            } satisfies ReminderDueEvent);
            published++;
          }
          await this.reminders.markProcessed(
            row.id,
            wanted ? 'published' : 'skipped',
            now.toISOString(),
            trx,
          );
        }
        return due.length;
      });
      if (batch < BATCH) return published;
    }
  }

  /** Agency-wide holidays and closures in the three weeks before a start, as local dates. */
  private async holidaysBefore(agencyId: string, startsAt: Date, trx: SchedulingDb): Promise<string[]> {
    const from = new Date(startsAt.getTime() - 21 * 86_400_000);
    const closed = await this.resources.exceptionsDuring(
      agencyId,
      [],
      from.toISOString(),
      startsAt.toISOString(),
      trx,
    );
    const clock = this.rules.clock;
    return closed
      .filter((x) => x.resource_id === null && x.kind !== 'leave')
      .flatMap((x) => clock.days(clock.dayOf(x.starts_at), clock.dayOf(new Date(x.ends_at.getTime() - 1))));
  }
}
