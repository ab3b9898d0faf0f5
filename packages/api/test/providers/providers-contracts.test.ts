import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY } from '../../src/modules/identity/demo.js';
import { ROLE_CATALOG } from '../../src/modules/identity/roles.catalog.js';
import { ContractRates } from '../../src/modules/providers/contract-rates.js';
import { isValidNpi } from '../../src/modules/providers/npi.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PROVIDERS = '/api/v1/providers';
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a3';

interface ContractLine {
  id: string;
  serviceCode: string;
  rateCents: number;
  unitType: string;
  capUnits: number | null;
  capAmountCents: number | null;
  startsOn: string | null;
  endsOn: string | null;
}
interface Contract {
  id: string;
  providerId: string;
  number: string;
  startsOn: string;
  endsOn: string | null;
  status: string;
  lines: ContractLine[];
  version: number;
}
interface Problem {
  type: string;
  errors?: { field: string; message: string }[];
}

let nextNpi = 810000000;
/** A fresh valid NPI (nine digits and the Luhn check digit). */
function npi(): string {
  const nine = String(nextNpi++);
  for (let d = 0; d <= 9; d++) if (isValidNpi(`${nine}${d}`)) return `${nine}${d}`;
  throw new Error('unreachable');
}

const problem = (res: { json(): unknown }) => {
  const body = res.json() as Problem;
  return { ...body, type: body.type.replace('https://ehrms.dev/problems/', '') };
};
const fields = (res: { json(): unknown }) => (problem(res).errors ?? []).map((e) => e.field);

const line = (serviceCode: string, rateCents: number, extra: Record<string, unknown> = {}) => ({
  serviceCode,
  rateCents,
  unitType: '15min',
  ...extra,
});

describe('provider contracts and rates', () => {
  let t: TestApp;
  let writer: string;
  let reader: string;
  let otherWriter: string;
  let contractNumber = 0;

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

  const outbox = (topic: string) => outboxPayloads(t, topic);

  const provider = async (token = writer): Promise<string> => {
    const res = await t.http.request({
      method: 'POST',
      url: PROVIDERS,
      token,
      body: { kind: 'organization', name: 'Lakeside Behavioral Health', npi: npi() },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };

  const postContract = (providerId: string, body: Record<string, unknown>, token = writer) =>
    t.http.request({
      method: 'POST',
      url: `${PROVIDERS}/${providerId}/contracts`,
      token,
      body: { number: `C-${++contractNumber}`, ...body },
    });

  const contract = async (providerId: string, body: Record<string, unknown>, token = writer) => {
    const res = await postContract(providerId, body, token);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Contract>();
  };

  const patchContract = (c: Contract, body: Record<string, unknown>, ifMatch = `"${c.version}"`) =>
    t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${c.providerId}/contracts/${c.id}`,
      token: writer,
      body,
      headers: { 'if-match': ifMatch },
    });

  it('adds a contract with its rate lines, reads it back with an ETag and publishes the creation', async () => {
    const providerId = await provider();
    const res = await postContract(providerId, {
      number: '2026-BH-014',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      lines: [
        line('h0004', 2550, { capUnits: 480 }),
        line('90837', 14000, { unitType: 'session', capAmountCents: 5_000_000 }),
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const created = res.json<Contract>();
    expect(created).toMatchObject({
      providerId,
      number: '2026-BH-014',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      status: 'draft',
      version: 1,
    });
    expect(created.lines.map(({ id: _id, ...rest }) => rest)).toEqual([
      {
        serviceCode: '90837',
        rateCents: 14000,
        unitType: 'session',
        capUnits: null,
        capAmountCents: 5_000_000,
        startsOn: null,
        endsOn: null,
      },
      {
        serviceCode: 'H0004',
        rateCents: 2550,
        unitType: '15min',
        capUnits: 480,
        capAmountCents: null,
        startsOn: null,
        endsOn: null,
      },
    ]);

    const got = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${providerId}/contracts/${created.id}`,
      token: reader,
    });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json<Contract>()).toEqual(created);

    const list = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${providerId}/contracts`,
      token: reader,
    });
    expect(list.json<{ items: Contract[] }>().items).toEqual([created]);

    expect(await outbox('providers.contract.created')).toContainEqual({
      contractId: created.id,
      providerId,
      agencyId: DEMO_AGENCY.id,
    });

    const sameNumber = await postContract(providerId, { number: '2026-BH-014', startsOn: '2026-01-01' });
    expect(sameNumber.statusCode).toBe(409);
    expect(problem(sameNumber).type).toBe('contract-number-taken');
  });

  it('refuses bad dates, negative rates and a service rated twice, naming the fields', async () => {
    const providerId = await provider();
    const refused = async (body: Record<string, unknown>) => {
      const res = await postContract(providerId, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(problem(res).type).toBe('validation');
      return fields(res);
    };

    expect(await refused({ startsOn: '2026-06-01', endsOn: '2026-05-31' })).toEqual(['body.endsOn']);
    expect(await refused({ startsOn: '2026-01-01', lines: [line('H0004', -1)] })).toEqual([
      'body.lines.0.rateCents',
    ]);
    expect(await refused({ startsOn: '2026-01-01', lines: [line('H0004', 25.5)] })).toEqual([
      'body.lines.0.rateCents',
    ]);
    expect(await refused({ startsOn: '2026-01-01', lines: [line('H04', 100)] })).toEqual([
      'body.lines.0.serviceCode',
    ]);
    expect(
      await refused({
        startsOn: '2026-01-01',
        lines: [line('H0004', 2550), line('T1017', 1800), line('h0004', 2600)],
      }),
    ).toEqual(['body.lines.2.serviceCode']);
    expect(
      await refused({
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        lines: [
          line('H0004', 2550, { startsOn: '2025-12-01' }),
          line('T1017', 1800, { endsOn: '2027-01-31' }),
          line('90837', 14000, { startsOn: '2026-05-01', endsOn: '2026-04-01' }),
        ],
      }),
    ).toEqual(['body.lines.0.startsOn', 'body.lines.1.endsOn', 'body.lines.2.endsOn']);

    // A mid-term rate change is two lines of one code on dates that do not overlap.
    const changed = await contract(providerId, {
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      lines: [line('H0004', 2550, { endsOn: '2026-06-30' }), line('H0004', 2700, { startsOn: '2026-07-01' })],
    });
    expect(changed.lines.map((l) => [l.rateCents, l.startsOn, l.endsOn])).toEqual([
      [2550, null, '2026-06-30'],
      [2700, '2026-07-01', null],
    ]);
  });

  it('changes status, end date and lines only with the current If-Match, and publishes each change', async () => {
    const providerId = await provider();
    const draft = await contract(providerId, {
      startsOn: '2026-01-01',
      lines: [line('H0004', 2550)],
    });
    const url = `${PROVIDERS}/${providerId}/contracts/${draft.id}`;

    const without = await t.http.request({ method: 'PATCH', url, token: writer, body: { status: 'active' } });
    expect(without.statusCode).toBe(428);

    const active = await patchContract(draft, { status: 'active' });
    expect(active.statusCode).toBe(200);
    expect(active.headers.etag).toBe('"2"');
    expect(active.json<Contract>().status).toBe('active');

    const stale = await patchContract(draft, { endsOn: '2026-12-31' });
    expect(stale.statusCode).toBe(412);

    const repriced = await patchContract(active.json<Contract>(), {
      endsOn: '2026-12-31',
      lines: [line('H0004', 2600), line('T1017', 1800, { unitType: 'unit', capUnits: 100 })],
    });
    expect(repriced.statusCode).toBe(200);
    const v3 = repriced.json<Contract>();
    expect(v3).toMatchObject({ endsOn: '2026-12-31', version: 3 });
    expect(v3.lines.map((l) => [l.serviceCode, l.rateCents])).toEqual([
      ['H0004', 2600],
      ['T1017', 1800],
    ]);

    // Shortening the contract under an existing line is refused at the end date.
    const lines = await patchContract(v3, {
      lines: [line('H0004', 2600, { endsOn: '2026-12-31' })],
    });
    const v4 = lines.json<Contract>();
    const shorter = await patchContract(v4, { endsOn: '2026-06-30' });
    expect(shorter.statusCode).toBe(400);
    expect(fields(shorter)).toEqual(['body.endsOn']);

    const backwards = await patchContract(v4, { status: 'draft' });
    expect(backwards.statusCode).toBe(409);
    expect(fields(backwards)).toEqual(['body.status']);

    const noEnd = await patchContract(v4, { status: 'terminated', endsOn: null });
    expect(noEnd.statusCode).toBe(400);
    expect(fields(noEnd)).toEqual(['body.endsOn']);

    const underLine = await patchContract(v4, { status: 'terminated', endsOn: '2026-09-30' });
    expect(underLine.statusCode).toBe(400); // the H0004 line still runs to 2026-12-31
    expect(fields(underLine)).toEqual(['body.endsOn']);
    const ended = await patchContract(v4, {
      status: 'terminated',
      endsOn: '2026-09-30',
      lines: [line('H0004', 2600)],
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json<Contract>()).toMatchObject({ status: 'terminated', endsOn: '2026-09-30' });

    const final = await patchContract(ended.json<Contract>(), { endsOn: '2026-10-31' });
    expect(final.statusCode).toBe(409);
    expect(problem(final).type).toBe('contract-terminated');

    const updates = (await outbox('providers.contract.updated')).filter(
      (p) => (p as { contractId: string }).contractId === draft.id,
    );
    expect(updates).toEqual([
      { contractId: draft.id, providerId, agencyId: DEMO_AGENCY.id, changed: ['status'] },
      { contractId: draft.id, providerId, agencyId: DEMO_AGENCY.id, changed: ['endsOn', 'lines'] },
      { contractId: draft.id, providerId, agencyId: DEMO_AGENCY.id, changed: ['lines'] },
      { contractId: draft.id, providerId, agencyId: DEMO_AGENCY.id, changed: ['status', 'endsOn', 'lines'] },
    ]);
  });

  it('refuses a second contract in effect that rates the same service on the same days', async () => {
    const providerId = await provider();
    await contract(providerId, {
      number: 'CCS-2026',
      status: 'active',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      lines: [line('H0004', 2550), line('T1017', 1800)],
    });

    const clash = await postContract(providerId, {
      status: 'active',
      startsOn: '2026-07-01',
      lines: [line('90837', 14000), line('T1017', 1900)],
    });
    expect(clash.statusCode).toBe(409);
    const body = problem(clash);
    expect(body.type).toBe('contract-rate-overlap');
    expect(body.errors).toEqual([
      {
        field: 'body.lines.1.serviceCode',
        message: 'Contract CCS-2026 already rates T1017 from 2026-01-01 to 2026-12-31.',
      },
    ]);

    // Other services on the same days, or the same service on later days, are fine.
    await contract(providerId, {
      status: 'active',
      startsOn: '2026-07-01',
      lines: [line('90837', 14000), line('T1017', 1900, { startsOn: '2027-01-01' })],
    });
    // A draft may overlap; making it active may not.
    const draft = await contract(providerId, { startsOn: '2026-03-01', lines: [line('H0004', 2700)] });
    const activate = await patchContract(draft, { status: 'active' });
    expect(activate.statusCode).toBe(409);
    expect(fields(activate)).toEqual(['body.status']);
  });

  it("answers 404 for another agency's provider's contracts and 403 to a case manager who tries to write", async () => {
    const foreignProvider = await provider(otherWriter);
    const foreign = await contract(foreignProvider, { startsOn: '2026-01-01' }, otherWriter);
    const mine = await contract(await provider(), { startsOn: '2026-01-01' });

    const foreignUrls = [
      { method: 'GET', url: `${PROVIDERS}/${foreignProvider}/contracts` },
      { method: 'GET', url: `${PROVIDERS}/${foreignProvider}/contracts/${foreign.id}` },
      {
        method: 'POST',
        url: `${PROVIDERS}/${foreignProvider}/contracts`,
        body: { number: 'X', startsOn: '2026-01-01' },
      },
      {
        method: 'PATCH',
        url: `${PROVIDERS}/${foreignProvider}/contracts/${foreign.id}`,
        body: { status: 'active' },
        headers: { 'if-match': '"1"' },
      },
    ] as const;
    for (const req of foreignUrls) {
      const res = await t.http.request({ ...req, token: writer });
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(404);
    }
    // A contract reached through another provider's id is not found either.
    const crossed = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${await provider()}/contracts/${mine.id}`,
      token: reader,
    });
    expect(crossed.statusCode).toBe(404);

    const caseManagerGrants = ROLE_CATALOG.find((r) => r.name === 'case_manager')?.grants ?? {};
    const caseManager = await t.token({ agency: DEMO_AGENCY.id, grants: caseManagerGrants });
    const read = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${mine.providerId}/contracts/${mine.id}`,
      token: caseManager,
    });
    expect(read.statusCode).toBe(200);
    const write = await t.http.request({
      method: 'POST',
      url: `${PROVIDERS}/${mine.providerId}/contracts`,
      token: caseManager,
      body: { number: 'CM-1', startsOn: '2026-01-01' },
    });
    expect(write.statusCode).toBe(403);
    const change = await t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${mine.providerId}/contracts/${mine.id}`,
      token: caseManager,
      body: { status: 'active' },
      headers: { 'if-match': '"1"' },
    });
    expect(change.statusCode).toBe(403);

    // Providers are the whole agency's: a team-wide grant reaches none of them.
    const teamReader = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'providers.providers.read': 'team' },
    });
    const narrow = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${mine.providerId}/contracts`,
      token: teamReader,
    });
    expect(narrow.statusCode).toBe(403);
  });

  it('rateFor picks the line in effect on the day, or null', async () => {
    const rates = t.app.get(ContractRates);
    const providerId = await provider();
    const year = await contract(providerId, {
      number: 'RATES-2026',
      status: 'active',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      lines: [
        line('H0004', 2550, { endsOn: '2026-06-30', capUnits: 480 }),
        line('H0004', 2700, { startsOn: '2026-07-01' }),
        line('90837', 14000, { unitType: 'session', capAmountCents: 1_000_000 }),
      ],
    });
    const [h0004Early, h0004Late] = year.lines.filter((l) => l.serviceCode === 'H0004');

    expect(await rates.rateFor(providerId, 'H0004', '2026-03-15')).toEqual({
      contractId: year.id,
      contractNumber: 'RATES-2026',
      lineId: h0004Early?.id,
      serviceCode: 'H0004',
      rateCents: 2550,
      unitType: '15min',
      capUnits: 480,
      capAmountCents: null,
      startsOn: '2026-01-01',
      endsOn: '2026-06-30',
    });
    expect(await rates.rateFor(providerId, 'H0004', '2026-06-30')).toMatchObject({ rateCents: 2550 });
    expect(await rates.rateFor(providerId, 'h0004', new Date('2026-07-01T12:00:00Z'))).toMatchObject({
      lineId: h0004Late?.id,
      rateCents: 2700,
      startsOn: '2026-07-01',
      endsOn: '2026-12-31',
    });
    expect(await rates.rateFor(providerId, '90837', '2026-12-31')).toMatchObject({
      rateCents: 14000,
      unitType: 'session',
      capAmountCents: 1_000_000,
    });
    expect(await rates.rateFor(providerId, 'H0004', '2025-12-31')).toBeNull();
    expect(await rates.rateFor(providerId, 'H0004', '2027-01-01')).toBeNull();
    expect(await rates.rateFor(providerId, 'T1017', '2026-03-15')).toBeNull();
    expect(await rates.rateFor(randomUUID(), 'H0004', '2026-03-15')).toBeNull();
    expect(await rates.rateFor('not-a-provider', 'H0004', '2026-03-15')).toBeNull();

    // A draft rates nothing; a terminated contract rates the days up to its end.
    const draft = await contract(providerId, { startsOn: '2027-01-01', lines: [line('H0004', 2800)] });
    expect(await rates.rateFor(providerId, 'H0004', '2027-02-01')).toBeNull();
    const ended = await patchContract(year, { status: 'terminated', endsOn: '2026-09-30' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(await rates.rateFor(providerId, 'H0004', '2026-09-30')).toMatchObject({ rateCents: 2700 });
    expect(await rates.rateFor(providerId, 'H0004', '2026-10-01')).toBeNull();
    expect((await patchContract(draft, { status: 'active' })).statusCode).toBe(200);
    expect(await rates.rateFor(providerId, 'H0004', '2027-02-01')).toMatchObject({ rateCents: 2800 });
  });
});
