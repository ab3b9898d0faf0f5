import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal, type ScopeTarget } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientPrivacy } from './client-privacy.js';
import { clientScopeFilter, type ClientScopeFilter } from './client-scope.js';
import type { ClientsDb } from './clients.database.js';
import { ClientsRepository, type ClientRow, type ClientScopeFacts } from './clients.repository.js';
import { pairKey, Part2Sight, type ClientAtProgram } from './part2.js';

/** How a caller reached a client record. */
export interface ClientAccessGrant {
  /** The record itself: the survivor when the id asked for was merged into another. */
  client: ClientRow;
  /** The id the caller asked for (differs from `client.id` after a merge). */
  requestedId: string;
  via: 'scope' | 'break_glass';
  /** The break-the-glass grant used, when `via` is `break_glass`. */
  breakGlassId: string | null;
}

/** Merge chains are short (a survivor can itself be merged later); this bounds a corrupt loop. */
const MAX_MERGE_HOPS = 8;

/**
 * The one place that decides whether a caller may reach a client, exported for the cases and
 * documents modules so every route that touches a client's record agrees:
 * - scope: the caller's grant for the permission reaches the client's agency, program
 *   enrolments, care-team teams or the caller personally (see client-scope.ts);
 * - break-the-glass: an active emergency grant of the caller's for this client allows reads;
 * - merged ids keep resolving, to the survivor.
 * Another agency's client answers 404; a client of the caller's agency outside their scope
 * answers 403, naming break-the-glass as the way to emergency access.
 */
@Injectable()
export class ClientAccess {
  constructor(
    private readonly clients: ClientsRepository,
    private readonly privacy: ClientPrivacy,
    private readonly clock: AgencyClock,
  ) {}

  /** The scope filter list and search queries apply; null when the caller has no such grant. */
  filter(principal: Principal, permission: string): ClientScopeFilter | null {
    return clientScopeFilter(principal, permission, this.clock.today());
  }

  async require(principal: Principal, clientId: string, permission: string): Promise<ClientAccessGrant> {
    const client = await this.resolve(clientId);
    if (!client) throw Problems.notFound('client');
    const facts = await this.clients.scopeFacts(client.id);
    if (scopeAllows(principal, permission, scopeTarget(client, facts))) {
      return { client, requestedId: clientId, via: 'scope', breakGlassId: null };
    }
    if (principal.agencyId !== client.agency_id && principal.grants[permission] !== 'all') {
      throw Problems.notFound('client');
    }
    if (isReadPermission(permission) && principal.grants[permission] !== undefined) {
      // Using the grant records its reason and purpose (ETREAT) on this request's audit row.
      const breakGlassId = await this.privacy.useBreakGlass(principal.id, client.id);
      if (breakGlassId) return { client, requestedId: clientId, via: 'break_glass', breakGlassId };
    }
    throw Problems.forbidden(
      'This client is not on your caseload. In an emergency, request break-the-glass access with a reason.',
    );
  }

  /**
   * Whether the caller may see 42 CFR Part 2 information about the client that belongs to
   * `owningProgramId` (the Part 2 program that holds it): staff of that program may; anyone
   * else needs an active Part 2 consent naming them, or an active break-the-glass grant (the
   * medical-emergency exception, §2.51).
   */
  async canSeePart2(
    principal: Principal,
    clientId: string,
    owningProgramId: string | null,
  ): Promise<boolean> {
    if (owningProgramId !== null && principal.programIds.includes(owningProgramId)) return true;
    if (await this.privacy.hasPart2Consent(principal, clientId)) return true;
    return (await this.privacy.useBreakGlass(principal.id, clientId)) !== null;
  }

  /**
   * canSeePart2 for many records at once — lists of records held at a program that name their
   * clients (appointments on a program's resources, beds of a program's facility): which of these
   * (client, program) pairs are Part 2 information — the client has a Part 2 enrolment in that
   * program — and whether the caller may see each. The same rule as canSeePart2, in at most three
   * queries whatever the number of pairs (enrolments, then consents and break-the-glass grants
   * only for clients of programs the caller is not staff of).
   */
  async part2Among(principal: Principal, pairs: readonly ClientAtProgram[]): Promise<Part2Sight> {
    const clientIds = [...new Set(pairs.map((p) => p.clientId))];
    const programIds = [...new Set(pairs.map((p) => p.programId))];
    if (clientIds.length === 0) return Part2Sight.none;
    const wanted = new Set(pairs.map((p) => pairKey(p.clientId, p.programId)));
    const part2: ClientAtProgram[] = [];
    for (let i = 0; i < clientIds.length; i += 500) {
      for (const row of await this.clients.part2EnrollmentsAmong(clientIds.slice(i, i + 500), programIds)) {
        if (wanted.has(pairKey(row.client_id, row.program_id)))
          part2.push({ clientId: row.client_id, programId: row.program_id });
      }
    }
    const outsiders = part2.filter((p) => !principal.programIds.includes(p.programId));
    const named = new Set<string>();
    const askConsent = [...new Set(outsiders.map((p) => p.clientId))];
    for (let i = 0; i < askConsent.length; i += 500) {
      for (const id of await this.privacy.part2ConsentsAmong(principal, askConsent.slice(i, i + 500)))
        named.add(id);
    }
    const askGlass = askConsent.filter((id) => !named.has(id));
    const glass =
      askGlass.length > 0 ? await this.privacy.useBreakGlassAmong(principal.id, askGlass) : new Set();
    return new Part2Sight(
      new Map(
        part2.map((p) => [
          pairKey(p.clientId, p.programId),
          principal.programIds.includes(p.programId) || named.has(p.clientId) || glass.has(p.clientId),
        ]),
      ),
    );
  }

  /**
   * resolve() for many ids at once: each id asked → its surviving record (absent when there is
   * no such client), in one query plus one per merge hop.
   */
  async resolveAmong(clientIds: readonly string[]): Promise<Map<string, ClientRow>> {
    const rows = new Map<string, ClientRow>();
    let next = [...new Set(clientIds)];
    for (let hop = 0; next.length > 0 && hop <= MAX_MERGE_HOPS; hop++) {
      for (let i = 0; i < next.length; i += 500) {
        for (const row of await this.clients.findByIds(next.slice(i, i + 500))) rows.set(row.id, row);
      }
      next = [...rows.values()]
        .map((row) => row.merged_into_id)
        .filter((id): id is string => id !== null && !rows.has(id));
    }
    const resolved = new Map<string, ClientRow>();
    for (const id of new Set(clientIds)) {
      let row = rows.get(id);
      for (let hop = 0; row?.merged_into_id && hop < MAX_MERGE_HOPS; hop++)
        row = rows.get(row.merged_into_id);
      if (row) resolved.set(id, row);
    }
    return resolved;
  }

  /**
   * Those of these clients the caller's grant reaches by scope (never by break-the-glass), in one
   * query per 500 ids — for lists of other records (appointments, cases) that name their clients.
   * Merged-away ids are not among them.
   */
  async reachableAmong(
    principal: Principal,
    permission: string,
    clientIds: readonly string[],
  ): Promise<Map<string, ClientRow>> {
    const filter = this.filter(principal, permission);
    const ids = [...new Set(clientIds)];
    const found = new Map<string, ClientRow>();
    if (!filter || ids.length === 0) return found;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const row of await this.clients.list({ filter, ids: chunk, limit: chunk.length }))
        found.set(row.id, row);
    }
    return found;
  }

  /** Follows merges to the surviving record; undefined when there is no such client. */
  async resolve(clientId: string, db?: ClientsDb): Promise<ClientRow | undefined> {
    let row = await this.clients.findById(clientId, db);
    for (let hop = 0; row?.merged_into_id && hop < MAX_MERGE_HOPS; hop++) {
      row = await this.clients.findById(row.merged_into_id, db);
    }
    return row;
  }
}

export function scopeTarget(client: ClientRow, facts: ClientScopeFacts): ScopeTarget {
  return {
    agencyId: client.agency_id,
    ownerIds: facts.userIds,
    teamIds: facts.teamIds,
    programIds: facts.programIds,
  };
}

const isReadPermission = (permission: string) => permission.endsWith('.read');
