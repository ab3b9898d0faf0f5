import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { CredentialStatus } from './credential-status.js';
import { ProviderAccess, READ, WRITE } from './provider-access.js';
import { ProvidersDatabase } from './providers.database.js';
import type {
  AddCredentialBody,
  CreateProviderBody,
  CredentialView,
  PatchCredentialBody,
  PatchProviderBody,
  ProviderListQuery,
  ProviderView,
  StandingView,
} from './providers.dto.js';
import { ProvidersTopics, type ProviderCreatedEvent, type ProviderUpdatedEvent } from './providers.events.js';
import { ProvidersRepository, type CredentialChanges, type ProviderChanges } from './providers.repository.js';
import { toCredentialView, toProviderView } from './views.js';

/**
 * Provider records of the caller's agency (every agency with `all` scope): lists never include
 * another agency's providers, and reads or writes of one are refused. Providers belong to an
 * agency, not to a team, so any grant narrower than `agency` reaches no provider.
 */
@Injectable()
export class ProvidersService {
  constructor(
    private readonly database: ProvidersDatabase,
    private readonly providers: ProvidersRepository,
    private readonly access: ProviderAccess,
    private readonly credentialStatus: CredentialStatus,
    private readonly clock: AgencyClock,
  ) {}

  async list(
    principal: Principal,
    query: ProviderListQuery,
  ): Promise<{ items: ProviderView[]; nextCursor: string | null }> {
    const scope = principal.grants[READ];
    if (scope !== 'all' && scope !== 'agency') return { items: [], nextCursor: null };
    const rows = await this.providers.list({
      agencyId: scope === 'all' ? null : principal.agencyId,
      name: query.name,
      npi: query.npi,
      after: query.cursor ? decodeNameCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toProviderView),
      nextCursor:
        rows.length > query.limit && last ? encodeNameCursor({ name: last.name, id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ProviderView> {
    return toProviderView(await this.load(principal, id, READ));
  }

  async create(principal: Principal, body: CreateProviderBody): Promise<ProviderView> {
    const agencyId = principal.agencyId;
    if (!scopeAllows(principal, WRITE, { agencyId })) {
      throw Problems.forbidden('Providers are added by those who administer them for the whole agency.');
    }
    const id = randomUUID();
    await this.database
      .transaction(async (trx) => {
        await this.providers.insert(
          {
            id,
            agency_id: agencyId,
            kind: body.kind,
            name: body.name,
            npi: body.npi,
            taxonomy_code: body.taxonomyCode,
          },
          trx,
        );
        await publishEvent(trx, ProvidersTopics.providerCreated, {
          providerId: id,
          agencyId,
        } satisfies ProviderCreatedEvent);
      })
      .catch(rethrowNpiTaken);
    return this.view(id);
  }

  async patch(
    principal: Principal,
    id: string,
    version: number,
    body: PatchProviderBody,
  ): Promise<ProviderView> {
    const row = await this.load(principal, id, WRITE);
    if (row.version !== version) throw Problems.preconditionFailed();
    const changes: ProviderChanges = {};
    if (body.kind !== undefined) changes.kind = body.kind;
    if (body.name !== undefined) changes.name = body.name;
    if (body.npi !== undefined) changes.npi = body.npi;
    if (body.taxonomyCode !== undefined) changes.taxonomy_code = body.taxonomyCode;
    if (body.status !== undefined) changes.status = body.status;
    const changed = Object.entries(changes)
      .filter(([key, value]) => row[key as keyof ProviderChanges] !== value)
      .map(([key]) => (key === 'taxonomy_code' ? 'taxonomyCode' : key));
    await this.database
      .transaction(async (trx) => {
        if (!(await this.providers.update(id, changes, version, trx))) throw Problems.preconditionFailed();
        await publishEvent(trx, ProvidersTopics.providerUpdated, {
          providerId: id,
          agencyId: row.agency_id,
          changed,
        } satisfies ProviderUpdatedEvent);
      })
      .catch(rethrowNpiTaken);
    return this.view(id);
  }

  async credentials(principal: Principal, providerId: string): Promise<CredentialView[]> {
    await this.load(principal, providerId, READ);
    return (await this.providers.credentialsOf(providerId)).map(toCredentialView);
  }

  async addCredential(
    principal: Principal,
    providerId: string,
    body: AddCredentialBody,
  ): Promise<CredentialView> {
    await this.load(principal, providerId, WRITE);
    const id = randomUUID();
    await this.providers.insertCredential({
      id,
      provider_id: providerId,
      type: body.type,
      number: body.number,
      issuer: body.issuer,
      issued_on: body.issuedOn,
      expires_on: body.expiresOn,
      verification_status: body.verificationStatus,
    });
    return this.credentialView(id);
  }

  async patchCredential(
    principal: Principal,
    providerId: string,
    credentialId: string,
    version: number,
    body: PatchCredentialBody,
  ): Promise<CredentialView> {
    await this.load(principal, providerId, WRITE);
    const row = await this.providers.findCredential(credentialId);
    if (row?.provider_id !== providerId) throw Problems.notFound('credential');
    if (row.version !== version) throw Problems.preconditionFailed();
    const issuedOn = body.issuedOn !== undefined ? body.issuedOn : row.issued_on;
    const expiresOn = body.expiresOn ?? row.expires_on;
    if (issuedOn !== null && issuedOn > expiresOn) {
      throw Problems.validation([
        { field: 'body.expiresOn', message: 'A credential cannot expire before it is issued.' },
      ]);
    }
    const changes: CredentialChanges = {};
    if (body.number !== undefined) changes.number = body.number;
    if (body.issuer !== undefined) changes.issuer = body.issuer;
    if (body.issuedOn !== undefined) changes.issued_on = body.issuedOn;
    if (body.verificationStatus !== undefined) changes.verification_status = body.verificationStatus;
    if (body.expiresOn !== undefined && body.expiresOn !== row.expires_on) {
      changes.expires_on = body.expiresOn;
      // A renewed (or corrected) expiry starts the 90/60/30-day warnings afresh.
      changes.last_flagged_threshold = null;
    }
    if (!(await this.providers.updateCredential(credentialId, changes, version))) {
      throw Problems.preconditionFailed();
    }
    return this.credentialView(credentialId);
  }

  /** Whether the provider may be booked on `onDate` (the agency's today when left out), and why not. */
  async standing(principal: Principal, providerId: string, onDate?: string): Promise<StandingView> {
    await this.load(principal, providerId, READ);
    const day = onDate ?? this.clock.today();
    return { providerId, on: day, ...(await this.credentialStatus.standing(providerId, day)) };
  }

  private async view(id: string): Promise<ProviderView> {
    const row = await this.providers.findById(id);
    if (!row) throw Problems.notFound('provider');
    return toProviderView(row);
  }

  private async credentialView(id: string): Promise<CredentialView> {
    const row = await this.providers.findCredential(id);
    if (!row) throw Problems.notFound('credential');
    return toCredentialView(row);
  }

  private load(principal: Principal, id: string, permission: string) {
    return this.access.require(principal, id, permission);
  }
}

function rethrowNpiTaken(err: unknown): never {
  if (typeof err === 'object' && err !== null && 'code' in err && err.code === '23505') {
    throw Problems.conflict('The agency already has a provider with this NPI.', 'npi-taken');
  }
  throw err;
}
