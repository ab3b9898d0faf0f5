import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENCY } from '../../api/src/modules/identity/demo.js';
import { isValidNpi } from '../../api/src/modules/providers/npi.js';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  openPage,
  seriousViolations,
  signInAs,
  type WebServer,
  describeInBrowser,
  withServerAndBrowser,
} from './support/browser.js';

describeInBrowser('provider directory in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  it(
    'a case manager finds a provider and sees which credentials are expired or expiring, its sites, services and rates',
    async () => {
      const providerId = await seedProvider(server);
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, demoUser('case_manager'));

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
      await page.getByRole('heading', { level: 1, name: 'Providers' }).waitFor();
      await page.getByRole('searchbox', { name: 'Search' }).fill('lakeside');
      await page.getByRole('rowheader', { name: 'Lakeside Counseling' }).click();
      await page.getByRole('heading', { level: 1, name: 'Lakeside Counseling' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/providers/${providerId}`);
      await expect(page.title()).resolves.toBe('Lakeside Counseling · EHRMS');

      // An expired license makes the provider not bookable; each credential shows its standing.
      await page.getByRole('region', { name: 'Standing today' }).getByText('Not bookable').waitFor();
      const credentials = page.getByRole('region', { name: 'Credentials' });
      const standingOf = (type: string) => credentials.getByRole('row', { name: new RegExp(`^${type}`) });
      await standingOf('License').getByText('Expired').waitFor();
      await standingOf('Certification').getByText('Expires within 30 days').waitFor();
      await standingOf('DEA registration').getByText('Expires within 60 days').waitFor();
      await standingOf('Board certification').getByText('OK', { exact: true }).waitFor();

      await page.getByRole('region', { name: 'Locations' }).getByText('Lakeside Main Office').waitFor();
      await page.getByRole('region', { name: 'Services offered' }).getByText('H0004').waitFor();
      const contracts = page.getByRole('region', { name: 'Contracts' });
      await contracts.getByRole('heading', { name: 'Contract LC-2026-01' }).waitFor();
      await contracts.getByText('$25.50 per 15 minutes').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

/** A provider with credentials in each standing, a site, a service and an active contract. */
async function seedProvider(server: WebServer): Promise<string> {
  const token = await server.app.token({
    agency: DEMO_AGENCY.id,
    grants: { 'providers.providers.read': 'agency', 'providers.providers.write': 'agency' },
  });
  const post = async (url: string, body: Record<string, unknown>) => {
    const res = await server.app.http.request({ method: 'POST', url, token, body });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>();
  };
  const provider = await post('/api/v1/providers', {
    kind: 'organization',
    name: 'Lakeside Counseling',
    npi: validNpi('198765432'),
  });
  const base = `/api/v1/providers/${provider.id}`;
  const credential = (type: string, days: number) =>
    post(`${base}/credentials`, {
      type,
      number: `${type}-1`,
      issuer: 'State of Wisconsin',
      expiresOn: inDays(days),
    });
  await credential('license', -3);
  await credential('certification', 20);
  await credential('dea', 45);
  await credential('board', 400);
  await post(`${base}/locations`, {
    name: 'Lakeside Main Office',
    addressLine1: '12 Lake St',
    city: 'Madison',
    state: 'WI',
    postalCode: '53703',
  });
  await post(`${base}/services`, {
    serviceCode: 'H0004',
    description: 'Individual counselling',
    unitType: '15min',
  });
  await post(`${base}/contracts`, {
    number: 'LC-2026-01',
    startsOn: inDays(-30),
    status: 'active',
    lines: [{ serviceCode: 'H0004', rateCents: 2550, unitType: '15min' }],
  });
  return provider.id;
}

function validNpi(nine: string): string {
  for (let d = 0; d <= 9; d++) if (isValidNpi(`${nine}${d}`)) return `${nine}${d}`;
  throw new Error('no check digit fits');
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
