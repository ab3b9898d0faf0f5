import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_CASE_IDS, DEMO_NOTES, DEMO_NOTE_IDS } from '../../api/src/modules/cases/demo.js';
import { DEMO_CLIENTS } from '../../api/src/modules/clients/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  describeInBrowser,
  openPage,
  seriousViolations,
  signInAs,
  withServerAndBrowser,
  type WebServer,
} from './support/browser.js';

const maria = DEMO_CLIENTS.find((c) => c.givenName === 'Maria');
const addendum = DEMO_NOTES.find((n) => n.id === DEMO_NOTE_IDS.mariaHomeVisitAddendum);
const draft = DEMO_NOTES.find((n) => n.id === DEMO_NOTE_IDS.mariaDraft);

describeInBrowser('the demo agency in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'the demo case manager opens on a lived-in caseload, a chart with details and a case with notes',
    async () => {
      if (!maria || !addendum || !draft) throw new Error('the demo data changed: update this test');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, demoUser('case_manager'));

      // Her caseload: the demo cases, each row naming its client.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Caseload' }).click();
      const row = (caseId: string) =>
        page.getByRole('row').filter({ has: page.locator(`a[href="/cases/${caseId}"]`) });
      await row(DEMO_CASE_IDS.maria).getByRole('rowheader', { name: 'Maria Hernandez' }).waitFor();
      await row(DEMO_CASE_IDS.james).getByRole('rowheader', { name: 'James Thompson' }).waitFor();
      await row(DEMO_CASE_IDS.james).getByText('High risk').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // A chart with an address, a phone, a contact and Medicaid coverage.
      await page.goto(`/clients/${maria.id}`);
      await page.getByRole('heading', { level: 1, name: 'Maria Hernandez' }).waitFor();
      await page.getByText(/310 N Fair Oaks Ave/).waitFor();
      await page.getByText(/\+16085550141 \(primary\)/).waitFor();
      await page.getByText('Rosa Hernandez').waitFor();
      await page.getByText('Wisconsin Medicaid').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Her case: signed notes (one a late entry) with an addendum, and her own draft.
      await page.goto(`/cases/${DEMO_CASE_IDS.maria}`);
      await page.getByRole('heading', { level: 1, name: 'Case — Maria Hernandez' }).waitFor();
      await page
        .getByRole('article', { name: /^Addendum/ })
        .getByText(addendum.body)
        .waitFor();
      await page.getByText('Late entry').first().waitFor();
      const ownDraft = page.getByRole('article').filter({ hasText: draft.body });
      await ownDraft.getByText('Draft', { exact: true }).waitFor();
      await ownDraft.getByRole('button', { name: 'Sign note' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
