import { readFile } from 'node:fs/promises';
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

describeInBrowser('the audit browser for auditors', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'an auditor filters the trail by user, verifies the chain and exports the entries as NDJSON, all stated as AUDIT purpose',
    async () => {
      const auditor = demoUser('auditor');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, auditor);

      await page.getByRole('link', { name: 'Open the audit log' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      const table = page.getByRole('table', { name: 'Audit entries matching the filters' });
      await table.getByRole('rowheader').first().waitFor();

      // Only this auditor's own entries (their sign-in at least).
      await page.getByLabel('User ID').fill(auditor.id);
      const filtered = page.waitForResponse(
        (res) => res.url().includes('/api/v1/audit/logs?') && res.url().includes(`userId=${auditor.id}`),
      );
      await page.getByRole('button', { name: 'Apply filters' }).click();
      expect((await filtered).ok()).toBe(true);
      await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
      await table.getByRole('cell', { name: 'identity.login' }).first().waitFor();
      const who = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
      expect(who.length).toBeGreaterThan(0);
      for (const cell of who) expect(cell).toContain(auditor.id);

      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByText('Chain intact').waitFor();

      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export as NDJSON' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^audit-log-.*\.ndjson$/);
      const path = await download.path();
      const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ actorId: auditor.id });

      // The server recorded the auditor's reads of the trail with the purpose the screen states.
      const token = await server.app.token({ grants: { 'audit.logs.read': 'all' } });
      const res = await server.app.http.request({
        method: 'GET',
        url: `/api/v1/audit/logs?userId=${auditor.id}&action=audit.logs.read`,
        token,
      });
      expect(res.statusCode).toBe(200);
      const reads = (res.json() as { items: { purposeOfUse: string }[] }).items;
      expect(reads.length).toBeGreaterThan(0);
      expect(new Set(reads.map((r) => r.purposeOfUse))).toEqual(new Set(['AUDIT']));

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
