import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientPrivacy } from '../../src/modules/clients/client-privacy.js';
import { CreateConsentBody } from '../../src/modules/clients/consents.dto.js';
import { ConsentsRepository } from '../../src/modules/clients/consents.repository.js';
import { addDays } from '../../src/modules/clients/details.service.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { PART2_REDISCLOSURE_NOTICE } from '../../src/modules/clients/part2.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { AgencyClock } from '../../src/platform/time/agency-clock.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  BH_PROGRAM,
  CFS_PROGRAM,
  registerClient,
  staff,
  type ClientView,
  type Staff,
} from './clients-helpers.js';

const CLIENTS = '/api/v1/clients';

interface EnrollmentList {
  items: { programId: string; part2: boolean }[];
  withheld: number;
  redisclosureNotice: string | null;
}
interface Consent {
  id: string;
  kind: string;
  status: string;
  version: number;
}
interface ConsentList {
  items: Consent[];
  withheld: number;
  redisclosureNotice: string | null;
}

/** The agency's today plus `offset` days (the API judges dates by the agency's days). */
const day = (offset: number) => addDays(agencyToday(), offset);

/** A valid Part 2 consent from the BH program, in force from a month ago for a year. */
const part2Consent = (recipient: { type: string; id?: string; name?: string }, extra: object = {}) => ({
  kind: 'part2',
  recipient,
  purposes: ['TREAT'],
  categories: ['substance_use'],
  disclosingProgramId: BH_PROGRAM,
  effectiveFrom: day(-30),
  expiresOn: day(335),
  signedOn: day(-30),
  signedBy: { name: 'Rosa Diaz', relationship: 'self' },
  ...extra,
});

describe('a consent’s signing date may not be after the agency’s today, not UTC’s', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes 30 November at 19:00 in Chicago (01:00 UTC on 1 December) and refuses 1 December', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T01:00:00Z'));
    const signed = (signedOn: string) =>
      CreateConsentBody.safeParse(part2Consent({ type: 'team', id: DEMO_TEAM_IDS.cfs }, { signedOn }))
        .success;
    expect(signed('2026-11-30')).toBe(true);
    expect(signed('2026-12-01')).toBe(false);
    vi.setSystemTime(new Date('2026-12-01T06:00:00Z'));
    expect(signed('2026-12-01')).toBe(true);
  });
});

describe('clients: consents and Part 2 enrolments', () => {
  let t: TestApp;
  let cfsWorker: Staff;
  let bhSupervisor: Staff;
  let privacyOfficer: Staff;
  let client: ClientView;

  beforeAll(async () => {
    t = await startTestApp();
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    bhSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
    privacyOfficer = await staff(t, 'privacy_officer', null);
    // A CFS client who is also in substance use treatment in the BH program (a Part 2 program).
    client = await registerClient(t, cfsWorker.token, { givenName: 'Rosa', familyName: 'Diaz' });
    await enrol(CFS_PROGRAM, false);
    await enrol(BH_PROGRAM, true);
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (method: 'GET' | 'POST', url: string, token: string, body?: unknown, headers = {}) =>
    t.http.request({ method, url, token, body, headers });

  async function enrol(programId: string, part2: boolean) {
    const res = await request('POST', `${CLIENTS}/${client.id}/enrollments`, cfsWorker.token, {
      programId,
      startDate: day(-60),
      reason: 'Referral',
      part2,
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  async function enrollmentsSeenBy(who: Staff, headers: Record<string, string> = {}) {
    const res = await request('GET', `${CLIENTS}/${client.id}/enrollments`, who.token, undefined, headers);
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json<EnrollmentList>(), header: res.headers['x-redisclosure-notice'] };
  }

  async function grant(consent: object): Promise<Consent> {
    const res = await request('POST', `${CLIENTS}/${client.id}/consents`, bhSupervisor.token, consent);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Consent>();
  }

  async function revoke(consent: Consent) {
    return request(
      'POST',
      `${CLIENTS}/${client.id}/consents/${consent.id}/revoke`,
      bhSupervisor.token,
      { reason: 'Client withdrew consent' },
      { 'if-match': `"${consent.version}"` },
    );
  }

  it('withholds a Part 2 enrolment from staff outside the program, saying only how many', async () => {
    const { body, header } = await enrollmentsSeenBy(cfsWorker);
    expect(body.items.map((e) => e.programId)).toEqual([CFS_PROGRAM]);
    expect(body.withheld).toBe(1);
    expect(body.redisclosureNotice).toBeNull();
    expect(header).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain(BH_PROGRAM);
  });

  it('shows it to the Part 2 program’s own staff, with the 42 CFR 2.32 notice', async () => {
    const { body, header } = await enrollmentsSeenBy(bhSupervisor);
    expect(body.items.map((e) => e.programId).sort()).toEqual([BH_PROGRAM, CFS_PROGRAM].sort());
    expect(body.withheld).toBe(0);
    expect(body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);
    expect(body.redisclosureNotice).toContain('42 CFR part 2');
    expect(header).toBe('42-CFR-2.32');
  });

  it('discloses it to a team a Part 2 consent names, for the consented purpose only, until revoked', async () => {
    const consent = await grant(part2Consent({ type: 'team', id: DEMO_TEAM_IDS.cfs }));
    expect(consent).toMatchObject({ kind: 'part2', status: 'active', version: 1 });

    const disclosed = await enrollmentsSeenBy(cfsWorker);
    expect(disclosed.body.items.find((e) => e.part2)?.programId).toBe(BH_PROGRAM);
    expect(disclosed.body.withheld).toBe(0);
    expect(disclosed.body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);
    expect(disclosed.header).toBe('42-CFR-2.32');

    // The consent is for treatment: a billing purpose of use is not covered.
    const forPayment = await enrollmentsSeenBy(cfsWorker, { 'x-purpose-of-use': 'PAYMENT' });
    expect(forPayment.body.withheld).toBe(1);

    const revoked = await revoke(consent);
    expect(revoked.statusCode, revoked.body).toBe(201);
    expect(revoked.json()).toMatchObject({
      status: 'revoked',
      revocationReason: 'Client withdrew consent',
      version: 2,
    });
    expect((await enrollmentsSeenBy(cfsWorker)).body.withheld).toBe(1);

    expect((await revoke(consent)).statusCode).toBe(409);
    expect((await revoke({ ...consent, version: 2 })).statusCode).toBe(409);
  });

  it('discloses it to a user a Part 2 consent names, and stops when the consent expires', async () => {
    const consent = await grant(part2Consent({ type: 'user', id: cfsWorker.id }));
    expect((await enrollmentsSeenBy(cfsWorker)).body.withheld).toBe(0);

    // Another CFS worker is on the same team but not the one named.
    const colleague = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    expect((await enrollmentsSeenBy(colleague)).body.withheld).toBe(1);

    await sql`UPDATE clients.consents SET effective_from = ${day(-60)}, expires_on = ${day(-1)}
              WHERE id = ${consent.id}`.execute(t.database.db);
    expect((await enrollmentsSeenBy(cfsWorker)).body.withheld).toBe(1);
    const list = await request('GET', `${CLIENTS}/${client.id}/consents`, bhSupervisor.token);
    expect(list.json<ConsentList>().items.find((c) => c.id === consent.id)?.status).toBe('expired');
  });

  it('does not count a consent not yet in force', async () => {
    const consent = await grant(
      part2Consent({ type: 'user', id: cfsWorker.id }, { effectiveFrom: day(10), expiresOn: day(40) }),
    );
    expect(consent.status).toBe('scheduled');
    expect((await enrollmentsSeenBy(cfsWorker)).body.withheld).toBe(1);
  });

  it('hides Part 2 consents themselves from those who may not see Part 2 information', async () => {
    await grant({
      kind: 'general',
      recipient: { type: 'organization', name: 'Dane County Housing Authority' },
      purposes: ['OPERATIONS'],
      categories: ['demographics'],
      effectiveFrom: day(-5),
      expiresOn: null,
      signedOn: day(-5),
      signedBy: { name: 'Rosa Diaz', relationship: 'self' },
    });
    const consents = async (who: Staff) => {
      const res = await request('GET', `${CLIENTS}/${client.id}/consents`, who.token);
      expect(res.statusCode, res.body).toBe(200);
      return { body: res.json<ConsentList>(), header: res.headers['x-redisclosure-notice'] };
    };
    const outside = await consents(cfsWorker);
    expect(outside.body.items.map((c) => c.kind)).toEqual(['general']);
    expect(outside.body.withheld).toBe(3);
    expect(outside.body.redisclosureNotice).toBeNull();

    for (const insider of [bhSupervisor, privacyOfficer]) {
      const seen = await consents(insider);
      expect(seen.body.items.filter((c) => c.kind === 'part2')).toHaveLength(3);
      expect(seen.body.withheld).toBe(0);
      expect(seen.body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);
      expect(seen.header).toBe('42-CFR-2.32');
    }
  });

  it('requires what 42 CFR 2.31 requires of a Part 2 consent, field by field', async () => {
    const res = await request('POST', `${CLIENTS}/${client.id}/consents`, bhSupervisor.token, {
      ...part2Consent({ type: 'organization' }),
      expiresOn: null,
      disclosingProgramId: null,
      purposes: [],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.recipient.name',
        'body.purposes',
        'body.expiresOn',
        'body.disclosingProgramId',
      ]),
    );
    const noRecipient = await request(
      'POST',
      `${CLIENTS}/${client.id}/consents`,
      bhSupervisor.token,
      part2Consent({ type: 'team' }),
    );
    expect(noRecipient.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'body.recipient.id',
    ]);
    const count = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM clients.consents WHERE client_id = ${client.id}`.execute(t.database.db);
    expect(count.rows[0]?.n).toBe('4');
  });

  it('lets only the disclosing program’s staff record or revoke a Part 2 consent', async () => {
    const attempt = await request(
      'POST',
      `${CLIENTS}/${client.id}/consents`,
      cfsWorker.token,
      part2Consent({ type: 'team', id: DEMO_TEAM_IDS.cfs }),
    );
    expect(attempt.statusCode).toBe(403);

    const consent = await grant(part2Consent({ type: 'team', id: DEMO_TEAM_IDS.cfs }));
    // Now named by the consent, the CFS worker sees it, but still may not revoke it.
    const byRecipient = await request(
      'POST',
      `${CLIENTS}/${client.id}/consents/${consent.id}/revoke`,
      cfsWorker.token,
      { reason: 'Asked to' },
      { 'if-match': '"1"' },
    );
    expect(byRecipient.statusCode).toBe(403);
    const stale = await request(
      'POST',
      `${CLIENTS}/${client.id}/consents/${consent.id}/revoke`,
      bhSupervisor.token,
      { reason: 'Asked to' },
      { 'if-match': '"7"' },
    );
    expect(stale.statusCode).toBe(412);
    expect((await revoke(consent)).statusCode).toBe(201);
  });

  // 01:00 UTC on 1 December is 19:00 on 30 November in Chicago (CST, UTC−6); midnight is 06:00 UTC.
  it('holds a consent expiring 30 November until midnight in the agency’s zone, not 18:00 when UTC’s day turns', async () => {
    const reader = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    const consent = await grant(part2Consent({ type: 'user', id: reader.id }));
    await sql`UPDATE clients.consents SET effective_from = '2026-11-01', expires_on = '2026-11-30'
              WHERE id = ${consent.id}`.execute(t.database.db);
    const named: Principal = {
      kind: 'user',
      id: reader.id,
      sessionId: null,
      agencyId: DEMO_AGENCY.id,
      teamIds: [],
      programIds: [],
      roles: ['case_manager'],
      grants: {},
      amr: ['pwd'],
    };
    const privacy = t.app.get(ClientPrivacy);
    const clock = t.app.get(AgencyClock);
    const standing = async (instant: string) =>
      (await t.app.get(ConsentsRepository).findConsent(consent.id, clock.today(new Date(instant))))?.status;

    for (const instant of ['2026-11-30T23:30:00Z', '2026-12-01T01:00:00Z', '2026-12-01T05:59:59Z']) {
      expect(await privacy.hasPart2Consent(named, client.id, new Date(instant)), instant).toBe(true);
      expect(await standing(instant), instant).toBe('active');
    }
    expect(await privacy.hasPart2Consent(named, client.id, new Date('2026-12-01T06:00:00Z'))).toBe(false);
    expect(await standing('2026-12-01T06:00:00Z')).toBe('expired');
    await revoke(consent);
  });
});
