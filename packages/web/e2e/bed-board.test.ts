import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS, DEMO_TEAM_IDS } from '../../api/src/modules/identity/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  describeInBrowser,
  openPage,
  seriousViolations,
  signInAs,
  type WebServer,
  withServerAndBrowser,
} from './support/browser.js';

describeInBrowser('live bed board in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'a scheduler admits and discharges in one browser; a supervisor’s open board follows without reloading',
    async () => {
      await registerClient(server, 'Bedsworth');
      // Two people, two browser profiles.
      const scheduler = await openPage(browser, server.baseUrl);
      const supervisor = await openPage(browser, server.baseUrl);
      await signInAs(scheduler.page, demoUser('scheduler'));
      await signInAs(supervisor.page, demoUser('supervisor'));

      await scheduler.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Bed board' })
        .click();
      await supervisor.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Bed board' })
        .click();
      for (const { page } of [scheduler, supervisor]) {
        await page.getByRole('heading', { level: 1, name: 'Bed board' }).waitFor();
        await page.getByText('Crisis Stabilization Center').waitFor();
        await page.getByText(/^Live: /).waitFor();
      }
      const watched = bed(supervisor.page, 'N-102 B');
      await watched.getByText('Available', { exact: true }).waitFor();
      // The demo occupants show by name to staff of their team.
      await bed(supervisor.page, 'N-101 A').getByText('Maria Hernandez').waitFor();

      // From here on the supervisor's page must not re-read the board: changes come over the stream.
      let boardReads = 0;
      supervisor.page.on('request', (request) => {
        if (/\/facilities\/[^/]+\/board$/.test(new URL(request.url()).pathname)) boardReads++;
      });

      // The scheduler admits a client to N-102 B.
      await scheduler.page.getByRole('button', { name: 'Admit: bed N-102 B' }).click();
      const dialog = scheduler.page.getByRole('dialog');
      await dialog.getByLabel('Client name').fill('Bedsworth');
      await dialog.getByRole('button', { name: 'Find client' }).click();
      await dialog.getByRole('radio', { name: /Robin Bedsworth/ }).check();
      expect(await seriousViolations(scheduler.page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Admit', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await bed(scheduler.page, 'N-102 B').getByText('Occupied', { exact: true }).waitFor();

      // The supervisor's board changes by itself.
      await watched.getByText('Occupied', { exact: true }).waitFor();
      await watched.getByText('Robin Bedsworth').waitFor();

      // Discharge: the bed goes to cleaning on both boards.
      await scheduler.page.getByRole('button', { name: 'Discharge: bed N-102 B' }).click();
      await scheduler.page.getByRole('dialog').getByLabel('Disposition').fill('Home with family');
      await scheduler.page
        .getByRole('dialog')
        .getByRole('button', { name: 'Discharge', exact: true })
        .click();
      await watched.getByText('Cleaning', { exact: true }).waitFor();
      await watched.getByText('Waiting to be cleaned').waitFor();
      expect(await watched.getByText('Robin Bedsworth').count()).toBe(0);

      // And back to available when the scheduler marks it clean.
      await scheduler.page.getByRole('button', { name: 'Mark clean: bed N-102 B' }).click();
      await watched.getByText('Available', { exact: true }).waitFor();

      expect(boardReads).toBe(0);
      expect(await seriousViolations(supervisor.page)).toEqual([]);
      expect(await seriousViolations(scheduler.page)).toEqual([]);
      await scheduler.context.close();
      await supervisor.context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

function bed(page: Page, name: string) {
  return page.getByRole('article', { name: `Bed ${name}` });
}

/** A client on the BH outpatient team (so both the scheduler and the supervisor may see the name). */
async function registerClient(server: WebServer, familyName: string): Promise<void> {
  const token = await server.app.token({
    sub: '0de70000-0000-4000-8000-0000000e2e01',
    agency: DEMO_AGENCY.id,
    teams: [DEMO_TEAM_IDS.bhOutpatient],
    programs: [DEMO_PROGRAM_IDS.bh],
    grants: { 'clients.clients.read': 'team', 'clients.clients.write': 'team' },
  });
  const res = await server.app.http.request({
    method: 'POST',
    url: '/api/v1/clients',
    token,
    body: {
      givenName: 'Robin',
      familyName,
      birthDate: '1988-04-12',
      sexAtBirth: 'unknown',
      acknowledgeDuplicates: true,
    },
  });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
}
