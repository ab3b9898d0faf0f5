import { DEFAULT_AGENCY_TIME_ZONE } from '../config/config.js';
import { AgencyClock } from './agency-clock.js';

let clock = new AgencyClock(DEFAULT_AGENCY_TIME_ZONE);

/**
 * The agency's today for code that runs where nothing is injected: zod refinements, which run
 * while a request is parsed ("not in the future" means "not after the agency's today").
 * Services and repositories inject `AgencyClock` instead. The zone is process-wide: `createApp`
 * sets it once from AGENCY_TIME_ZONE; until then it is that setting's default.
 */
export function agencyToday(now: Date = new Date()): string {
  return clock.today(now);
}

/** Sets the zone `agencyToday` counts days in (createApp, from AGENCY_TIME_ZONE). */
export function setAgencyTimeZone(timeZone: string): void {
  clock = new AgencyClock(timeZone);
}
