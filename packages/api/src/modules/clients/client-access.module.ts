import { Module } from '@nestjs/common';
import { BreakGlassRepository } from './break-glass.repository.js';
import { ClientAccess } from './client-access.js';
import { ClientPrivacy } from './client-privacy.js';
import { ClientsDatabase } from './clients.database.js';
import { ClientsRepository } from './clients.repository.js';
import { ConsentsRepository } from './consents.repository.js';

/**
 * What other modules (cases, documents, scheduling, billing) import to decide access to a
 * client: ClientAccess and what it reads, without the clients routes — so a service running on
 * its own gets the same decisions without serving the clients API.
 */
@Module({
  providers: [
    ClientsDatabase,
    ClientsRepository,
    ClientAccess,
    ClientPrivacy,
    ConsentsRepository,
    BreakGlassRepository,
  ],
  exports: [
    ClientAccess,
    ClientsDatabase,
    ClientsRepository,
    ClientPrivacy,
    ConsentsRepository,
    BreakGlassRepository,
  ],
})
export class ClientAccessModule {}
