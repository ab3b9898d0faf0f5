import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { ROLE_CATALOG } from '../../src/modules/identity/roles.catalog.js';
import { PART2_REDISCLOSURE_NOTICE } from '../../src/modules/clients/part2.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  BH_PROGRAM,
  OTHER_AGENCY,
  registerClient,
  staff,
  type ClientView,
  type Staff,
} from './clients-helpers.js';

const CLIENTS = '/api/v1/clients';
const REASON = 'Client brought to the crisis unit unresponsive; need current medications';

interface Grant {
  id: string;
  clientId: string;
  userId: string;
  reason: string;
  purposeOfUse: string;
  grantedAt: string;
  expiresAt: string;
}
interface Review {
  id: string;
  status: string;
  breakGlass: Grant;
  reviewerId: string | null;
  outcome: string | null;
  version: number;
}

describe('clients: break-the-glass and its privacy review', () => {
  let t: TestApp;
  let cfsWorker: Staff;
  let ltcClinician: Staff;
  let privacyOfficer: Staff;
  let client: ClientView;

  beforeAll(async () => {
    t = await startTestApp();
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    ltcClinician = await staff(t, 'clinician', DEMO_TEAM_IDS.ltc);
    privacyOfficer = await staff(t, 'privacy_officer', null);
    client = await registerClient(t, cfsWorker.token, { givenName: 'Sam', familyName: 'Glass' });
    const enrolled = await t.http.request({
      method: 'POST',
      url: `${CLIENTS}/${client.id}/enrollments`,
      token: cfsWorker.token,
      body: { programId: BH_PROGRAM, startDate: '2026-01-05', reason: 'Opioid treatment', part2: true },
    });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (token: string, url: string, headers: Record<string, string> = {}) =>
    t.http.request({ method: 'GET', url, token, headers });
  const breakGlass = (who: Staff, clientId: string, body: object) =>
    t.http.request({ method: 'POST', url: `${CLIENTS}/${clientId}/break-glass`, token: who.token, body });
  const openReviews = async () => {
    const res = await get(privacyOfficer.token, `${CLIENTS}/privacy-reviews?status=open`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Review[] }>().items;
  };
  const review = (who: Staff | { token: string }, item: Review, body: object) =>
    t.http.request({
      method: 'POST',
      url: `${CLIENTS}/privacy-reviews/${item.id}/review`,
      token: who.token,
      headers: { 'if-match': `"${item.version}"` },
      body,
    });

  it('lets a clinician outside the client’s scope read it for a while after stating why, audited with the reason', async () => {
    const denied = await get(ltcClinician.token, `${CLIENTS}/${client.id}`, { 'x-request-id': 'bg-denied' });
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('break-the-glass');

    expect((await breakGlass(ltcClinician, client.id, { reason: 'emergency' })).statusCode).toBe(400);

    const granted = await breakGlass(ltcClinician, client.id, { reason: REASON });
    expect(granted.statusCode, granted.body).toBe(201);
    const grant = granted.json<Grant>();
    expect(grant).toMatchObject({
      clientId: client.id,
      userId: ltcClinician.id,
      reason: REASON,
      purposeOfUse: 'ETREAT',
    });
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(60 * 60_000);

    const read = await get(ltcClinician.token, `${CLIENTS}/${client.id}`, { 'x-request-id': 'bg-read' });
    expect(read.statusCode).toBe(200);
    expect(read.json<ClientView>().access).toBe('break_glass');
    // Emergency access covers the Part 2 enrolment (42 CFR 2.51), with the redisclosure notice.
    const enrollments = await get(ltcClinician.token, `${CLIENTS}/${client.id}/enrollments`, {
      'x-request-id': 'bg-enrollments',
    });
    expect(enrollments.json()).toMatchObject({
      items: [expect.objectContaining({ programId: BH_PROGRAM, part2: true })],
      withheld: 0,
      redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
    });
    // Reads only: the grant does not let them change the record.
    const patch = await t.http.request({
      method: 'PATCH',
      url: `${CLIENTS}/${client.id}`,
      token: ltcClinician.token,
      headers: { 'if-match': `"${client.version}"` },
      body: { preferredName: 'Sammy' },
    });
    expect(patch.statusCode).toBe(403);

    const audit = await sql<{
      request_id: string;
      action: string;
      outcome: string;
      reason: string;
      purpose_of_use: string;
    }>`
      SELECT request_id, action, outcome, reason, purpose_of_use FROM audit.audit_logs
      WHERE actor_id = ${ltcClinician.id} AND resource_id = ${client.id} ORDER BY seq`.execute(t.database.db);
    const byRequest = Object.fromEntries(audit.rows.map((r) => [r.request_id, r]));
    expect(byRequest['bg-denied']).toMatchObject({ outcome: 'denied', purpose_of_use: 'TREAT' });
    const underGrant = { outcome: 'allowed', reason: `break-the-glass: ${REASON}`, purpose_of_use: 'ETREAT' };
    expect(byRequest['bg-read']).toMatchObject({ action: 'clients.clients.read', ...underGrant });
    expect(byRequest['bg-enrollments']).toMatchObject({ action: 'clients.clients.read', ...underGrant });
    const requests = audit.rows.filter((r) => r.action === 'clients.break_glass.request');
    expect(requests.map((r) => r.outcome)).toEqual(['error', 'allowed']);
    expect(requests[1]).toMatchObject(underGrant);

    const event = await sql<{ payload: unknown }>`
      SELECT payload FROM platform.outbox WHERE topic = 'clients.break_glass.granted'`.execute(t.database.db);
    const payloads = event.rows.map((r) =>
      typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    );
    expect(payloads).toContainEqual(
      expect.objectContaining({ breakGlassId: grant.id, clientId: client.id, userId: ltcClinician.id }),
    );
    expect(JSON.stringify(payloads)).not.toContain(REASON);

    const mine = await get(ltcClinician.token, `${CLIENTS}/break-glass/mine`);
    expect(mine.json<{ items: Grant[] }>().items.map((g) => g.id)).toEqual([grant.id]);

    const queued = (await openReviews()).find((r) => r.breakGlass.id === grant.id);
    expect(queued).toMatchObject({ status: 'open', breakGlass: { reason: REASON, userId: ltcClinician.id } });
  });

  it('ends access when the grant expires', async () => {
    const other = await registerClient(t, cfsWorker.token, { familyName: 'Expiry' });
    const granted = (await breakGlass(ltcClinician, other.id, { reason: REASON })).json<Grant>();
    expect((await get(ltcClinician.token, `${CLIENTS}/${other.id}`)).statusCode).toBe(200);

    await sql`UPDATE clients.break_glass SET granted_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
              WHERE id = ${granted.id}`.execute(t.database.db);
    expect((await get(ltcClinician.token, `${CLIENTS}/${other.id}`)).statusCode).toBe(403);
    const mine = await get(ltcClinician.token, `${CLIENTS}/break-glass/mine`);
    expect(mine.json<{ items: Grant[] }>().items.map((g) => g.id)).not.toContain(granted.id);
  });

  it('refuses break-the-glass for a client already in scope, and hides another agency’s client', async () => {
    const inScope = await breakGlass(cfsWorker, client.id, { reason: REASON });
    expect(inScope.statusCode).toBe(409);
    expect(inScope.body).toContain('not needed');

    const elsewhere = await staff(t, 'clinician', DEMO_TEAM_IDS.ltc, { agencyId: OTHER_AGENCY });
    expect((await breakGlass(elsewhere, client.id, { reason: REASON })).statusCode).toBe(404);

    const rows = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM clients.break_glass WHERE user_id IN (${cfsWorker.id}, ${elsewhere.id})`.execute(
      t.database.db,
    );
    expect(rows.rows[0]?.n).toBe('0');
  });

  it('lets the privacy officer review each grant once, saying why when it was inappropriate', async () => {
    const item = (await openReviews()).find((r) => r.breakGlass.userId === ltcClinician.id);
    if (!item) throw new Error('no open review');
    expect((await review(privacyOfficer, item, { outcome: 'inappropriate' })).statusCode).toBe(400);
    expect((await review(ltcClinician, item, { outcome: 'appropriate' })).statusCode).toBe(403);

    const done = await review(privacyOfficer, item, {
      outcome: 'appropriate',
      notes: 'Crisis unit record confirms',
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({
      status: 'reviewed',
      outcome: 'appropriate',
      reviewerId: privacyOfficer.id,
    });
    expect((await review(privacyOfficer, item, { outcome: 'appropriate' })).statusCode).toBe(409);
    expect((await openReviews()).map((r) => r.id)).not.toContain(item.id);

    const reviewed = await get(privacyOfficer.token, `${CLIENTS}/privacy-reviews?status=reviewed`);
    expect(reviewed.json<{ items: Review[] }>().items.map((r) => r.id)).toContain(item.id);
  });

  it('does not let a privacy officer review their own break-the-glass', async () => {
    // Someone who both sees clients and reviews privacy: both roles' grants.
    const grants = Object.fromEntries(
      ROLE_CATALOG.filter((r) => r.name === 'clinician' || r.name === 'privacy_officer').flatMap((r) =>
        Object.entries(r.grants),
      ),
    );
    const id = '0de70000-0000-4000-8000-0000000db0a1';
    const dualRole = {
      id,
      token: await t.token({
        sub: id,
        agency: DEMO_AGENCY.id,
        teams: [DEMO_TEAM_IDS.ltc],
        roles: ['clinician', 'privacy_officer'],
        grants,
        amr: ['pwd', 'otp'],
      }),
      teamIds: [DEMO_TEAM_IDS.ltc],
      programIds: [],
    };
    const granted = await breakGlass(dualRole, client.id, { reason: REASON });
    expect(granted.statusCode, granted.body).toBe(201);
    const item = (await openReviews()).find((r) => r.breakGlass.id === granted.json<Grant>().id);
    if (!item) throw new Error('no open review');

    const ownReview = await review(dualRole, item, { outcome: 'appropriate' });
    expect(ownReview.statusCode).toBe(403);
    expect(ownReview.body).toContain('your own');
    expect((await review(privacyOfficer, item, { outcome: 'appropriate' })).statusCode).toBe(201);
  });

  it('keeps another agency’s review queue out of reach', async () => {
    const officerElsewhere = await staff(t, 'privacy_officer', null, { agencyId: OTHER_AGENCY });
    const queue = await get(officerElsewhere.token, `${CLIENTS}/privacy-reviews`);
    expect(queue.json<{ items: Review[] }>().items).toEqual([]);
    const [item] = (await get(privacyOfficer.token, `${CLIENTS}/privacy-reviews`)).json<{ items: Review[] }>()
      .items;
    if (!item) throw new Error('no review');
    expect((await review(officerElsewhere, item, { outcome: 'appropriate' })).statusCode).toBe(404);
  });

  it('pages the review queue', async () => {
    const first = await get(privacyOfficer.token, `${CLIENTS}/privacy-reviews?limit=1`);
    const page1 = first.json<{ items: Review[]; nextCursor: string | null }>();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const all = (await get(privacyOfficer.token, `${CLIENTS}/privacy-reviews`)).json<{ items: Review[] }>()
      .items;
    const second = await get(
      privacyOfficer.token,
      `${CLIENTS}/privacy-reviews?limit=1&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`,
    );
    expect(second.json<{ items: Review[] }>().items.map((r) => r.id)).toEqual([all[1]?.id]);
  });
});
