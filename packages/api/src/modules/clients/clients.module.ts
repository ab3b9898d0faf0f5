import { Module } from '@nestjs/common';
import { BreakGlassController } from './break-glass.controller.js';
import { BreakGlassService } from './break-glass.service.js';
import { CareTeamSync } from './care-team-sync.js';
import { ClientAccessModule } from './client-access.module.js';
import { ClientsController } from './clients.controller.js';
import { ClientsSeeder } from './clients.seed.js';
import { ClientsService } from './clients.service.js';
import { ConsentsController } from './consents.controller.js';
import { ConsentsService } from './consents.service.js';
import { ChartService } from './chart.service.js';
import { ClientSearch } from './client-search.js';
import { CoveragesController } from './coverages.controller.js';
import { CoveragesRepository } from './coverages.repository.js';
import { CoveragesService } from './coverages.service.js';
import { DetailsController } from './details.controller.js';
import { DetailsRepository } from './details.repository.js';
import { ClientDetailsSeeder } from './details.seed.js';
import { DetailsService } from './details.service.js';
import { DuplicateFinder } from './duplicate-finder.js';
import { MergesController } from './merges.controller.js';
import { MergesRepository } from './merges.repository.js';
import { MergesService } from './merges.service.js';
import { SearchController } from './search.controller.js';
import { ClientSearchRepository } from './search.repository.js';

/** Client Management: client records, enrolments, care teams, consents (seed service port 3002). */
@Module({
  imports: [ClientAccessModule],
  controllers: [
    SearchController,
    ClientsController,
    DetailsController,
    CoveragesController,
    MergesController,
    ConsentsController,
    BreakGlassController,
  ],
  providers: [
    ClientsService,
    CareTeamSync,
    ClientsSeeder,
    ClientDetailsSeeder,
    ConsentsService,
    BreakGlassService,
    DetailsRepository,
    DetailsService,
    CoveragesRepository,
    CoveragesService,
    ChartService,
    ClientSearchRepository,
    ClientSearch,
    DuplicateFinder,
    MergesRepository,
    MergesService,
  ],
})
export class ClientsModule {}
