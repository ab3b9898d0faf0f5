import type { ExceptionKind } from './appointments.schema.js';

/** Events the appointments side of scheduling publishes through the outbox. Ids only, never PHI. */
export const AppointmentTopics = {
  booked: 'scheduling.appointment.booked',
  checkedIn: 'scheduling.appointment.checked_in',
  completed: 'scheduling.appointment.completed',
  noShow: 'scheduling.appointment.no_show',
  cancelled: 'scheduling.appointment.cancelled',
  rescheduled: 'scheduling.appointment.rescheduled',
  /** Leave, a holiday or a closure now covers it; it stays booked until someone moves or cancels it. */
  displaced: 'scheduling.appointment.displaced',
} as const;

/** Every appointment event: which appointment, whose, on which resources. */
export interface AppointmentEvent {
  appointmentId: string;
  agencyId: string;
  clientId: string;
  appointmentTypeId: string;
  resourceIds: string[];
  /** Recurring series, when the appointment belongs to one. */
  seriesId: string | null;
}

/** `scheduling.appointment.rescheduled`: the old appointment and the one that replaces it. */
export interface AppointmentRescheduledEvent extends AppointmentEvent {
  newAppointmentId: string;
}

/** `scheduling.appointment.displaced`: which exception (leave, holiday, closure) blocks it. */
export interface AppointmentDisplacedEvent extends AppointmentEvent {
  exceptionId: string;
  exceptionKind: ExceptionKind;
}

/** Events of series, the waitlist and reminders. Ids, instants and leads only. */
export const SchedulingTopics = {
  seriesCreated: 'scheduling.series.created',
  seriesChanged: 'scheduling.series.changed',
  seriesCancelled: 'scheduling.series.cancelled',
  waitlistOffered: 'scheduling.waitlist.offered',
  reminderDue: 'scheduling.appointment.reminder_due',
} as const;

/** `scheduling.series.*`: which series (and, for a split, the new one). */
export interface SeriesEvent {
  seriesId: string;
  agencyId: string;
  clientId: string;
  /** "This and following": the series created from the split occurrence on. */
  newSeriesId?: string;
  scope?: 'this' | 'following' | 'all';
}

/** `scheduling.waitlist.offered`: a freed slot suggested to a waiting client (nothing is held). */
export interface WaitlistOfferedEvent {
  offerId: string;
  entryId: string;
  agencyId: string;
  clientId: string;
  appointmentTypeId: string;
  freedAppointmentId: string;
  resourceIds: string[];
  startsAt: string;
  endsAt: string;
  expiresAt: string;
}

/** `scheduling.appointment.reminder_due`: the notifications module sends it (later). */
export interface ReminderDueEvent {
  reminderId: string;
  appointmentId: string;
  agencyId: string;
  clientId: string;
  appointmentTypeId: string;
  seriesId: string | null;
  lead: unknown;
  dueAt: string;
  startsAt: string;
}
