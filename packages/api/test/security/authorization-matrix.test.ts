import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY, DEMO_USERS } from '../../src/modules/identity/demo.js';
import { routeCatalog, type RouteInfo } from '../../src/platform/http/route-catalog.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
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
  ...clientDetailsForeignRecords(),
  ...clientPrivacyForeignRecords(),
  ...casesForeignRecords(),
  ...caseworkForeignRecords(),
  ...documentsForeignRecords(),
  ...appointmentsForeignRecords(),
  ...bedBoardForeignRecords(),
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

/**
 * Client details, search and merges: another agency's client with one detail of each kind, a
 * second client to merge into it, and a merge of a third one.
 */
function clientDetailsForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const clients = '/api/v1/clients/:id';
  interface Foreign {
    id: string;
    otherId: string;
    mergeId: string;
    aliasId: string;
    addressId: string;
    phoneId: string;
    emailId: string;
    contactId: string;
    coverageId: string;
  }
  const foreign = async (t: TestApp): Promise<Foreign> => {
    const token = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000b1',
      agency: '0de70000-0000-4000-8000-0000000000a9',
      teams: ['0de70000-0000-4000-8000-0000000000b2'],
      grants: {
        'clients.clients.read': 'team',
        'clients.clients.write': 'team',
        'clients.clients.merge': 'team',
      },
    });
    const post = async (url: string, body: unknown) =>
      (await t.http.request({ method: 'POST', url, token, body })).json<{ id: string }>().id;
    const register = (givenName: string, birthDate: string) =>
      post('/api/v1/clients', {
        givenName,
        familyName: 'Detailed',
        birthDate,
        sexAtBirth: 'unknown',
        acknowledgeDuplicates: true,
      });
    const id = await register('Far', '1971-01-01');
    const otherId = await register('Other', '1972-02-02');
    const mergedId = await register('Merged', '1973-03-03');
    const base = `/api/v1/clients/${id}`;
    const merge = await post(`${base}/merge`, { duplicateId: mergedId, reason: 'Twice' });
    return {
      id,
      otherId,
      mergeId: merge,
      aliasId: await post(`${base}/aliases`, { name: 'Far Away', type: 'other' }),
      addressId: await post(`${base}/addresses`, address),
      phoneId: await post(`${base}/phones`, { type: 'mobile', number: '608-555-0100' }),
      emailId: await post(`${base}/emails`, { address: 'far@example.org' }),
      contactId: await post(`${base}/contacts`, { name: 'Near', relationship: 'friend' }),
      coverageId: await post(`${base}/coverages`, coverage),
    };
  };
  const address = { type: 'home', line1: '1 Far Rd', city: 'Far', state: 'WI', postalCode: '53700' };
  const coverage = { payer: 'private', memberId: 'FAR-1234', priority: 'secondary', startDate: '2020-01-01' };
  let record: Promise<Foreign> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const byId = async (t: TestApp) => ({ params: { id: (await once(t)).id } });
  const sub =
    (name: keyof Foreign, extra: Omit<ForeignRecord, 'params'> = {}) =>
    async (t: TestApp) => {
      const r = await once(t);
      return { params: { id: r.id, [name]: r[name] }, ...extra };
    };
  const ifMatch = { 'if-match': '"1"' };
  return {
    [`GET ${clients}/chart`]: byId,
    [`GET ${clients}/duplicates`]: byId,
    [`GET ${clients}/merges`]: byId,
    [`POST ${clients}/merge`]: async (t) => ({
      ...(await byId(t)),
      body: { duplicateId: (await once(t)).otherId, reason: 'Twice' },
    }),
    'POST /api/v1/clients/merges/:mergeId/unmerge': async (t) => ({
      params: { mergeId: (await once(t)).mergeId },
      body: { reason: 'Different people' },
    }),
    [`GET ${clients}/aliases`]: byId,
    [`POST ${clients}/aliases`]: async (t) => ({
      ...(await byId(t)),
      body: { name: 'Faraway', type: 'other' },
    }),
    [`PATCH ${clients}/aliases/:aliasId`]: sub('aliasId', { body: { name: 'Farther' }, headers: ifMatch }),
    [`DELETE ${clients}/aliases/:aliasId`]: sub('aliasId', { headers: ifMatch }),
    [`GET ${clients}/addresses`]: byId,
    [`POST ${clients}/addresses`]: async (t) => ({
      ...(await byId(t)),
      body: { ...address, type: 'mailing' },
    }),
    [`PATCH ${clients}/addresses/:addressId`]: sub('addressId', {
      body: { line1: '2 Far Rd' },
      headers: ifMatch,
    }),
    [`POST ${clients}/addresses/:addressId/end`]: sub('addressId', {
      body: { validTo: '2030-01-01' },
      headers: ifMatch,
    }),
    [`GET ${clients}/phones`]: byId,
    [`POST ${clients}/phones`]: async (t) => ({
      ...(await byId(t)),
      body: { type: 'home', number: '6085550101' },
    }),
    [`PATCH ${clients}/phones/:phoneId`]: sub('phoneId', { body: { smsOk: true }, headers: ifMatch }),
    [`DELETE ${clients}/phones/:phoneId`]: sub('phoneId', { headers: ifMatch }),
    [`GET ${clients}/emails`]: byId,
    [`POST ${clients}/emails`]: async (t) => ({
      ...(await byId(t)),
      body: { address: 'farther@example.org' },
    }),
    [`PATCH ${clients}/emails/:emailId`]: sub('emailId', { body: { type: 'work' }, headers: ifMatch }),
    [`DELETE ${clients}/emails/:emailId`]: sub('emailId', { headers: ifMatch }),
    [`GET ${clients}/contacts`]: byId,
    [`POST ${clients}/contacts`]: async (t) => ({
      ...(await byId(t)),
      body: { name: 'Nearer', relationship: 'friend' },
    }),
    [`PATCH ${clients}/contacts/:contactId`]: sub('contactId', {
      body: { canReceiveInfo: true },
      headers: ifMatch,
    }),
    [`POST ${clients}/contacts/:contactId/end`]: sub('contactId', {
      body: { validTo: '2030-01-01' },
      headers: ifMatch,
    }),
    [`GET ${clients}/coverages`]: byId,
    [`POST ${clients}/coverages`]: async (t) => ({
      ...(await byId(t)),
      body: { ...coverage, priority: 'primary' },
    }),
    [`PATCH ${clients}/coverages/:coverageId`]: sub('coverageId', {
      body: { planName: 'Gold' },
      headers: ifMatch,
    }),
    [`POST ${clients}/coverages/:coverageId/end`]: sub('coverageId', {
      body: { endDate: '2030-01-01' },
      headers: ifMatch,
    }),
    [`GET ${clients}/coverages/:coverageId/member-id`]: sub('coverageId'),
  };
}

/** Consents and break-the-glass: a consent and a break-the-glass review of another agency's client. */
function clientPrivacyForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const clients = '/api/v1/clients/:id';
  const agency = '0de70000-0000-4000-8000-0000000000a9';
  const foreign = async (t: TestApp): Promise<{ id: string; consentId: string; reviewId: string }> => {
    const registrar = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000f1',
      agency,
      teams: ['0de70000-0000-4000-8000-0000000000f2'],
      grants: { 'clients.clients.write': 'team', 'clients.consents.manage': 'team' },
    });
    const created = await t.http.request({
      method: 'POST',
      url: '/api/v1/clients',
      token: registrar,
      body: { givenName: 'Far', familyName: 'Consent', birthDate: '1970-01-01', sexAtBirth: 'unknown' },
    });
    const id = created.json<{ id: string }>().id;
    const consent = await t.http.request({
      method: 'POST',
      url: `/api/v1/clients/${id}/consents`,
      token: registrar,
      body: generalConsent,
    });
    const colleague = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000f3',
      agency,
      grants: { 'clients.clients.read': 'team', 'clients.break_glass.request': 'agency' },
    });
    await t.http.request({
      method: 'POST',
      url: `/api/v1/clients/${id}/break-glass`,
      token: colleague,
      body: { reason: 'Emergency at the crisis unit, need records' },
    });
    const officer = await t.token({ agency, grants: { 'clients.break_glass.review': 'agency' } });
    const reviews = await t.http.request({
      method: 'GET',
      url: '/api/v1/clients/privacy-reviews',
      token: officer,
    });
    const [review] = reviews.json<{ items: { id: string }[] }>().items;
    return { id, consentId: consent.json<{ id: string }>().id, reviewId: review?.id ?? '' };
  };
  const generalConsent = {
    kind: 'general',
    recipient: { type: 'organization', name: 'Elsewhere Housing' },
    purposes: ['TREAT'],
    categories: ['demographics'],
    effectiveFrom: '2026-01-01',
    signedOn: '2026-01-01',
    signedBy: { name: 'Far Consent', relationship: 'self' },
  };
  let record: Promise<{ id: string; consentId: string; reviewId: string }> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const byId = async (t: TestApp) => ({ params: { id: (await once(t)).id } });
  return {
    [`GET ${clients}/consents`]: byId,
    [`POST ${clients}/consents`]: async (t) => ({ ...(await byId(t)), body: generalConsent }),
    [`POST ${clients}/consents/:consentId/revoke`]: async (t) => ({
      params: await once(t).then((r) => ({ id: r.id, consentId: r.consentId })),
      body: { reason: 'Withdrawn' },
      headers: { 'if-match': '"1"' },
    }),
    [`POST ${clients}/break-glass`]: async (t) => ({
      ...(await byId(t)),
      body: { reason: 'Emergency at the crisis unit, need records' },
    }),
    'POST /api/v1/clients/privacy-reviews/:id/review': async (t) => ({
      params: { id: (await once(t)).reviewId },
      body: { outcome: 'appropriate' },
      headers: { 'if-match': '"1"' },
    }),
  };
}

/** Cases: a case of another agency's client, with a signed note awaiting co-signature. */
function casesForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const cases = '/api/v1/cases/:id';
  const notes = `${cases}/notes/:noteId`;
  const team = '0de70000-0000-4000-8000-0000000000d2';
  const foreign = async (t: TestApp): Promise<{ id: string; noteId: string }> => {
    const token = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000d1',
      agency: '0de70000-0000-4000-8000-0000000000a9',
      teams: [team],
      grants: {
        'clients.clients.read': 'team',
        'clients.clients.write': 'team',
        'cases.cases.read': 'team',
        'cases.cases.write': 'team',
        'cases.notes.write': 'team',
      },
    });
    const client = await t.http.request({
      method: 'POST',
      url: '/api/v1/clients',
      token,
      body: { givenName: 'Far', familyName: 'Casework', birthDate: '1970-01-01', sexAtBirth: 'unknown' },
    });
    const opened = await t.http.request({
      method: 'POST',
      url: '/api/v1/cases',
      token,
      body: {
        clientId: client.json<{ id: string }>().id,
        programId: '0de70000-0000-4000-8000-0000000000d3',
        type: 'ongoing',
        riskLevel: 'low',
      },
    });
    const id = opened.json<{ id: string }>().id;
    const note = await t.http.request({
      method: 'POST',
      url: `/api/v1/cases/${id}/notes`,
      token,
      body: { noteType: 'contact', contactAt: '2026-01-05T15:00:00Z', body: 'Visit.', requiresCosign: true },
    });
    const noteId = note.json<{ id: string }>().id;
    await t.http.request({
      method: 'POST',
      url: `/api/v1/cases/${id}/notes/${noteId}/sign`,
      token,
      headers: { 'if-match': '"1"' },
    });
    return { id, noteId };
  };
  let record: Promise<{ id: string; noteId: string }> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const byId = async (t: TestApp) => ({ params: { id: (await once(t)).id } });
  const byNote = async (t: TestApp) => ({ params: await once(t) });
  const ifMatch = { 'if-match': '"2"' };
  return {
    [`GET ${cases}`]: byId,
    [`PATCH ${cases}`]: async (t) => ({
      ...(await byId(t)),
      body: { riskLevel: 'high' },
      headers: { 'if-match': '"1"' },
    }),
    [`POST ${cases}/reassign`]: async (t) => ({
      ...(await byId(t)),
      body: { workerId: '0de70000-0000-4000-8000-0000000000d4', reason: 'Balancing' },
    }),
    [`POST ${cases}/transfer`]: async (t) => ({
      ...(await byId(t)),
      body: { teamId: team, reason: 'Moving' },
    }),
    [`GET ${cases}/assignments`]: byId,
    [`GET ${cases}/notes`]: byId,
    [`POST ${cases}/notes`]: async (t) => ({
      ...(await byId(t)),
      body: { noteType: 'phone', contactAt: '2026-01-06T15:00:00Z', body: 'Call.' },
    }),
    [`GET ${notes}`]: byNote,
    [`PATCH ${notes}`]: async (t) => ({ ...(await byNote(t)), body: { body: 'Changed' }, headers: ifMatch }),
    [`DELETE ${notes}`]: async (t) => ({ ...(await byNote(t)), headers: ifMatch }),
    [`POST ${notes}/sign`]: async (t) => ({ ...(await byNote(t)), headers: ifMatch }),
    [`POST ${notes}/addenda`]: async (t) => ({ ...(await byNote(t)), body: { body: 'Addendum' } }),
    [`POST ${notes}/cosign`]: async (t) => ({ ...(await byNote(t)), headers: ifMatch }),
  };
}

/** Documents: a document of another agency's client, uploaded through the API. */
function documentsForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const documents = '/api/v1/documents/:id';
  const foreign = async (t: TestApp): Promise<string> => {
    const token = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000b1',
      agency: '0de70000-0000-4000-8000-0000000000a9',
      teams: ['0de70000-0000-4000-8000-0000000000b2'],
      grants: {
        'clients.clients.write': 'team',
        'documents.documents.read': 'team',
        'documents.documents.write': 'team',
      },
    });
    const client = await t.http.request({
      method: 'POST',
      url: '/api/v1/clients',
      token,
      body: { givenName: 'Far', familyName: 'Papers', birthDate: '1970-01-01', sexAtBirth: 'unknown' },
    });
    const form = new FormData();
    form.append('clientId', client.json<{ id: string }>().id);
    form.append('title', 'Intake form');
    form.append('category', 'assessment');
    form.append('file', new Blob(['%PDF-1.7\n'], { type: 'application/pdf' }), 'intake.pdf');
    const res = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/api/v1/documents',
        headers: { authorization: `Bearer ${token}` },
        payload: form,
      });
    if (res.statusCode !== 201) throw new Error(`foreign document: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>().id;
  };
  let record: Promise<string> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const byId = async (t: TestApp) => ({ params: { id: await once(t) } });
  const ifMatch = { 'if-match': '"1"' };
  return {
    [`GET ${documents}`]: byId,
    [`GET ${documents}/content`]: byId,
    [`POST ${documents}/versions`]: async (t) => ({ ...(await byId(t)), headers: ifMatch }),
    [`DELETE ${documents}`]: async (t) => ({
      ...(await byId(t)),
      body: { reason: 'Duplicate' },
      headers: ifMatch,
    }),
    [`POST ${documents}/restore`]: async (t) => ({ ...(await byId(t)), headers: ifMatch }),
    [`POST ${documents}/legal-hold`]: async (t) => ({
      ...(await byId(t)),
      body: { hold: true, reason: 'Litigation' },
      headers: ifMatch,
    }),
  };
}

/**
 * Scheduling (appointments side): another agency's room, appointment type, agency closure and an
 * appointment of one of its clients, created through the API.
 */
function appointmentsForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const scheduling = '/api/v1/scheduling';
  interface Foreign {
    resourceId: string;
    typeId: string;
    exceptionId: string;
    appointmentId: string;
    seriesId: string;
    waitlistEntryId: string;
  }
  const foreign = async (t: TestApp): Promise<Foreign> => {
    const token = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000d1',
      agency: '0de70000-0000-4000-8000-0000000000a9',
      teams: ['0de70000-0000-4000-8000-0000000000d2'],
      grants: {
        'clients.clients.write': 'team',
        'scheduling.resources.manage': 'agency',
        'scheduling.appointments.write': 'team',
      },
    });
    const post = async (url: string, body: unknown) => {
      const res = await t.http.request({ method: 'POST', url, token, body });
      if (res.statusCode !== 201) throw new Error(`foreign ${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: string }>().id;
    };
    const clientId = await post('/api/v1/clients', {
      givenName: 'Far',
      familyName: 'Booked',
      birthDate: '1970-01-01',
      sexAtBirth: 'unknown',
    });
    const resourceId = await post(`${scheduling}/resources`, { kind: 'room', name: 'Elsewhere room' });
    const typeId = await post(`${scheduling}/appointment-types`, {
      code: 'visit',
      name: 'Visit',
      durationMinutes: 30,
      allowedResourceKinds: ['room'],
    });
    const exceptionId = await post(`${scheduling}/exceptions`, {
      startsAt: '2030-01-01T06:00:00Z',
      endsAt: '2030-01-02T06:00:00Z',
      kind: 'holiday',
      reason: 'Holiday',
    });
    const appointmentId = await post(`${scheduling}/appointments`, {
      clientId,
      appointmentTypeId: typeId,
      startsAt: '2029-06-04T15:00:00Z',
      resourceIds: [resourceId],
    });
    const seriesId = await post(`${scheduling}/series`, {
      clientId,
      appointmentTypeId: typeId,
      startsAt: '2029-07-02T15:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=2',
      resourceIds: [resourceId],
    });
    const waitlistEntryId = await post(`${scheduling}/waitlist`, { clientId, appointmentTypeId: typeId });
    return { resourceId, typeId, exceptionId, appointmentId, seriesId, waitlistEntryId };
  };
  let record: Promise<Foreign> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const ifMatch = { 'if-match': '"1"' };
  const resource = async (t: TestApp) => ({ params: { id: (await once(t)).resourceId } });
  const type = async (t: TestApp) => ({ params: { id: (await once(t)).typeId } });
  const appointment = async (t: TestApp) => ({ params: { id: (await once(t)).appointmentId } });
  const series = async (t: TestApp) => ({ params: { id: (await once(t)).seriesId } });
  const entry = async (t: TestApp) => ({ params: { id: (await once(t)).waitlistEntryId } });
  const appointments = `${scheduling}/appointments/:id`;
  return {
    [`GET ${scheduling}/resources/:id`]: resource,
    [`PATCH ${scheduling}/resources/:id`]: async (t) => ({
      ...(await resource(t)),
      body: { name: 'Renamed' },
      headers: ifMatch,
    }),
    [`GET ${scheduling}/resources/:id/hours`]: resource,
    [`PUT ${scheduling}/resources/:id/hours`]: async (t) => ({
      ...(await resource(t)),
      body: { hours: [] },
      headers: ifMatch,
    }),
    [`DELETE ${scheduling}/exceptions/:id`]: async (t) => ({ params: { id: (await once(t)).exceptionId } }),
    [`PATCH ${scheduling}/exceptions/:id`]: async (t) => ({
      params: { id: (await once(t)).exceptionId },
      body: { endsAt: '2030-01-03T06:00:00Z', acknowledgeConflicts: true },
      headers: ifMatch,
    }),
    [`GET ${scheduling}/appointment-types/:id`]: type,
    [`PATCH ${scheduling}/appointment-types/:id`]: async (t) => ({
      ...(await type(t)),
      body: { name: 'Renamed' },
      headers: ifMatch,
    }),
    [`GET ${appointments}`]: appointment,
    [`PATCH ${appointments}`]: async (t) => ({
      ...(await appointment(t)),
      body: { notes: 'Changed' },
      headers: ifMatch,
    }),
    [`POST ${appointments}/check-in`]: appointment,
    [`POST ${appointments}/complete`]: appointment,
    [`POST ${appointments}/no-show`]: appointment,
    [`POST ${appointments}/cancel`]: async (t) => ({
      ...(await appointment(t)),
      body: { reason: 'Other plans' },
    }),
    [`POST ${appointments}/reschedule`]: async (t) => ({
      ...(await appointment(t)),
      body: { startsAt: '2029-06-05T15:00:00Z' },
    }),
    [`GET ${scheduling}/series/:id`]: series,
    [`PATCH ${scheduling}/series/:id`]: async (t) => ({
      ...(await series(t)),
      body: { scope: 'all', timeOfDay: '10:00' },
      headers: ifMatch,
    }),
    [`POST ${scheduling}/series/:id/cancel`]: async (t) => ({
      ...(await series(t)),
      body: { scope: 'all', reason: 'Other plans' },
    }),
    [`GET ${scheduling}/waitlist/:id`]: entry,
    [`POST ${scheduling}/waitlist/:id/withdraw`]: async (t) => ({ ...(await entry(t)), body: {} }),
  };
}

/**
 * Case work: another agency's case with a draft service plan, a pending closure request, a
 * pending referral to another program and a task, created through the API.
 */
function caseworkForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  const cases = '/api/v1/cases/:id';
  const plan = `${cases}/plans/:planId`;
  const request = `${cases}/closure-requests/:requestId`;
  interface ForeignCasework {
    id: string;
    planId: string;
    requestId: string;
    referralId: string;
    taskId: string;
  }
  const foreign = async (t: TestApp): Promise<ForeignCasework> => {
    const token = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000e1',
      agency: '0de70000-0000-4000-8000-0000000000a9',
      teams: ['0de70000-0000-4000-8000-0000000000e2'],
      programs: ['0de70000-0000-4000-8000-0000000000e3'],
      grants: {
        'clients.clients.read': 'team',
        'clients.clients.write': 'team',
        'cases.cases.read': 'team',
        'cases.cases.write': 'team',
      },
    });
    const post = async (url: string, body: unknown) => {
      const res = await t.http.request({ method: 'POST', url, token, body });
      return res.json<{ id: string }>().id;
    };
    const clientId = await post('/api/v1/clients', {
      givenName: 'Far',
      familyName: 'Casework',
      birthDate: '1971-01-01',
      sexAtBirth: 'unknown',
    });
    const id = await post('/api/v1/cases', {
      clientId,
      programId: '0de70000-0000-4000-8000-0000000000e3',
      type: 'ongoing',
      riskLevel: 'low',
    });
    const planId = await post(`/api/v1/cases/${id}/plans`, { effectiveFrom: '2026-01-05' });
    const referralId = await post(`/api/v1/cases/${id}/referrals`, {
      toProgramId: '0de70000-0000-4000-8000-0000000000e4',
      reason: 'Family services',
      urgency: 'routine',
    });
    const taskId = await post(`/api/v1/cases/${id}/tasks`, {
      title: 'Records',
      type: 'document',
      dueOn: '2026-02-01',
    });
    const requestId = await post(`/api/v1/cases/${id}/closure-requests`, {
      reason: 'Done',
      closedOn: agencyToday(),
    });
    return { id, planId, requestId, referralId, taskId };
  };
  let record: Promise<ForeignCasework> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const byCase = async (t: TestApp) => ({ params: { id: (await once(t)).id } });
  const byPlan = async (t: TestApp) => {
    const r = await once(t);
    return { params: { id: r.id, planId: r.planId } };
  };
  const byRequest = async (t: TestApp) => {
    const r = await once(t);
    return { params: { id: r.id, requestId: r.requestId } };
  };
  const ifMatch = { 'if-match': '"1"' };
  const planBody = { effectiveFrom: '2026-01-05' };
  const today = () => agencyToday();
  return {
    [`GET ${cases}/plans`]: byCase,
    [`POST ${cases}/plans`]: async (t) => ({ ...(await byCase(t)), body: planBody }),
    [`GET ${plan}`]: byPlan,
    [`PUT ${plan}`]: async (t) => ({ ...(await byPlan(t)), body: planBody, headers: ifMatch }),
    [`DELETE ${plan}`]: async (t) => ({ ...(await byPlan(t)), headers: ifMatch }),
    [`POST ${plan}/client-signature`]: async (t) => ({
      ...(await byPlan(t)),
      body: { signerName: 'Far Casework', signedOn: '2026-01-05', method: 'wet' },
      headers: ifMatch,
    }),
    [`POST ${plan}/worker-signature`]: async (t) => ({ ...(await byPlan(t)), headers: ifMatch }),
    [`POST ${plan}/revisions`]: async (t) => ({ ...(await byPlan(t)), body: {} }),
    [`POST ${plan}/complete`]: async (t) => ({
      ...(await byPlan(t)),
      body: { endedOn: '2026-01-06' },
      headers: ifMatch,
    }),
    [`GET ${plan}/reviews`]: byPlan,
    [`POST ${plan}/reviews`]: async (t) => ({
      ...(await byPlan(t)),
      body: {
        reviewedOn: '2026-01-06',
        goals: [{ goalId: '0de70000-0000-4000-8000-0000000000e6', rating: 'no_progress' }],
      },
    }),
    [`GET ${cases}/closure-requests`]: byCase,
    [`POST ${cases}/closure-requests`]: async (t) => ({
      ...(await byCase(t)),
      body: { reason: 'Done', closedOn: today() },
    }),
    [`POST ${request}/approve`]: async (t) => ({ ...(await byRequest(t)), body: {} }),
    [`POST ${request}/reject`]: async (t) => ({ ...(await byRequest(t)), body: { reason: 'No' } }),
    [`POST ${request}/withdraw`]: byRequest,
    [`POST ${cases}/reopen`]: async (t) => ({ ...(await byCase(t)), body: { reason: 'Back' } }),
    [`GET ${cases}/status-changes`]: byCase,
    [`GET ${cases}/referrals`]: byCase,
    [`POST ${cases}/referrals`]: async (t) => ({
      ...(await byCase(t)),
      body: { toProgramId: '0de70000-0000-4000-8000-0000000000e5', reason: 'Other', urgency: 'routine' },
    }),
    [`POST ${cases}/referrals/:referralId/withdraw`]: async (t) => {
      const r = await once(t);
      return { params: { id: r.id, referralId: r.referralId } };
    },
    'POST /api/v1/cases/referrals/:referralId/accept': async (t) => ({
      params: { referralId: (await once(t)).referralId },
      body: { riskLevel: 'low' },
    }),
    'POST /api/v1/cases/referrals/:referralId/decline': async (t) => ({
      params: { referralId: (await once(t)).referralId },
      body: { reason: 'No capacity' },
    }),
    [`GET ${cases}/tasks`]: byCase,
    [`POST ${cases}/tasks`]: async (t) => ({
      ...(await byCase(t)),
      body: { title: 'Call', type: 'contact', dueOn: '2026-02-01' },
    }),
    [`PATCH ${cases}/tasks/:taskId`]: async (t) => {
      const r = await once(t);
      return { params: { id: r.id, taskId: r.taskId }, body: { status: 'cancelled' }, headers: ifMatch };
    },
    // The contact policy is the caller's own agency's: a grant below agency scope cannot change it.
    'PUT /api/v1/cases/contact-policy/:riskLevel': () =>
      Promise.resolve({
        params: { riskLevel: 'high' },
        body: { intervalDays: 5, reason: 'Tighter follow-up' },
        headers: { 'if-match': '"0"' },
      }),
  };
}

/** The bed board: a facility of another agency, with a unit, a room and a bed, built through the API. */
function bedBoardForeignRecords(): Record<string, (t: TestApp) => Promise<ForeignRecord>> {
  interface ForeignFacility {
    id: string;
    unitId: string;
    roomId: string;
    bedId: string;
  }
  const foreign = async (t: TestApp): Promise<ForeignFacility> => {
    const token = await t.token({
      agency: '0de70000-0000-4000-8000-0000000000a9',
      grants: { 'scheduling.facilities.manage': 'agency', 'scheduling.beds.read': 'agency' },
    });
    const post = async (url: string, body: unknown) => {
      const res = await t.http.request({ method: 'POST', url, token, body });
      if (res.statusCode !== 201) throw new Error(`foreign ${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: string }>().id;
    };
    const id = await post('/api/v1/scheduling/facilities', {
      programId: '0de70000-0000-4000-8000-0000000000b9',
      name: 'Elsewhere Crisis Center',
    });
    const base = `/api/v1/scheduling/facilities/${id}`;
    const unitId = await post(`${base}/units`, { name: 'North', levelOfCare: 'detox' });
    const roomId = await post(`${base}/rooms`, { unitId, name: 'N1' });
    const bedId = await post(`${base}/beds`, { roomId, label: 'A' });
    return { id, unitId, roomId, bedId };
  };
  let record: Promise<ForeignFacility> | undefined;
  const once = (t: TestApp) => (record ??= foreign(t));
  const facility = (body?: (r: ForeignFacility) => unknown) => async (t: TestApp) => {
    const r = await once(t);
    return { params: { id: r.id }, ...(body ? { body: body(r) } : {}) };
  };
  const bed = (body?: unknown) => async (t: TestApp) => ({
    params: { id: (await once(t)).bedId },
    ...(body !== undefined ? { body } : {}),
  });
  // Any id: the bed is out of reach before the client or target bed is looked at.
  const SOMEONE = '0de70000-0000-4000-8000-0000000000f1';
  const facilities = '/api/v1/scheduling/facilities/:id';
  const beds = '/api/v1/scheduling/beds/:id';
  return {
    [`GET ${facilities}`]: facility(),
    [`GET ${facilities}/board`]: facility(),
    [`GET ${facilities}/board/stream`]: facility(),
    [`GET ${facilities}/census`]: facility(),
    [`POST ${facilities}/units`]: facility(() => ({ name: 'South', levelOfCare: 'detox' })),
    [`POST ${facilities}/rooms`]: facility((r) => ({ unitId: r.unitId, name: 'N2' })),
    [`POST ${facilities}/beds`]: facility((r) => ({ roomId: r.roomId, label: 'B' })),
    [`GET ${beds}/history`]: bed(),
    [`POST ${beds}/admit`]: bed({ clientId: SOMEONE }),
    [`POST ${beds}/transfer`]: bed({ toBedId: SOMEONE }),
    [`POST ${beds}/discharge`]: bed({ disposition: 'Home' }),
    [`POST ${beds}/clean`]: bed(),
    [`POST ${beds}/out-of-service`]: bed({ reason: 'Repair' }),
    [`POST ${beds}/in-service`]: bed(),
    [`POST ${beds}/hold`]: bed({ referralId: SOMEONE }),
    [`POST ${beds}/release-hold`]: bed(),
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
