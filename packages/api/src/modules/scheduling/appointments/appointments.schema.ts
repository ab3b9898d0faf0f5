import type { ColumnType, Generated } from 'kysely';

/** Table types for the appointments side of the scheduling schema. */
export const RESOURCE_KINDS = ['provider', 'room', 'vehicle', 'equipment'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const EXCEPTION_KINDS = ['leave', 'holiday', 'closure'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const APPOINTMENT_STATUSES = [
  'booked',
  'checked_in',
  'completed',
  'no_show',
  'cancelled',
  'rescheduled',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date | string>;
type Version = ColumnType<number, never, number>;
/** `'YYYY-MM-DD'` read as text (selected with `::text`), written as text. */
type DateText = string;
/** `'HH:MM'` local wall-clock time (selected with `to_char`), written as text. */
type TimeText = string;
/** A `tstzrange`; written with `tstzrange(a, b, '[)')`, read through lower()/upper(). */
type Range = ColumnType<string, string, string>;

export interface ResourceTable {
  id: string;
  agency_id: string;
  kind: ResourceKind;
  /** The providers module's provider, for kind `provider` (one resource per provider). */
  provider_id: string | null;
  name: string;
  program_id: string | null;
  location: string | null;
  active: Generated<boolean>;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WorkingHoursTable {
  id: string;
  resource_id: string;
  /** ISO weekday: 1 Monday … 7 Sunday, in the agency's zone. */
  weekday: number;
  starts_at: TimeText;
  ends_at: TimeText;
  effective_from: DateText | null;
  effective_to: DateText | null;
  created_at: CreatedAt;
}

export interface ResourceExceptionTable {
  id: string;
  agency_id: string;
  /** Null: agency-wide (a holiday or closure that blocks every resource of the agency). */
  resource_id: string | null;
  during: Range;
  kind: ExceptionKind;
  reason: string;
  created_by: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AppointmentTypeTable {
  id: string;
  agency_id: string;
  code: string;
  name: string;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  allowed_resource_kinds: ResourceKind[];
  telehealth_allowed: boolean;
  active: Generated<boolean>;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AppointmentTable {
  id: string;
  agency_id: string;
  client_id: string;
  appointment_type_id: string;
  starts_at: ColumnType<Date, string, string>;
  ends_at: ColumnType<Date, string, string>;
  status: ColumnType<AppointmentStatus, AppointmentStatus | undefined, AppointmentStatus>;
  status_reason: string | null;
  checked_in_at: ColumnType<Date | null, never, string | null>;
  completed_at: ColumnType<Date | null, never, string | null>;
  rescheduled_from_id: string | null;
  rescheduled_to_id: string | null;
  /** Recurring series; null for a one-off appointment. */
  series_id: string | null;
  /** Which occurrence of the series' rule this is (its instant as the rule gives it). */
  occurrence_start: ColumnType<Date | null, string | null | undefined, string | null>;
  /** Moved on its own ("edit this occurrence"): series-wide changes leave it where it is. */
  series_exception: Generated<boolean>;
  telehealth: boolean;
  join_url: string | null;
  notes: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AppointmentResourceTable {
  appointment_id: string;
  resource_id: string;
  /** The appointment's time plus the type's buffers: what the exclusion constraint compares. */
  blocked: Range;
  blocking: Generated<boolean>;
}

export const SERIES_STATUSES = ['active', 'cancelled'] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];

export interface AppointmentSeriesTable {
  id: string;
  agency_id: string;
  client_id: string;
  appointment_type_id: string;
  resource_ids: string[];
  /** Canonical RRULE text (`formatRecurrence`), no `RRULE:` prefix. */
  rrule: string;
  first_start: ColumnType<Date, string, string>;
  /** Local time of day of every occurrence, `HH:MM[:SS]` (kept so a DST gap does not drift it). */
  wall_time: string;
  time_zone: string;
  duration_minutes: number;
  telehealth: boolean;
  join_url: string | null;
  status: ColumnType<SeriesStatus, SeriesStatus | undefined, SeriesStatus>;
  /** The series this one was split from ("this and following"). */
  split_from_id: string | null;
  created_by: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const WAITLIST_STATUSES = ['waiting', 'offered', 'booked', 'expired', 'withdrawn'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export interface WaitlistEntryTable {
  id: string;
  agency_id: string;
  client_id: string;
  appointment_type_id: string;
  /** Preferred resources (providers, rooms); empty: any. */
  resource_ids: ColumnType<string[], string[] | undefined, string[]>;
  earliest_date: DateText | null;
  latest_date: DateText | null;
  times_of_day: ColumnType<TimeOfDay[], TimeOfDay[] | undefined, TimeOfDay[]>;
  /** 1 most urgent … 5 least. */
  priority: number;
  status: ColumnType<WaitlistStatus, WaitlistStatus | undefined, WaitlistStatus>;
  offer_expires_at: ColumnType<Date | null, string | null | undefined, string | null>;
  booked_appointment_id: string | null;
  status_reason: string | null;
  created_by: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const OFFER_STATUSES = ['offered', 'accepted', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export interface WaitlistOfferTable {
  id: string;
  entry_id: string;
  agency_id: string;
  /** The appointment whose cancellation (no-show, reschedule) freed the slot. */
  freed_appointment_id: string;
  starts_at: ColumnType<Date, string, string>;
  ends_at: ColumnType<Date, string, string>;
  resource_ids: string[];
  expires_at: ColumnType<Date, string, string>;
  status: ColumnType<OfferStatus, OfferStatus | undefined, OfferStatus>;
  created_at: CreatedAt;
}

export interface ReminderPolicyTable {
  agency_id: string;
  /** Leads as `reminderLeadSchema` values (validated on write). */
  leads: ColumnType<unknown, string, string>;
  version: Version;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface AppointmentReminderTable {
  id: string;
  appointment_id: string;
  agency_id: string;
  /** The lead as canonical JSON text: one reminder per appointment and lead. */
  lead_key: string;
  lead: ColumnType<unknown, string, string>;
  due_at: ColumnType<Date, string, string>;
  /** `published` once the reminder_due event is written; `skipped` when it was no longer wanted. */
  outcome: 'published' | 'skipped' | null;
  processed_at: ColumnType<Date | null, never, string | null>;
  created_at: CreatedAt;
}

export type AppointmentsTables = {
  'scheduling.appointment_series': AppointmentSeriesTable;
  'scheduling.waitlist_entries': WaitlistEntryTable;
  'scheduling.waitlist_offers': WaitlistOfferTable;
  'scheduling.reminder_policies': ReminderPolicyTable;
  'scheduling.appointment_reminders': AppointmentReminderTable;
  'scheduling.resources': ResourceTable;
  'scheduling.working_hours': WorkingHoursTable;
  'scheduling.resource_exceptions': ResourceExceptionTable;
  'scheduling.appointment_types': AppointmentTypeTable;
  'scheduling.appointments': AppointmentTable;
  'scheduling.appointment_resources': AppointmentResourceTable;
};
