import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureIntact } from '../../src/modules/cases/case-note-signature.js';
import { CaseNotesRepository } from '../../src/modules/cases/case-notes.repository.js';
import { PART2_REDISCLOSURE_NOTICE } from '../../src/modules/clients/part2.js';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { BH_PROGRAM, registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  CASES,
  draftNote,
  hoursAgo,
  openCase,
  problemType,
  signNote,
  type CaseView,
  type NoteView,
} from './cases-helpers.js';

interface NoteList {
  items: NoteView[];
  nextCursor: string | null;
  withheld: number;
  redisclosureNotice: string | null;
}

describe('case notes: drafting, signing, addenda, co-signature and Part 2', () => {
  let t: TestApp;
  let worker: Staff;
  let colleague: Staff;
  let supervisor: Staff;
  let kase: CaseView;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    colleague = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    supervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
    const client = await registerClient(t, worker.token, { familyName: 'Noted' });
    kase = await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });
  });
  afterAll(async () => {
    await t.close();
  });

  const notesUrl = (caseId: string) => `${CASES}/${caseId}/notes`;
  const noteUrl = (note: NoteView) => `${notesUrl(note.caseId)}/${note.id}`;
  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });
  const patch = (token: string, note: NoteView, body: unknown, version = note.version) =>
    t.http.request({
      method: 'PATCH',
      url: noteUrl(note),
      token,
      headers: { 'if-match': `"${version}"` },
      body,
    });
  const action = (token: string, note: NoteView, verb: 'sign' | 'cosign', version = note.version) =>
    t.http.request({
      method: 'POST',
      url: `${noteUrl(note)}/${verb}`,
      token,
      headers: { 'if-match': `"${version}"` },
    });
  const list = async (token: string, caseId: string) => {
    const res = await get(token, notesUrl(caseId));
    expect(res.statusCode, res.body).toBe(200);
    return res.json<NoteList>();
  };

  it('lets the author edit a draft, which no one else sees, then sign it with a content hash', async () => {
    const draft = await draftNote(t, worker.token, kase.id);
    expect(draft).toMatchObject({ status: 'draft', authorId: worker.id, part2: false, version: 1 });

    const edited = await patch(worker.token, draft, { body: 'Met at home; housing application filed.' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect((await patch(worker.token, draft, { body: 'stale' }, 1)).statusCode).toBe(412);

    expect((await list(colleague.token, kase.id)).items.map((n) => n.id)).not.toContain(draft.id);
    expect((await get(colleague.token, noteUrl(draft))).statusCode).toBe(404);
    expect((await patch(colleague.token, draft, { body: 'Not mine' }, 2)).statusCode).toBe(404);

    expect((await action(colleague.token, draft, 'sign', 2)).statusCode).toBe(404);
    const signed = await signNote(t, worker.token, edited.json<NoteView>());
    expect(signed).toMatchObject({
      status: 'signed',
      signedBy: worker.id,
      body: 'Met at home; housing application filed.',
      lateEntry: false,
      version: 3,
    });
    expect(signed.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const row = await t.app.get(CaseNotesRepository).findById(signed.id);
    expect(row && signatureIntact(row)).toBe(true);
    expect((await list(colleague.token, kase.id)).items.map((n) => n.id)).toContain(signed.id);
  });

  it('refuses to change or delete a signed note, through the API (409) and in SQL', async () => {
    const signed = await signNote(t, worker.token, await draftNote(t, worker.token, kase.id));

    const edit = await patch(worker.token, signed, { body: 'Rewritten history' });
    expect(edit.statusCode).toBe(409);
    expect(problemType(edit)).toBe('note-signed');
    expect(edit.body).toContain('addendum');
    expect((await action(worker.token, signed, 'sign')).statusCode).toBe(409);
    const remove = await t.http.request({
      method: 'DELETE',
      url: noteUrl(signed),
      token: worker.token,
      headers: { 'if-match': `"${signed.version}"` },
    });
    expect(remove.statusCode).toBe(409);

    const db = t.database.db;
    await expect(
      sql`UPDATE cases.case_notes SET body = 'Rewritten history' WHERE id = ${signed.id}`.execute(db),
    ).rejects.toThrow(/signed/);
    await expect(
      sql`UPDATE cases.case_notes SET contact_at = now() - interval '1 day' WHERE id = ${signed.id}`.execute(
        db,
      ),
    ).rejects.toThrow(/signed/);
    await expect(
      sql`UPDATE cases.case_notes SET status = 'draft', signed_at = NULL, signed_by = NULL, content_hash = NULL
          WHERE id = ${signed.id}`.execute(db),
    ).rejects.toThrow(/signed/);
    await expect(sql`DELETE FROM cases.case_notes WHERE id = ${signed.id}`.execute(db)).rejects.toThrow(
      /signed/,
    );
    await expect(sql`TRUNCATE cases.case_notes CASCADE`.execute(db)).rejects.toThrow(/truncated/);

    const stored = await get(worker.token, noteUrl(signed));
    expect(stored.json<NoteView>().body).toBe(signed.body);

    // A draft is still the author's to change or discard.
    const draft = await draftNote(t, worker.token, kase.id);
    await sql`UPDATE cases.case_notes SET duration_minutes = 15 WHERE id = ${draft.id}`.execute(db);
    const discarded = await t.http.request({
      method: 'DELETE',
      url: noteUrl(draft),
      token: worker.token,
      headers: { 'if-match': `"${draft.version}"` },
    });
    expect(discarded.statusCode).toBe(204);
    expect((await get(worker.token, noteUrl(draft))).statusCode).toBe(404);
  });

  it('corrects a signed note with an addendum, itself drafted and signed, linked to the note', async () => {
    const original = await signNote(t, worker.token, await draftNote(t, worker.token, kase.id));
    const res = await t.http.request({
      method: 'POST',
      url: `${noteUrl(original)}/addenda`,
      token: colleague.token,
      body: { body: 'Correction: the visit lasted 45 minutes.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const addendum = res.json<NoteView>();
    expect(addendum).toMatchObject({
      status: 'draft',
      parentNoteId: original.id,
      authorId: colleague.id,
      noteType: original.noteType,
      contactAt: original.contactAt,
    });
    // Only its text is the addendum's own.
    const moved = await patch(colleague.token, addendum, { contactAt: hoursAgo(2) });
    expect(moved.statusCode).toBe(400);
    const signed = await signNote(t, colleague.token, addendum);
    expect(signed).toMatchObject({ status: 'signed', lateEntry: false });
    expect((await patch(colleague.token, signed, { body: 'Again' })).statusCode).toBe(409);

    const parent = await get(worker.token, noteUrl(original));
    expect(parent.json()).toMatchObject({ body: original.body, addendumIds: [addendum.id] });

    const onAddendum = await t.http.request({
      method: 'POST',
      url: `${noteUrl(signed)}/addenda`,
      token: worker.token,
      body: { body: 'An addendum to an addendum' },
    });
    expect(onAddendum.statusCode).toBe(409);
    const draft = await draftNote(t, worker.token, kase.id);
    const onDraft = await t.http.request({
      method: 'POST',
      url: `${noteUrl(draft)}/addenda`,
      token: worker.token,
      body: { body: 'Too early' },
    });
    expect(onDraft.statusCode).toBe(409);
    expect(problemType(onDraft)).toBe('note-draft');
  });

  it('marks a note signed more than a day after the contact as a late entry, or when the author says so', async () => {
    const late = await signNote(
      t,
      worker.token,
      await draftNote(t, worker.token, kase.id, { contactAt: hoursAgo(30) }),
    );
    expect(late.lateEntry).toBe(true);
    const timely = await signNote(
      t,
      worker.token,
      await draftNote(t, worker.token, kase.id, { contactAt: hoursAgo(23) }),
    );
    expect(timely.lateEntry).toBe(false);
    const declared = await signNote(
      t,
      worker.token,
      await draftNote(t, worker.token, kase.id, { contactAt: hoursAgo(1), lateEntry: true }),
    );
    expect(declared.lateEntry).toBe(true);
    const future = await t.http.request({
      method: 'POST',
      url: notesUrl(kase.id),
      token: worker.token,
      body: { noteType: 'phone', contactAt: new Date(Date.now() + 86_400_000).toISOString(), body: 'x' },
    });
    expect(future.statusCode).toBe(400);
  });

  it('takes a supervisor’s co-signature when required, never the author’s own', async () => {
    const signed = await signNote(
      t,
      worker.token,
      await draftNote(t, worker.token, kase.id, { requiresCosign: true }),
    );
    expect(signed).toMatchObject({ requiresCosign: true, cosignedAt: null });
    // A case manager holds no co-sign permission at all.
    expect((await action(colleague.token, signed, 'cosign')).statusCode).toBe(403);

    const own = await signNote(
      t,
      supervisor.token,
      await draftNote(t, supervisor.token, kase.id, { requiresCosign: true, noteType: 'supervision' }),
    );
    const selfCosign = await action(supervisor.token, own, 'cosign');
    expect(selfCosign.statusCode).toBe(403);
    expect(selfCosign.body).toContain('own note');

    const cfsSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.cfs);
    expect((await action(cfsSupervisor.token, signed, 'cosign')).statusCode).toBe(403);

    const cosigned = await action(supervisor.token, signed, 'cosign');
    expect(cosigned.statusCode, cosigned.body).toBe(200);
    expect(cosigned.json()).toMatchObject({ cosignedBy: supervisor.id, version: signed.version + 1 });
    expect((await action(supervisor.token, cosigned.json<NoteView>(), 'cosign')).statusCode).toBe(409);
    await expect(
      sql`UPDATE cases.case_notes SET cosigned_by = ${worker.id} WHERE id = ${signed.id}`.execute(
        t.database.db,
      ),
    ).rejects.toThrow();

    const plain = await signNote(t, worker.token, await draftNote(t, worker.token, kase.id));
    expect((await action(supervisor.token, plain, 'cosign')).statusCode).toBe(409);
    const unsigned = await draftNote(t, worker.token, kase.id, { requiresCosign: true });
    // Another author's draft is not visible, so there is nothing to co-sign yet.
    expect((await action(supervisor.token, unsigned, 'cosign')).statusCode).toBe(404);
  });

  it('pages through a case’s notes, latest contact first', async () => {
    const client = await registerClient(t, worker.token, { familyName: 'Paged' });
    const paged = await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });
    const written: NoteView[] = [];
    for (const hours of [5, 3, 4]) {
      written.push(
        await signNote(
          t,
          worker.token,
          await draftNote(t, worker.token, paged.id, { contactAt: hoursAgo(hours) }),
        ),
      );
    }
    const seen: string[] = [];
    let url = `${notesUrl(paged.id)}?limit=2`;
    for (;;) {
      const page = (await get(colleague.token, url)).json<NoteList>();
      seen.push(...page.items.map((n) => n.id));
      if (!page.nextCursor) break;
      url = `${notesUrl(paged.id)}?limit=2&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual([written[1]?.id, written[2]?.id, written[0]?.id]);
  });

  describe('Part 2 notes', () => {
    let billing: Staff;
    let part2Case: CaseView;
    let ordinary: NoteView;
    let part2Note: NoteView;

    beforeAll(async () => {
      // Agency-wide case read, but not in the BH program and named in no consent.
      billing = await staff(t, 'billing_specialist', DEMO_TEAM_IDS.ltc);
      const client = await registerClient(t, worker.token, { familyName: 'Parttwo' });
      part2Case = await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });
      ordinary = await signNote(t, worker.token, await draftNote(t, worker.token, part2Case.id));
      part2Note = await signNote(
        t,
        worker.token,
        await draftNote(t, worker.token, part2Case.id, {
          part2: true,
          body: 'Discussed substance use treatment.',
          contactAt: hoursAgo(2),
        }),
      );
    });

    it('withholds them from someone outside the program without consent: counted in lists, 403 by id', async () => {
      const listed = await list(billing.token, part2Case.id);
      expect(listed.items.map((n) => n.id)).toEqual([ordinary.id]);
      expect(listed.withheld).toBe(1);
      expect(listed.redisclosureNotice).toBeNull();
      expect(JSON.stringify(listed)).not.toContain('Discussed');

      const byId = await get(billing.token, noteUrl(part2Note));
      expect(byId.statusCode).toBe(403);
      expect(problemType(byId)).toBe('part2-consent-required');
      expect(byId.body).toContain('consent');
      expect(byId.body).not.toContain('Discussed');
      expect((await get(billing.token, noteUrl(ordinary))).statusCode).toBe(200);
    });

    it('discloses them to program staff with the redisclosure notice', async () => {
      const listed = await get(colleague.token, notesUrl(part2Case.id));
      const body = listed.json<NoteList>();
      expect(body.items.map((n) => n.id)).toEqual([ordinary.id, part2Note.id]);
      expect(body.withheld).toBe(0);
      expect(body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);
      expect(listed.headers['x-redisclosure-notice']).toBe('42-CFR-2.32');

      const byId = await get(colleague.token, noteUrl(part2Note));
      expect(byId.statusCode).toBe(200);
      expect(byId.json()).toMatchObject({
        body: 'Discussed substance use treatment.',
        redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      });
      const plain = await get(colleague.token, noteUrl(ordinary));
      expect(plain.json()).toMatchObject({ redisclosureNotice: null });
    });

    it('discloses them to someone the client’s written Part 2 consent names', async () => {
      const today = agencyToday();
      const consent = await t.http.request({
        method: 'POST',
        url: `/api/v1/clients/${part2Case.clientId}/consents`,
        token: worker.token,
        body: {
          kind: 'part2',
          recipient: { type: 'user', id: billing.id },
          purposes: ['TREAT'],
          categories: ['case_notes'],
          disclosingProgramId: BH_PROGRAM,
          effectiveFrom: today,
          expiresOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
          signedOn: today,
          signedBy: { name: 'The client', relationship: 'self' },
        },
      });
      expect(consent.statusCode, consent.body).toBe(201);
      const listed = await list(billing.token, part2Case.id);
      expect(listed).toMatchObject({ withheld: 0, redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
      expect(listed.items.map((n) => n.id)).toEqual([ordinary.id, part2Note.id]);
      expect((await get(billing.token, noteUrl(part2Note))).statusCode).toBe(200);
    });

    it('opens the case, Part 2 notes included, to break-the-glass for reading only', async () => {
      const outsider = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
      expect((await get(outsider.token, `${CASES}/${part2Case.id}`)).statusCode).toBe(403);
      const glass = await t.http.request({
        method: 'POST',
        url: `/api/v1/clients/${part2Case.clientId}/break-glass`,
        token: outsider.token,
        body: { reason: 'Client brought to the emergency room in crisis; need current history.' },
      });
      expect(glass.statusCode, glass.body).toBe(201);

      const read = await get(outsider.token, `${CASES}/${part2Case.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ access: 'break_glass' });
      expect((await list(outsider.token, part2Case.id)).withheld).toBe(0);
      const write = await t.http.request({
        method: 'POST',
        url: notesUrl(part2Case.id),
        token: outsider.token,
        body: { noteType: 'contact', contactAt: hoursAgo(1), body: 'Seen in the ER.' },
      });
      expect(write.statusCode).toBe(403);
    });

    it('makes every note of a Part 2 case a Part 2 record', async () => {
      const client = await registerClient(t, worker.token, { familyName: 'Programtwo' });
      const sud = await openCase(t, worker.token, {
        clientId: client.id,
        programId: BH_PROGRAM,
        part2: true,
      });
      const note = await draftNote(t, worker.token, sud.id);
      expect(note.part2).toBe(true);
      const unflag = await patch(worker.token, note, { part2: false });
      expect(unflag.statusCode).toBe(400);
      await signNote(t, worker.token, note);
      const listed = await list(billing.token, sud.id);
      expect(listed).toMatchObject({ items: [], withheld: 1 });
    });
  });
});
