import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../../platform/auth/principal.js';
import { ClientAccess, scopeTarget } from '../../clients/client-access.js';
import { ClientsRepository } from '../../clients/clients.repository.js';

const CLIENT_READ = 'clients.clients.read';

/**
 * The names the bed board may show a caller. The board is open to everyone with a bed grant for
 * the facility, but a client's name only to those whose client grant reaches that client (the
 * same decision ClientAccess makes, without break-the-glass: glancing at a board is no emergency).
 * Everyone else sees the bed occupied or held, with the name withheld.
 */
@Injectable()
export class ClientNames {
  constructor(
    private readonly access: ClientAccess,
    private readonly clients: ClientsRepository,
  ) {}

  /** Client id → display name, or null when withheld from this caller (or no such client). */
  async visibleTo(principal: Principal, clientIds: readonly string[]): Promise<Map<string, string | null>> {
    const names = new Map<string, string | null>();
    for (const id of new Set(clientIds)) names.set(id, await this.nameFor(principal, id));
    return names;
  }

  private async nameFor(principal: Principal, clientId: string): Promise<string | null> {
    if (!principal.grants[CLIENT_READ]) return null;
    const client = await this.access.resolve(clientId);
    if (!client) return null;
    const facts = await this.clients.scopeFacts(client.id);
    if (!scopeAllows(principal, CLIENT_READ, scopeTarget(client, facts))) return null;
    return `${client.preferred_name ?? client.given_name} ${client.family_name}`;
  }
}
