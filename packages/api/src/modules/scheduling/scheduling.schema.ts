import type { AppointmentsTables } from './appointments/appointments.schema.js';
import type { BedsTables } from './beds/beds.schema.js';

/** The scheduling schema: appointments and resources, and the bed board. */
export type SchedulingTables = AppointmentsTables & BedsTables;
