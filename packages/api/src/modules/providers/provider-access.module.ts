import { Module } from '@nestjs/common';
import { CredentialStatus } from './credential-status.js';
import { ProviderAccess } from './provider-access.js';
import { ProvidersDatabase } from './providers.database.js';
import { ProvidersRepository } from './providers.repository.js';

/**
 * What other modules (documents, scheduling) import to decide access to a provider and whether
 * it may be booked: ProviderAccess, CredentialStatus and what they read, without the providers
 * routes — so a service running on its own gets the same decisions without serving the
 * providers API. (The daily expiry job runs in the providers service only.)
 */
@Module({
  providers: [ProvidersDatabase, ProvidersRepository, ProviderAccess, CredentialStatus],
  exports: [ProviderAccess, CredentialStatus],
})
export class ProviderAccessModule {}
