import { generateSync } from 'otplib';
import type { Browser } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_AGENCY } from '../../api/src/modules/identity/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  openPage,
  submitCredentials,
  type WebServer,
  describeInBrowser,
  withServerAndBrowser,
} from './support/browser.js';

const NEW_ADMIN = {
  email: 'new.admin@demo.ehrms.local',
  displayName: 'Nia Newadmin',
  password: 'First-day-password-2026',
};

describeInBrowser('first sign-in of an administrator without MFA', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  beforeAll(async () => {
    const token = await server.app.token({
      sub: 'e2e-setup',
      agency: DEMO_AGENCY.id,
      roles: ['system_admin'],
      grants: { 'identity.users.write': 'all', 'identity.users.read': 'all' },
      amr: ['pwd', 'otp'],
    });
    const created = await server.app.http.request({
      method: 'POST',
      url: '/api/v1/identity/users',
      token,
      body: { ...NEW_ADMIN, roles: ['agency_admin'], teamIds: [] },
    });
    expect(created.statusCode).toBe(201);
  });

  it(
    'enrols an authenticator at sign-in, shows recovery codes once, keeps MFA on, and accepts a recovery code later',
    async () => {
      const { context, page } = await openPage(browser, server.baseUrl);
      await page.goto('/login');
      await submitCredentials(page, NEW_ADMIN.email, NEW_ADMIN.password);

      // The role requires MFA and none is enrolled: set-up shows the key and the otpauth link.
      await page.getByRole('heading', { level: 1, name: 'Set up two-step verification' }).waitFor();
      const secret = (await page.getByLabel('Setup key').innerText()).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]+=*$/);
      await expect(
        page.getByRole('link', { name: /open the setup link/ }).getAttribute('href'),
      ).resolves.toMatch(/^otpauth:\/\/totp\//);
      await page.getByLabel(/^Code from your authenticator app/).fill(generateSync({ secret }));
      await page.getByRole('button', { name: 'Confirm and sign in' }).click();

      // Recovery codes, once, before entering the app.
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      const codes = await page
        .getByRole('list', { name: 'Recovery codes' })
        .getByRole('listitem')
        .allInnerTexts();
      expect(codes.length).toBeGreaterThanOrEqual(8);
      await page.getByRole('button', { name: /I have saved my codes/ }).click();
      await page.getByRole('heading', { level: 1, name: `Welcome, ${NEW_ADMIN.displayName}` }).waitFor();

      // An administrator cannot turn MFA off; the refusal is explained.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
      await page.getByLabel('Current code').fill(generateSync({ secret }));
      await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
      await page
        .getByRole('alert')
        .getByText(/roles requires multi-factor authentication/)
        .waitFor();
      await expect(
        page.getByRole('button', { name: 'Turn off two-step verification' }).isVisible(),
      ).resolves.toBe(true);

      // Next time, a recovery code stands in for the authenticator.
      await page.getByRole('button', { name: `Account menu for ${NEW_ADMIN.displayName}` }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await submitCredentials(page, NEW_ADMIN.email, NEW_ADMIN.password);
      await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel(/^Recovery code/).fill(codes[0] ?? '');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { level: 1, name: `Welcome, ${NEW_ADMIN.displayName}` }).waitFor();

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
