import { generate } from 'otplib';
import { expect } from 'vitest';
import type { AuditTables } from '../../src/platform/audit/audit.schema.js';
import type { IdentityTables } from '../../src/modules/identity/identity.schema.js';
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from '../../src/modules/identity/demo.js';
import type { TestApp } from '../support/test-app.js';

export const AUTH = '/api/v1/identity/auth';
export const IDENTITY = '/api/v1/identity';

export interface Authenticated {
  status: 'authenticated';
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: {
    id: string;
    email: string;
    roles: string[];
    teamIds: string[];
    version: number;
    mfaEnabled: boolean;
  };
}

export function demoUser(role: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user for ${role}`);
  return user;
}

export async function login(t: TestApp, email: string, password = DEMO_PASSWORD, ip?: string) {
  return t.http.request({
    method: 'POST',
    url: `${AUTH}/login`,
    body: { email, password },
    ...(ip ? { headers: { 'x-forwarded-for': ip } } : {}),
  });
}

/** Signs in a user whose roles need no second factor. */
export async function signIn(t: TestApp, email: string, password = DEMO_PASSWORD): Promise<Authenticated> {
  const res = await login(t, email, password);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<Authenticated>();
  expect(body.status).toBe('authenticated');
  return body;
}

/** A current TOTP code; `stepOffset` 1 gives the next step's code (still accepted: ±1 step). */
export function totp(secret: string, stepOffset = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 });
}

/** Signs in a demo admin with their demo TOTP secret. */
export async function signInWithTotp(
  t: TestApp,
  role: 'system_admin' | 'agency_admin',
): Promise<Authenticated> {
  const admin = demoUser(role);
  const first = await login(t, admin.email);
  expect(first.json()).toMatchObject({ status: 'mfa_required' });
  const res = await t.http.request({
    method: 'POST',
    url: `${AUTH}/mfa/verify`,
    body: { mfaToken: first.json<{ mfaToken: string }>().mfaToken, code: await totp(admin.totpSecret ?? '') },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Authenticated>();
}

export function me(t: TestApp, token: string) {
  return t.http.request({ method: 'GET', url: `${IDENTITY}/me`, token });
}

export function refresh(t: TestApp, refreshToken: string) {
  return t.http.request({ method: 'POST', url: `${AUTH}/refresh`, body: { refreshToken } });
}

/** Audit rows for an action (newest last). */
export function auditRows(t: TestApp, action: string) {
  return t.database.db
    .withTables<AuditTables>()
    .selectFrom('audit.audit_logs')
    .selectAll()
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

export function identityDb(t: Pick<TestApp, 'database'>) {
  return t.database.db.withTables<IdentityTables>();
}

export function problemType(res: { json(): unknown }): string {
  return (res.json() as { type: string }).type.replace('https://ehrms.dev/problems/', '');
}
