import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { encodeGrants, type Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { clientIp } from '../../../platform/http/request-context.js';
import { RateLimits } from '../../../platform/rate-limit/rate-limits.js';
import { TokensService } from '../auth/tokens.service.js';
import { newOpaqueToken } from '../crypto/opaque-tokens.js';
import { PasswordHasher } from '../crypto/password-hasher.js';
import { IdentityAudit } from '../identity-audit.js';
import { IdentityProblems } from '../identity.problems.js';
import { DirectoryRepository } from '../repositories/directory.repository.js';
import {
  ServiceAccountsRepository,
  type ServiceAccountRow,
} from '../repositories/service-accounts.repository.js';
import { assertMayGrant } from '../users/user-scope.js';

const MANAGE = 'identity.service_accounts.manage';

export interface ServiceAccountView {
  id: string;
  name: string;
  clientId: string;
  agencyId: string;
  roles: string[];
  status: 'active' | 'disabled';
  createdAt: string;
  lastUsedAt: string | null;
  disabledAt: string | null;
}

export interface ClientCredentialsToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * Integrations (ETL jobs, the HMS agent, partner systems) authenticate as service accounts with
 * the OAuth client-credentials grant. The secret is shown once and stored as an argon2id hash.
 * Their tokens carry no session: disabling an account stops new tokens, and issued ones lapse
 * within ACCESS_TOKEN_TTL_SECONDS.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(
    private readonly accounts: ServiceAccountsRepository,
    private readonly directory: DirectoryRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokensService,
    private readonly rateLimits: RateLimits,
    private readonly audit: IdentityAudit,
  ) {}

  async create(
    principal: Principal,
    body: { name: string; roles: string[] },
  ): Promise<{ id: string; clientId: string; clientSecret: string }> {
    if (!(await this.directory.agencyExists(principal.agencyId))) {
      throw Problems.forbidden('Your account belongs to no agency known here.');
    }
    const all = await this.directory.listRoles();
    const unknown = body.roles.filter((n) => !all.some((r) => r.name === n));
    if (unknown.length > 0) {
      throw Problems.validation([{ field: 'body.roles', message: `Unknown role: ${unknown.join(', ')}.` }]);
    }
    const roles = all.filter((r) => body.roles.includes(r.name));
    assertMayGrant(principal, MANAGE, roles);
    const needMfa = roles.filter((r) => r.requiresMfa).map((r) => r.name);
    if (needMfa.length > 0) {
      // A machine has no second factor, and these roles are never granted without one.
      throw Problems.validation([
        {
          field: 'body.roles',
          message: `Roles requiring MFA cannot be given to a service account: ${needMfa.join(', ')}.`,
        },
      ]);
    }
    const id = randomUUID();
    const clientId = `svc_${randomBytes(12).toString('hex')}`;
    const clientSecret = newOpaqueToken();
    await this.accounts.create(
      {
        id,
        agency_id: principal.agencyId,
        name: body.name,
        client_id: clientId,
        secret_hash: await this.hasher.hash(clientSecret),
        created_by: principal.kind === 'user' ? principal.id : null,
      },
      body.roles,
    );
    return { id, clientId, clientSecret };
  }

  async list(principal: Principal): Promise<ServiceAccountView[]> {
    const rows = await this.accounts.list(principal.grants[MANAGE] === 'all' ? null : principal.agencyId);
    return rows.map(toView);
  }

  async disable(principal: Principal, id: string): Promise<ServiceAccountView> {
    const account = await this.accounts.findById(id);
    if (!account) throw Problems.notFound('service account');
    if (principal.grants[MANAGE] !== 'all' && account.agency_id !== principal.agencyId) {
      throw Problems.forbidden('This service account is outside your scope.');
    }
    const roles = await this.directory.listRoles();
    assertMayGrant(
      principal,
      MANAGE,
      roles.filter((r) => account.roles.includes(r.name)),
    );
    await this.accounts.disable(id);
    const updated = await this.accounts.findById(id);
    if (!updated) throw Problems.notFound('service account');
    return toView(updated);
  }

  /** OAuth client-credentials grant. */
  async issueToken(
    clientId: string,
    clientSecret: string,
    req: FastifyRequest,
  ): Promise<ClientCredentialsToken> {
    const action = 'identity.oauth2.client_credentials';
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const account = await this.accounts.findByClientId(clientId);
    if (!account) {
      await this.hasher.verifyNothing(clientSecret);
      await this.audit.record(req, {
        action,
        outcome: 'denied',
        reason: 'unknown_client',
        resourceType: 'identity.service_accounts',
      });
      throw IdentityProblems.invalidClient();
    }
    const ok = await this.hasher.verify(account.secret_hash, clientSecret);
    const needsMfa = (await this.directory.rolesRequiringMfa(account.roles)).length > 0;
    if (!ok || account.status !== 'active' || needsMfa) {
      await this.audit.record(req, {
        action,
        outcome: 'denied',
        reason: !ok ? 'invalid_secret' : needsMfa ? 'role_requires_mfa' : 'disabled',
        userId: account.id,
        actorKind: 'service',
        resourceType: 'identity.service_accounts',
      });
      throw IdentityProblems.invalidClient();
    }
    const grants = await this.tokens.grantsOf(account.roles);
    const scope = encodeGrants(grants);
    const accessToken = await this.tokens.signAccessToken({
      sub: account.id,
      kind: 'service',
      agency: account.agency_id,
      teams: [],
      programs: [],
      roles: account.roles,
      scope,
      amr: ['client_secret'],
    });
    await this.accounts.touch(account.id);
    await this.audit.record(req, {
      action,
      outcome: 'allowed',
      userId: account.id,
      actorKind: 'service',
      resourceType: 'identity.service_accounts',
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.tokens.accessTokenTtl, scope };
  }
}

function toView(r: ServiceAccountRow): ServiceAccountView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    name: r.name,
    clientId: r.client_id,
    agencyId: r.agency_id,
    roles: r.roles,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: iso(r.last_used_at),
    disabledAt: iso(r.disabled_at),
  };
}
