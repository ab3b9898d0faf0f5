import { Module } from '@nestjs/common';
import { ClientAccessModule } from '../clients/client-access.module.js';
import { ProviderAccessModule } from '../providers/provider-access.module.js';
import { AppointmentsController } from './appointments/appointments.controller.js';
import { AppointmentsRepository } from './appointments/appointments.repository.js';
import { AppointmentsService } from './appointments/appointments.service.js';
import { AppointmentsSeeder } from './appointments/appointments.seed.js';
import { AvailabilityService } from './appointments/availability.service.js';
import { BookingRules } from './appointments/booking-rules.js';
import { DisplacedAppointments } from './appointments/displaced-appointments.js';
import { ProviderResources } from './appointments/provider-resources.js';
import { ResourcesController } from './appointments/resources.controller.js';
import { ResourcesRepository } from './appointments/resources.repository.js';
import { ResourcesService } from './appointments/resources.service.js';
import { ReminderSchedule } from './appointments/reminder-policy.js';
import { RemindersController } from './appointments/reminders.controller.js';
import { RemindersRepository } from './appointments/reminders.repository.js';
import { AppointmentJobs } from './appointments/scheduling-jobs.js';
import { SchedulingAccess } from './appointments/scheduling-access.js';
import { SeriesController } from './appointments/series.controller.js';
import { SeriesRepository } from './appointments/series.repository.js';
import { AppointmentSeries } from './appointments/series.service.js';
import { WaitlistController } from './appointments/waitlist.controller.js';
import { WaitlistRepository } from './appointments/waitlist.repository.js';
import { Waitlist } from './appointments/waitlist.service.js';
import { BedBoardStream } from './beds/bed-board-stream.js';
import { BedBoardController } from './beds/bed-board.controller.js';
import { BedBoardRepository } from './beds/bed-board.repository.js';
import { BedBoard } from './beds/bed-board.service.js';
import { BedsSeeder } from './beds/beds.seed.js';
import { BedCensus } from './beds/census.js';
import { ClientNames } from './beds/client-names.js';
import { FacilitiesController } from './beds/facilities.controller.js';
import { FacilitiesRepository } from './beds/facilities.repository.js';
import { FacilitiesService } from './beds/facilities.service.js';
import { FacilityAccess } from './beds/facility-access.js';
import { BedHoldExpiry } from './beds/hold-expiry.js';
import { SchedulingDatabase } from './scheduling.database.js';

/**
 * Scheduling (seed service port 3004): resources, working hours and exceptions, appointment
 * types, appointments and series, availability and the waitlist; and the bed board — facilities,
 * units, rooms, beds, holds, admissions, transfers and discharges. Double booking is refused by
 * the database (exclusion constraints), not only by this code.
 */
@Module({
  imports: [ClientAccessModule, ProviderAccessModule],
  controllers: [
    ResourcesController,
    AppointmentsController,
    SeriesController,
    WaitlistController,
    RemindersController,
    FacilitiesController,
    BedBoardController,
  ],
  providers: [
    SchedulingDatabase,
    ResourcesRepository,
    AppointmentsRepository,
    SchedulingAccess,
    BookingRules,
    ResourcesService,
    DisplacedAppointments,
    ProviderResources,
    AppointmentsService,
    AvailabilityService,
    AppointmentsSeeder,
    SeriesRepository,
    AppointmentSeries,
    WaitlistRepository,
    Waitlist,
    RemindersRepository,
    ReminderSchedule,
    AppointmentJobs,
    FacilitiesRepository,
    BedBoardRepository,
    FacilityAccess,
    ClientNames,
    FacilitiesService,
    BedBoard,
    BedCensus,
    BedBoardStream,
    BedHoldExpiry,
    BedsSeeder,
  ],
})
export class SchedulingModule {}
