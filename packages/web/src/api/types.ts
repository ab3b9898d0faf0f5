import type { components, paths } from '@ehrms/sdk';

/*
 * The API contract as the web app names it, taken from the generated SDK types so a change in
 * the API shows up here as a type error.
 */

type Schemas = components['schemas'];
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type OkJson<Op> = Op extends { responses: { 200: infer R } } ? JsonOf<R> : never;

export type User = Schemas['User'];
export type UserStatus = User['status'];
export type Me = OkJson<paths['/api/v1/identity/me']['get']>;
export type Scope = Me['grants'][string];

export type Authenticated = Schemas['Authenticated'] & {
  /** Only right after MFA enrolment at sign-in; shown once. */
  recoveryCodes?: string[];
};
export type MfaChallenge = Schemas['MfaStep'];
export type LoginResult = Authenticated | MfaChallenge;
export type MfaEnrollment = OkJson<paths['/api/v1/identity/auth/mfa/enroll']['post']>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SessionInfo = Schemas['Session'];
export type Role = OkJson<paths['/api/v1/identity/roles']['get']>['items'][number];
export type Team = OkJson<paths['/api/v1/identity/teams']['get']>['items'][number];

type JsonBody<Op> = Op extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;
export type NewUser = Required<JsonBody<paths['/api/v1/identity/users']['post']>>;
export type UserChanges = JsonBody<paths['/api/v1/identity/users/{id}']['patch']>;
export type UserQuery = NonNullable<paths['/api/v1/identity/users']['get']['parameters']['query']>;

export type AuditLogItem = Schemas['AuditLogItem'];
export type AuditOutcome = AuditLogItem['outcome'];
/** Filters shared by the audit list and export; dates are ISO 8601 (`from` inclusive, `to` exclusive). */
export type AuditFilters = NonNullable<paths['/api/v1/audit/logs/export']['get']['parameters']['query']>;
export type ChainVerification = Schemas['AuditChainVerification'];
