import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../api/src/modules/identity/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  openPage,
  seriousViolations,
  signInAs,
  submitCredentials,
  type WebServer,
  describeInBrowser,
  withServerAndBrowser,
} from './support/browser.js';

const caseManager = DEMO_USERS.find((u) => u.role === 'case_manager');

describeInBrowser('accessibility of the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'the sign-in page and the home page have no serious or critical axe violations',
    async () => {
      if (!caseManager) throw new Error('no demo case manager');
      const { context, page } = await openPage(browser, server.baseUrl);

      await page.goto('/login');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // The same page showing field errors must stay accessible too.
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Enter your email address.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await submitCredentials(page, caseManager.email, DEMO_PASSWORD);
      await page.getByRole('heading', { level: 1, name: `Welcome, ${caseManager.displayName}` }).waitFor();
      await page.getByRole('link', { name: 'Find a client' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'the administration, audit and account screens have no serious or critical axe violations',
    async () => {
      const admin = demoUser('system_admin');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, admin);

      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('rowheader').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Create user' }).click();
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByText('Choose at least one role.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await nav.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('rowheader', { name: admin.displayName }).click();
      await page.getByRole('heading', { level: 1, name: admin.displayName }).waitFor();
      await page.getByRole('button', { name: 'Save changes' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await nav.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('table').getByRole('rowheader').first().waitFor();
      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByText('Chain intact').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await nav.getByRole('link', { name: 'My account' }).click();
      await page.getByText('This session').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
