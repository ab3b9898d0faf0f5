import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROGRAM_IDS, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import {
  BH_PROGRAM,
  CFS_PROGRAM,
  OTHER_AGENCY,
  registerClient,
  staff,
  type Staff,
} from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CASES, openCase, problemType, type CaseView } from './cases-helpers.js';
import { flush } from './casework-helpers.js';

interface Referral {
  id: string;
  clientId: string;
  fromCaseId: string | null;
  fromProgramId: string | null;
  toProgramId: string;
  reason: string | null;
  urgency: string;
  part2: boolean;
  part2Withheld: boolean;
  status: string;
  referredBy: string;
  decidedBy: string | null;
  declineReason: string | null;
  acceptedCaseId: string | null;
}

describe('referrals between programs: made from a case, accepted or declined by the receiving program', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let cfsWorker: Staff;
  let ltcWorker: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    ltcWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.ltc);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });
  const post = (token: string, url: string, body: unknown = {}) =>
    t.http.request({ method: 'POST', url, token, body });
  const bhCase = async (familyName: string, body: Record<string, unknown> = {}): Promise<CaseView> => {
    const client = await registerClient(t, bhWorker.token, { familyName });
    return openCase(t, bhWorker.token, { clientId: client.id, programId: BH_PROGRAM, ...body });
  };
  const refer = async (kase: CaseView, body: Record<string, unknown> = {}): Promise<Referral> => {
    const res = await post(bhWorker.token, `${CASES}/${kase.id}/referrals`, {
      toProgramId: CFS_PROGRAM,
      reason: 'Children in the home need family support.',
      urgency: 'urgent',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Referral>();
  };
  const incoming = async (token: string, query = '') => {
    const res = await get(token, `${CASES}/referrals?limit=200${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Referral[] }>().items;
  };

  it('opens a case in the receiving program when its worker accepts, linked to the referral', async () => {
    const kase = await bhCase('Referred');
    const referral = await refer(kase);
    expect(referral).toMatchObject({
      clientId: kase.clientId,
      fromCaseId: kase.id,
      fromProgramId: BH_PROGRAM,
      toProgramId: CFS_PROGRAM,
      status: 'pending',
      referredBy: bhWorker.id,
    });
    const twice = await post(bhWorker.token, `${CASES}/${kase.id}/referrals`, {
      toProgramId: CFS_PROGRAM,
      reason: 'Again',
      urgency: 'routine',
    });
    expect(problemType(twice)).toBe('referral-pending');
    const toItself = await post(bhWorker.token, `${CASES}/${kase.id}/referrals`, {
      toProgramId: BH_PROGRAM,
      reason: 'Same program',
      urgency: 'routine',
    });
    expect(toItself.statusCode).toBe(400);

    // The receiving program sees it; other programs do not, and cannot decide it.
    expect((await incoming(cfsWorker.token, '&status=pending')).map((r) => r.id)).toContain(referral.id);
    expect((await incoming(ltcWorker.token)).map((r) => r.id)).not.toContain(referral.id);
    expect((await incoming(bhWorker.token)).map((r) => r.id)).not.toContain(referral.id);
    const wrongProgram = await post(ltcWorker.token, `${CASES}/referrals/${referral.id}/accept`, {
      riskLevel: 'moderate',
    });
    expect(wrongProgram.statusCode).toBe(403);
    expect((await get(cfsWorker.token, `/api/v1/clients/${kase.clientId}`)).statusCode).toBe(403);

    const accepted = await post(cfsWorker.token, `${CASES}/referrals/${referral.id}/accept`, {
      riskLevel: 'high',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const decided = accepted.json<Referral>();
    expect(decided).toMatchObject({ status: 'accepted', decidedBy: cfsWorker.id });
    expect(decided.acceptedCaseId).not.toBeNull();

    const opened = await get(cfsWorker.token, `${CASES}/${decided.acceptedCaseId ?? ''}`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({
      clientId: kase.clientId,
      programId: CFS_PROGRAM,
      teamId: DEMO_TEAM_IDS.cfs,
      assignedWorkerId: cfsWorker.id,
      riskLevel: 'high',
      type: 'intake',
      status: 'open',
    });
    const history = await get(cfsWorker.token, `${CASES}/${decided.acceptedCaseId ?? ''}/assignments`);
    expect(history.json<{ items: { kind: string; reason: string }[] }>().items).toEqual([
      expect.objectContaining({ kind: 'opened', reason: 'Referral accepted' }),
    ]);
    // The referring case still stands, and lists the referral as accepted.
    const fromCase = await get(bhWorker.token, `${CASES}/${kase.id}/referrals`);
    expect(fromCase.json<{ items: Referral[] }>().items).toEqual([
      expect.objectContaining({
        id: referral.id,
        status: 'accepted',
        acceptedCaseId: decided.acceptedCaseId,
      }),
    ]);
    const again = await post(cfsWorker.token, `${CASES}/referrals/${referral.id}/accept`, {
      riskLevel: 'low',
    });
    expect(problemType(again)).toBe('referral-decided');

    // The new case's worker now serves the client.
    await flush(t);
    expect((await get(cfsWorker.token, `/api/v1/clients/${kase.clientId}`)).statusCode).toBe(200);
  });

  it('records one referral when the same one is made several times at once; the others get 409, not 500', async () => {
    const kase = await bhCase('Raced referral');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(bhWorker.token, `${CASES}/${kase.id}/referrals`, {
          toProgramId: CFS_PROGRAM,
          reason: 'Family support',
          urgency: 'routine',
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.statusCode === 409)) {
      expect(problemType(refused)).toBe('referral-pending');
    }
  });

  it('declines with a reason, and lets the referring side withdraw a pending referral', async () => {
    const kase = await bhCase('Declined');
    const referral = await refer(kase, { toProgramId: DEMO_PROGRAM_IDS.ltc, urgency: 'routine' });
    const noReason = await post(ltcWorker.token, `${CASES}/referrals/${referral.id}/decline`, {});
    expect(noReason.statusCode).toBe(400);
    const declined = await post(ltcWorker.token, `${CASES}/referrals/${referral.id}/decline`, {
      reason: 'Client is under 60; not eligible for long-term care.',
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({
      status: 'declined',
      declineReason: 'Client is under 60; not eligible for long-term care.',
      acceptedCaseId: null,
    });

    const second = await refer(kase);
    const notTheirs = await post(cfsWorker.token, `${CASES}/${kase.id}/referrals/${second.id}/withdraw`);
    expect(notTheirs.statusCode).toBe(403);
    const withdrawn = await post(bhWorker.token, `${CASES}/${kase.id}/referrals/${second.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await incoming(cfsWorker.token, '&status=pending')).map((r) => r.id)).not.toContain(second.id);
    const late = await post(cfsWorker.token, `${CASES}/referrals/${second.id}/accept`, { riskLevel: 'low' });
    expect(problemType(late)).toBe('referral-decided');
  });

  it('withholds where a referral from a Part 2 case comes from, and why, from the receiving program', async () => {
    const kase = await bhCase('Part two', { part2: true });
    const referral = await refer(kase, { reason: 'Opioid treatment; children need support.' });
    expect(referral.part2).toBe(true);
    const seen = (await incoming(cfsWorker.token)).find((r) => r.id === referral.id);
    expect(seen).toMatchObject({
      part2: true,
      part2Withheld: true,
      reason: null,
      fromCaseId: null,
      fromProgramId: null,
      toProgramId: CFS_PROGRAM,
    });
  });

  it('keeps referrals out of reach of other agencies and of staff without the case', async () => {
    const kase = await bhCase('Guarded');
    const referral = await refer(kase);
    expect((await get(cfsWorker.token, `${CASES}/${kase.id}/referrals`)).statusCode).toBe(403);
    expect(
      (
        await post(cfsWorker.token, `${CASES}/${kase.id}/referrals`, {
          toProgramId: DEMO_PROGRAM_IDS.ltc,
          reason: 'Not my case',
          urgency: 'routine',
        })
      ).statusCode,
    ).toBe(403);
    const elsewhere = await staff(t, 'supervisor', DEMO_TEAM_IDS.cfs, { agencyId: OTHER_AGENCY });
    expect(await incoming(elsewhere.token)).toEqual([]);
    const foreign = await post(elsewhere.token, `${CASES}/referrals/${referral.id}/accept`, {
      riskLevel: 'low',
    });
    expect(foreign.statusCode).toBe(404);
  });
});
