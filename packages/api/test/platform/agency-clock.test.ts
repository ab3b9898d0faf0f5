import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEFAULT_AGENCY_TIME_ZONE } from '../../src/platform/config/config.js';
import { AgencyClock } from '../../src/platform/time/agency-clock.js';
import { agencyToday, setAgencyTimeZone } from '../../src/platform/time/agency-today.js';

// 23:30 UTC on 30 November is 17:30 in Chicago; 01:00 UTC on 1 December is 19:00 on 30 November
// there (CST, UTC−6); local midnight is 06:00 UTC.
const EVENING = new Date('2026-11-30T23:30:00Z');
const NIGHT = new Date('2026-12-01T01:00:00Z');
const MIDNIGHT = new Date('2026-12-01T06:00:00Z');

describe('AgencyClock: today is the agency’s day, not UTC’s', () => {
  const chicago = new AgencyClock('America/Chicago');

  it('is still 30 November at 19:00 in Chicago, when UTC is on 1 December', () => {
    expect(chicago.today(EVENING)).toBe('2026-11-30');
    expect(chicago.today(NIGHT)).toBe('2026-11-30');
    expect(chicago.today(new Date(MIDNIGHT.getTime() - 1))).toBe('2026-11-30');
    expect(chicago.today(MIDNIGHT)).toBe('2026-12-01');
  });

  it('follows daylight saving time: midnight is 05:00 UTC in summer', () => {
    expect(chicago.today(new Date('2026-07-01T04:59:59Z'))).toBe('2026-06-30');
    expect(chicago.today(new Date('2026-07-01T05:00:00Z'))).toBe('2026-07-01');
  });

  it('counts in another zone when the agency is elsewhere', () => {
    // 23:30 UTC on 30 November is already 12:30 on 1 December in Auckland (NZDT, UTC+13).
    expect(new AgencyClock('Pacific/Auckland').today(EVENING)).toBe('2026-12-01');
    expect(new AgencyClock('UTC').today(NIGHT)).toBe('2026-12-01');
  });
});

describe('agencyToday: the agency’s today where nothing is injected (request parsing)', () => {
  afterEach(() => {
    setAgencyTimeZone(DEFAULT_AGENCY_TIME_ZONE);
  });

  it('counts in AGENCY_TIME_ZONE’s default until the app sets the zone', () => {
    expect(DEFAULT_AGENCY_TIME_ZONE).toBe('America/Chicago');
    expect(agencyToday(NIGHT)).toBe('2026-11-30');
  });

  it('counts in the zone set at start-up', () => {
    setAgencyTimeZone('Pacific/Auckland');
    expect(agencyToday(EVENING)).toBe('2026-12-01');
    setAgencyTimeZone('America/Chicago');
    expect(agencyToday(EVENING)).toBe('2026-11-30');
  });
});

describe('the app’s clock', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AGENCY_TIME_ZONE: 'Pacific/Auckland' });
  });
  afterAll(async () => {
    await t.close();
    setAgencyTimeZone(DEFAULT_AGENCY_TIME_ZONE);
  });

  it('is built once from AGENCY_TIME_ZONE, for injection and for request parsing alike', () => {
    const clock = t.app.get(AgencyClock);
    expect(clock.timeZone).toBe('Pacific/Auckland');
    expect(clock.today(EVENING)).toBe('2026-12-01');
    expect(agencyToday(EVENING)).toBe('2026-12-01');
  });
});
