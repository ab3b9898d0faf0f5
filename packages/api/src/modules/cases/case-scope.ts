import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Principal, ScopeTarget } from '../../platform/auth/principal.js';
import type { CaseTable, CasesTables } from './cases.schema.js';
import { isUuid, NIL_UUID } from '../../platform/database/ids.js';

/**
 * Where a case sits in the agency, for record-level scope: the agency, its team, its assigned
 * worker (the owner) and its program. `scopeAllows` decides single cases from this; list
 * queries apply the same rule in SQL (`caseInScope`), so a list never returns a case a read by
 * id would refuse.
 */
export function caseScopeTarget(
  row: Pick<CaseTable, 'agency_id' | 'team_id' | 'program_id'> & { assigned_worker_id: string | null },
): ScopeTarget {
  return {
    agencyId: row.agency_id,
    teamIds: [row.team_id],
    ownerIds: row.assigned_worker_id ? [row.assigned_worker_id] : [],
    programIds: [row.program_id],
  };
}

/** The grant for a permission as data the repository turns into SQL. */
export type CaseScopeFilter =
  | { kind: 'all' }
  | { kind: 'agency'; agencyId: string }
  | { kind: 'program'; agencyId: string; programIds: string[]; teamIds: string[]; userId: string }
  | { kind: 'team'; agencyId: string; teamIds: string[]; userId: string }
  | { kind: 'own'; userId: string }
  /** Reaches no case (an agency id that is not a uuid: a test or malformed token). */
  | { kind: 'none' };

/** The filter for `permission`, or null when the caller holds no grant for it. */
export function caseScopeFilter(principal: Principal, permission: string): CaseScopeFilter | null {
  const scope = principal.grants[permission] as Principal['grants'][string] | undefined;
  if (scope === undefined) return null;
  const { agencyId } = principal;
  // Compared with uuid columns; a principal id that is not one (a test token) matches no row.
  const userId = isUuid(principal.id) ? principal.id : NIL_UUID;
  const teamIds = principal.teamIds.filter((id) => isUuid(id));
  const programIds = principal.programIds.filter((id) => isUuid(id));
  switch (scope) {
    case 'all':
      return { kind: 'all' };
    case 'agency':
      return isUuid(agencyId) ? { kind: 'agency', agencyId } : { kind: 'none' };
    case 'program':
      return isUuid(agencyId) ? { kind: 'program', agencyId, programIds, teamIds, userId } : { kind: 'none' };
    case 'team':
      return isUuid(agencyId) ? { kind: 'team', agencyId, teamIds, userId } : { kind: 'none' };
    case 'own':
      return { kind: 'own', userId };
  }
}

type CasesEb = ExpressionBuilder<CasesTables & { k: CasesTables['cases.cases'] }, 'k'>;

/** `WHERE` condition for cases aliased `k` under the filter (the SQL twin of `scopeAllows`). */
export function caseInScope(eb: CasesEb, filter: CaseScopeFilter): Expression<SqlBool> {
  const anyOf = (conditions: Expression<SqlBool>[]) => eb.or(conditions);
  const inList = (column: 'k.team_id' | 'k.program_id', ids: string[]) =>
    ids.length > 0 ? [eb(column, 'in', ids)] : [];
  switch (filter.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'none':
      return sql<SqlBool>`false`;
    case 'agency':
      return eb('k.agency_id', '=', filter.agencyId);
    case 'own':
      return eb('k.assigned_worker_id', '=', filter.userId);
    case 'team':
      return eb.and([
        eb('k.agency_id', '=', filter.agencyId),
        anyOf([...inList('k.team_id', filter.teamIds), eb('k.assigned_worker_id', '=', filter.userId)]),
      ]);
    case 'program':
      return eb.and([
        eb('k.agency_id', '=', filter.agencyId),
        anyOf([
          ...inList('k.program_id', filter.programIds),
          ...inList('k.team_id', filter.teamIds),
          eb('k.assigned_worker_id', '=', filter.userId),
        ]),
      ]);
  }
}
