import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  openPage,
  signInAs,
  type WebServer,
  describeInBrowser,
  withServerAndBrowser,
} from './support/browser.js';

describeInBrowser('user administration details', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'shows form errors under their fields, refuses a stale edit, and deactivates a user',
    async () => {
      const admin = demoUser('system_admin');
      const caseManager = demoUser('case_manager');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, admin);

      // Checked in the browser: messages sit under the fields and are linked to them.
      await page.goto('/admin/users/new');
      await page.getByRole('button', { name: 'Create user' }).click();
      const password = page.getByLabel(/^Temporary password/);
      await page.getByText('Use at least 12 characters.').waitFor();
      await expect(password.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
      const messages = await Promise.all(
        describedBy
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => page.locator(`[id="${id}"]`).innerText()),
      );
      expect(messages).toContain('Use at least 12 characters.');

      // Checked by the server: its field errors land under the same fields.
      await page.getByLabel('Full name').fill('x'.repeat(201));
      await page.getByLabel('Email').fill('someone.new@demo.ehrms.local');
      await password.fill('A-long-enough-password');
      await page.getByRole('combobox', { name: 'Roles' }).click();
      await page.getByRole('option', { name: 'Scheduler' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByRole('alert').getByText('The request is not valid').waitFor();
      await expect.poll(() => page.getByLabel('Full name').getAttribute('aria-invalid')).toBe('true');

      // Edit the case manager while someone else changes them: the second save is refused.
      await page.goto(`/admin/users/${caseManager.id}`);
      await page.getByRole('heading', { level: 1, name: caseManager.displayName }).waitFor();
      const other = await server.app.http.request({
        method: 'PATCH',
        url: `/api/v1/identity/users/${caseManager.id}`,
        token: await adminToken(server),
        headers: { 'if-match': '"1"' },
        body: { displayName: 'Casey Renamed' },
      });
      expect(other.statusCode).toBe(200);
      await page.getByLabel('Full name').fill('Casey Edited');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('alert').getByText('Precondition failed').waitFor();
      await page.getByRole('button', { name: /Load the latest version/ }).click();
      await expect.poll(() => page.getByLabel('Full name').inputValue()).toBe('Casey Renamed');
      await page.getByLabel('Full name').fill('Casey Edited');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Your changes were saved.').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Casey Edited' }).waitFor();

      // Deactivate, confirmed in a dialog; the list's status filter then finds them.
      await page.getByRole('button', { name: 'Deactivate user' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('button', { name: 'Reactivate user' }).waitFor();
      await page.getByRole('link', { name: 'Back to users' }).click();
      await page.getByRole('combobox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'Deactivated' }).click();
      await page.getByRole('rowheader', { name: 'Casey Edited' }).waitFor();
      await expect.poll(() => page.getByRole('rowheader').count()).toBe(1);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

async function adminToken(server: WebServer): Promise<string> {
  const admin = demoUser('system_admin');
  return server.app.token({
    sub: admin.id,
    agency: '0de70000-0000-4000-8000-000000000001',
    roles: ['system_admin'],
    grants: { 'identity.users.read': 'all', 'identity.users.write': 'all' },
    amr: ['pwd', 'otp'],
  });
}
