import { Module } from '@nestjs/common';
import { CredentialStatus } from './credential-status.js';
import { ProvidersController } from './providers.controller.js';
import { ProvidersDatabase } from './providers.database.js';
import { ProvidersRepository } from './providers.repository.js';
import { ProvidersService } from './providers.service.js';

/** Provider Management: providers, their credentials and credential standing (seed service port 3006). */
@Module({
  controllers: [ProvidersController],
  providers: [ProvidersDatabase, ProvidersRepository, ProvidersService, CredentialStatus],
  exports: [CredentialStatus],
})
export class ProvidersModule {}
