import { Module } from '@nestjs/common';
import { ContractRates } from './contract-rates.js';
import { ContractsController } from './contracts.controller.js';
import { ContractsRepository } from './contracts.repository.js';
import { ContractsService } from './contracts.service.js';
import { CredentialStatus } from './credential-status.js';
import { LocationsController } from './locations.controller.js';
import { LocationsRepository } from './locations.repository.js';
import { LocationsService } from './locations.service.js';
import { OfferingsController } from './offerings.controller.js';
import { OfferingsRepository } from './offerings.repository.js';
import { OfferingsService } from './offerings.service.js';
import { ProviderAccess } from './provider-access.js';
import { ProvidersController } from './providers.controller.js';
import { ProvidersDatabase } from './providers.database.js';
import { ProvidersRepository } from './providers.repository.js';
import { ProvidersSeeder } from './providers.seed.js';
import { ProvidersService } from './providers.service.js';

/**
 * Provider Management: providers, their credentials and credential standing, service locations,
 * services offered, and contracts with their rates (seed service port 3006). Other modules use
 * `CredentialStatus` (may this provider be booked?) and `ContractRates` (at what rate?).
 */
@Module({
  controllers: [ProvidersController, LocationsController, OfferingsController, ContractsController],
  providers: [
    ProvidersDatabase,
    ProviderAccess,
    ProvidersRepository,
    ProvidersService,
    ProvidersSeeder,
    CredentialStatus,
    LocationsRepository,
    LocationsService,
    OfferingsRepository,
    OfferingsService,
    ContractsRepository,
    ContractsService,
    ContractRates,
  ],
  exports: [CredentialStatus, ContractRates],
})
export class ProvidersModule {}
