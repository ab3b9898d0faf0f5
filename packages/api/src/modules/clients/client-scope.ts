import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Principal } from '../../platform/auth/principal.js';
import type { ClientsTables } from './clients.schema.js';
import { isUuid, NIL_UUID } from '../../platform/database/ids.js';

/**
 * Which clients a grant reaches, as data the repository turns into SQL, so list and search
 * queries never return a client outside the caller's scope:
 * - `agency`: every client of the agency;
 * - `program`: clients enrolled on `today` (the agency's day) in one of the caller's programs, or
 *   on one of their teams' care teams, or whom they serve themselves;
 * - `team`: clients on one of the caller's teams' care teams, or whom they serve themselves;
 * - `own`: clients the caller serves personally.
 */
export type ClientScopeFilter =
  | { kind: 'all' }
  | { kind: 'agency'; agencyId: string }
  | {
      kind: 'program';
      agencyId: string;
      programIds: string[];
      teamIds: string[];
      userId: string;
      /** 'YYYY-MM-DD': enrolments that have not ended by this day count. */
      today: string;
    }
  | { kind: 'team'; agencyId: string; teamIds: string[]; userId: string }
  | { kind: 'own'; userId: string };

/**
 * The filter for `permission`, or null when the caller holds no grant for it. `today` is the
 * agency's day (AgencyClock), for program scope's "enrolled now".
 */
export function clientScopeFilter(
  principal: Principal,
  permission: string,
  today: string,
): ClientScopeFilter | null {
  const scope = principal.grants[permission] as Principal['grants'][string] | undefined;
  if (scope === undefined) return null;
  const { agencyId } = principal;
  // Ids compared with uuid columns; a principal id that is not one (a test token) matches no row.
  const userId = isUuid(principal.id) ? principal.id : NIL_UUID;
  const teamIds = [...principal.teamIds];
  switch (scope) {
    case 'all':
      return { kind: 'all' };
    case 'agency':
      return { kind: 'agency', agencyId };
    case 'program':
      return { kind: 'program', agencyId, programIds: [...principal.programIds], teamIds, userId, today };
    case 'team':
      return { kind: 'team', agencyId, teamIds, userId };
    case 'own':
      return { kind: 'own', userId };
  }
}

type ClientsEb = ExpressionBuilder<ClientsTables & { c: ClientsTables['clients.clients'] }, 'c'>;

/** `WHERE` condition for clients aliased `c` under the filter. */
export function clientInScope(eb: ClientsEb, filter: ClientScopeFilter): Expression<SqlBool> {
  const servedBy = (teamIds: string[], userId: string) =>
    eb.exists(
      eb
        .selectFrom('clients.care_team as ct')
        .select('ct.id')
        .whereRef('ct.client_id', '=', 'c.id')
        .where('ct.ended_at', 'is', null)
        .where((w) =>
          teamIds.length > 0
            ? w.or([w('ct.team_id', 'in', teamIds), w('ct.user_id', '=', userId)])
            : w('ct.user_id', '=', userId),
        ),
    );
  switch (filter.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'agency':
      return eb('c.agency_id', '=', filter.agencyId);
    case 'own':
      return servedBy([], filter.userId);
    case 'team':
      return eb.and([eb('c.agency_id', '=', filter.agencyId), servedBy(filter.teamIds, filter.userId)]);
    case 'program': {
      const inProgram =
        filter.programIds.length > 0
          ? eb.exists(
              eb
                .selectFrom('clients.enrollments as en')
                .select('en.id')
                .whereRef('en.client_id', '=', 'c.id')
                .where('en.program_id', 'in', filter.programIds)
                .where((w) =>
                  w.or([
                    w('en.end_date', 'is', null),
                    w('en.end_date', '>=', sql<string>`${filter.today}::date`),
                  ]),
                ),
            )
          : sql<SqlBool>`false`;
      return eb.and([
        eb('c.agency_id', '=', filter.agencyId),
        eb.or([inProgram, servedBy(filter.teamIds, filter.userId)]),
      ]);
    }
  }
}
