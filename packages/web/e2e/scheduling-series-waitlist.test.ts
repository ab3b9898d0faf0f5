import { Temporal } from '@js-temporal/polyfill';
import type { Browser } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { created, providerResource } from '../../api/test/scheduling/appointments-helpers.js';
import { DEMO_CLIENTS } from '../../api/src/modules/clients/demo.js';
import { DEMO_AGENCY } from '../../api/src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../api/src/modules/scheduling/appointments/appointments.seed.js';
import { OutboxDispatcher } from '../../api/src/platform/events/outbox-dispatcher.js';
import {
  BROWSER_TEST_TIMEOUT,
  chooseOption,
  demoUser,
  describeInBrowser,
  openPage,
  seriousViolations,
  signInAs,
  withServerAndBrowser,
  type WebServer,
} from './support/browser.js';

/** The agency's zone (AGENCY_TIME_ZONE's default, which the test app uses). */
const ZONE = 'America/Chicago';
const SCHEDULING = '/api/v1/scheduling';
const [INTAKE, THERAPY] = DEMO_APPOINTMENT_TYPES;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface AppointmentJson {
  id: string;
  startsAt: string;
  status: string;
  seriesId: string | null;
  resources: { resourceId: string }[];
}

interface WaitlistEntryJson {
  id: string;
  clientId: string;
  status: string;
  priority: number;
  timesOfDay: string[];
  resourceIds: string[];
  bookedAppointmentId: string | null;
}

function demoClient(givenName: string): { id: string } {
  const client = DEMO_CLIENTS.find((c) => c.givenName === givenName);
  if (!client) throw new Error(`no demo client ${givenName}`);
  return client;
}
const maria = demoClient('Maria');
const james = demoClient('James');

/** The first Monday–Friday at least two days after today in the agency's zone (never "today", never a weekend). */
function bookingDay(): string {
  let day = Temporal.Now.plainDateISO(ZONE).add({ days: 2 });
  while (day.dayOfWeek > 5) day = day.add({ days: 1 });
  return day.toString();
}

const addDays = (day: string, days: number) => Temporal.PlainDate.from(day).add({ days }).toString();

/** The UTC instant of a wall time on a local day in the agency's zone. */
function at(day: string, time: string): string {
  return Temporal.PlainDate.from(day)
    .toZonedDateTime({ timeZone: ZONE, plainTime: Temporal.PlainTime.from(time) })
    .toInstant()
    .toString();
}

const sameInstant = (a: string | undefined, b: string) => Date.parse(a ?? '') === Date.parse(b);

describeInBrowser('recurring series, the waitlist and the reminder policy in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  let dana: { providerId: string; resourceId: string };
  let booker: string;
  let policyAdmin: string;
  const day = bookingDay();
  const weekday = WEEKDAYS[Temporal.PlainDate.from(day).dayOfWeek - 1] as string;
  withServerAndBrowser((s, b) => {
    server = s;
    browser = b;
  });

  beforeAll(async () => {
    const manager = await server.app.token({
      agency: DEMO_AGENCY.id,
      grants: {
        'scheduling.resources.read': 'agency',
        'scheduling.resources.manage': 'agency',
        'providers.providers.read': 'agency',
        'providers.providers.write': 'agency',
      },
    });
    // A provider with Mon–Fri 08:00–17:00 hours, in good standing.
    dana = await providerResource(server.app, manager, {
      name: 'Dana Rivera',
      licenseExpiresOn: '2031-12-31',
    });
    // Someone else at the agency booking and reading at the same time as the browser user.
    booker = await server.app.token({
      agency: DEMO_AGENCY.id,
      grants: {
        'clients.clients.read': 'agency',
        'scheduling.resources.read': 'agency',
        'scheduling.appointments.read': 'agency',
        'scheduling.appointments.write': 'agency',
      },
    });
    policyAdmin = await server.app.token({
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.policy.manage': 'agency' },
    });
  });

  const apiGet = async <T>(url: string, token = booker): Promise<T> => {
    const res = await server.app.http.request({ method: 'GET', url, token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const bookedOf = async (clientId: string): Promise<AppointmentJson[]> =>
    (await apiGet<{ items: AppointmentJson[] }>(`${SCHEDULING}/appointments?clientId=${clientId}`)).items
      .filter((a) => a.status === 'booked')
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  it(
    'a scheduler books a weekly series from the chart, sees its appointments and moves "this and following"; clashes are listed',
    async () => {
      const dates = [0, 7, 14, 21].map((n) => addDays(day, n));
      // James already has Dana at 10:00 in the third week.
      await created(server.app, booker, `${SCHEDULING}/appointments`, {
        clientId: james.id,
        appointmentTypeId: INTAKE.id,
        startsAt: at(dates[2] as string, '10:00'),
        resourceIds: [dana.resourceId],
      });

      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, demoUser('scheduler'));
      await page.goto(`/clients/${maria.id}?tab=appointments`);
      await page.getByRole('heading', { level: 1, name: 'Maria Hernandez' }).waitFor();
      await page.getByRole('button', { name: 'Book appointment' }).click();
      const search = page.getByRole('form', { name: 'Find free times' });
      await search.getByRole('combobox', { name: 'Appointment type' }).click();
      await page.getByRole('option', { name: 'Intake (60 min)' }).click();
      await chooseOption(page, 'Providers', 'Dana Rivera');
      await search.getByLabel(/^From/).fill(day);
      await search.getByLabel(/^To/).fill(day);
      await search.getByRole('button', { name: 'Find free times' }).click();
      const times = page.getByRole('region', { name: 'Free times' });
      const slot = (time: string) =>
        times.getByRole('button', { name: new RegExp(`^${time}\\sAM on .+ with Dana Rivera$`) });

      // 10:00 every week, four times: the third week clashes with James, so nothing is booked.
      await slot('10:00').click();
      const confirm = page.getByRole('form', { name: 'Confirm the booking' });
      await confirm.getByRole('combobox', { name: 'Repeats' }).click();
      await page.getByRole('option', { name: 'Weekly' }).click();
      await expect(confirm.getByRole('checkbox', { name: weekday }).isChecked()).resolves.toBe(true);
      await confirm.getByLabel(/^Number of appointments/).fill('4');
      await confirm.getByText(`Every week on ${weekday}, 4 times.`).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      // A weekly series must include the first appointment's day.
      const other = weekday === 'Monday' ? 'Thursday' : 'Monday';
      await confirm.getByRole('checkbox', { name: other }).check();
      await confirm.getByRole('checkbox', { name: weekday }).uncheck();
      await confirm.getByRole('button', { name: 'Book the series' }).click();
      await confirm.getByText(`Include ${weekday}: the first appointment is on a ${weekday}.`).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await confirm.getByRole('checkbox', { name: weekday }).check();
      await confirm.getByRole('checkbox', { name: other }).uncheck();
      await confirm.getByText(`Every week on ${weekday}, 4 times.`).waitFor();
      await confirm.getByRole('button', { name: 'Book the series' }).click();
      const clash = confirm.getByRole('alert').filter({ hasText: 'Occurrences cannot be booked' });
      await clash.getByText('1 occurrence cannot be booked; nothing was booked.').waitFor();
      const clashes = clash
        .getByRole('list', { name: 'Occurrences that cannot be booked' })
        .getByRole('listitem');
      await expect(clashes.count()).resolves.toBe(1);
      await expect(clashes.first().textContent()).resolves.toMatch(
        /10:00\sAM – 11:00\sAM: Already booked\. Dana Rivera is already booked at that time\.$/,
      );
      expect(await seriousViolations(page)).toEqual([]);
      expect(await bookedOf(maria.id)).toEqual([]);

      // 09:00 instead: all four are booked and listed.
      await slot('9:00').click();
      await expect.poll(() => clash.count()).toBe(0);
      await confirm.getByRole('button', { name: 'Book the series' }).click();
      const booked = page.getByRole('status').filter({ hasText: 'Booked' });
      await booked
        .getByText(`Intake with Dana Rivera: Every week on ${weekday}, 4 times. 4 appointments booked.`)
        .waitFor();
      const listed = booked.getByRole('list', { name: 'Appointments booked' }).getByRole('listitem');
      await expect(listed.count()).resolves.toBe(4);
      for (const item of await listed.all()) {
        await expect(item.textContent()).resolves.toMatch(/9:00\sAM – 10:00\sAM$/);
      }
      const upcoming = page.getByRole('table', { name: 'Upcoming appointments of this client' });
      const rows = upcoming.getByRole('row');
      await expect.poll(() => rows.count()).toBe(5);
      await expect(upcoming.getByText('Series', { exact: true }).count()).resolves.toBe(4);
      expect(await seriousViolations(page)).toEqual([]);
      let items = await bookedOf(maria.id);
      expect(
        items.map((a) => a.startsAt).every((s, i) => sameInstant(s, at(dates[i] as string, '09:00'))),
      ).toBe(true);
      const seriesId = items[0]?.seriesId;
      expect(seriesId).toBeTruthy();
      expect(items.every((a) => a.seriesId === seriesId)).toBe(true);

      // The second week on, to 10:00: James's time clashes; the dialog lists it and nothing moves.
      await rows
        .nth(2)
        .getByRole('button', { name: /^Change or cancel the series appointment of .*9:00\sAM/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Change a series appointment' });
      await dialog
        .getByText(`part of a series: Every week on ${weekday}, 4 times.`, { exact: false })
        .waitFor();
      await dialog.getByRole('radio', { name: 'This and the following appointments' }).check();
      await dialog.getByLabel(/^New time/).fill('10:00');
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Move the appointments' }).click();
      const refused = dialog.getByRole('alert').filter({ hasText: 'Occurrences cannot be booked' });
      await refused
        .getByRole('listitem')
        .filter({ hasText: /10:00\sAM – 11:00\sAM: Already booked\. Dana Rivera is already booked/ })
        .waitFor();
      await expect(refused.getByRole('listitem').count()).resolves.toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      expect((await bookedOf(maria.id)).map((a) => a.id)).toEqual(items.map((a) => a.id));

      // 11:00 is free every week: the second, third and fourth move; the first stays at 9:00.
      await dialog.getByLabel(/^New time/).fill('11:00');
      await dialog.getByRole('button', { name: 'Move the appointments' }).click();
      await page
        .getByRole('status')
        .getByText(/^This and the following appointments moved to 11:00\sAM\.$/)
        .waitFor();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await expect.poll(() => rows.nth(2).textContent()).toMatch(/11:00\sAM – 12:00\sPM/);
      await expect(rows.nth(1).textContent()).resolves.toMatch(/9:00\sAM – 10:00\sAM/);
      await expect(rows.nth(4).textContent()).resolves.toMatch(/11:00\sAM – 12:00\sPM/);
      items = await bookedOf(maria.id);
      expect(items).toHaveLength(4);
      expect(sameInstant(items[0]?.startsAt, at(dates[0] as string, '09:00'))).toBe(true);
      for (const [i, a] of items.slice(1).entries()) {
        expect(sameInstant(a.startsAt, at(dates[i + 1] as string, '11:00'))).toBe(true);
      }
      // The series was split there: the first week stays in it, the rest are a new series split from it.
      expect(items[0]?.seriesId).toBe(seriesId);
      const newSeriesId = items[1]?.seriesId;
      expect(newSeriesId).not.toBe(seriesId);
      expect(items.slice(1).every((a) => a.seriesId === newSeriesId)).toBe(true);
      const split = await apiGet<{ splitFromId: string }>(`${SCHEDULING}/series/${newSeriesId}`);
      expect(split.splitFromId).toBe(seriesId);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT * 2,
  );

  it(
    'a scheduler puts a client on the waitlist, cancels a series appointment from the calendar, and books the offer',
    async () => {
      // Maria's weekly 14:00 with Dana (two weeks), and her own entry for therapy, to be removed.
      await created(server.app, booker, `${SCHEDULING}/series`, {
        clientId: maria.id,
        appointmentTypeId: INTAKE.id,
        startsAt: at(day, '14:00'),
        resourceIds: [dana.resourceId],
        recurrence: 'FREQ=WEEKLY;COUNT=2',
      });
      await created(server.app, booker, `${SCHEDULING}/waitlist`, {
        clientId: maria.id,
        appointmentTypeId: THERAPY.id,
      });

      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, demoUser('scheduler'));

      // James on the waitlist from his chart: Intake with Dana, afternoons in the coming week, urgent.
      await page.goto(`/clients/${james.id}?tab=appointments`);
      await page.getByRole('heading', { level: 1, name: 'James Thompson' }).waitFor();
      await page.getByRole('button', { name: 'Add to waitlist' }).click();
      const form = page.getByRole('form', { name: 'Add to the waitlist' });
      await form.getByRole('button', { name: 'Add to waitlist' }).click();
      await form.getByText('Choose the appointment type.').first().waitFor();
      await form.getByRole('combobox', { name: 'Appointment type' }).click();
      await page.getByRole('option', { name: 'Intake (60 min)' }).click();
      await chooseOption(page, 'Preferred providers', 'Dana Rivera');
      await form.getByLabel(/^Earliest day/).fill(day);
      await form.getByLabel(/^Latest day/).fill(addDays(day, 6));
      await form.getByRole('checkbox', { name: 'Afternoon (12:00–17:00)' }).check();
      await form.getByRole('combobox', { name: 'Priority' }).click();
      await page.getByRole('option', { name: '2 — urgent' }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await form.getByRole('button', { name: 'Add to waitlist' }).click();
      await page
        .getByRole('status')
        .getByText(
          /^On the waitlist for Intake, priority 2: Dana Rivera; .* to .*; Afternoon \(12:00–17:00\)\.$/,
        )
        .waitFor();
      const own = page.getByRole('table', { name: 'Waitlist entries of this client' });
      await own
        .getByRole('row', { name: /Intake/ })
        .getByText('Waiting', { exact: true })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // On Dana's calendar, Maria's 14:00 of the series is cancelled ("this appointment only").
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
      await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
      await page.getByRole('combobox', { name: 'Calendar' }).click();
      await page.getByRole('option', { name: 'Dana Rivera (provider)' }).click();
      await page.locator('input[type=date]').fill(day);
      const calendar = page.getByRole('region', { name: 'Calendar of Dana Rivera' });
      const block = calendar.getByRole('group', {
        name: /^2:00\sPM – 3:00\sPM, Maria Hernandez, Intake, Booked$/,
      });
      await block.waitFor();
      await calendar
        .getByRole('button', { name: /^Actions for 2:00\sPM – 3:00\sPM, Maria Hernandez$/ })
        .focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menuitem', { name: 'Change the series…' }).press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Change a series appointment' });
      await page.getByRole('menu').waitFor({ state: 'detached' });
      await expect(dialog.getByRole('radio', { name: 'This appointment only' }).isChecked()).resolves.toBe(
        true,
      );
      await dialog.getByRole('radio', { name: 'Cancel' }).check();
      await dialog.getByRole('button', { name: 'Cancel this appointment' }).click();
      await dialog.getByText('Say why the appointments are cancelled.').waitFor();
      await dialog.getByLabel(/^Reason/).fill('Client moved the intake to another agency');
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Cancel this appointment' }).click();
      await page
        .getByRole('status')
        .getByText(/^The appointment on .*2:00\sPM is cancelled\.$/)
        .waitFor();
      await expect.poll(() => block.count()).toBe(0);

      // The freed slot is offered to James (the outbox delivers the cancellation).
      await server.app.app.get(OutboxDispatcher).flush();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Waitlist' }).click();
      await page.getByRole('heading', { level: 1, name: 'Waitlist' }).waitFor();
      await expect(page.title()).resolves.toBe('Waitlist · EHRMS');
      const table = page.getByRole('table', { name: 'Waitlist entries' });
      const jamesRow = table.getByRole('row', { name: /James Thompson/ });
      const mariaRow = table.getByRole('row', { name: /Maria Hernandez/ });
      await jamesRow.getByText('Offered', { exact: true }).waitFor();
      await jamesRow.getByText(/2:00\sPM – 3:00\sPM with Dana Rivera/).waitFor();
      await jamesRow.getByText(/^Offered until /).waitFor();
      await mariaRow.getByText('Waiting', { exact: true }).waitFor();
      // Most urgent first.
      await expect(table.getByRole('row').nth(1).textContent()).resolves.toMatch(/James Thompson/);
      expect(await seriousViolations(page)).toEqual([]);

      // Maria's entry comes off the list.
      await mariaRow
        .getByRole('button', { name: 'Remove Maria Hernandez from the waitlist (Individual therapy)' })
        .click();
      const remove = page.getByRole('dialog', { name: 'Remove from the waitlist?' });
      await remove.getByLabel(/^Reason/).fill('Seen elsewhere');
      await remove.getByRole('button', { name: 'Remove', exact: true }).click();
      await page.getByRole('status').getByText('Maria Hernandez is off the waitlist.').waitFor();
      await expect.poll(() => mariaRow.count()).toBe(0);

      // James's offer is booked.
      await jamesRow.getByRole('button', { name: 'Book offer for James Thompson' }).click();
      const accept = page.getByRole('dialog', { name: 'Book this offer?' });
      await accept.getByText(/^James Thompson: Intake on .*2:00\sPM with Dana Rivera\.$/).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await accept.getByRole('button', { name: 'Book appointment' }).click();
      await page
        .getByRole('status')
        .getByText(/^James Thompson is booked: Intake on .*2:00\sPM with Dana Rivera\.$/)
        .waitFor();
      await expect.poll(() => jamesRow.count()).toBe(0);
      await page.getByRole('combobox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'Booked' }).click();
      await jamesRow.getByText('Booked', { exact: true }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      const entries = await apiGet<{ items: WaitlistEntryJson[] }>(
        `${SCHEDULING}/waitlist?clientId=${james.id}&status=booked`,
      );
      expect(entries.items).toHaveLength(1);
      expect(entries.items[0]).toMatchObject({
        priority: 2,
        timesOfDay: ['afternoon'],
        resourceIds: [dana.resourceId],
      });
      const jamesBooked = await bookedOf(james.id);
      const taken = jamesBooked.find((a) => a.id === entries.items[0]?.bookedAppointmentId);
      expect(sameInstant(taken?.startsAt, at(day, '14:00'))).toBe(true);
      expect(taken?.resources.map((r) => r.resourceId)).toEqual([dana.resourceId]);
      const removed = await apiGet<{ items: WaitlistEntryJson[] }>(
        `${SCHEDULING}/waitlist?clientId=${maria.id}&status=withdrawn`,
      );
      expect(removed.items).toHaveLength(1);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT * 2,
  );

  it(
    'an agency administrator changes the reminder policy; a change saved meanwhile is not overwritten',
    async () => {
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, demoUser('agency_admin'));
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Reminder policy' })
        .click();
      await page.getByRole('heading', { level: 1, name: 'Appointment reminders' }).waitFor();
      await expect(page.title()).resolves.toBe('Appointment reminders · EHRMS');
      const current = page.getByRole('region', { name: 'Current policy' });
      await current.getByText('Default', { exact: true }).waitFor();
      const currentLeads = current.getByRole('list', { name: 'Reminder times' }).getByRole('listitem');
      await expect(currentLeads.allTextContents()).resolves.toEqual([
        '72 hours before the appointment',
        'At 10:00 on the business day before',
      ]);
      await page.getByText(/Times are the agency’s: .*America\/Chicago/).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // 48 hours, 16:30 the business day before, and 2 hours (first typed as 0: refused here).
      const form = page.getByRole('form', { name: 'Change the reminder policy' });
      const reminder = (n: number) => form.getByRole('group', { name: `Reminder ${n}` });
      await reminder(1)
        .getByLabel(/^Hours before/)
        .fill('48');
      await reminder(2)
        .getByLabel(/^At \(agency time\)/)
        .fill('16:30');
      await form.getByRole('button', { name: 'Add a reminder' }).click();
      await reminder(3)
        .getByLabel(/^Hours before/)
        .fill('0');
      await form.getByRole('button', { name: 'Save the policy' }).click();
      await reminder(3)
        .getByText(/^Enter the hours before the appointment/)
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await reminder(3)
        .getByLabel(/^Hours before/)
        .fill('2');

      // Someone else stores a policy first: saving is refused (412) and the latest can be loaded.
      const meanwhile = await server.app.http.request({
        method: 'PUT',
        url: `${SCHEDULING}/reminder-policy`,
        token: policyAdmin,
        headers: { 'if-match': '"0"' },
        body: { leads: [{ hoursBefore: 24 }] },
      });
      expect(meanwhile.statusCode, meanwhile.body).toBe(200);
      await form.getByRole('button', { name: 'Save the policy' }).click();
      await form.getByRole('alert').getByText('Error: Precondition failed').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await form.getByRole('button', { name: 'Load the latest version (discards your changes)' }).click();
      await expect.poll(() => currentLeads.allTextContents()).toEqual(['24 hours before the appointment']);
      await expect(current.getByText('Default', { exact: true }).count()).resolves.toBe(0);
      // The form starts again from the latest version.
      await expect.poll(() => reminder(2).count()).toBe(0);
      await expect(
        reminder(1)
          .getByLabel(/^Hours before/)
          .inputValue(),
      ).resolves.toBe('24');

      // On the latest version: 48 hours, and 16:30 the business day before.
      await reminder(1)
        .getByLabel(/^Hours before/)
        .fill('48');
      await form.getByRole('button', { name: 'Add a reminder' }).click();
      await reminder(2).getByRole('combobox', { name: 'When' }).click();
      await page.getByRole('option', { name: 'A business day before, at a set time' }).click();
      await reminder(2)
        .getByLabel(/^Business days before/)
        .fill('1');
      await reminder(2)
        .getByLabel(/^At \(agency time\)/)
        .fill('16:30');
      await form.getByRole('button', { name: 'Save the policy' }).click();
      await form
        .getByRole('status')
        .getByText(/^The reminder policy was saved\./)
        .waitFor();
      await expect
        .poll(() => currentLeads.allTextContents())
        .toEqual(['48 hours before the appointment', 'At 16:30 on the business day before']);
      expect(await seriousViolations(page)).toEqual([]);

      const stored = await apiGet<{ leads: unknown[]; isDefault: boolean; version: number }>(
        `${SCHEDULING}/reminder-policy`,
        policyAdmin,
      );
      expect(stored).toMatchObject({
        leads: [{ hoursBefore: 48 }, { businessDaysBefore: 1, atLocalTime: '16:30' }],
        isDefault: false,
        version: 2,
      });

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
