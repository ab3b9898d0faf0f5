/*
 * Times in the agency's zone (AGENCY_TIME_ZONE, sent by the API with every calendar), never the
 * browser's: a front desk in another zone still sees the clinic's day.
 */

const partsCache = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsCache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(timeZone, format);
  }
  return format;
}

/** The wall clock of `instant` in `timeZone`: local date `YYYY-MM-DD` and minutes since local midnight. */
export function localParts(instant: Date | string, timeZone: string): { date: string; minutes: number } {
  const parts = Object.fromEntries(
    partsFormat(timeZone)
      .formatToParts(typeof instant === 'string' ? new Date(instant) : instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Today's date in the zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return localParts(now, timeZone).date;
}

function offsetMs(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    partsFormat(timeZone)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - (utcMs - (utcMs % 1000));
}

/**
 * The instant at local `date` + `minutes` in `timeZone`. A wall time skipped by a DST jump
 * resolves to the instant after the gap; a repeated one to its first occurrence.
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const first = wall - offsetMs(wall, timeZone);
  const second = wall - offsetMs(first, timeZone);
  return new Date(Math.min(first, second));
}

/** `date` moved by `days` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** `08:30` from minutes since midnight. */
export function clockLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** `08:30` → 510. */
export function parseClock(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  return h < 24 && m < 60 ? h * 60 + m : null;
}

const timeCache = new Map<string, Intl.DateTimeFormat>();
const dayCache = new Map<string, Intl.DateTimeFormat>();

/** "9:30 AM" in the agency's zone. */
export function formatTime(instant: string, timeZone: string): string {
  let format = timeCache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { timeZone, hour: 'numeric', minute: '2-digit' });
    timeCache.set(timeZone, format);
  }
  return format.format(new Date(instant));
}

/** "Mon, Dec 7" for a local calendar date. */
export function formatDay(date: string): string {
  let format = dayCache.get('day');
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone: 'UTC',
      weekday: 'short',
      month: 'short',
      day: 'numeric',
    });
    dayCache.set('day', format);
  }
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** "Mon, Dec 7, 9:30 AM" in the agency's zone. */
export function formatDayTime(instant: string, timeZone: string): string {
  return `${formatDay(localParts(instant, timeZone).date)}, ${formatTime(instant, timeZone)}`;
}

/** "Central Standard Time"-style name of the zone, for saying which clock the screen uses. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const name = new Intl.DateTimeFormat(undefined, { timeZone, timeZoneName: 'long' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return name ? `${name} (${timeZone})` : timeZone;
}
