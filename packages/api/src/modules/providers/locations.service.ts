import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import type { CreateLocationBody, LocationView, PatchLocationBody } from './locations.dto.js';
import { LocationsRepository, type LocationChanges } from './locations.repository.js';
import { ProviderAccess, READ, WRITE } from './provider-access.js';
import { toLocationView } from './views.js';

/** Where a provider serves clients: sites with an address, phone and county, active or not. */
@Injectable()
export class LocationsService {
  constructor(
    private readonly access: ProviderAccess,
    private readonly locations: LocationsRepository,
  ) {}

  async list(principal: Principal, providerId: string): Promise<LocationView[]> {
    await this.access.require(principal, providerId, READ);
    return (await this.locations.locationsOf(providerId)).map(toLocationView);
  }

  async add(principal: Principal, providerId: string, body: CreateLocationBody): Promise<LocationView> {
    await this.access.require(principal, providerId, WRITE);
    const id = randomUUID();
    await this.locations.insert({
      id,
      provider_id: providerId,
      name: body.name,
      address_line1: body.addressLine1,
      address_line2: body.addressLine2,
      city: body.city,
      state: body.state,
      postal_code: body.postalCode,
      phone: body.phone,
      county: body.county,
      active: body.active,
    });
    return this.view(id);
  }

  async patch(
    principal: Principal,
    providerId: string,
    locationId: string,
    version: number,
    body: PatchLocationBody,
  ): Promise<LocationView> {
    await this.access.require(principal, providerId, WRITE);
    const row = await this.locations.find(locationId);
    if (row?.provider_id !== providerId) throw Problems.notFound('location');
    if (row.version !== version) throw Problems.preconditionFailed();
    const changes: LocationChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.addressLine1 !== undefined) changes.address_line1 = body.addressLine1;
    if (body.addressLine2 !== undefined) changes.address_line2 = body.addressLine2;
    if (body.city !== undefined) changes.city = body.city;
    if (body.state !== undefined) changes.state = body.state;
    if (body.postalCode !== undefined) changes.postal_code = body.postalCode;
    if (body.phone !== undefined) changes.phone = body.phone;
    if (body.county !== undefined) changes.county = body.county;
    if (body.active !== undefined) changes.active = body.active;
    if (!(await this.locations.update(locationId, changes, version))) throw Problems.preconditionFailed();
    return this.view(locationId);
  }

  private async view(id: string): Promise<LocationView> {
    const row = await this.locations.find(id);
    if (!row) throw Problems.notFound('location');
    return toLocationView(row);
  }
}
