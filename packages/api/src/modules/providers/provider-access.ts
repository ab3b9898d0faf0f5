import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { ProvidersRepository, type ProviderRow } from './providers.repository.js';

export const READ = 'providers.providers.read';
export const WRITE = 'providers.providers.write';

/**
 * Who may reach one provider, and through it its credentials, locations, services and contracts.
 * Providers belong to an agency, not to a team: a grant at `agency` scope reaches the caller's
 * agency, `all` every agency, and anything narrower no provider.
 */
@Injectable()
export class ProviderAccess {
  constructor(private readonly providers: ProvidersRepository) {}

  /**
   * The provider if the caller's grant for `permission` reaches it. Another agency's provider
   * answers 404, as if it did not exist (its existence is that agency's business); one of the
   * caller's own agency out of reach of a narrower grant answers 403.
   */
  async require(principal: Principal, providerId: string, permission: string): Promise<ProviderRow> {
    const row = await this.providers.findById(providerId);
    if (!row) throw Problems.notFound('provider');
    if (scopeAllows(principal, permission, { agencyId: row.agency_id })) return row;
    if (row.agency_id !== principal.agencyId) throw Problems.notFound('provider');
    throw Problems.forbidden('Providers are managed with a grant for the whole agency.');
  }

  /**
   * The provider as on record, with no access decision: for the system's own work on providers
   * events (scheduling keeps a resource per individual provider). Never an answer to a caller.
   */
  onRecord(providerId: string): Promise<ProviderRow | undefined> {
    return this.providers.findById(providerId);
  }
}
