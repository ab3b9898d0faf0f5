import { generateSync } from 'otplib';
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../api/src/modules/identity/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  chooseOption,
  openPage,
  submitCredentials,
  type WebServer,
  describeInBrowser,
  withServerAndBrowser,
} from './support/browser.js';

const admin = DEMO_USERS.find((u) => u.role === 'system_admin');

describeInBrowser('staff sign-in and user administration in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'the system admin signs in with MFA, creates a case manager on a team, and that person signs in to their home page',
    async () => {
      if (!admin?.totpSecret) throw new Error('the demo system admin has no TOTP secret');
      const { context, page } = await openPage(browser, server.baseUrl);

      // Visiting the app signed out lands on the sign-in page.
      await page.goto('/');
      await expect.poll(() => page.url()).toContain('/login');
      await submitCredentials(page, admin.email, DEMO_PASSWORD);

      // Second step: a TOTP code from the demo secret.
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await page.getByLabel('Authentication code').fill(generateSync({ secret: admin.totpSecret }));
      await page.getByRole('button', { name: 'Verify' }).click();

      // The admin home page offers user administration and the audit log.
      await page.getByRole('heading', { level: 1, name: `Welcome, ${admin.displayName}` }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Users' }).waitFor();
      await nav.getByRole('link', { name: 'Audit log' }).waitFor();

      // Create a user with a role and a team.
      await nav.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await page.getByRole('link', { name: 'Create user' }).click();
      await page.getByRole('heading', { level: 1, name: 'Create user' }).waitFor();
      await page.getByLabel('Full name').fill('Robin Newhire');
      await page.getByLabel('Email').fill('robin.newhire@demo.ehrms.local');
      await page.getByLabel(/^Temporary password/).fill('Welcome-to-EHRMS-2026');
      await chooseOption(page, 'Roles', 'Case manager');
      await chooseOption(page, 'Teams', 'BH Crisis Team');
      await page.getByRole('button', { name: 'Create user' }).click();

      // The new user's page confirms it, then the list shows them.
      await page.getByRole('heading', { level: 1, name: 'Robin Newhire' }).waitFor();
      await page.getByText('Robin Newhire was created.').waitFor();
      await page.getByRole('link', { name: 'Back to users' }).click();
      await page.getByRole('searchbox', { name: 'Search' }).fill('newhire');
      await page.getByRole('rowheader', { name: 'Robin Newhire' }).waitFor();

      // Sign out through the user menu.
      await page.getByRole('button', { name: `Account menu for ${admin.displayName}` }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

      // The new person signs in (no MFA for case managers) and sees their own home page.
      await submitCredentials(page, 'robin.newhire@demo.ehrms.local', 'Welcome-to-EHRMS-2026');
      await page.getByRole('heading', { level: 1, name: 'Welcome, Robin Newhire' }).waitFor();
      const main = page.getByRole('main');
      await main.getByText('Case manager').first().waitFor();
      await main.getByText('BH Crisis Team (Behavioral Health)').waitFor();
      await main.getByRole('heading', { name: 'Caseload' }).waitFor();
      // No administration for a case manager.
      await expect(
        page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count(),
      ).resolves.toBe(0);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
