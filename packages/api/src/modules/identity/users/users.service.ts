import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { SessionsService, type SessionView } from '../auth/sessions.service.js';
import { PasswordHasher } from '../crypto/password-hasher.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import {
  IdentityTopics,
  type UserCreatedEvent,
  type UserDeactivatedEvent,
  type UserUpdatedEvent,
} from '../identity.events.js';
import { IdentityProblems } from '../identity.problems.js';
import { DirectoryRepository, type RoleRow } from '../repositories/directory.repository.js';
import { UsersRepository, type UserAccess, type UserProfileRow } from '../repositories/users.repository.js';
import { decodeNameCursor, encodeNameCursor } from '../../../platform/http/page-cursor.js';
import { assertMayGrant, userTarget, visibilityFor } from './user-scope.js';
import { toUserView, type UserView } from './user-view.js';
import type { CreateUserBody, PatchUserBody, UserListQuery } from './users.dto.js';

const READ = 'identity.users.read';
const WRITE = 'identity.users.write';
const SESSIONS = 'identity.sessions.manage';

/**
 * User administration within the administrator's scope: lists never include users outside it,
 * single reads and writes outside it are refused, and no one grants more than they hold.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly database: IdentityDatabase,
    private readonly users: UsersRepository,
    private readonly directory: DirectoryRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
  ) {}

  async list(
    principal: Principal,
    query: UserListQuery,
  ): Promise<{ items: UserView[]; nextCursor: string | null }> {
    const rows = await this.users.list({
      visibility: visibilityFor(principal, READ),
      q: query.q,
      status: query.status,
      role: query.role,
      after: query.cursor ? afterUser(decodeNameCursor(query.cursor)) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const access = await this.users.accessOfMany(page.map((r) => r.id));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toUserView(r, access.get(r.id) ?? noAccess())),
      nextCursor:
        rows.length > query.limit && last ? encodeNameCursor({ name: last.display_name, id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<UserView> {
    const { row, access } = await this.load(principal, id, READ);
    return toUserView(row, access);
  }

  async create(principal: Principal, body: CreateUserBody): Promise<UserView> {
    const agencyId = principal.agencyId;
    if (!(await this.directory.agencyExists(agencyId))) throw unknownAgency();
    const roles = await this.rolesNamed(body.roles);
    assertMayGrant(principal, WRITE, roles);
    const programIds = await this.teamsOfAgency(body.teamIds, agencyId);
    const id = randomUUID();
    if (!scopeAllows(principal, WRITE, { ownerIds: [id], teamIds: body.teamIds, programIds, agencyId })) {
      throw Problems.forbidden('The new user would be outside the part of the agency you administer.');
    }
    if (await this.users.findByEmail(body.email)) throw IdentityProblems.emailTaken();
    const passwordHash = await this.hasher.hash(body.password);
    await this.database
      .transaction(async (trx) => {
        await this.users.insert(
          {
            id,
            agency_id: agencyId,
            email: body.email,
            display_name: body.displayName,
            password_hash: passwordHash,
          },
          { roles: body.roles, teamIds: body.teamIds },
          trx,
        );
        await publishEvent(trx, IdentityTopics.userCreated, {
          userId: id,
          agencyId,
          roles: body.roles,
          teamIds: body.teamIds,
        } satisfies UserCreatedEvent);
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? IdentityProblems.emailTaken() : err;
      });
    return this.view(id);
  }

  async patch(principal: Principal, id: string, version: number, body: PatchUserBody): Promise<UserView> {
    const { row, access } = await this.loadForWrite(principal, id);
    if (row.version !== version) throw Problems.preconditionFailed();
    if (body.roles) assertMayGrant(principal, WRITE, await this.rolesNamed(body.roles));
    const teamIds = body.teamIds ?? access.teamIds;
    const programIds = body.teamIds
      ? await this.teamsOfAgency(body.teamIds, row.agency_id)
      : access.programIds;
    if (!scopeAllows(principal, WRITE, userTarget(row, { ...access, teamIds, programIds }))) {
      throw Problems.forbidden(
        'The change would move the user outside the part of the agency you administer.',
      );
    }
    const changed = [
      ...(body.displayName !== undefined && body.displayName !== row.display_name ? ['displayName'] : []),
      ...(body.roles && !sameSet(body.roles, access.roles) ? ['roles'] : []),
      ...(body.teamIds && !sameSet(body.teamIds, access.teamIds) ? ['teamIds'] : []),
    ];
    await this.database.transaction(async (trx) => {
      const updated = await this.users.update(
        id,
        body.displayName !== undefined ? { display_name: body.displayName } : {},
        version,
        trx,
      );
      if (!updated) throw Problems.preconditionFailed();
      await this.users.replaceAccess(id, { roles: body.roles, teamIds: body.teamIds }, trx);
      await publishEvent(trx, IdentityTopics.userUpdated, {
        userId: id,
        agencyId: row.agency_id,
        changed,
      } satisfies UserUpdatedEvent);
    });
    // Access taken away takes effect now, not when the current access token expires.
    const lostRole = body.roles ? access.roles.some((r) => !body.roles?.includes(r)) : false;
    const lostTeam = body.teamIds ? access.teamIds.some((t) => !body.teamIds?.includes(t)) : false;
    if (lostRole || lostTeam) await this.sessions.end(id, 'access_reduced');
    return this.view(id);
  }

  async deactivate(principal: Principal, id: string): Promise<UserView> {
    if (id === principal.id) throw IdentityProblems.cannotDeactivateSelf();
    const { row } = await this.loadForWrite(principal, id);
    if (row.status !== 'deactivated') {
      await this.database.transaction(async (trx) => {
        await this.users.update(id, { status: 'deactivated' }, null, trx);
        await publishEvent(trx, IdentityTopics.userDeactivated, {
          userId: id,
          agencyId: row.agency_id,
        } satisfies UserDeactivatedEvent);
      });
    }
    await this.sessions.end(id, 'deactivated');
    return this.view(id);
  }

  async reactivate(principal: Principal, id: string): Promise<UserView> {
    const { row } = await this.loadForWrite(principal, id);
    if (row.status !== 'active') {
      await this.database.transaction(async (trx) => {
        await this.users.update(id, { status: 'active' }, null, trx);
        await publishEvent(trx, IdentityTopics.userUpdated, {
          userId: id,
          agencyId: row.agency_id,
          changed: ['status'],
        } satisfies UserUpdatedEvent);
      });
    }
    return this.view(id);
  }

  async sessionsOf(principal: Principal, id: string): Promise<SessionView[]> {
    await this.load(principal, id, SESSIONS);
    return this.sessions.list(id, principal.sessionId);
  }

  async endSessionsOf(principal: Principal, id: string): Promise<void> {
    const { access } = await this.load(principal, id, SESSIONS);
    assertMayGrant(principal, SESSIONS, await this.rolesNamed(access.roles));
    await this.sessions.end(id, 'ended_by_administrator');
  }

  private async view(id: string, db?: IdentityDb): Promise<UserView> {
    const found = await this.users.findProfile(id, db);
    if (!found) throw Problems.notFound('user');
    return toUserView(found.row, found.access);
  }

  /** The user if the caller's grant for `permission` reaches them: 404 when absent, 403 when out of scope. */
  private async load(
    principal: Principal,
    id: string,
    permission: string,
  ): Promise<{ row: UserProfileRow; access: UserAccess }> {
    const found = await this.users.findProfile(id);
    if (!found) throw Problems.notFound('user');
    const { row, access } = found;
    if (!scopeAllows(principal, permission, userTarget(row, access))) {
      throw Problems.forbidden('This user is outside your scope.');
    }
    return { row, access };
  }

  /** As `load` for writing, and only when the user holds no role wider than the caller's own access. */
  private async loadForWrite(
    principal: Principal,
    id: string,
  ): Promise<{ row: UserProfileRow; access: UserAccess }> {
    const loaded = await this.load(principal, id, WRITE);
    assertMayGrant(principal, WRITE, await this.rolesNamed(loaded.access.roles));
    return loaded;
  }

  private async rolesNamed(names: readonly string[]): Promise<RoleRow[]> {
    const all = await this.directory.listRoles();
    const unknown = names.filter((n) => !all.some((r) => r.name === n));
    if (unknown.length > 0) {
      throw Problems.validation([{ field: 'body.roles', message: `Unknown role: ${unknown.join(', ')}.` }]);
    }
    return all.filter((r) => names.includes(r.name));
  }

  /** Checks the teams exist in the agency; returns their programs. */
  private async teamsOfAgency(teamIds: readonly string[], agencyId: string): Promise<string[]> {
    const teams = await this.directory.teamsByIds(teamIds);
    if (teams.length !== new Set(teamIds).size || teams.some((t) => t.agencyId !== agencyId)) {
      throw Problems.validation([
        { field: 'body.teamIds', message: 'One or more teams do not exist in the agency.' },
      ]);
    }
    return [...new Set(teams.map((t) => t.programId))];
  }
}

function unknownAgency() {
  return Problems.forbidden('Your account belongs to no agency known here.');
}

function noAccess(): UserAccess {
  return { roles: [], teamIds: [], programIds: [] };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}

function afterUser({ name, id }: { name: string; id: string }): { displayName: string; id: string } {
  return { displayName: name, id };
}
