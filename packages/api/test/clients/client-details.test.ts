import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { BH_PROGRAM, registerClient, staff, type ClientView, type Staff } from './clients-helpers.js';

const CLIENTS = '/api/v1/clients';

interface Address {
  id: string;
  type: string;
  line1: string;
  validFrom: string;
  validTo: string | null;
  current: boolean;
  version: number;
}
interface Phone {
  id: string;
  number: string;
  primary: boolean;
  version: number;
}
interface Coverage {
  id: string;
  payer: string;
  priority: string;
  memberIdLast4: string;
  endDate: string | null;
  version: number;
}

describe('clients: details and chart', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let client: ClientView;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    client = await registerClient(t, bhWorker.token, { givenName: 'Odalys', familyName: 'Brennan' });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    version?: number,
    token = bhWorker.token,
  ) =>
    t.http.request({
      method,
      url: `${CLIENTS}/${client.id}${path}`,
      token,
      body,
      ...(version !== undefined ? { headers: { 'if-match': `"${version}"` } } : {}),
    });
  const address = (type: string, line1: string, validFrom: string) => ({
    type,
    line1,
    city: 'Madison',
    state: 'wi',
    postalCode: '53703',
    county: 'Dane',
    validFrom,
  });

  it('keeps address history: a new home address ends the previous one the day before', async () => {
    const first = await call('POST', '/addresses', address('home', '12 Oak St', '2024-01-01'));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ state: 'WI', current: true, validTo: null });
    const mailing = await call('POST', '/addresses', address('mailing', 'PO Box 9', '2024-02-01'));
    expect(mailing.statusCode).toBe(201);
    const moved = await call('POST', '/addresses', address('home', '7 Elm Ave', '2025-06-01'));
    expect(moved.statusCode).toBe(201);

    const history = (await call('GET', '/addresses')).json<{ items: Address[] }>().items;
    expect(history.map((a) => [a.type, a.line1, a.validFrom, a.validTo, a.current])).toEqual([
      ['home', '7 Elm Ave', '2025-06-01', null, true],
      ['home', '12 Oak St', '2024-01-01', '2025-05-31', false],
      ['mailing', 'PO Box 9', '2024-02-01', null, true],
    ]);
    const current = (await call('GET', '/addresses?current=true')).json<{ items: Address[] }>().items;
    expect(current.map((a) => a.line1)).toEqual(['7 Elm Ave', 'PO Box 9']);

    // A home address starting before the current one began cannot close it.
    const backdated = await call('POST', '/addresses', address('home', '1 Past Rd', '2025-01-01'));
    expect(backdated.statusCode).toBe(409);

    const elm = history[0] as Address;
    const corrected = await call('PATCH', `/addresses/${elm.id}`, { line1: '7 Elm Avenue' }, elm.version);
    expect(corrected.json()).toMatchObject({ line1: '7 Elm Avenue', version: elm.version + 1 });
    expect((await call('PATCH', `/addresses/${elm.id}`, { line1: 'Stale' }, elm.version)).statusCode).toBe(
      412,
    );
    const ended = await call('POST', `/addresses/${elm.id}/end`, { validTo: '2025-12-31' }, elm.version + 1);
    expect(ended.json()).toMatchObject({ validTo: '2025-12-31', current: false });
  });

  it('stores phone numbers as E.164, with one primary', async () => {
    const mobile = await call('POST', '/phones', {
      type: 'mobile',
      number: '608.555.0123',
      smsOk: true,
      primary: true,
    });
    expect(mobile.json()).toMatchObject({ number: '+16085550123', smsOk: true, primary: true });
    const home = await call('POST', '/phones', { type: 'home', number: '+44 20 7946 0958', primary: true });
    expect(home.json()).toMatchObject({ number: '+442079460958', primary: true });

    const phones = (await call('GET', '/phones')).json<{ items: Phone[] }>().items;
    expect(phones.map((p) => [p.number, p.primary])).toEqual([
      ['+442079460958', true],
      ['+16085550123', false],
    ]);
    const invalid = await call('POST', '/phones', { type: 'work', number: '555-0123' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'body.number',
    ]);

    const landline = phones[0] as Phone;
    expect((await call('DELETE', `/phones/${landline.id}`, undefined, landline.version)).statusCode).toBe(
      204,
    );
    expect((await call('GET', '/phones')).json<{ items: Phone[] }>().items.map((p) => p.number)).toEqual([
      '+16085550123',
    ]);
  });

  it('records emails and aliases, and removes them without losing the record', async () => {
    const email = await call('POST', '/emails', { address: 'Odalys.Brennan@Example.org', primary: true });
    expect(email.json()).toMatchObject({
      address: 'odalys.brennan@example.org',
      type: 'personal',
      primary: true,
    });
    const alias = await call('POST', '/aliases', { name: 'Odie Brennan', type: 'nickname' });
    const { id, version } = alias.json<{ id: string; version: number }>();
    expect((await call('PATCH', `/aliases/${id}`, { name: 'Odi Brennan' }, version)).json()).toMatchObject({
      name: 'Odi Brennan',
    });
    expect((await call('DELETE', `/aliases/${id}`, undefined, version + 1)).statusCode).toBe(204);
    expect((await call('GET', '/aliases')).json<{ items: unknown[] }>().items).toEqual([]);
    const kept = await sql<{
      name: string;
    }>`SELECT name FROM clients.aliases WHERE id = ${id} AND ended_at IS NOT NULL`.execute(t.database.db);
    expect(kept.rows).toEqual([{ name: 'Odi Brennan' }]);
  });

  it('records contacts and guardians; a guardian names the legal authority they hold', async () => {
    const noAuthority = await call('POST', '/contacts', {
      name: 'Ruth Brennan',
      relationship: 'parent',
      isGuardian: true,
    });
    expect(noAuthority.statusCode).toBe(400);
    const guardian = await call('POST', '/contacts', {
      name: 'Ruth Brennan',
      relationship: 'parent',
      phone: '608 555 0199',
      isGuardian: true,
      legalAuthority: 'guardian_of_person',
      canReceiveInfo: true,
      validFrom: '2020-01-01',
    });
    expect(guardian.statusCode, guardian.body).toBe(201);
    expect(guardian.json()).toMatchObject({ phone: '+16085550199', isGuardian: true, current: true });
    const { id, version } = guardian.json<{ id: string; version: number }>();
    const demote = await call('PATCH', `/contacts/${id}`, { legalAuthority: 'none' }, version);
    expect(demote.statusCode).toBe(400);
    const ended = await call('POST', `/contacts/${id}/end`, { validTo: '2024-12-31' }, version);
    expect(ended.json()).toMatchObject({ validTo: '2024-12-31', current: false });
  });

  it('refuses overlapping coverages of one priority, and keeps member ids encrypted', async () => {
    const medicaid = await call('POST', '/coverages', {
      payer: 'medicaid',
      payerName: 'Wisconsin Medicaid',
      memberId: '4100000555',
      priority: 'primary',
      startDate: '2026-01-01',
    });
    expect(medicaid.statusCode, medicaid.body).toBe(201);
    expect(medicaid.json()).toMatchObject({ memberIdLast4: '0555', current: true });
    expect(medicaid.body).not.toContain('4100000555');

    const overlapping = await call('POST', '/coverages', {
      payer: 'private',
      memberId: 'QTZ-778899',
      priority: 'primary',
      startDate: '2026-06-01',
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json<{ type: string }>().type).toMatch(/coverage-overlap$/);
    const secondary = await call('POST', '/coverages', {
      payer: 'private',
      memberId: 'QTZ-778899',
      priority: 'secondary',
      startDate: '2026-06-01',
    });
    expect(secondary.statusCode).toBe(201);

    const { id, version } = medicaid.json<Coverage>();
    expect((await call('POST', `/coverages/${id}/end`, { endDate: '2026-05-31' }, version)).statusCode).toBe(
      201,
    );
    const after = await call('POST', '/coverages', {
      payer: 'medicare',
      memberId: '1EG4TE5MK73',
      priority: 'primary',
      startDate: '2026-06-01',
    });
    expect(after.statusCode, after.body).toBe(201);
    // Moving the secondary to primary would overlap Medicare.
    const { id: secondaryId, version: secondaryVersion } = secondary.json<Coverage>();
    expect(
      (await call('PATCH', `/coverages/${secondaryId}`, { priority: 'primary' }, secondaryVersion))
        .statusCode,
    ).toBe(409);

    const badMedicaid = await call('POST', '/coverages', {
      payer: 'medicaid',
      memberId: 'ABC123',
      priority: 'secondary',
      startDate: '2020-01-01',
      endDate: '2020-12-31',
    });
    expect(badMedicaid.statusCode).toBe(400);

    const stored = await sql<{ member_id_ciphertext: string }>`
      SELECT member_id_ciphertext FROM clients.coverages WHERE id = ${id}`.execute(t.database.db);
    expect(stored.rows[0]?.member_id_ciphertext).not.toContain('4100000555');

    const revealed = await call('GET', `/coverages/${id}/member-id`);
    expect(revealed.json()).toEqual({ coverageId: id, payer: 'medicaid', memberId: '4100000555' });
    const clinician = await staff(t, 'clinician', DEMO_TEAM_IDS.bhOutpatient);
    expect(
      (await call('GET', `/coverages/${id}/member-id`, undefined, undefined, clinician.token)).statusCode,
    ).toBe(403);
  });

  it('answers the chart in one call', async () => {
    await call('POST', '/enrollments', { programId: BH_PROGRAM, startDate: '2026-01-05', reason: 'Intake' });
    const chart = await call('GET', '/chart');
    expect(chart.statusCode, chart.body).toBe(200);
    const body = chart.json<{
      client: ClientView;
      addresses: Address[];
      phones: Phone[];
      emails: unknown[];
      contacts: unknown[];
      coverages: Coverage[];
      enrollments: { items: unknown[]; withheld: number };
    }>();
    expect(body.client).toMatchObject({ id: client.id, familyName: 'Brennan' });
    expect(body.addresses.map((a) => a.line1)).toEqual(['PO Box 9']);
    expect(body.phones.map((p) => p.number)).toEqual(['+16085550123']);
    expect(body.emails).toHaveLength(1);
    expect(body.contacts).toEqual([]);
    expect(body.coverages.map((c) => [c.payer, c.priority])).toEqual([
      ['medicare', 'primary'],
      ['private', 'secondary'],
    ]);
    expect(body.enrollments).toMatchObject({
      items: [expect.objectContaining({ programId: BH_PROGRAM })],
      withheld: 0,
    });
  });

  it('holds details to the client’s scope: another team can neither read nor add them', async () => {
    const cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    for (const path of ['/chart', '/addresses', '/phones', '/contacts', '/coverages']) {
      expect((await call('GET', path, undefined, undefined, cfsWorker.token)).statusCode, path).toBe(403);
    }
    const add = await call(
      'POST',
      '/phones',
      { type: 'mobile', number: '6085550100' },
      undefined,
      cfsWorker.token,
    );
    expect(add.statusCode).toBe(403);
  });
});
