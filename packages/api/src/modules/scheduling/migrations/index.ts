import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { resourcesAndAppointmentsMigration } from './0001_resources_and_appointments.js';
import { bedBoardMigration } from './0002_bed_board.js';
import { seriesWaitlistRemindersMigration } from './0003_series_waitlist_reminders.js';
import { exceptionVersionsMigration } from './0004_exception_versions.js';

export const schedulingMigrations: ModuleMigrations[] = [
  {
    schema: 'scheduling',
    migrations: {
      '0001_resources_and_appointments': resourcesAndAppointmentsMigration,
      '0002_bed_board': bedBoardMigration,
      '0003_series_waitlist_reminders': seriesWaitlistRemindersMigration,
      '0004_exception_versions': exceptionVersionsMigration,
    },
  },
];
