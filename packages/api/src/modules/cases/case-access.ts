import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { ClientAccess } from '../clients/client-access.js';
import { caseScopeFilter, caseScopeTarget, type CaseScopeFilter } from './case-scope.js';
import type { CasesDb } from './cases.database.js';
import { CasesRepository, type CaseRow } from './cases.repository.js';
import { isUuid } from '../../platform/database/ids.js';

/** How a caller reached a case. */
export interface CaseAccessGrant {
  case: CaseRow;
  via: 'scope' | 'break_glass';
}

export const CASE_READ = 'cases.cases.read';
export const CASE_WRITE = 'cases.cases.write';

/** Who is acting, as recorded on case records: a user's (or service account's) id. */
export function actorId(principal: Principal): string {
  if (!isUuid(principal.id)) throw Problems.forbidden('Only a named user may change case records.');
  return principal.id;
}

/**
 * The one place that decides whether a caller may reach a case, for every route under
 * `/api/v1/cases/:id` (notes, plans, tasks, closure, referrals):
 * - scope: the caller's grant for the permission reaches the case's agency, program, team or
 *   assigned worker (`caseScopeTarget`);
 * - break-the-glass: an active emergency grant for the case's client allows reading its cases.
 * Another agency's case answers 404; a case of the caller's agency outside their scope 403.
 */
@Injectable()
export class CaseAccess {
  constructor(
    private readonly cases: CasesRepository,
    private readonly clients: ClientAccess,
  ) {}

  /** The scope filter list queries apply; null when the caller has no grant for `permission`. */
  filter(principal: Principal, permission: string): CaseScopeFilter | null {
    return caseScopeFilter(principal, permission);
  }

  async require(
    principal: Principal,
    caseId: string,
    permission: string,
    db?: CasesDb,
  ): Promise<CaseAccessGrant> {
    const row = await this.cases.findById(caseId, db);
    if (!row) throw Problems.notFound('case');
    if (scopeAllows(principal, permission, caseScopeTarget(row))) return { case: row, via: 'scope' };
    if (principal.agencyId !== row.agency_id) throw Problems.notFound('case');
    if (permission === CASE_READ && principal.grants[permission] !== undefined) {
      if (await this.breakGlass(principal, row.client_id)) return { case: row, via: 'break_glass' };
    }
    throw Problems.forbidden(
      'This case is not on your caseload. In an emergency, request break-the-glass access to the client with a reason.',
    );
  }

  /** Whether the caller holds an active break-the-glass grant for the client (emergency reads). */
  private async breakGlass(principal: Principal, clientId: string): Promise<boolean> {
    try {
      const grant = await this.clients.require(principal, clientId, 'clients.clients.read');
      return grant.via === 'break_glass';
    } catch (err) {
      if (err instanceof ProblemError) return false;
      throw err;
    }
  }
}
