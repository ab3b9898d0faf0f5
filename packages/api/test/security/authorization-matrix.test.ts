import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY, DEMO_USERS } from '../../src/modules/identity/demo.js';
import { routeCatalog, type RouteInfo } from '../../src/platform/http/route-catalog.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every protected route, called three ways: with no token (401), with a valid token that lacks
 * the route's permission (403), and — for routes addressing one record — with the permission
 * granted only at `own` scope for a record that belongs to somebody else (403/404). A new route
 * with a path parameter must be given a record below, or this test fails.
 */
interface ForeignRecord {
  params: Record<string, string>;
  /** A valid body for the route, so validation passes and the scope check is what answers. */
  body?: unknown;
  headers?: Record<string, string>;
}
const FOREIGN_RECORDS: Record<string, (t: TestApp) => Promise<ForeignRecord>> = {
  // Dead letters are system-wide: anything short of `all` scope is refused whatever the id.
  'POST /api/v1/platform/dead-letters/:id/replay': () => Promise.resolve({ params: { id: '1' } }),
  ...identityForeignRecords(),
  ...providersForeignRecords(),
  ...clientsForeignRecords(),
};

/** Identity: another user's account, a session of theirs, a service account of their agency. */
function identityForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const user = { params: { id: demoUser('clinician').id } };
  const users = '/api/v1/identity/users/:id';
  return {
    [`GET ${users}`]: () => Promise.resolve(user),
    [`PATCH ${users}`]: () =>
      Promise.resolve({ ...user, body: { displayName: 'Renamed' }, headers: { 'if-match': '"1"' } }),
    [`POST ${users}/deactivate`]: () => Promise.resolve(user),
    [`POST ${users}/reactivate`]: () => Promise.resolve(user),
    [`GET ${users}/sessions`]: () => Promise.resolve(user),
    [`DELETE ${users}/sessions`]: () => Promise.resolve(user),
    'DELETE /api/v1/identity/me/sessions/:id': async (t) => {
      const clinician = demoUser('clinician');
      const res = await t.http.request({
        method: 'POST',
        url: '/api/v1/identity/auth/login',
        body: { email: clinician.email, password: clinician.password },
      });
      return { params: { id: String(decodeJwt(res.json<{ accessToken: string }>().accessToken).sid) } };
    },
    'POST /api/v1/identity/service-accounts/:id/disable': async (t) => {
      const token = await t.token({
        agency: DEMO_AGENCY.id,
        grants: { 'identity.service_accounts.manage': 'agency' },
      });
      const res = await t.http.request({
        method: 'POST',
        url: '/api/v1/identity/service-accounts',
        token,
        body: { name: 'Feed', roles: ['client'] },
      });
      return { params: { id: res.json<{ id: string }>().id } };
    },
  };
}

/**
 * Providers: a provider of another agency (with a credential, a location, a service offered and
 * a contract), created through the API.
 */
function providersForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const providers = '/api/v1/providers/:id';
  interface ForeignProvider {
    id: string;
    credentialId: string;
    locationId: string;
    serviceId: string;
    contractId: string;
  }
  const foreign = async (t: TestApp): Promise<ForeignProvider> => {
    const token = await t.token({
      agency: '0de70000-0000-4000-8000-0000000000a9',
      grants: { 'providers.providers.read': 'agency', 'providers.providers.write': 'agency' },
    });
    const created = await t.http.request({
      method: 'POST',
      url: '/api/v1/providers',
      token,
      body: { kind: 'organization', name: 'Elsewhere Clinic', npi: '1234567893' },
    });
    const id = created.json<{ id: string }>().id;
    const credential = await t.http.request({
      method: 'POST',
      url: `/api/v1/providers/${id}/credentials`,
      token,
      body: { type: 'license', number: 'L-1', issuer: 'State Board', expiresOn: '2030-01-01' },
    });
    const under = async (path: string, body: unknown) => {
      const res = await t.http.request({
        method: 'POST',
        url: `/api/v1/providers/${id}/${path}`,
        token,
        body,
      });
      if (res.statusCode !== 201) throw new Error(`foreign ${path}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: string }>().id;
    };
    return {
      id,
      credentialId: credential.json<{ id: string }>().id,
      locationId: await under('locations', location),
      serviceId: await under('services', {
        serviceCode: 'H0004',
        description: 'Counseling',
        unitType: '15min',
      }),
      contractId: await under('contracts', { number: 'C-1', startsOn: '2026-01-01' }),
    };
  };
  const location = {
    name: 'Elsewhere Clinic',
    addressLine1: '1 Main St',
    city: 'Elsewhere',
    state: 'WI',
    postalCode: '53703',
  };
  let record: Promise<ForeignProvider> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  return {
    [`GET ${providers}`]: async (t) => ({ params: { id: (await once(t)).id } }),
    [`PATCH ${providers}`]: async (t) => ({
      params: { id: (await once(t)).id },
      body: { name: 'Renamed' },
      headers: { 'if-match': '"1"' },
    }),
    [`GET ${providers}/credentials`]: async (t) => ({ params: { id: (await once(t)).id } }),
    [`POST ${providers}/credentials`]: async (t) => ({
      params: { id: (await once(t)).id },
      body: { type: 'dea', number: 'D-1', issuer: 'DEA', expiresOn: '2030-01-01' },
    }),
    [`PATCH ${providers}/credentials/:credentialId`]: async (t) => ({
      params: await once(t).then((r) => ({ id: r.id, credentialId: r.credentialId })),
      body: { verificationStatus: 'verified' },
      headers: { 'if-match': '"1"' },
    }),
    [`GET ${providers}/standing`]: async (t) => ({ params: { id: (await once(t)).id } }),
    [`GET ${providers}/locations`]: async (t) => ({ params: { id: (await once(t)).id } }),
    [`POST ${providers}/locations`]: async (t) => ({ params: { id: (await once(t)).id }, body: location }),
    [`PATCH ${providers}/locations/:locationId`]: async (t) => ({
      params: await once(t).then((r) => ({ id: r.id, locationId: r.locationId })),
      body: { active: false },
      headers: { 'if-match': '"1"' },
    }),
    [`GET ${providers}/services`]: async (t) => ({ params: { id: (await once(t)).id } }),
    [`POST ${providers}/services`]: async (t) => ({
      params: { id: (await once(t)).id },
      body: { serviceCode: 'T1017', description: 'Case management', unitType: '15min' },
    }),
    [`PATCH ${providers}/services/:serviceId`]: async (t) => ({
      params: await once(t).then((r) => ({ id: r.id, serviceId: r.serviceId })),
      body: { active: false },
      headers: { 'if-match': '"1"' },
    }),
    [`GET ${providers}/contracts`]: async (t) => ({ params: { id: (await once(t)).id } }),
    [`POST ${providers}/contracts`]: async (t) => ({
      params: { id: (await once(t)).id },
      body: { number: 'C-2', startsOn: '2026-01-01' },
    }),
    [`GET ${providers}/contracts/:contractId`]: async (t) => ({
      params: await once(t).then((r) => ({ id: r.id, contractId: r.contractId })),
    }),
    [`PATCH ${providers}/contracts/:contractId`]: async (t) => ({
      params: await once(t).then((r) => ({ id: r.id, contractId: r.contractId })),
      body: { status: 'active' },
      headers: { 'if-match': '"1"' },
    }),
  };
}

/** Clients: a client (with an enrolment) registered by another agency's case manager. */
function clientsForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const clients = '/api/v1/clients/:id';
  const foreign = async (t: TestApp): Promise<{ id: string; enrollmentId: string }> => {
    const token = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000e1',
      agency: '0de70000-0000-4000-8000-0000000000a9',
      teams: ['0de70000-0000-4000-8000-0000000000e2'],
      grants: { 'clients.clients.read': 'team', 'clients.clients.write': 'team' },
    });
    const created = await t.http.request({
      method: 'POST',
      url: '/api/v1/clients',
      token,
      body: { givenName: 'Far', familyName: 'Away', birthDate: '1970-01-01', sexAtBirth: 'unknown' },
    });
    const id = created.json<{ id: string }>().id;
    const enrollment = await t.http.request({
      method: 'POST',
      url: `/api/v1/clients/${id}/enrollments`,
      token,
      body: { programId: '0de70000-0000-4000-8000-0000000000e3', startDate: '2026-01-01', reason: 'Intake' },
    });
    return { id, enrollmentId: enrollment.json<{ id: string }>().id };
  };
  let record: Promise<{ id: string; enrollmentId: string }> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const byId = async (t: TestApp) => ({ params: { id: (await once(t)).id } });
  return {
    [`GET ${clients}`]: byId,
    [`PATCH ${clients}`]: async (t) => ({
      ...(await byId(t)),
      body: { preferredName: 'Renamed' },
      headers: { 'if-match': '"1"' },
    }),
    [`GET ${clients}/identifiers`]: byId,
    [`GET ${clients}/care-team`]: byId,
    [`GET ${clients}/enrollments`]: byId,
    [`POST ${clients}/enrollments`]: async (t) => ({
      ...(await byId(t)),
      body: { programId: '0de70000-0000-4000-8000-0000000000e3', startDate: '2026-02-01', reason: 'Again' },
    }),
    [`POST ${clients}/enrollments/:enrollmentId/end`]: async (t) => ({
      params: await once(t),
      body: { endDate: '2026-03-01', endReason: 'Done' },
      headers: { 'if-match': '"1"' },
    }),
  };
}

function demoUser(role: string) {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo ${role}`);
  return user;
}

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

describe('authorization matrix', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  beforeAll(async () => {
    t = await startTestApp();
    routes = routeCatalog(t.app).filter((r) => r.permission);
  });
  afterAll(async () => {
    await t.close();
  });

  const fill = (path: string, values: Record<string, string> = {}) =>
    path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => values[name] ?? PLACEHOLDER);

  it('refuses every protected route without a token (401 problem+json)', async () => {
    for (const route of routes) {
      const res = await t.http.request({ method: route.method as 'GET', url: fill(route.path) });
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(401);
      expect(res.headers['content-type'], `${route.method} ${route.path}`).toContain(
        'application/problem+json',
      );
    }
  });

  it('refuses every protected route to a token lacking its permission (403)', async () => {
    const token = await t.token({ grants: { 'unrelated.thing.read': 'all' } });
    for (const route of routes) {
      const res = await t.http.request({ method: route.method as 'GET', url: fill(route.path), token });
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(403);
    }
  });

  it('refuses records outside the caller’s scope on every route that addresses one record', async () => {
    const withParams = routes.filter((r) => r.path.includes('/:'));
    const missing = withParams.filter((r) => !FOREIGN_RECORDS[`${r.method} ${r.path}`]);
    expect(
      missing.map((r) => `${r.method} ${r.path}`),
      'add these routes to FOREIGN_RECORDS',
    ).toEqual([]);
    for (const route of withParams) {
      const key = `${route.method} ${route.path}`;
      const record = FOREIGN_RECORDS[key];
      if (!record || !route.permission) continue;
      const token = await t.token({ sub: 'outsider', grants: { [route.permission]: 'own' } });
      const { params, body, headers } = await record(t);
      const res = await t.http.request({
        method: route.method as 'GET',
        url: fill(route.path, params),
        token,
        body,
        headers,
      });
      expect([403, 404], key).toContain(res.statusCode);
    }
  });
});
