import { Module } from '@nestjs/common';
import { CareTeamSync } from './care-team-sync.js';
import { ClientAccessModule } from './client-access.module.js';
import { ClientsController } from './clients.controller.js';
import { ClientsSeeder } from './clients.seed.js';
import { ClientsService } from './clients.service.js';

/** Client Management: client records, enrolments, care teams, consents (seed service port 3002). */
@Module({
  imports: [ClientAccessModule],
  controllers: [ClientsController],
  providers: [ClientsService, CareTeamSync, ClientsSeeder],
})
export class ClientsModule {}
