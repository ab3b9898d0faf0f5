import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import type {
  CreateServiceOfferingBody,
  PatchServiceOfferingBody,
  ServiceOfferingView,
} from './offerings.dto.js';
import { OfferingsRepository, type ServiceOfferingChanges } from './offerings.repository.js';
import { ProviderAccess, READ, WRITE } from './provider-access.js';
import { toServiceOfferingView } from './views.js';

/**
 * The services a provider offers (procedure code, modifiers, unit). A provider lists one code
 * with the same modifiers once.
 */
@Injectable()
export class OfferingsService {
  constructor(
    private readonly access: ProviderAccess,
    private readonly offerings: OfferingsRepository,
  ) {}

  async list(principal: Principal, providerId: string): Promise<ServiceOfferingView[]> {
    await this.access.require(principal, providerId, READ);
    return (await this.offerings.offeringsOf(providerId)).map(toServiceOfferingView);
  }

  async add(
    principal: Principal,
    providerId: string,
    body: CreateServiceOfferingBody,
  ): Promise<ServiceOfferingView> {
    await this.access.require(principal, providerId, WRITE);
    const id = randomUUID();
    await this.offerings
      .insert({
        id,
        provider_id: providerId,
        service_code: body.serviceCode,
        modifiers: body.modifiers,
        description: body.description,
        program_id: body.programId,
        unit_type: body.unitType,
        active: body.active,
      })
      .catch(rethrowAlreadyOffered);
    return this.view(id);
  }

  async patch(
    principal: Principal,
    providerId: string,
    offeringId: string,
    version: number,
    body: PatchServiceOfferingBody,
  ): Promise<ServiceOfferingView> {
    await this.access.require(principal, providerId, WRITE);
    const row = await this.offerings.find(offeringId);
    if (row?.provider_id !== providerId) throw Problems.notFound('service');
    if (row.version !== version) throw Problems.preconditionFailed();
    const changes: ServiceOfferingChanges = {};
    if (body.serviceCode !== undefined) changes.service_code = body.serviceCode;
    if (body.modifiers !== undefined) changes.modifiers = body.modifiers;
    if (body.description !== undefined) changes.description = body.description;
    if (body.programId !== undefined) changes.program_id = body.programId;
    if (body.unitType !== undefined) changes.unit_type = body.unitType;
    if (body.active !== undefined) changes.active = body.active;
    const updated = await this.offerings.update(offeringId, changes, version).catch(rethrowAlreadyOffered);
    if (!updated) throw Problems.preconditionFailed();
    return this.view(offeringId);
  }

  private async view(id: string): Promise<ServiceOfferingView> {
    const row = await this.offerings.find(id);
    if (!row) throw Problems.notFound('service');
    return toServiceOfferingView(row);
  }
}

function rethrowAlreadyOffered(err: unknown): never {
  if (typeof err === 'object' && err !== null && 'code' in err && err.code === '23505') {
    throw Problems.conflict(
      'The provider already offers this service code with these modifiers.',
      'service-already-offered',
    );
  }
  throw err;
}
