import { Temporal } from '@js-temporal/polyfill';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { created, providerResource } from '../../api/test/scheduling/appointments-helpers.js';
import { DEMO_CLIENTS } from '../../api/src/modules/clients/demo.js';
import { DEMO_AGENCY } from '../../api/src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../api/src/modules/scheduling/appointments/appointments.seed.js';
import {
  BROWSER_TEST_TIMEOUT,
  chooseOption,
  demoUser,
  describeInBrowser,
  openPage,
  passwordToken,
  seriousViolations,
  signInAs,
  withServerAndBrowser,
  type WebServer,
} from './support/browser.js';

/** The agency's zone (AGENCY_TIME_ZONE's default, which the test app uses). */
const ZONE = 'America/Chicago';
const SCHEDULING = '/api/v1/scheduling';
const INTAKE = DEMO_APPOINTMENT_TYPES[0];
const JOIN_URL = 'https://video.example.org/rooms/intake-42';
/** The calendar draws an hour as 72 px (CalendarPage PPM = 1.2). */
const HOUR_PX = 72;

interface AppointmentJson {
  id: string;
  clientId: string | null;
  clientWithheld: boolean;
  startsAt: string;
  status: string;
  statusReason: string | null;
  rescheduledFromId: string | null;
  rescheduledToId: string | null;
  telehealth: boolean;
  joinUrl: string | null;
  resources: { resourceId: string }[];
}

function demoClient(givenName: string): { id: string } {
  const client = DEMO_CLIENTS.find((c) => c.givenName === givenName);
  if (!client) throw new Error(`no demo client ${givenName}`);
  return client;
}
const maria = demoClient('Maria');
const james = demoClient('James');
const lee = demoClient('Lee');

/** The first Monday–Friday at least two days after today in the agency's zone (never "today", never a weekend). */
function bookingDay(): string {
  let day = Temporal.Now.plainDateISO(ZONE).add({ days: 2 });
  while (day.dayOfWeek > 5) day = day.add({ days: 1 });
  return day.toString();
}

/** The UTC instant of a wall time on a local day in the agency's zone. */
function at(day: string, time: string): string {
  return Temporal.PlainDate.from(day)
    .toZonedDateTime({ timeZone: ZONE, plainTime: Temporal.PlainTime.from(time) })
    .toInstant()
    .toString();
}

const sameInstant = (a: string | undefined, b: string) => Date.parse(a ?? '') === Date.parse(b);

describeInBrowser('scheduling in the staff app', () => {
  let server: WebServer;
  let browser: Browser;
  let dana: { providerId: string; resourceId: string };
  let booker: string;
  let rooms: string[];
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
    // Two providers with Mon–Fri 08:00–17:00 hours: one in good standing, one whose license lapsed.
    dana = await providerResource(server.app, manager, {
      name: 'Dana Rivera',
      licenseExpiresOn: '2031-12-31',
    });
    await providerResource(server.app, manager, { name: 'Pat Lapsed', licenseExpiresOn: '2026-01-31' });
    // Walk-in rooms without hours (bookable at any time), for appointments of today.
    rooms = [];
    for (const name of ['Walk-in room A', 'Walk-in room B', 'Walk-in room C']) {
      rooms.push(
        (
          await created<{ id: string }>(server.app, manager, `${SCHEDULING}/resources`, {
            kind: 'room',
            name,
          })
        ).id,
      );
    }
    // Someone else at the agency booking at the same time as the browser user.
    booker = await server.app.token({
      agency: DEMO_AGENCY.id,
      grants: {
        'clients.clients.read': 'agency',
        'scheduling.resources.read': 'agency',
        'scheduling.appointments.read': 'agency',
        'scheduling.appointments.write': 'agency',
      },
    });
  });

  const book = (clientId: string, startsAt: string, resourceId: string) =>
    created<AppointmentJson>(server.app, booker, `${SCHEDULING}/appointments`, {
      clientId,
      appointmentTypeId: INTAKE.id,
      startsAt,
      resourceIds: [resourceId],
    });

  const appointmentsOf = async (clientId: string, token: string): Promise<AppointmentJson[]> => {
    const res = await server.app.http.request({
      method: 'GET',
      url: `${SCHEDULING}/appointments?clientId=${clientId}`,
      token,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: AppointmentJson[] }>().items;
  };

  it(
    'the scheduler books from the chart (a taken slot refreshes the times), then moves it by drag and by keyboard',
    async () => {
      const scheduler = demoUser('scheduler');
      const day = bookingDay();
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, scheduler);

      // The chart's Appointments tab: nothing upcoming yet.
      await page.goto(`/clients/${maria.id}`);
      await page.getByRole('heading', { level: 1, name: 'Maria Hernandez' }).waitFor();
      await page.getByRole('tab', { name: 'Appointments' }).click();
      await page.getByText('No upcoming appointments.').waitFor();
      await page.getByText(/Times are the agency’s: .*America\/Chicago/).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // The search needs a type and a provider.
      await page.getByRole('button', { name: 'Book appointment' }).click();
      const search = page.getByRole('form', { name: 'Find free times' });
      await search.getByRole('button', { name: 'Find free times' }).click();
      await search.getByText('Choose the appointment type.').first().waitFor();
      await search.getByText('Choose at least one provider.').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await search.getByRole('combobox', { name: 'Appointment type' }).click();
      await page.getByRole('option', { name: 'Intake (60 min)' }).click();
      await chooseOption(page, 'Providers', 'Dana Rivera');
      await chooseOption(page, 'Providers', 'Pat Lapsed');
      await search.getByLabel(/^From/).fill(day);
      await search.getByLabel(/^To/).fill(day);
      await search.getByRole('button', { name: 'Find free times' }).click();

      // Free times by the agency's day; the provider whose license lapsed is shown with why.
      const times = page.getByRole('region', { name: 'Free times' });
      const lapsed = times.getByRole('alert').filter({ hasText: 'Pat Lapsed cannot be booked' });
      await lapsed.getByText('The license expired on 2026-01-31.').waitFor();
      const slot = (time: string) =>
        times.getByRole('button', { name: new RegExp(`^${time}\\sAM on .+ with Dana Rivera$`) });
      await slot('8:00').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Someone else takes 10:00 while the scheduler confirms it: the problem shows and the times refresh.
      await slot('10:00').click();
      await expect(slot('10:00').getAttribute('aria-pressed')).resolves.toBe('true');
      const confirm = page.getByRole('form', { name: 'Confirm the booking' });
      await confirm.getByText(/^Intake with Dana Rivera, .*10:00\sAM/).waitFor();
      await book(james.id, at(day, '10:00'), dana.resourceId);
      await confirm.getByRole('button', { name: 'Book this time' }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'Slot unavailable' });
      await refusal
        .getByText(/Dana Rivera is already booked at that time\. The free times were searched again\./)
        .waitFor();
      await expect.poll(() => slot('10:00').count()).toBe(0);
      await expect(confirm.count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // 11:00 by video, with a join link.
      await slot('11:00').click();
      await confirm.getByRole('checkbox', { name: 'Telehealth (by video)' }).check();
      await confirm.getByRole('textbox', { name: /^Join link/ }).fill(JOIN_URL);
      expect(await seriousViolations(page)).toEqual([]);
      await confirm.getByRole('button', { name: 'Book this time' }).click();
      await page
        .getByRole('status')
        .getByText(/^Intake with Dana Rivera on .*11:00\sAM \(telehealth\)\.$/)
        .waitFor();
      const row = page.getByRole('row', { name: /11:00\sAM/ });
      await row.getByText('Booked', { exact: true }).waitFor();
      await row.getByText('Telehealth', { exact: true }).waitFor();
      await row.getByText('Dana Rivera').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // The API holds exactly that appointment.
      const token = await passwordToken(server, scheduler);
      const booked = (await appointmentsOf(maria.id, token)).filter((a) => a.status === 'booked');
      expect(booked).toHaveLength(1);
      const first = booked[0] as AppointmentJson;
      expect(sameInstant(first.startsAt, at(day, '11:00'))).toBe(true);
      expect(first).toMatchObject({
        clientId: maria.id,
        telehealth: true,
        joinUrl: JOIN_URL,
        resources: [expect.objectContaining({ resourceId: dana.resourceId })],
      });

      // On Dana's calendar that day: Maria's appointment, and James's (the scheduler may see him).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
      await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
      await expect(page.title()).resolves.toBe('Schedule · EHRMS');
      // Providers come first in the picker (the demo clinicians among them); choose Dana's calendar.
      await page.getByRole('combobox', { name: 'Calendar' }).click();
      await page.getByRole('option', { name: 'Dana Rivera (provider)' }).click();
      await expect(page.getByRole('combobox', { name: 'Calendar' }).inputValue()).resolves.toBe(
        'Dana Rivera (provider)',
      );
      await page.locator('input[type=date]').fill(day);
      const calendar = page.getByRole('region', { name: 'Calendar of Dana Rivera' });
      const block = (time: string) =>
        calendar.getByRole('group', {
          name: new RegExp(`^${time}.*, Maria Hernandez, Intake, Booked, telehealth$`),
        });
      await block('11:00\\sAM – 12:00\\sPM').waitFor();
      await calendar
        .getByRole('group', { name: /^10:00\sAM – 11:00\sAM, James Thompson, Intake, Booked$/ })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Drag 11:00 → 13:00: a drop preview follows the pointer, then the move is saved.
      await drag(page, block('11:00\\sAM – 12:00\\sPM'), 2 * HOUR_PX, async () => {
        await calendar.getByTestId('drop-preview').getByText('Move to 13:00').waitFor();
      });
      await page
        .getByRole('status')
        .getByText(/^Moved to .*1:00\sPM\.$/)
        .waitFor();
      await block('1:00\\sPM – 2:00\\sPM').waitFor();
      await expect(block('11:00\\sAM – 12:00\\sPM').count()).resolves.toBe(0);
      let items = await appointmentsOf(maria.id, token);
      const second = items.find((a) => a.status === 'booked');
      expect(sameInstant(second?.startsAt, at(day, '13:00'))).toBe(true);
      expect(items.find((a) => a.id === first.id)).toMatchObject({
        status: 'rescheduled',
        rescheduledToId: second?.id,
      });
      expect(second).toMatchObject({
        rescheduledFromId: first.id,
        resources: [expect.objectContaining({ resourceId: dana.resourceId })],
      });

      // The keyboard way: the block's actions menu, "Reschedule…", a time → 14:00.
      await calendar
        .getByRole('button', { name: /^Actions for 1:00\sPM – 2:00\sPM, Maria Hernandez$/ })
        .focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menuitem', { name: 'Reschedule…' }).waitFor();
      await page.getByRole('menuitem', { name: 'Reschedule…' }).press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Reschedule appointment' });
      // (Checked once the closed menu has gone, not while it fades out.)
      await page.getByRole('menu').waitFor({ state: 'detached' });
      await dialog.getByLabel(/^New time/).fill('14:00');
      await dialog.getByLabel(/^Reason/).fill('Client asked for a later time');
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByLabel(/^Reason/).press('Enter');
      await page
        .getByRole('status')
        .getByText(/^Moved to .*2:00\sPM\.$/)
        .waitFor();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await block('2:00\\sPM – 3:00\\sPM').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      items = await appointmentsOf(maria.id, token);
      const third = items.find((a) => a.status === 'booked');
      expect(sameInstant(third?.startsAt, at(day, '14:00'))).toBe(true);
      expect(third?.rescheduledFromId).toBe(second?.id);
      expect(items.find((a) => a.id === second?.id)).toMatchObject({
        status: 'rescheduled',
        rescheduledToId: third?.id,
      });

      // A drop on James's time is refused (409): the block snaps back and the problem shows.
      // Where the block sits in the calendar (the alert above it moves the whole calendar down).
      const offset = async () => {
        const [b, c] = [await block('2:00\\sPM – 3:00\\sPM').boundingBox(), await calendar.boundingBox()];
        return b && c ? Math.round(b.y - c.y) : null;
      };
      const placedAt = await offset();
      await drag(page, block('2:00\\sPM – 3:00\\sPM'), -4 * HOUR_PX);
      const refused = page.getByRole('alert').filter({ hasText: 'The appointment was not moved' });
      await refused.getByText('Dana Rivera is already booked at that time.').waitFor();
      await expect.poll(offset).toBe(placedAt);
      expect(await seriousViolations(page)).toEqual([]);
      items = await appointmentsOf(maria.id, token);
      expect(items.filter((a) => a.status === 'booked').map((a) => a.id)).toEqual([third?.id]);

      // The week view: seven days, the appointment in its day.
      await page.getByText('Week', { exact: true }).click();
      await expect(page.getByRole('radio', { name: 'Week' }).isChecked()).resolves.toBe(true);
      await expect.poll(() => calendar.getByRole('heading', { level: 2 }).count()).toBe(7);
      await block('2:00\\sPM – 3:00\\sPM').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Back in the chart: the one upcoming appointment, at its new time.
      await calendar
        .getByRole('button', { name: /^Actions for 2:00\sPM – 3:00\sPM, Maria Hernandez$/ })
        .click();
      await page.getByRole('menuitem', { name: 'Open client chart' }).click();
      await page.getByRole('heading', { level: 1, name: 'Maria Hernandez' }).waitFor();
      const upcoming = page.getByRole('table', { name: 'Upcoming appointments of this client' });
      await upcoming.getByRole('row', { name: /2:00\sPM/ }).waitFor();
      await expect(upcoming.getByRole('row').count()).resolves.toBe(2);

      await context.close();
    },
    BROWSER_TEST_TIMEOUT * 2,
  );

  it(
    "the front desk sees today's appointments, checks a client in and cancels one with a reason",
    async () => {
      // Now, rounded down to the half hour: today in the agency's zone and never across midnight.
      const now = Temporal.Now.zonedDateTimeISO(ZONE);
      const start = now
        .round({ smallestUnit: 'minute', roundingMode: 'floor' })
        .with({ minute: now.minute < 30 ? 0 : 30 })
        .toInstant()
        .toString();
      const mariaToday = await book(maria.id, start, rooms[0] as string);
      const jamesToday = await book(james.id, start, rooms[1] as string);
      // Lee is outside the scheduler's program: the time shows as taken, without a name.
      await book(lee.id, start, rooms[2] as string);

      const scheduler = demoUser('scheduler');
      const { context, page } = await openPage(browser, server.baseUrl);
      await signInAs(page, scheduler);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Front desk' }).click();
      await page.getByRole('heading', { level: 1, name: 'Front desk' }).waitFor();
      await expect(page.title()).resolves.toBe('Front desk · EHRMS');
      const table = page.getByRole('table', { name: 'Today’s appointments' });
      const mariaRow = table.getByRole('row', { name: /Maria Hernandez/ });
      const jamesRow = table.getByRole('row', { name: /James Thompson/ });
      const withheldRow = table.getByRole('row', { name: /Client withheld/ });
      await mariaRow.waitFor();
      await jamesRow.waitFor();
      await withheldRow.waitFor();
      await expect(withheldRow.getByRole('button').count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      await mariaRow.getByRole('button', { name: /^Check in Maria Hernandez/ }).click();
      await page.getByRole('status').getByText('Maria Hernandez is checked in.').waitFor();
      await mariaRow.getByText('Checked in', { exact: true }).waitFor();
      await expect(mariaRow.getByRole('button', { name: /^Check in/ }).count()).resolves.toBe(0);

      // Cancelling asks for a reason.
      await jamesRow.getByRole('button', { name: /^Cancel James Thompson/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel this appointment?' });
      await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
      await dialog.getByText('Say why the appointment is cancelled.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByLabel(/^Reason/).fill('Client called: no transport today');
      await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
      await page.getByRole('status').getByText('The appointment of James Thompson is cancelled.').waitFor();
      await jamesRow.getByText('Cancelled', { exact: true }).waitFor();
      await page.getByRole('dialog').waitFor({ state: 'detached' });

      // Filter by status.
      await page.getByRole('combobox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'Checked in' }).click();
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      await mariaRow.waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      const token = await passwordToken(server, scheduler);
      const mariaNow = (await appointmentsOf(maria.id, token)).find((a) => a.id === mariaToday.id);
      expect(mariaNow?.status).toBe('checked_in');
      const jamesNow = (await appointmentsOf(james.id, token)).find((a) => a.id === jamesToday.id);
      expect(jamesNow).toMatchObject({
        status: 'cancelled',
        statusReason: 'Client called: no transport today',
      });

      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

/** Drags `target` by `dy` pixels with the mouse (pointer events), in small steps; `during` runs before the drop. */
async function drag(
  page: Page,
  target: ReturnType<Page['locator']>,
  dy: number,
  during?: () => Promise<void>,
): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('the appointment is not on screen');
  const x = box.x + 30;
  const y = box.y + 12;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + dy / 2, { steps: 8 });
  await page.mouse.move(x, y + dy, { steps: 8 });
  await during?.();
  await page.mouse.up();
}
