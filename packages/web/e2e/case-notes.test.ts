import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../api/src/modules/clients/demo.js';
import { DEMO_CLIENT_DETAILS } from '../../api/src/modules/clients/demo-details.js';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS } from '../../api/src/modules/identity/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  openPage,
  passwordToken,
  seriousViolations,
  signInAs,
  type WebServer,
  describeInBrowser,
  withServerAndBrowser,
} from './support/browser.js';

const NOTE = 'Met Maria at the clinic. She reports sleeping better; reviewed the safety plan together.';
const ADDENDUM = 'Correction: the visit was by video, not at the clinic.';

interface NoteJson {
  id: string;
  status: string;
  body: string;
  parentNoteId: string | null;
  signedAt: string | null;
}

describeInBrowser('case notes in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'the case manager finds a client by a misspelt name, opens a case, signs a note and adds an addendum',
    async () => {
      const caseManager = demoUser('case_manager');
      await enrolInPart2Program(server, DEMO_CLIENTS[0]?.id ?? '');
      await uploadDocument(server, await passwordToken(server, caseManager), DEMO_CLIENTS[0]?.id ?? '');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, caseManager);

      // Client search forgives the typo.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
      await expect(page.title()).resolves.toBe('Clients · EHRMS');
      await page.getByRole('searchbox', { name: 'Name' }).fill('Hernandes');
      await page.getByRole('searchbox', { name: 'Name' }).press('Enter');
      const row = page.getByRole('rowheader', { name: 'Maria Hernandez' });
      await row.waitFor();
      await page
        .getByRole('row', { name: /Maria Hernandez/ })
        .getByText('Mar 17, 1984')
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // The chart, opened from the focused row with Enter: header facts, then the cases tab.
      await page.getByRole('row', { name: /Maria Hernandez/ }).press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Maria Hernandez' }).waitFor();
      await page.getByText('Interpreter needed').waitFor();
      await page.getByText(/Speaks Spanish/).waitFor();
      await expect(page.title()).resolves.toBe('Maria Hernandez · EHRMS');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('tab', { name: 'Programs' }).click();
      await page.getByRole('rowheader', { name: 'Behavioral Health' }).waitFor();
      // The Part 2 enrolment in another program is counted, never shown.
      await page.getByText('1 withheld (42 CFR Part 2)').waitFor();
      await expect(page.getByRole('rowheader', { name: 'Long-Term Care' }).count()).resolves.toBe(0);
      // The demo gives Maria no consents (demo-details.ts): the tab shows its empty state.
      expect(DEMO_CLIENT_DETAILS.find((d) => d.clientId === DEMO_CLIENTS[0]?.id)?.consents).toEqual([]);
      await page.getByRole('tab', { name: 'Consents' }).click();
      await page.getByText('No consents on record.').waitFor();
      await page.getByRole('tab', { name: 'Documents' }).click();
      await page.getByRole('rowheader', { name: 'Intake assessment' }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download Intake assessment' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('intake.pdf');
      expect(await seriousViolations(page)).toEqual([]);
      // The cases tab lists the cases she may see (the demo agency's, if any) before the new one.
      const existing = await casesOf(
        server,
        await passwordToken(server, caseManager),
        DEMO_CLIENTS[0]?.id ?? '',
      );
      await page.getByRole('tab', { name: 'Cases' }).click();
      await page.getByText(`Showing ${existing.length} cases`, { exact: true }).waitFor();
      for (const id of existing) await page.locator(`a[href="/cases/${id}"]`).waitFor();

      // Open a case (by keyboard: the form is reachable and submits with Enter).
      await page.getByRole('button', { name: 'Open a case' }).click();
      await page.getByRole('form', { name: 'Open a case' }).waitFor();
      await page.getByRole('button', { name: 'Open case', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Case — Maria Hernandez' }).waitFor();
      await page.getByText('The case was opened and assigned to you.').waitFor();
      const caseId = new URL(page.url()).pathname.split('/').pop() ?? '';
      const summary = page.getByRole('region', { name: 'Case' });
      await summary.getByText('Behavioral Health').waitFor();
      await summary.getByText(`You (${caseManager.displayName})`).waitFor();
      await summary.getByText('Low risk').waitFor();
      await page.getByText('No notes yet.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Draft a note, then sign it after confirming.
      await page.getByRole('button', { name: 'Write a note' }).click();
      await page.getByRole('textbox', { name: 'Note', exact: true }).fill(NOTE);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Save draft' }).click();
      const note = page.getByRole('article', { name: /^Contact note/ });
      await note.getByText('Draft', { exact: true }).waitFor();
      await note.getByText(NOTE).waitFor();
      await note.getByRole('button', { name: 'Sign note' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign this note?' });
      await dialog.getByText('Once signed it cannot be changed').waitFor();
      await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
      await note.getByText('Signed', { exact: true }).first().waitFor();
      // Keyboard focus lands on the signed note, not lost with the vanished button.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby') ?? ''))
        .toBe(await note.getAttribute('aria-labelledby'));
      await expect(note.getByRole('button', { name: 'Edit draft' }).count()).resolves.toBe(0);

      // A signed note is corrected by an addendum, shown under it.
      await note.getByRole('button', { name: 'Add addendum' }).click();
      await page.getByRole('textbox', { name: 'Addendum' }).fill(ADDENDUM);
      await page.getByRole('button', { name: 'Save addendum draft' }).click();
      const addendum = note.getByRole('article', { name: /^Addendum/ });
      await addendum.getByText(ADDENDUM).waitFor();
      await addendum.getByRole('button', { name: 'Sign addendum' }).click();
      await page
        .getByRole('dialog', { name: 'Sign this addendum?' })
        .getByRole('button', { name: 'Sign', exact: true })
        .click();
      await addendum.getByText('Signed', { exact: true }).waitFor();
      await expect(addendum.getByRole('button').count()).resolves.toBe(0);
      // Checked once the dialog has gone, not while it fades out (half-transparent text fails contrast).
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(await seriousViolations(page)).toEqual([]);

      // The API holds the signed note and its signed addendum.
      const token = await passwordToken(server, caseManager);
      const res = await server.app.http.request({
        method: 'GET',
        url: `/api/v1/cases/${caseId}/notes`,
        token,
      });
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: NoteJson[] }>().items;
      const original = items.find((n) => n.parentNoteId === null);
      expect(original).toMatchObject({ status: 'signed', body: NOTE });
      expect(items.filter((n) => n.parentNoteId !== null)).toEqual([
        expect.objectContaining({ status: 'signed', body: ADDENDUM, parentNoteId: original?.id }),
      ]);

      // The caseload lists the new case, by the client's name (beside any other case of hers).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Caseload' }).click();
      await page
        .getByRole('row')
        .filter({ has: page.locator(`a[href="/cases/${caseId}"]`) })
        .getByRole('rowheader', { name: 'Maria Hernandez' })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    // Many pages and several signatures: twice the usual browser-test budget.
    BROWSER_TEST_TIMEOUT * 2,
  );

  it(
    'the case manager files a document from the chart; a file of a type the agency does not keep is refused',
    async () => {
      const caseManager = demoUser('case_manager');
      const james = DEMO_CLIENTS.find((c) => c.givenName === 'James');
      if (!james) throw new Error('no demo client James Thompson');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, caseManager);
      await page.goto(`/clients/${james.id}`);
      await page.getByRole('heading', { level: 1, name: 'James Thompson' }).waitFor();
      await page.getByRole('tab', { name: 'Documents' }).click();
      await page.getByText('No documents on record.').waitFor();

      await page.getByRole('button', { name: 'Upload a document' }).click();
      const form = page.getByRole('form', { name: 'Upload a document' });
      await form.getByRole('button', { name: 'Upload', exact: true }).click();
      await form.getByText('Choose the file to upload.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await form.getByRole('textbox', { name: 'Title' }).fill('Release of information');
      await form.getByRole('combobox', { name: 'Category' }).click();
      await page.getByRole('option', { name: /^Consent form$/i }).click();
      await form.getByLabel(/^Dated/).fill('2026-11-20');
      // Named .pdf, but a Windows program by content: the server judges the bytes.
      await form.locator('input[type=file]').setInputFiles({
        name: 'release.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]),
      });
      await form.getByRole('button', { name: 'Upload', exact: true }).click();
      await form
        .getByRole('alert')
        .getByText(/The file's content is .*Accepted: PDF/)
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      const pdf = Buffer.from('%PDF-1.7\n% release of information, signed 2026-11-20\n');
      await form.locator('input[type=file]').setInputFiles({
        name: 'release.pdf',
        mimeType: 'application/pdf',
        buffer: pdf,
      });
      await form.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByRole('status').getByText('“Release of information” was filed on the record.').waitFor();
      const row = page.getByRole('row', { name: /Release of information/ });
      await row.getByText(/^Consent form$/i).waitFor();
      await expect(page.getByRole('form', { name: 'Upload a document' }).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // Exactly one document was stored — the PDF, byte for byte, dated as entered.
      const token = await passwordToken(server, caseManager);
      const res = await server.app.http.request({
        method: 'GET',
        url: `/api/v1/documents?clientId=${james.id}`,
        token,
      });
      expect(res.statusCode).toBe(200);
      const docs = res.json<{
        items: {
          title: string;
          category: string;
          documentDate: string;
          part2: boolean;
          currentVersion: { sha256: string; filename: string };
        }[];
      }>().items;
      expect(docs).toEqual([
        expect.objectContaining({
          title: 'Release of information',
          category: 'consent_form',
          documentDate: '2026-11-20',
          part2: false,
          currentVersion: expect.objectContaining({
            sha256: createHash('sha256').update(pdf).digest('hex'),
            filename: 'release.pdf',
          }) as unknown,
        }),
      ]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'a client outside the caseload opens only with break-the-glass, then shows an emergency-access banner',
    async () => {
      const caseManager = demoUser('case_manager');
      const lee = DEMO_CLIENTS.find((c) => c.givenName === 'Lee');
      if (!lee) throw new Error('no demo client Lee Vang');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, caseManager);

      await page.goto(`/clients/${lee.id}`);
      await page.getByRole('heading', { level: 1, name: 'Client outside your caseload' }).waitFor();
      const form = page.getByRole('form', { name: 'Request emergency access' });
      await form.getByRole('button', { name: 'Request emergency access' }).click();
      await form.getByText('Say why in at least 20 characters.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await form
        .getByLabel(/^Reason for emergency access/)
        .fill('Client arrived in crisis at the walk-in clinic.');
      await form.getByRole('button', { name: 'Request emergency access' }).click();
      await page.getByRole('heading', { level: 1, name: 'Lee Vang' }).waitFor();
      const banner = page.getByRole('status').filter({ hasText: 'Emergency access' });
      await banner.getByText(/break-the-glass until/).waitFor();
      // Emergency access reads the chart; it does not open cases.
      await page.getByRole('tab', { name: 'Cases' }).click();
      await page
        .getByText(/No cases you may see|Showing/)
        .first()
        .waitFor();
      await expect(page.getByRole('button', { name: 'Open a case' }).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'registering a person the agency may already have shows the candidates, then registers after "I checked"',
    async () => {
      const caseManager = demoUser('case_manager');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, caseManager);

      await page.goto('/clients');
      await page.getByRole('link', { name: 'Register client' }).click();
      await page.getByRole('heading', { level: 1, name: 'Register client' }).waitFor();
      await page.getByRole('button', { name: 'Register client' }).click();
      await page.getByText('Enter the first name.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await fill(page, 'First name', 'Maria');
      await fill(page, 'Last name', 'Hernandez');
      await fill(page, 'Date of birth', '1984-03-17');
      await page.getByRole('button', { name: 'Register client' }).click();
      const warning = page.getByRole('alert').filter({ hasText: 'This person may already have a record' });
      await warning.getByRole('link', { name: 'Maria Hernandez' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await warning.getByRole('button', { name: 'I checked, register anyway' }).click();
      await page.getByRole('heading', { level: 1, name: 'Maria Hernandez' }).waitFor();
      await page.getByText('Maria Hernandez was registered.').waitFor();
      const newId = new URL(page.url()).pathname.split('/').pop();
      expect(newId).not.toBe(DEMO_CLIENTS[0]?.id);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

/** A 42 CFR Part 2 enrolment of the client in a program the case manager does not work in. */
async function enrolInPart2Program(server: WebServer, clientId: string): Promise<void> {
  const token = await server.app.token({
    sub: demoUser('system_admin').id,
    agency: DEMO_AGENCY.id,
    programs: [DEMO_PROGRAM_IDS.ltc],
    grants: { 'clients.clients.read': 'agency', 'clients.clients.write': 'agency' },
  });
  const res = await server.app.http.request({
    method: 'POST',
    url: `/api/v1/clients/${clientId}/enrollments`,
    token,
    body: {
      programId: DEMO_PROGRAM_IDS.ltc,
      startDate: '2026-01-05',
      reason: 'Referred for care',
      part2: true,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
}

/** Ids of the client's cases the token's user may see. */
async function casesOf(server: WebServer, token: string, clientId: string): Promise<string[]> {
  const res = await server.app.http.request({
    method: 'GET',
    url: `/api/v1/cases?clientId=${clientId}&limit=100`,
    token,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: { id: string }[] }>().items.map((c) => c.id);
}

/** A PDF on the client's record, uploaded as the browser would (multipart, over HTTP). */
async function uploadDocument(server: WebServer, token: string, clientId: string): Promise<void> {
  const form = new FormData();
  form.append('title', 'Intake assessment');
  form.append('category', 'assessment');
  form.append('clientId', clientId);
  form.append('file', new Blob(['%PDF-1.7\n% intake\n'], { type: 'application/pdf' }), 'intake.pdf');
  const res = await fetch(`${server.baseUrl}/api/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page
    .getByRole('textbox', { name: label })
    .or(page.getByLabel(label, { exact: false }))
    .first()
    .fill(value);
}
