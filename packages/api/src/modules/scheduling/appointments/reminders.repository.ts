import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';

export interface ReminderPolicyRow {
  agency_id: string;
  leads: unknown;
  version: number;
  updated_by: string | null;
  updated_at: Date;
}

export interface NewReminder {
  id: string;
  appointment_id: string;
  agency_id: string;
  lead_key: string;
  lead: string;
  due_at: string;
}

/** A due reminder with what its event needs, read under `FOR UPDATE SKIP LOCKED`. */
export interface DueReminderRow {
  id: string;
  appointment_id: string;
  agency_id: string;
  lead: unknown;
  due_at: Date;
  client_id: string;
  appointment_type_id: string;
  series_id: string | null;
  starts_at: Date;
  status: string;
}

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_APPOINTMENT = '0de70000-0000-4000-8000-0000000e4001';
const EXAMPLE_REMINDER = '0de70000-0000-4000-8000-0000000e6001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c007';

/** Reminder policies and the due reminders of appointments: the only SQL of reminders. */
@Injectable()
export class RemindersRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_AGENCY] })
  async policy(agencyId: string, db: SchedulingDb = this.db): Promise<ReminderPolicyRow | undefined> {
    if (!isUuid(agencyId)) return undefined;
    return db
      .selectFrom('scheduling.reminder_policies')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .executeTakeFirst();
  }

  /**
   * Writes the agency's policy when it is still at `version` (0: none stored yet, the default
   * applies); false when someone else changed it first.
   */
  @GenerateSql({ name: 'first policy', params: [EXAMPLE_AGENCY, '[{"hoursBefore":72}]', 0, EXAMPLE_USER] })
  @GenerateSql({ name: 'replace', params: [EXAMPLE_AGENCY, '[{"hoursBefore":72}]', 1, EXAMPLE_USER] })
  async replacePolicy(
    agencyId: string,
    leads: string,
    version: number,
    updatedBy: string | null,
  ): Promise<boolean> {
    if (version === 0) {
      const inserted = await this.db
        .insertInto('scheduling.reminder_policies')
        .values({ agency_id: agencyId, leads: sql<string>`${leads}::jsonb`, updated_by: updatedBy })
        .onConflict((oc) => oc.column('agency_id').doNothing())
        .returning('agency_id')
        .executeTakeFirst();
      return inserted !== undefined;
    }
    const result = await this.db
      .updateTable('scheduling.reminder_policies')
      .set({
        leads: sql<string>`${leads}::jsonb`,
        updated_by: updatedBy,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('agency_id', '=', agencyId)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Drops the appointment's reminders not yet processed (rebooked, moved or cancelled). */
  @GenerateSql({ params: [EXAMPLE_APPOINTMENT, GenerateSql.db] })
  async dropPending(appointmentId: string, db: SchedulingDb): Promise<void> {
    await db
      .deleteFrom('scheduling.appointment_reminders')
      .where('appointment_id', '=', appointmentId)
      .where('processed_at', 'is', null)
      .execute();
  }

  /** Adds reminders; one already processed for the same lead is kept as it was. */
  @GenerateSql({
    params: [
      [
        {
          id: EXAMPLE_REMINDER,
          appointment_id: EXAMPLE_APPOINTMENT,
          agency_id: EXAMPLE_AGENCY,
          lead_key: '{"hoursBefore":72}',
          lead: '{"hoursBefore":72}',
          due_at: '2027-01-01T15:00:00Z',
        },
      ],
      GenerateSql.db,
    ],
  })
  async insert(rows: readonly NewReminder[], db: SchedulingDb): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insertInto('scheduling.appointment_reminders')
      .values(rows.map((r) => ({ ...r, lead: sql<string>`${r.lead}::jsonb` })))
      .onConflict((oc) => oc.columns(['appointment_id', 'lead_key']).doNothing())
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_APPOINTMENT] })
  async ofAppointment(
    appointmentId: string,
  ): Promise<{ lead: unknown; due_at: Date; outcome: string | null; processed_at: Date | null }[]> {
    if (!isUuid(appointmentId)) return [];
    return this.db
      .selectFrom('scheduling.appointment_reminders')
      .select(['lead', 'due_at', 'outcome', 'processed_at'])
      .where('appointment_id', '=', appointmentId)
      .orderBy('due_at')
      .execute();
  }

  /**
   * Up to `limit` reminders due at `now` and not processed, locked for the caller's transaction;
   * rows another process holds are skipped (`SKIP LOCKED`), so two runners never take the same.
   */
  @GenerateSql({ params: ['2027-01-01T15:00:00Z', 100, GenerateSql.db] })
  async lockDue(now: string, limit: number, db: SchedulingDb): Promise<DueReminderRow[]> {
    return db
      .selectFrom('scheduling.appointment_reminders as r')
      .innerJoin('scheduling.appointments as a', 'a.id', 'r.appointment_id')
      .select([
        'r.id',
        'r.appointment_id',
        'r.agency_id',
        'r.lead',
        'r.due_at',
        'a.client_id',
        'a.appointment_type_id',
        'a.series_id',
        'a.starts_at',
        'a.status',
      ])
      .where('r.processed_at', 'is', null)
      .where('r.due_at', '<=', sql<Date>`${now}::timestamptz`)
      .orderBy('r.due_at')
      .orderBy('r.id')
      .limit(limit)
      .forUpdate('r')
      .skipLocked()
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_REMINDER, 'published', '2027-01-01T15:00:00Z', GenerateSql.db] })
  async markProcessed(
    id: string,
    outcome: 'published' | 'skipped',
    now: string,
    db: SchedulingDb,
  ): Promise<void> {
    await db
      .updateTable('scheduling.appointment_reminders')
      .set({ outcome, processed_at: now })
      .where('id', '=', id)
      .execute();
  }
}
