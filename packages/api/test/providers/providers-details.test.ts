import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS } from '../../src/modules/identity/demo.js';
import { isValidNpi } from '../../src/modules/providers/npi.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PROVIDERS = '/api/v1/providers';
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a4';

interface Location {
  id: string;
  providerId: string;
  name: string;
  state: string;
  postalCode: string;
  phone: string | null;
  county: string | null;
  active: boolean;
  version: number;
}
interface Offering {
  id: string;
  serviceCode: string;
  modifiers: string[];
  unitType: string;
  active: boolean;
  version: number;
}
interface Standing {
  providerId: string;
  on: string;
  bookable: boolean;
  reasons: { code: string; credentialId: string | null; detail: string }[];
  expired: { id: string }[];
  expiringWithin: Record<'30' | '60' | '90', { id: string }[]>;
}

let nextNpi = 820000000;
function npi(): string {
  const nine = String(nextNpi++);
  for (let d = 0; d <= 9; d++) if (isValidNpi(`${nine}${d}`)) return `${nine}${d}`;
  throw new Error('unreachable');
}

const fields = (res: { json(): unknown }) =>
  ((res.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

describe('provider locations, services offered and standing', () => {
  let t: TestApp;
  let writer: string;
  let reader: string;
  let otherWriter: string;

  beforeAll(async () => {
    t = await startTestApp();
    writer = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'providers.providers.read': 'agency', 'providers.providers.write': 'agency' },
    });
    reader = await t.token({ agency: DEMO_AGENCY.id, grants: { 'providers.providers.read': 'agency' } });
    otherWriter = await t.token({
      agency: OTHER_AGENCY,
      grants: { 'providers.providers.read': 'agency', 'providers.providers.write': 'agency' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const provider = async (token = writer): Promise<string> => {
    const res = await t.http.request({
      method: 'POST',
      url: PROVIDERS,
      token,
      body: { kind: 'individual', name: 'Dr. Hale', npi: npi() },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };

  const post = (url: string, body: unknown, token = writer) =>
    t.http.request({ method: 'POST', url, token, body });

  const site = {
    name: 'East Side Clinic',
    addressLine1: '210 Martin Luther King Jr Blvd',
    city: 'Madison',
    state: 'wi',
    postalCode: '53703',
    phone: '(608) 555-0100',
    county: 'Dane',
  };

  it('adds, lists and changes service locations', async () => {
    const providerId = await provider();
    const url = `${PROVIDERS}/${providerId}/locations`;
    const res = await post(url, site);
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const created = res.json<Location>();
    expect(created).toMatchObject({
      providerId,
      name: 'East Side Clinic',
      state: 'WI',
      phone: '608-555-0100',
      county: 'Dane',
      active: true,
      version: 1,
    });
    await post(url, { ...site, name: 'Annex', phone: null, postalCode: '53704-1234' });

    const list = await t.http.request({ method: 'GET', url, token: reader });
    expect(list.json<{ items: Location[] }>().items.map((l) => [l.name, l.postalCode])).toEqual([
      ['Annex', '53704-1234'],
      ['East Side Clinic', '53703'],
    ]);

    const bad = await post(url, { ...site, state: 'Wisconsin', postalCode: '5370', phone: '555-0100' });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad).sort()).toEqual(['body.phone', 'body.postalCode', 'body.state']);

    const one = `${url}/${created.id}`;
    const without = await t.http.request({
      method: 'PATCH',
      url: one,
      token: writer,
      body: { active: false },
    });
    expect(without.statusCode).toBe(428);
    const closed = await t.http.request({
      method: 'PATCH',
      url: one,
      token: writer,
      body: { active: false, addressLine2: 'Suite 200' },
      headers: { 'if-match': '"1"' },
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.headers.etag).toBe('"2"');
    expect(closed.json()).toMatchObject({ active: false, addressLine2: 'Suite 200', version: 2 });
    const stale = await t.http.request({
      method: 'PATCH',
      url: one,
      token: writer,
      body: { active: true },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);

    // A location is changed only through its own provider.
    const elsewhere = await t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${await provider()}/locations/${created.id}`,
      token: writer,
      body: { active: true },
      headers: { 'if-match': '"2"' },
    });
    expect(elsewhere.statusCode).toBe(404);
    const denied = await post(url, site, reader);
    expect(denied.statusCode).toBe(403);
  });

  it('adds, lists and changes the services a provider offers', async () => {
    const providerId = await provider();
    const url = `${PROVIDERS}/${providerId}/services`;
    const res = await post(url, {
      serviceCode: 'h0004',
      modifiers: ['ho'],
      description: 'Behavioral health counseling and therapy',
      unitType: '15min',
    });
    expect(res.statusCode).toBe(201);
    const counseling = res.json<Offering>();
    expect(counseling).toMatchObject({
      serviceCode: 'H0004',
      modifiers: ['HO'],
      unitType: '15min',
      active: true,
      version: 1,
    });
    const therapy = await post(url, {
      serviceCode: '90837',
      description: 'Psychotherapy, 60 minutes',
      unitType: 'session',
      programId: DEMO_PROGRAM_IDS.bh,
    });
    expect(therapy.statusCode).toBe(201);
    expect(therapy.json<Offering>().modifiers).toEqual([]);

    const again = await post(url, {
      serviceCode: 'H0004',
      modifiers: ['HO'],
      description: 'Same again',
      unitType: '15min',
    });
    expect(again.statusCode).toBe(409);
    const bad = await post(url, {
      serviceCode: 'counseling',
      modifiers: ['H', 'HO', 'HO'],
      description: 'x',
      unitType: 'minute',
    });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(
      expect.arrayContaining(['body.serviceCode', 'body.modifiers.0', 'body.modifiers', 'body.unitType']),
    );

    const patched = await t.http.request({
      method: 'PATCH',
      url: `${url}/${counseling.id}`,
      token: writer,
      body: { active: false, modifiers: ['HO', 'HN'] },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ active: false, modifiers: ['HO', 'HN'], version: 2 });

    const list = await t.http.request({ method: 'GET', url, token: reader });
    expect(list.json<{ items: Offering[] }>().items.map((o) => [o.serviceCode, o.active])).toEqual([
      ['90837', true],
      ['H0004', false],
    ]);
  });

  it('the standing route says a provider with an expired license is not bookable, and why', async () => {
    const providerId = await provider();
    const credential = async (body: Record<string, unknown>) => {
      const res = await post(`${PROVIDERS}/${providerId}/credentials`, {
        number: 'N-1',
        issuer: 'Wisconsin DSPS',
        ...body,
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const license = await credential({ type: 'license', expiresOn: '2026-03-31' });
    const board = await credential({ type: 'board', expiresOn: '2026-05-15' });
    const standing = async (query: string) => {
      const res = await t.http.request({
        method: 'GET',
        url: `${PROVIDERS}/${providerId}/standing${query}`,
        token: reader,
      });
      expect(res.statusCode).toBe(200);
      return res.json<Standing>();
    };

    const before = await standing('?on=2026-03-15');
    expect(before).toMatchObject({ providerId, on: '2026-03-15', bookable: true, reasons: [], expired: [] });
    expect(before.expiringWithin['30'].map((c) => c.id)).toEqual([license]);
    expect(before.expiringWithin['90'].map((c) => c.id)).toEqual([board]);

    const after = await standing('?on=2026-04-01');
    expect(after.bookable).toBe(false);
    expect(after.reasons).toEqual([
      { code: 'credential-expired', credentialId: license, detail: 'The license expired on 2026-03-31.' },
    ]);
    expect(after.expired.map((c) => c.id)).toEqual([license]);

    // Without a date: the agency's today (AGENCY_TIME_ZONE). The license expired long ago by now.
    const today = await standing('');
    expect(today.on).toBe(agencyToday());
    expect(today.bookable).toBe(false);

    const inactive = await t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${providerId}`,
      token: writer,
      body: { status: 'inactive' },
      headers: { 'if-match': '"1"' },
    });
    expect(inactive.statusCode).toBe(200);
    expect((await standing('?on=2026-03-15')).reasons.map((r) => r.code)).toEqual(['provider-inactive']);

    const badDate = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${providerId}/standing?on=2026-02-30`,
      token: reader,
    });
    expect(badDate.statusCode).toBe(400);
    expect(fields(badDate)).toEqual(['query.on']);
  });

  it("answers 404 for another agency's provider's locations, services and standing", async () => {
    const foreign = await provider(otherWriter);
    const location = await post(`${PROVIDERS}/${foreign}/locations`, site, otherWriter);
    const offering = await post(
      `${PROVIDERS}/${foreign}/services`,
      { serviceCode: 'T1017', description: 'Targeted case management', unitType: '15min' },
      otherWriter,
    );
    const requests = [
      { method: 'GET', url: `${PROVIDERS}/${foreign}/locations` },
      { method: 'POST', url: `${PROVIDERS}/${foreign}/locations`, body: site },
      {
        method: 'PATCH',
        url: `${PROVIDERS}/${foreign}/locations/${location.json<{ id: string }>().id}`,
        body: { active: false },
        headers: { 'if-match': '"1"' },
      },
      { method: 'GET', url: `${PROVIDERS}/${foreign}/services` },
      {
        method: 'POST',
        url: `${PROVIDERS}/${foreign}/services`,
        body: { serviceCode: 'H0004', description: 'Counseling', unitType: '15min' },
      },
      {
        method: 'PATCH',
        url: `${PROVIDERS}/${foreign}/services/${offering.json<{ id: string }>().id}`,
        body: { active: false },
        headers: { 'if-match': '"1"' },
      },
      { method: 'GET', url: `${PROVIDERS}/${foreign}/standing?on=2026-01-01` },
      { method: 'GET', url: `${PROVIDERS}/${foreign}` },
    ] as const;
    for (const req of requests) {
      const res = await t.http.request({ ...req, token: writer });
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(404);
    }
  });
});
