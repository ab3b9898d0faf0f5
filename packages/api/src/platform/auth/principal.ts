/**
 * Who is calling. Built from a verified access token by the AuthGuard and attached to the
 * request; services receive it explicitly and use it for record-level scope checks.
 */
export const SCOPES = ['own', 'team', 'program', 'agency', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  kind: 'user' | 'service';
  /** User id, or the service account id for client-credentials tokens. */
  id: string;
  /** Login session (refresh-token family) the token belongs to; null for service tokens. */
  sessionId: string | null;
  agencyId: string;
  teamIds: readonly string[];
  programIds: readonly string[];
  roles: readonly string[];
  /** Permission name → the widest scope granted for it. */
  grants: Readonly<Record<string, Scope>>;
  /** Authentication methods used (`pwd`, `otp`, `client_secret`). */
  amr: readonly string[];
  /** A person acting through a service account, when the caller says so. */
  onBehalfOf?: string;
}

export function scopeRank(scope: Scope): number {
  return SCOPES.indexOf(scope);
}

export function widerScope(a: Scope, b: Scope): Scope {
  return scopeRank(a) >= scopeRank(b) ? a : b;
}

/** Encodes grants as the OAuth `scope` claim: space-separated `permission:scope` pairs. */
export function encodeGrants(grants: Readonly<Record<string, Scope>>): string {
  return Object.entries(grants)
    .map(([perm, scope]) => `${perm}:${scope}`)
    .sort()
    .join(' ');
}

export function decodeGrants(claim: string): Record<string, Scope> {
  const grants: Record<string, Scope> = {};
  for (const token of claim.split(' ')) {
    const at = token.lastIndexOf(':');
    if (at <= 0) continue;
    const perm = token.slice(0, at);
    const scope = token.slice(at + 1) as Scope;
    if (!SCOPES.includes(scope)) continue;
    const prev = grants[perm];
    grants[perm] = prev ? widerScope(prev, scope) : scope;
  }
  return grants;
}

/** Where a record sits in the agency, for record-level scope decisions. */
export interface ScopeTarget {
  /** Users who "own" the record (the user themself, the assigned worker…). */
  ownerIds?: readonly string[];
  teamIds?: readonly string[];
  programIds?: readonly string[];
  agencyId?: string | null;
}

const intersects = (a: readonly string[] | undefined, b: readonly string[]) =>
  !!a && a.some((x) => b.includes(x));

/** True when the principal's grant for `permission` reaches the target record. */
export function scopeAllows(principal: Principal, permission: string, target: ScopeTarget): boolean {
  const scope = principal.grants[permission];
  if (!scope) return false;
  switch (scope) {
    case 'all':
      return true;
    case 'agency':
      return target.agencyId === principal.agencyId;
    case 'program':
      return (
        target.agencyId === principal.agencyId &&
        (intersects(target.programIds, principal.programIds) ||
          intersects(target.teamIds, principal.teamIds) ||
          intersects(target.ownerIds, [principal.id]))
      );
    case 'team':
      return (
        target.agencyId === principal.agencyId &&
        (intersects(target.teamIds, principal.teamIds) || intersects(target.ownerIds, [principal.id]))
      );
    case 'own':
      return intersects(target.ownerIds, [principal.id]);
  }
}
