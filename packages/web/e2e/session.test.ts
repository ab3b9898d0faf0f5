import type { Browser, Request } from 'playwright-core';
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

const REFRESH_KEY = 'ehrms.refreshToken';
const isRefresh = (req: Request) => req.url().endsWith('/api/v1/identity/auth/refresh');

describeInBrowser('keeping a staff session alive in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'keeps the access token out of storage, survives a reload, renews before expiry and after a 401, and ends at the login page when renewal is refused',
    async () => {
      const admin = demoUser('system_admin');
      const { context, page } = await openPage(browser, server.baseUrl);
      await page.clock.install();
      const refreshes: Request[] = [];
      page.on('request', (req) => {
        if (isRefresh(req)) refreshes.push(req);
      });

      const verified = page.waitForResponse((res) => res.url().endsWith('/auth/mfa/verify'));
      await signInAs(page, admin);
      const { accessToken } = (await (await verified).json()) as { accessToken: string };

      // Only the refresh token is stored, in this tab's sessionStorage; the access token lives in memory.
      const stored = await page.evaluate(() => ({
        session: Object.fromEntries(Object.entries(sessionStorage)),
        local: Object.keys(localStorage),
        cookies: document.cookie,
      }));
      expect(Object.keys(stored.session)).toEqual([REFRESH_KEY]);
      expect(stored.session[REFRESH_KEY]).not.toBe(accessToken);
      expect(JSON.stringify(stored)).not.toContain(accessToken);
      expect(stored.local).toEqual([]);
      expect(stored.cookies).toBe('');

      // A reload restores the session from the refresh token.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: `Welcome, ${admin.displayName}` }).waitFor();
      expect(refreshes).toHaveLength(1);

      // About a minute before the access token expires (15 minutes here) it is renewed unprompted.
      const renewed = page.waitForResponse((res) => isRefresh(res.request()) && res.ok());
      await page.clock.fastForward('14:30');
      await renewed;
      expect(refreshes).toHaveLength(2);

      // Two calls refused at once with 401: one shared refresh, then both are retried and succeed.
      let refusals = 0;
      for (const path of ['**/api/v1/identity/roles', '**/api/v1/identity/teams']) {
        await page.route(
          path,
          (route) => {
            refusals++;
            return route.fulfill({
              status: 401,
              contentType: 'application/problem+json',
              body: JSON.stringify({
                type: 'https://ehrms.dev/problems/unauthenticated',
                title: 'Not authenticated',
                status: 401,
              }),
            });
          },
          { times: 1 },
        );
      }
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('link', { name: 'Create user' }).click();
      await page.getByRole('combobox', { name: 'Roles' }).click();
      await page.getByRole('option', { name: 'Case manager' }).waitFor();
      await page.getByRole('option', { name: 'Case manager' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('combobox', { name: 'Teams' }).click();
      await page.getByRole('option', { name: 'LTC Team' }).waitFor();
      await page.keyboard.press('Escape');
      expect(refusals).toBe(2);
      expect(refreshes).toHaveLength(3);

      // Someone else uses this tab's refresh token first: the server revokes the whole session,
      // so the browser's next renewal is refused and it returns to the login page.
      const stolen = await page.evaluate((key) => sessionStorage.getItem(key), REFRESH_KEY);
      const replay = await server.app.http.request({
        method: 'POST',
        url: '/api/v1/identity/auth/refresh',
        body: { refreshToken: stolen },
      });
      expect(replay.statusCode).toBe(200);
      await page.clock.fastForward('14:30');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByText('Your session has ended').waitFor();
      expect(await page.evaluate((key) => sessionStorage.getItem(key), REFRESH_KEY)).toBeNull();

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
