import { Temporal } from '@js-temporal/polyfill';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { BH_PROGRAM, CFS_PROGRAM, registerClient, staff } from '../../api/test/clients/clients-helpers.js';
import {
  created,
  providerResource,
  resourceOfProvider,
  SCHEDULING,
} from '../../api/test/scheduling/appointments-helpers.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../api/src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../api/src/modules/scheduling/appointments/appointments.seed.js';
import {
  BROWSER_TEST_TIMEOUT,
  demoUser,
  describeInBrowser,
  openPage,
  seriousViolations,
  signInAs,
  submitCredentials,
  withServerAndBrowser,
  type WebServer,
} from './support/browser.js';

/** The agency's zone (AGENCY_TIME_ZONE's default, which the test app uses). */
const ZONE = 'America/Chicago';
/** 30 minutes, no buffers: from a half hour of today it always ends by midnight. */
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
const CLIENT = { givenName: 'Nadia', familyName: 'Quillfeather' };
const CLIENT_NAME = `${CLIENT.givenName} ${CLIENT.familyName}`;
/** The Part 2 program's provider (a BH resource) and the client's other program's room (CFS). */
const PROVIDER = 'Morgan Recovery';
const ROOM = 'CFS family visit room';
/** A scheduler of child and family services: reaches the client, is not staff of BH. */
const OUTSIDER = {
  email: 'cfs.scheduler@demo.ehrms.local',
  displayName: 'Cary Cfsscheduler',
  password: 'Front-desk-password-2026',
};
const NOTICE = '42 CFR Part 2 notice';
const WITHHELD_LINE = '2 withheld (42 CFR Part 2): shown with their time only.';

/**
 * 42 CFR Part 2 in the scheduling screens. The client is in child and family services (CFS) and
 * in substance use treatment in the BH program, a Part 2 program for them. Two daily series start
 * today: one with a BH provider (Part 2 information), one in a CFS room. A CFS scheduler whose
 * scope reaches the client sees the BH occurrences by time only, without the client or any
 * action; BH staff, and later the CFS scheduler once a Part 2 consent names them, see them named
 * with the redisclosure notice.
 */
describeInBrowser('42 CFR Part 2 appointments in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  let clientId: string;
  let outsiderId: string;
  let bhSupervisor: string;
  /** Today in the agency's zone, and the series' time: now, rounded down to the half hour. */
  let today: string;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  beforeAll(async () => {
    const now = Temporal.Now.zonedDateTimeISO(ZONE);
    const start = now
      .round({ smallestUnit: 'minute', roundingMode: 'floor' })
      .with({ minute: now.minute < 30 ? 0 : 30 });
    today = start.toPlainDate().toString();

    // The outsider signs in with a password, so they are a real user on the CFS team.
    const admin = await server.app.token({
      sub: 'e2e-setup',
      agency: DEMO_AGENCY.id,
      roles: ['system_admin'],
      grants: { 'identity.users.write': 'all', 'identity.users.read': 'all' },
      amr: ['pwd', 'otp'],
    });
    outsiderId = (
      await created<{ id: string }>(server.app, admin, '/api/v1/identity/users', {
        ...OUTSIDER,
        roles: ['scheduler'],
        teamIds: [DEMO_TEAM_IDS.cfs],
      })
    ).id;

    // The client, registered by a CFS case manager (on the CFS care team), enrolled in CFS and,
    // under Part 2, in BH.
    const cfsWorker = await staff(server.app, 'case_manager', DEMO_TEAM_IDS.cfs);
    clientId = (await registerClient(server.app, cfsWorker.token, CLIENT)).id;
    for (const [programId, part2] of [
      [CFS_PROGRAM, false],
      [BH_PROGRAM, true],
    ] as const) {
      await created(server.app, cfsWorker.token, `/api/v1/clients/${clientId}/enrollments`, {
        programId,
        startDate: Temporal.PlainDate.from(today).subtract({ days: 30 }).toString(),
        reason: 'Referral',
        part2,
      });
    }

    // A BH provider working every day around the clock (so "now" is always bookable), and a CFS room.
    const manager = await server.app.token({
      agency: DEMO_AGENCY.id,
      grants: {
        'scheduling.resources.read': 'agency',
        'scheduling.resources.manage': 'agency',
        'providers.providers.read': 'agency',
        'providers.providers.write': 'agency',
      },
    });
    const provider = await providerResource(server.app, manager, {
      name: PROVIDER,
      licenseExpiresOn: '2031-12-31',
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startsAt: '00:00', endsAt: '24:00' })),
    });
    const resource = await resourceOfProvider(server.app, manager, provider.providerId);
    const moved = await server.app.http.request({
      method: 'PATCH',
      url: `${SCHEDULING}/resources/${provider.resourceId}`,
      token: manager,
      headers: { 'if-match': `"${resource.version}"` },
      body: { programId: BH_PROGRAM },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const room = await created<{ id: string }>(server.app, manager, `${SCHEDULING}/resources`, {
      kind: 'room',
      name: ROOM,
      programId: CFS_PROGRAM,
    });

    // Each series booked by its own program's scheduler: today and tomorrow at the same time.
    const series = (token: string, resourceId: string) =>
      created(server.app, token, `${SCHEDULING}/series`, {
        clientId,
        appointmentTypeId: CASE_MANAGEMENT.id,
        resourceIds: [resourceId],
        startsAt: start.toInstant().toString(),
        recurrence: 'FREQ=DAILY;COUNT=2',
      });
    await series(
      (await staff(server.app, 'scheduler', DEMO_TEAM_IDS.bhOutpatient)).token,
      provider.resourceId,
    );
    await series((await staff(server.app, 'scheduler', DEMO_TEAM_IDS.cfs)).token, room.id);

    bhSupervisor = (
      await staff(server.app, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] })
    ).token;
  });

  /** The chart's appointments tab, loaded: its table, and its rows at each resource. */
  async function appointmentsTab(page: Page) {
    await page.goto(`/clients/${clientId}?tab=appointments`);
    await page.getByRole('heading', { level: 1, name: CLIENT_NAME }).waitFor();
    const table = page.getByRole('table', { name: 'Upcoming appointments of this client' });
    const rows = (resource: string) => table.getByRole('row').filter({ hasText: resource });
    await expect.poll(() => rows(ROOM).count()).toBe(2);
    await expect.poll(() => rows(PROVIDER).count()).toBe(2);
    return { table, rows };
  }

  /** The provider's calendar of today, loaded. */
  async function providerCalendar(page: Page) {
    await page.goto('/schedule');
    await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
    const picker = page.getByRole('combobox', { name: 'Calendar' });
    await picker.click();
    await picker.fill(PROVIDER);
    await page.getByRole('option', { name: `${PROVIDER} (provider)` }).click();
    await page.locator('input[type=date]').fill(today);
    return page.getByRole('region', { name: `Calendar of ${PROVIDER}` });
  }

  const noticeOn = (page: Page) => page.getByRole('alert').filter({ hasText: NOTICE });

  it(
    'a scheduler of another program sees the Part 2 appointments by time only, without the client or any action',
    async () => {
      const { context, page } = await openPage(browser, server.baseUrl);
      await page.goto('/login');
      await submitCredentials(page, OUTSIDER.email, OUTSIDER.password);
      await page.getByRole('heading', { level: 1, name: `Welcome, ${OUTSIDER.displayName}` }).waitFor();

      // The chart: the CFS occurrences can be changed; the BH ones show their time, type and
      // provider, without an action, and the line says why.
      const { rows } = await appointmentsTab(page);
      for (const row of await rows(ROOM).all()) {
        await row.getByRole('button', { name: /^Change or cancel the series appointment of / }).waitFor();
      }
      for (const row of await rows(PROVIDER).all()) {
        await row.getByText(CASE_MANAGEMENT.name).waitFor();
        await row.getByText('Booked', { exact: true }).waitFor();
        await expect(row.getByRole('button').count()).resolves.toBe(0);
      }
      await page.getByText(WITHHELD_LINE).waitFor();
      await expect(noticeOn(page).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // The provider's calendar: the time is taken, by a client withheld, with no actions menu.
      const calendar = await providerCalendar(page);
      const block = calendar.getByRole('group', { name: /, Client withheld, Case management, Booked$/ });
      await block.waitFor();
      await expect(calendar.getByRole('group').count()).resolves.toBe(1);
      await expect(block.getByRole('button').count()).resolves.toBe(0);
      await expect(calendar.getByText(CLIENT_NAME).count()).resolves.toBe(0);
      await expect(noticeOn(page).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // The front desk: the client's CFS appointment can be checked in; the BH one cannot.
      await page.goto('/front-desk');
      await page.getByRole('heading', { level: 1, name: 'Front desk' }).waitFor();
      const table = page.getByRole('table', { name: 'Today’s appointments' });
      const roomRow = table.getByRole('row').filter({ hasText: ROOM });
      const providerRow = table.getByRole('row').filter({ hasText: PROVIDER });
      await roomRow.getByRole('button', { name: new RegExp(`^Check in ${CLIENT_NAME}`) }).waitFor();
      await providerRow.getByText('Client withheld').waitFor();
      await expect(providerRow.getByRole('button').count()).resolves.toBe(0);
      await expect(providerRow.getByText(CLIENT_NAME).count()).resolves.toBe(0);
      await expect(noticeOn(page).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // Once the client's Part 2 consent names this scheduler, the chart names them all, with the notice.
      const consent = await server.app.http.request({
        method: 'POST',
        url: `/api/v1/clients/${clientId}/consents`,
        token: bhSupervisor,
        body: {
          kind: 'part2',
          recipient: { type: 'user', id: outsiderId },
          purposes: ['TREAT'],
          categories: ['substance_use'],
          disclosingProgramId: BH_PROGRAM,
          effectiveFrom: Temporal.PlainDate.from(today).subtract({ days: 1 }).toString(),
          expiresOn: Temporal.PlainDate.from(today).add({ days: 300 }).toString(),
          signedOn: Temporal.PlainDate.from(today).subtract({ days: 1 }).toString(),
          signedBy: { name: CLIENT_NAME, relationship: 'self' },
        },
      });
      expect(consent.statusCode, consent.body).toBe(201);
      const named = await appointmentsTab(page);
      for (const row of await named.rows(PROVIDER).all()) {
        await row.getByRole('button', { name: /^Change or cancel the series appointment of / }).waitFor();
      }
      await noticeOn(page).waitFor();
      await expect(page.getByText(/withheld \(42 CFR Part 2\)/).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT * 2,
  );

  it(
    'staff of the Part 2 program see them named, with the redisclosure notice',
    async () => {
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, demoUser('supervisor'));

      const { rows } = await appointmentsTab(page);
      for (const row of [...(await rows(PROVIDER).all()), ...(await rows(ROOM).all())]) {
        await row.getByRole('button', { name: /^Change or cancel the series appointment of / }).waitFor();
      }
      await noticeOn(page).waitFor();
      await expect(page.getByText(/withheld \(42 CFR Part 2\)/).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      const calendar = await providerCalendar(page);
      await calendar
        .getByRole('group', { name: new RegExp(`, ${CLIENT_NAME}, Case management, Booked$`) })
        .waitFor();
      await calendar.getByRole('button', { name: new RegExp(`^Actions for .*, ${CLIENT_NAME}$`) }).waitFor();
      await expect(calendar.getByText('Client withheld').count()).resolves.toBe(0);
      await noticeOn(page).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto('/front-desk');
      const table = page.getByRole('table', { name: 'Today’s appointments' });
      await table
        .getByRole('row')
        .filter({ hasText: PROVIDER })
        .getByRole('button', { name: new RegExp(`^Check in ${CLIENT_NAME}`) })
        .waitFor();
      await noticeOn(page).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
