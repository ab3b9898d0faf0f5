import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isUuid } from '../../../platform/database/ids.js';
import type { DomainEvent } from '../../../platform/events/events.js';
import { OutboxDispatcher } from '../../../platform/events/outbox-dispatcher.js';
import { ProviderAccess } from '../../providers/provider-access.js';
import { ProvidersTopics } from '../../providers/providers.events.js';
import { ResourcesRepository } from './resources.repository.js';

/**
 * Every individual provider has a resource to book (kind `provider`) from the moment they are
 * added: `providers.provider.created` adds one named as the provider, with no working hours — so
 * nobody can book them until a scheduler sets their hours. Organisations (agencies contracted as
 * a whole) get none. A provider that already has a resource in the agency (added by hand, or by
 * the demo seed) keeps it. `providers.provider.updated` keeps the name in step when the provider
 * is renamed, and adds the resource when an organisation is corrected to an individual.
 * Idempotent: the inbox drops repeats, the unique (agency, provider) index refuses a second
 * resource, and a rename to the name it already has changes nothing. The provider is read as it
 * is now, so events handled late or out of order still end with the current name.
 */
@Injectable()
export class ProviderResources implements OnModuleInit {
  constructor(
    private readonly resources: ResourcesRepository,
    private readonly providers: ProviderAccess,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  onModuleInit(): void {
    this.dispatcher.subscribe('scheduling.provider-resources', 'providers.provider.*', (event) =>
      this.handle(event),
    );
  }

  async handle(event: DomainEvent): Promise<void> {
    const payload = readProviderEvent(event.payload);
    if (!payload) return;
    if (event.topic === ProvidersTopics.providerCreated) {
      await this.ensure(payload.providerId);
    } else if (event.topic === ProvidersTopics.providerUpdated) {
      if (payload.changed.includes('kind')) await this.ensure(payload.providerId);
      if (payload.changed.includes('name')) await this.rename(payload.providerId);
    }
  }

  private async ensure(providerId: string): Promise<void> {
    const provider = await this.providers.onRecord(providerId);
    if (provider?.kind !== 'individual') return;
    await this.resources.insertForProvider({
      id: randomUUID(),
      agency_id: provider.agency_id,
      kind: 'provider',
      provider_id: provider.id,
      name: provider.name,
      program_id: null,
      location: null,
    });
  }

  private async rename(providerId: string): Promise<void> {
    const provider = await this.providers.onRecord(providerId);
    if (!provider) return;
    await this.resources.renameForProvider(provider.agency_id, provider.id, provider.name);
  }
}

/** The provider's id and, for an update, which fields changed; undefined for anything else. */
function readProviderEvent(payload: unknown): { providerId: string; changed: string[] } | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { providerId, changed } = payload as { providerId?: unknown; changed?: unknown };
  if (typeof providerId !== 'string' || !isUuid(providerId)) return undefined;
  return {
    providerId,
    changed: Array.isArray(changed) ? changed.filter((c): c is string => typeof c === 'string') : [],
  };
}
