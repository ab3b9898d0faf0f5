import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/modules/clients/details.service.js';
import { PART2_REDISCLOSURE_NOTICE } from '../../src/modules/clients/part2.js';
import { documentDateFor } from '../../src/modules/documents/retention.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import type { AuditTables } from '../../src/platform/audit/audit.schema.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import { AgencyClock } from '../../src/platform/time/agency-clock.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { openCase } from '../cases/cases-helpers.js';
import {
  BH_PROGRAM,
  CFS_PROGRAM,
  OTHER_AGENCY,
  registerClient,
  staff,
  type Staff,
} from '../clients/clients-helpers.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  DOCUMENTS,
  documentsDb,
  localBlobs,
  multipartBody,
  pdf,
  problemType,
  rowCounts,
  upload,
  uploaded,
  type DocumentList,
  type DocumentView,
} from './documents-helpers.js';

/** The agency's today plus `offset` days (the API judges dates by the agency's days). */
const day = (offset: number) => addDays(agencyToday(), offset);

describe('a document is dated by the agency’s day, not UTC’s', () => {
  const chicago = new AgencyClock('America/Chicago');

  it('dates an upload at 19:00 in Chicago on 30 November (01:00 UTC on 1 December) 30 November', () => {
    const today = chicago.today(new Date('2026-12-01T01:00:00Z'));
    expect(documentDateFor(undefined, today)).toBe('2026-11-30');
    expect(documentDateFor('2026-11-30', today)).toBe('2026-11-30');
    expect(documentDateFor('2026-12-01', today)).toBeNull(); // the future, there
    const afterMidnight = chicago.today(new Date('2026-12-01T06:00:00Z'));
    expect(documentDateFor(undefined, afterMidnight)).toBe('2026-12-01');
  });
});

describe('documents: who may see them, Part 2, deletion, legal holds, versions and merges', () => {
  let t: TestApp;
  let dataDir: string;
  let bhWorker: Staff;
  let crisisWorker: Staff;
  let cfsWorker: Staff;
  let bhSupervisor: Staff;
  let privacyOfficer: Staff;
  let outsider: Staff;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ehrms-documents-'));
    t = await startTestApp({ DATA_DIR: dataDir });
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    crisisWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhCrisis);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    bhSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
    privacyOfficer = await staff(t, 'privacy_officer', null);
    outsider = await staff(t, 'case_manager', '0de70000-0000-4000-8000-0000000000c8', {
      agencyId: OTHER_AGENCY,
      programIds: [],
    });
  });
  afterAll(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (who: Staff, url: string, headers: Record<string, string> = {}) =>
    t.http.request({ method: 'GET', url, token: who.token, headers });
  const post = (who: Staff, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.http.request({ method: 'POST', url, token: who.token, body: body ?? {}, headers });
  const listOf = async (who: Staff, query: string) => {
    const res = await get(who, `${DOCUMENTS}?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<DocumentList>();
  };
  const ids = (list: DocumentList) => list.items.map((d) => d.id).sort();
  const flush = () => t.app.get(OutboxDispatcher).flush();
  const ifMatch = (doc: { version: number }) => ({ 'if-match': `"${doc.version}"` });
  const enrol = async (who: Staff, clientId: string, programId: string, part2 = false) => {
    const res = await post(who, `/api/v1/clients/${clientId}/enrollments`, {
      programId,
      startDate: day(-60),
      reason: 'Referral',
      part2,
    });
    expect(res.statusCode, res.body).toBe(201);
  };

  it('a case manager cannot download another team’s client’s document, nor find it in a list', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Teamwork' });
    const doc = await uploaded(t, bhWorker.token, { clientId: client.id, title: 'Housing application' });
    expect(doc).toMatchObject({
      clientId: client.id,
      caseId: null,
      agencyId: DEMO_AGENCY.id,
      access: 'scope',
    });

    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`)).statusCode).toBe(200);
    expect(ids(await listOf(bhWorker, `clientId=${client.id}`))).toEqual([doc.id]);

    const download = await get(cfsWorker, `${DOCUMENTS}/${doc.id}/content`);
    expect(download.statusCode).toBe(403);
    expect(download.headers['content-disposition']).toBeUndefined();
    expect((await get(cfsWorker, `${DOCUMENTS}/${doc.id}`)).statusCode).toBe(403);
    expect((await get(cfsWorker, `${DOCUMENTS}?clientId=${client.id}`)).statusCode).toBe(403);
    // Another agency does not learn that the document exists.
    expect((await get(outsider, `${DOCUMENTS}/${doc.id}/content`)).statusCode).toBe(404);
    expect(problemType(await get(outsider, `${DOCUMENTS}/${doc.id}`))).toBe('not-found');
    // Nor may anyone outside the team file documents for the client.
    const foreignUpload = await upload(
      t,
      cfsWorker.token,
      { clientId: client.id, title: 'X', category: 'other' },
      {
        bytes: pdf(),
      },
    );
    expect(foreignUpload.statusCode).toBe(403);
  });

  it('break-the-glass lets a worker outside the team read a client’s documents, audited, but not file any', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Emergency' });
    const openCaseOf = await openCase(t, bhWorker.token, { clientId: client.id, programId: BH_PROGRAM });
    const clientDoc = await uploaded(t, bhWorker.token, { clientId: client.id, title: 'Allergy list' });
    const caseDoc = await uploaded(t, bhWorker.token, { caseId: openCaseOf.id, title: 'Crisis plan' });
    expect((await get(cfsWorker, `${DOCUMENTS}/${clientDoc.id}`)).statusCode).toBe(403);

    const glass = await post(cfsWorker, `/api/v1/clients/${client.id}/break-glass`, {
      reason: 'Client brought to the ER unconscious, need the allergy list',
    });
    expect(glass.statusCode, glass.body).toBe(201);
    const read = await get(cfsWorker, `${DOCUMENTS}/${clientDoc.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<DocumentView>().access).toBe('break_glass');
    expect((await get(cfsWorker, `${DOCUMENTS}/${caseDoc.id}/content`)).statusCode).toBe(200);
    expect(ids(await listOf(cfsWorker, `clientId=${client.id}`))).toEqual([clientDoc.id, caseDoc.id].sort());
    const audited = await t.database.db
      .withTables<AuditTables>()
      .selectFrom('audit.audit_logs')
      .select(['reason', 'purpose_of_use'])
      .where('resource_id', '=', clientDoc.id)
      .where('actor_id', '=', cfsWorker.id)
      .where('outcome', '=', 'allowed')
      .executeTakeFirstOrThrow();
    expect(audited.reason).toContain('break-the-glass');
    expect(audited.purpose_of_use).toBe('ETREAT');
    const filing = await upload(
      t,
      cfsWorker.token,
      { clientId: client.id, title: 'X', category: 'other' },
      { bytes: pdf() },
    );
    expect(filing.statusCode).toBe(403);
  });

  it('a document of a case is reached through the case: other teams’ case documents stay out of the client’s list', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Twocases' });
    await enrol(bhWorker, client.id, BH_PROGRAM);
    const outpatientCase = await openCase(t, bhWorker.token, { clientId: client.id, programId: BH_PROGRAM });
    const crisisCase = await openCase(t, bhSupervisor.token, {
      clientId: client.id,
      programId: BH_PROGRAM,
      teamId: DEMO_TEAM_IDS.bhCrisis,
      workerId: null,
    });
    await flush();
    const outpatientDoc = await uploaded(t, bhWorker.token, { caseId: outpatientCase.id, title: 'Plan' });
    const crisisDoc = await uploaded(t, bhSupervisor.token, { caseId: crisisCase.id, title: 'Safety plan' });
    const clientDoc = await uploaded(t, bhSupervisor.token, { clientId: client.id, category: 'id_card' });
    expect(crisisDoc).toMatchObject({
      caseId: crisisCase.id,
      clientId: client.id,
      owningProgramId: BH_PROGRAM,
    });

    expect(ids(await listOf(bhWorker, `clientId=${client.id}`))).toEqual(
      [outpatientDoc.id, clientDoc.id].sort(),
    );
    expect(ids(await listOf(crisisWorker, `clientId=${client.id}`))).toEqual(
      [crisisDoc.id, clientDoc.id].sort(),
    );
    expect(ids(await listOf(bhSupervisor, `clientId=${client.id}`))).toEqual(
      [outpatientDoc.id, crisisDoc.id, clientDoc.id].sort(),
    );
    expect(ids(await listOf(bhWorker, `caseId=${outpatientCase.id}`))).toEqual([outpatientDoc.id]);
    expect((await get(bhWorker, `${DOCUMENTS}?caseId=${crisisCase.id}`)).statusCode).toBe(403);
    expect((await get(bhWorker, `${DOCUMENTS}/${crisisDoc.id}/content`)).statusCode).toBe(403);
    expect(ids(await listOf(bhWorker, `clientId=${client.id}&category=id_card`))).toEqual([clientDoc.id]);

    // A case's documents are its client's: naming another client is refused.
    const other = await registerClient(t, bhWorker.token, { familyName: 'Other' });
    const mismatch = await upload(
      t,
      bhWorker.token,
      { caseId: outpatientCase.id, clientId: other.id, title: 'Wrong', category: 'other' },
      { bytes: pdf() },
    );
    expect(mismatch.statusCode).toBe(400);
    expect(JSON.stringify(mismatch.json())).toContain('body.clientId');
  });

  it('pages a long list newest first', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Paging' });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await uploaded(t, bhWorker.token, { clientId: client.id })).id);
    const first = await listOf(bhWorker, `clientId=${client.id}&limit=3`);
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await listOf(bhWorker, `clientId=${client.id}&limit=3&cursor=${first.nextCursor ?? ''}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((d) => d.id)).toEqual([...made].reverse());
  });

  it('withholds a Part 2 document from staff outside its program until a Part 2 consent names them', async () => {
    // A CFS client who is also in substance use treatment in the BH program (a Part 2 program).
    const client = await registerClient(t, cfsWorker.token, { givenName: 'Rosa', familyName: 'Diaz' });
    await enrol(cfsWorker, client.id, CFS_PROGRAM);
    await enrol(cfsWorker, client.id, BH_PROGRAM, true);
    const plain = await uploaded(t, cfsWorker.token, { clientId: client.id, title: 'School letter' });
    const res = await upload(
      t,
      bhSupervisor.token,
      {
        clientId: client.id,
        title: 'SUD assessment',
        category: 'assessment',
        part2: 'true',
        owningProgramId: BH_PROGRAM,
      },
      { bytes: pdf() },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['x-redisclosure-notice']).toBe('42-CFR-2.32');
    const secret = res.json<DocumentView>();
    expect(secret).toMatchObject({
      part2: true,
      owningProgramId: BH_PROGRAM,
      redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
    });

    const hidden = await listOf(cfsWorker, `clientId=${client.id}`);
    expect(ids(hidden)).toEqual([plain.id]);
    expect(hidden).toMatchObject({ withheld: 1, redisclosureNotice: null });
    expect(problemType(await get(cfsWorker, `${DOCUMENTS}/${secret.id}`))).toBe('part2-consent-required');
    const refused = await get(cfsWorker, `${DOCUMENTS}/${secret.id}/content`);
    expect(refused.statusCode).toBe(403);
    expect(refused.rawPayload.toString()).not.toContain('%PDF');

    const consent = await post(bhSupervisor, `/api/v1/clients/${client.id}/consents`, {
      kind: 'part2',
      recipient: { type: 'user', id: cfsWorker.id },
      purposes: ['TREAT'],
      categories: ['substance_use'],
      disclosingProgramId: BH_PROGRAM,
      effectiveFrom: day(-1),
      expiresOn: day(300),
      signedOn: day(-1),
      signedBy: { name: 'Rosa Diaz', relationship: 'self' },
    });
    expect(consent.statusCode, consent.body).toBe(201);
    const shown = await listOf(cfsWorker, `clientId=${client.id}`);
    expect(ids(shown)).toEqual([plain.id, secret.id].sort());
    expect(shown).toMatchObject({ withheld: 0, redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
    const disclosed = await get(cfsWorker, `${DOCUMENTS}/${secret.id}/content`);
    expect(disclosed.statusCode).toBe(200);
    expect(disclosed.headers['x-redisclosure-notice']).toBe('42-CFR-2.32');
  });

  it('files a Part 2 case’s documents as Part 2 records of its program', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Recovery' });
    const part2Case = await openCase(t, bhWorker.token, {
      clientId: client.id,
      programId: BH_PROGRAM,
      part2: true,
    });
    const doc = await uploaded(t, bhWorker.token, { caseId: part2Case.id });
    expect(doc).toMatchObject({ part2: true, owningProgramId: BH_PROGRAM, clientId: client.id });
    const refused = await upload(
      t,
      bhWorker.token,
      { caseId: part2Case.id, title: 'Not Part 2?', category: 'other', part2: 'false' },
      { bytes: pdf() },
    );
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json())).toContain('body.part2');
    // Part 2 needs the holding program when no case names it.
    const unheld = await upload(
      t,
      bhWorker.token,
      { clientId: client.id, title: 'SUD', category: 'assessment', part2: 'true' },
      { bytes: pdf() },
    );
    expect(unheld.statusCode).toBe(400);
    expect(JSON.stringify(unheld.json())).toContain('body.owningProgramId');
  });

  it('a legal hold blocks deletion until released; deletion is soft and can be undone', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Litigant' });
    const doc = await uploaded(t, bhWorker.token, { clientId: client.id, category: 'court_order' });
    const del = (version: number) =>
      t.http.request({
        method: 'DELETE',
        url: `${DOCUMENTS}/${doc.id}`,
        token: bhWorker.token,
        body: { reason: 'Filed under the wrong client' },
        headers: { 'if-match': `"${version}"` },
      });

    // Case managers do not place holds; the privacy officer does, for the whole agency.
    expect(
      (
        await post(
          bhWorker,
          `${DOCUMENTS}/${doc.id}/legal-hold`,
          { hold: true, reason: 'Case 2026-CV-1' },
          ifMatch(doc),
        )
      ).statusCode,
    ).toBe(403);
    const noReason = await post(
      privacyOfficer,
      `${DOCUMENTS}/${doc.id}/legal-hold`,
      { hold: true },
      ifMatch(doc),
    );
    expect(noReason.statusCode).toBe(400);
    const held = await post(
      privacyOfficer,
      `${DOCUMENTS}/${doc.id}/legal-hold`,
      { hold: true, reason: 'Case 2026-CV-1' },
      ifMatch(doc),
    );
    expect(held.statusCode, held.body).toBe(200);
    const hold = held.json<{ legalHold: { reason: string; setBy: string }; version: number }>();
    expect(hold.legalHold).toMatchObject({ reason: 'Case 2026-CV-1', setBy: privacyOfficer.id });
    expect(held.body).not.toContain(doc.title);

    const refused = await del(hold.version);
    expect(refused.statusCode).toBe(409);
    expect(problemType(refused)).toBe('legal-hold');
    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`)).statusCode).toBe(200);

    const released = await post(
      privacyOfficer,
      `${DOCUMENTS}/${doc.id}/legal-hold`,
      { hold: false },
      { 'if-match': `"${hold.version}"` },
    );
    expect(released.statusCode, released.body).toBe(200);
    const afterRelease = released.json<{ legalHold: null; version: number }>();
    expect(afterRelease.legalHold).toBeNull();

    expect((await del(1)).statusCode).toBe(412);
    const missingIfMatch = await t.http.request({
      method: 'DELETE',
      url: `${DOCUMENTS}/${doc.id}`,
      token: bhWorker.token,
      body: { reason: 'Filed under the wrong client' },
    });
    expect(missingIfMatch.statusCode).toBe(428);
    const deleted = await del(afterRelease.version);
    expect(deleted.statusCode, deleted.body).toBe(200);
    const gone = deleted.json<DocumentView>();
    expect(gone).toMatchObject({ status: 'deleted', deletionReason: 'Filed under the wrong client' });

    expect(ids(await listOf(bhWorker, `clientId=${client.id}`))).toEqual([]);
    expect(ids(await listOf(bhWorker, `clientId=${client.id}&includeDeleted=true`))).toEqual([doc.id]);
    const content = await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`);
    expect(content.statusCode).toBe(410);
    expect((await del(gone.version)).statusCode).toBe(409);

    const restored = await post(bhWorker, `${DOCUMENTS}/${doc.id}/restore`, undefined, ifMatch(gone));
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<DocumentView>()).toMatchObject({ status: 'active', deletionReason: null });
    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`)).statusCode).toBe(200);
    // The bytes were never removed.
    expect(await localBlobs(dataDir).contents()).toContain(
      `documents/${doc.id}/${(await blobKeyOf(doc.id, 1)).split('/')[2]}.blob`,
    );
  });

  it('keeps every version: a new upload becomes current, older ones stay downloadable', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Versions' });
    const first = pdf(5_000);
    const second = pdf(7_000);
    const doc = await uploaded(t, bhWorker.token, { clientId: client.id }, { bytes: first, name: 'v1.pdf' });
    const blobsBefore = await localBlobs(dataDir).contents();

    const stale = await upload(
      t,
      bhWorker.token,
      {},
      { bytes: second },
      {
        url: `${DOCUMENTS}/${doc.id}/versions`,
        headers: { 'if-match': `"${doc.version + 1}"` },
      },
    );
    expect(stale.statusCode).toBe(412);
    expect(await localBlobs(dataDir).contents()).toEqual(blobsBefore);

    const res = await upload(
      t,
      bhWorker.token,
      {},
      { bytes: second, name: 'v2.pdf' },
      {
        url: `${DOCUMENTS}/${doc.id}/versions`,
        headers: ifMatch(doc),
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    const updated = res.json<DocumentView>();
    expect(updated.currentVersion).toMatchObject({ number: 2, filename: 'v2.pdf', sizeBytes: second.length });
    expect(updated.versions?.map((v) => v.number)).toEqual([2, 1]);
    expect(updated.version).toBe(doc.version + 1);
    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`)).rawPayload.equals(second)).toBe(true);
    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content?version=1`)).rawPayload.equals(first)).toBe(
      true,
    );
    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content?version=3`)).statusCode).toBe(404);

    // A new version takes the file only.
    const withFields = await upload(
      t,
      bhWorker.token,
      { title: 'Renamed' },
      { bytes: second },
      {
        url: `${DOCUMENTS}/${doc.id}/versions`,
        headers: ifMatch(updated),
      },
    );
    expect(withFields.statusCode).toBe(400);
  });

  it('moves a merged client’s documents to the survivor, and exactly those back on unmerge', async () => {
    const survivor = await registerClient(t, bhSupervisor.token, { familyName: 'Survivor' });
    const duplicate = await registerClient(t, bhSupervisor.token, { familyName: 'Duplicate' });
    const onSurvivor = await uploaded(t, bhSupervisor.token, { clientId: survivor.id });
    const onDuplicate = await uploaded(t, bhSupervisor.token, { clientId: duplicate.id });

    const merged = await post(bhSupervisor, `/api/v1/clients/${survivor.id}/merge`, {
      duplicateId: duplicate.id,
      reason: 'Same person registered twice',
    });
    expect(merged.statusCode, merged.body).toBe(201);
    await flush();
    const clientOf = async (id: string) =>
      (await get(bhSupervisor, `${DOCUMENTS}/${id}`)).json<DocumentView>().clientId;
    expect(await clientOf(onDuplicate.id)).toBe(survivor.id);
    expect(ids(await listOf(bhSupervisor, `clientId=${survivor.id}`))).toEqual(
      [onSurvivor.id, onDuplicate.id].sort(),
    );
    // Filed after the merge through the old id: it belongs to the survivor and stays there.
    const later = await uploaded(t, bhSupervisor.token, { clientId: duplicate.id });
    expect(later.clientId).toBe(survivor.id);

    const unmerged = await post(
      bhSupervisor,
      `/api/v1/clients/merges/${merged.json<{ id: string }>().id}/unmerge`,
      {
        reason: 'Two different people',
      },
    );
    expect([200, 201], unmerged.body).toContain(unmerged.statusCode);
    await flush();
    expect(await clientOf(onDuplicate.id)).toBe(duplicate.id);
    expect(await clientOf(onSurvivor.id)).toBe(survivor.id);
    expect(await clientOf(later.id)).toBe(survivor.id);
    const moved = await outbox('documents.document.moved');
    expect(moved.filter((p) => p.documentId === onDuplicate.id)).toHaveLength(2);
    expect(
      moved.filter(
        (p) => p.documentId !== onDuplicate.id && [onSurvivor.id, later.id].includes(p.documentId),
      ),
    ).toEqual([]);
  });

  it('a provider’s documents go with the providers grant of the agency', async () => {
    const admin = await t.token({
      sub: '0de70000-0000-4000-8000-0000000000f9',
      agency: DEMO_AGENCY.id,
      grants: {
        'providers.providers.read': 'agency',
        'providers.providers.write': 'agency',
        'documents.documents.read': 'agency',
        'documents.documents.write': 'agency',
      },
    });
    const provider = await t.http.request({
      method: 'POST',
      url: '/api/v1/providers',
      token: admin,
      body: { kind: 'organization', name: 'Lakeside Clinic', npi: '1234567893' },
    });
    expect(provider.statusCode, provider.body).toBe(201);
    const providerId = provider.json<{ id: string }>().id;
    const doc = await uploaded(admin, { providerId, title: 'Signed contract', category: 'correspondence' });
    expect(doc).toMatchObject({ providerId, clientId: null, retentionClass: 'clinical_7y' });
    // Staff who may look up providers may read them; nobody can file one without the providers write grant.
    expect(ids(await listOf(bhWorker, `providerId=${providerId}`))).toEqual([doc.id]);
    expect((await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`)).statusCode).toBe(200);
    expect(
      (await upload(t, bhWorker.token, { providerId, title: 'X', category: 'other' }, { bytes: pdf() }))
        .statusCode,
    ).toBe(403);
    expect((await get(outsider, `${DOCUMENTS}/${doc.id}`)).statusCode).toBe(404);

    async function uploaded(token: string, fields: Record<string, string>): Promise<DocumentView> {
      const res = await upload(t, token, fields, { bytes: pdf() });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<DocumentView>();
    }
  });

  it('the agency admin files and reads providers’ documents with the providers grant, and no client’s', async () => {
    const admin = await staff(t, 'agency_admin', null);
    const billing = await staff(t, 'billing_specialist');
    const provider = await t.http.request({
      method: 'POST',
      url: '/api/v1/providers',
      token: admin.token,
      body: { kind: 'organization', name: 'Riverside Counseling', npi: '1245319599' },
    });
    expect(provider.statusCode, provider.body).toBe(201);
    const providerId = provider.json<{ id: string }>().id;
    const filed = await upload(
      t,
      admin.token,
      { providerId, title: 'State licence', category: 'other' },
      {
        bytes: pdf(),
      },
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const licence = filed.json<DocumentView>();
    expect(ids(await listOf(admin, `providerId=${providerId}`))).toEqual([licence.id]);
    expect((await get(admin, `${DOCUMENTS}/${licence.id}/content`)).statusCode).toBe(200);
    const renewed = await upload(
      t,
      admin.token,
      {},
      { bytes: pdf() },
      { url: `${DOCUMENTS}/${licence.id}/versions`, headers: ifMatch(licence) },
    );
    expect(renewed.statusCode, renewed.body).toBe(201);
    // Billing reads providers' documents (contracts) through its providers grant, and files none.
    expect((await get(billing, `${DOCUMENTS}/${licence.id}`)).statusCode).toBe(200);
    expect(
      (await upload(t, billing.token, { providerId, title: 'X', category: 'other' }, { bytes: pdf() }))
        .statusCode,
    ).toBe(403);

    // The providers grant opens the routes, never a client's or a case's documents.
    const client = await registerClient(t, bhWorker.token, { familyName: 'Adminproof' });
    const clientDoc = await uploaded(t, bhWorker.token, { clientId: client.id });
    for (const who of [admin, billing]) {
      expect((await get(who, `${DOCUMENTS}/${clientDoc.id}`)).statusCode).toBe(403);
      expect((await get(who, `${DOCUMENTS}/${clientDoc.id}/content`)).statusCode).toBe(403);
      expect((await get(who, `${DOCUMENTS}?clientId=${client.id}`)).statusCode).toBe(403);
    }
    const intoChart = await upload(
      t,
      admin.token,
      { clientId: client.id, title: 'X', category: 'other' },
      {
        bytes: pdf(),
      },
    );
    expect(intoChart.statusCode).toBe(403);
    const beside = await upload(
      t,
      admin.token,
      { clientId: client.id, providerId, title: 'X', category: 'other' },
      { bytes: pdf() },
    );
    expect(beside.statusCode).toBe(403);
    const removed = await t.http.request({
      method: 'DELETE',
      url: `${DOCUMENTS}/${clientDoc.id}`,
      token: admin.token,
      headers: ifMatch(clientDoc),
      body: { reason: 'Filed in error' },
    });
    expect(removed.statusCode).toBe(403);
    expect((await get(bhWorker, `${DOCUMENTS}/${clientDoc.id}`)).json<DocumentView>().status).toBe('active');
  });

  it('computes when a document may be destroyed from its retention class', async () => {
    const minor = await registerClient(t, bhWorker.token, { familyName: 'Young', birthDate: '2016-02-29' });
    const adult = await registerClient(t, bhWorker.token, { familyName: 'Grown', birthDate: '1970-05-01' });
    const minorsRecord = await uploaded(t, bhWorker.token, {
      clientId: minor.id,
      documentDate: '2024-03-01',
    });
    expect(minorsRecord).toMatchObject({ retentionClass: 'minor_until_25', destroyAfter: '2041-02-28' });
    const adultsRecord = await uploaded(t, bhWorker.token, {
      clientId: adult.id,
      documentDate: '2024-03-01',
    });
    expect(adultsRecord).toMatchObject({ retentionClass: 'clinical_7y', destroyAfter: '2031-03-01' });
    const card = await uploaded(t, bhWorker.token, {
      clientId: adult.id,
      category: 'insurance_card',
      documentDate: '2024-03-01',
    });
    expect(card).toMatchObject({ retentionClass: 'billing_10y', destroyAfter: '2034-03-01' });
    const order = await uploaded(t, bhWorker.token, { clientId: adult.id, category: 'court_order' });
    expect(order).toMatchObject({ retentionClass: 'permanent', destroyAfter: null, documentDate: day(0) });
    for (const days of [1, 30]) {
      const future = await upload(
        t,
        bhWorker.token,
        { clientId: adult.id, title: 'X', category: 'other', documentDate: day(days) },
        { bytes: pdf() },
      );
      expect(future.statusCode, `${days} days ahead`).toBe(400);
    }
  });

  it('refuses malformed uploads with nothing stored', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Malformed' });
    const before = { rows: await rowCounts(t), blobs: await localBlobs(dataDir).contents() };

    const unlinked = await upload(t, bhWorker.token, { title: 'Loose', category: 'other' }, { bytes: pdf() });
    expect(unlinked.statusCode).toBe(400);
    const noFile = await upload(
      t,
      bhWorker.token,
      { clientId: client.id, title: 'X', category: 'other' },
      null,
    );
    expect(noFile.statusCode).toBe(400);
    expect(JSON.stringify(noFile.json())).toContain('body.file');
    const badCategory = await upload(
      t,
      bhWorker.token,
      { clientId: client.id, title: 'X', category: 'memo' },
      { bytes: pdf() },
    );
    expect(JSON.stringify(badCategory.json())).toContain('body.category');

    // A field after the file: the upload is refused and the stored bytes removed.
    const { boundary, head, tail } = multipartBody(
      { clientId: client.id, title: 'X', category: 'other' },
      { bytes: Buffer.alloc(0) },
    );
    const trailing = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nlate\r\n`,
    );
    const late = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: DOCUMENTS,
        headers: {
          authorization: `Bearer ${bhWorker.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: Buffer.concat([head, pdf(), Buffer.from('\r\n'), trailing, tail.subarray(2)]),
      });
    expect(late.statusCode).toBe(400);

    // JSON is not an upload, and multipart is not accepted by other routes.
    const json = await t.http.request({
      method: 'POST',
      url: DOCUMENTS,
      token: bhWorker.token,
      body: { title: 'X' },
    });
    expect(json.statusCode).toBe(415);
    const multipartElsewhere = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/api/v1/clients',
        headers: {
          authorization: `Bearer ${bhWorker.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: Buffer.concat([head, pdf(), tail]),
      });
    expect(multipartElsewhere.statusCode).toBe(415);

    expect(await rowCounts(t)).toEqual(before.rows);
    expect(await localBlobs(dataDir).contents()).toEqual(before.blobs);
  });

  it('audits every access and announces changes with ids only', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Audited' });
    const doc = await uploaded(t, bhWorker.token, { clientId: client.id, title: 'Confidential letter' });
    const res = await get(bhWorker, `${DOCUMENTS}/${doc.id}/content`);
    expect(res.statusCode).toBe(200);
    await get(cfsWorker, `${DOCUMENTS}/${doc.id}/content`);
    const rows = await t.database.db
      .withTables<AuditTables>()
      .selectFrom('audit.audit_logs')
      .select(['action', 'resource_type', 'resource_id', 'actor_id', 'outcome'])
      .where('resource_id', '=', doc.id)
      .orderBy('seq')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'documents.documents.read',
          resource_type: 'documents.documents',
          actor_id: bhWorker.id,
          outcome: 'allowed',
        }),
        expect.objectContaining({
          action: 'documents.documents.read',
          actor_id: cfsWorker.id,
          outcome: 'denied',
        }),
      ]),
    );
    const uploadsAudited = await t.database.db
      .withTables<AuditTables>()
      .selectFrom('audit.audit_logs')
      .select(['action'])
      .where('resource_id', '=', doc.id)
      .where('action', '=', 'documents.documents.write')
      .execute();
    expect(uploadsAudited).toHaveLength(1);

    const [event] = (await outbox('documents.document.uploaded')).filter((p) => p.documentId === doc.id);
    expect(event).toEqual({
      documentId: doc.id,
      agencyId: DEMO_AGENCY.id,
      clientId: client.id,
      caseId: null,
      providerId: null,
      versionNumber: 1,
    });
  });

  function outbox(topic: string): Promise<{ documentId: string }[]> {
    return outboxPayloads(t, topic);
  }

  async function blobKeyOf(documentId: string, versionNumber: number): Promise<string> {
    const row = await documentsDb(t)
      .selectFrom('documents.document_versions')
      .select('blob_key')
      .where('document_id', '=', documentId)
      .where('version_number', '=', versionNumber)
      .executeTakeFirstOrThrow();
    return row.blob_key;
  }
});
