import { scopeRank, type Principal, type Scope, type ScopeTarget } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { IdentityProblems } from '../identity.problems.js';
import type { RoleRow } from '../repositories/directory.repository.js';
import type { UserAccess, UserRow, UserVisibility } from '../repositories/users.repository.js';

/** A user record's place in the agency, for record-level scope checks. */
export function userTarget(row: Pick<UserRow, 'id' | 'agency_id'>, access: UserAccess): ScopeTarget {
  return {
    ownerIds: [row.id],
    teamIds: access.teamIds,
    programIds: access.programIds,
    agencyId: row.agency_id,
  };
}

/** What a list filtered by the caller's grant for `permission` may contain. */
export function visibilityFor(principal: Principal, permission: string): UserVisibility {
  const scope = principal.grants[permission];
  if (!scope) throw Problems.forbidden(`This action requires the ${permission} permission.`);
  return {
    scope,
    agencyId: principal.agencyId,
    teamIds: principal.teamIds,
    programIds: principal.programIds,
    selfId: principal.id,
  };
}

/**
 * An administrator may hand out (or manage someone holding) a role only when every grant of
 * that role reaches no further than the administrator's own: not wider than their grant for the
 * same permission, and not wider than the scope of the permission they administer with. So an
 * agency admin can create case managers but not system admins.
 */
export function assertMayGrant(
  principal: Principal,
  adminPermission: string,
  roles: readonly RoleRow[],
): void {
  const adminScope = principal.grants[adminPermission];
  if (!adminScope) throw Problems.forbidden(`This action requires the ${adminPermission} permission.`);
  for (const role of roles) {
    for (const [permission, scope] of Object.entries(role.grants)) {
      const own: Scope | undefined = principal.grants[permission];
      const limit = own && scopeRank(own) < scopeRank(adminScope) ? own : adminScope;
      if (scopeRank(scope) > scopeRank(limit)) throw IdentityProblems.grantTooWide(role.name);
    }
  }
}
