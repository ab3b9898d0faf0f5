import { Module } from '@nestjs/common';
import { ProviderAccess } from './provider-access.js';
import { ProvidersDatabase } from './providers.database.js';
import { ProvidersRepository } from './providers.repository.js';

/**
 * What other modules (documents) import to decide access to a provider: ProviderAccess and what
 * it reads, without the providers routes — so a service running on its own gets the same
 * decisions without serving the providers API.
 */
@Module({
  providers: [ProvidersDatabase, ProvidersRepository, ProviderAccess],
  exports: [ProviderAccess],
})
export class ProviderAccessModule {}
