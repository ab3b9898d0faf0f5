import { formatDate } from '../../format.js';
import { isoWeekday, localParts } from './time.js';

/*
 * The "Repeats" choices of the booking form as the RRULE subset the API accepts (FREQ WEEKLY or
 * MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT or UNTIL), and RRULEs read back as words. Pure.
 */

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

const WEEKDAY_NAMES: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const ORDINALS: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
};

/** The API's limits (recurrence.ts there): at most 200 occurrences, within one year, INTERVAL ≤ 99. */
export const MAX_OCCURRENCES = 200;
const MAX_INTERVAL = 99;

/** What the form holds; numbers as typed, so the messages can say what is wrong with them. */
export interface RepeatForm {
  frequency: 'weekly' | 'monthly';
  /** Every N weeks or months. */
  interval: string;
  /** Weekly: the days of the week. */
  days: WeekdayCode[];
  /** Monthly: on the first date's day of the month (15th) or its weekday of the month (second Tuesday). */
  monthlyBy: 'day' | 'weekday';
  ends: 'count' | 'until';
  count: string;
  /** `YYYY-MM-DD`, the last local date an occurrence may fall on. */
  until: string;
}

export interface RepeatFieldError {
  field: keyof RepeatForm;
  message: string;
}

export type RecurrenceResult = { ok: true; rrule: string } | { ok: false; errors: RepeatFieldError[] };

/** The weekday code of a calendar date. */
export function weekdayOf(date: string): WeekdayCode {
  return WEEKDAY_CODES[isoWeekday(date) - 1] ?? 'MO';
}

export function weekdayName(code: WeekdayCode): string {
  return WEEKDAY_NAMES[code];
}

/** A repeat that starts as "every week on the first appointment's day, 6 times". */
export function defaultRepeat(firstDate: string): RepeatForm {
  return {
    frequency: 'weekly',
    interval: '1',
    days: [weekdayOf(firstDate)],
    monthlyBy: 'day',
    ends: 'count',
    count: '6',
    until: '',
  };
}

/**
 * The RRULE for `form`, whose first occurrence is on local `firstDate`, or what to correct. The
 * first date must be one the rule selects (the API refuses the series otherwise), so a weekly
 * rule has to include its weekday.
 */
export function buildRecurrence(form: RepeatForm, firstDate: string): RecurrenceResult {
  const errors: RepeatFieldError[] = [];
  const interval = wholeNumber(form.interval);
  const unit = form.frequency === 'weekly' ? 'weeks' : 'months';
  if (interval === null || interval < 1 || interval > MAX_INTERVAL) {
    errors.push({ field: 'interval', message: `Enter how many ${unit} apart, 1 to ${MAX_INTERVAL}.` });
  }
  const parts = [`FREQ=${form.frequency === 'weekly' ? 'WEEKLY' : 'MONTHLY'}`];
  if (interval !== null && interval > 1) parts.push(`INTERVAL=${interval}`);

  if (form.frequency === 'weekly') {
    const first = weekdayOf(firstDate);
    if (form.days.length === 0) {
      errors.push({ field: 'days', message: 'Choose at least one day of the week.' });
    } else if (!form.days.includes(first)) {
      errors.push({
        field: 'days',
        message: `Include ${weekdayName(first)}: the first appointment is on a ${weekdayName(first)}.`,
      });
    }
    const days = WEEKDAY_CODES.filter((d) => form.days.includes(d));
    if (days.length > 0) parts.push(`BYDAY=${days.join(',')}`);
  } else if (form.monthlyBy === 'day') {
    parts.push(`BYMONTHDAY=${dayOfMonth(firstDate)}`);
  } else {
    parts.push(`BYDAY=${weekdayOrdinal(firstDate)}${weekdayOf(firstDate)}`);
  }

  if (form.ends === 'count') {
    const count = wholeNumber(form.count);
    if (count === null || count < 2 || count > MAX_OCCURRENCES) {
      errors.push({ field: 'count', message: `Enter how many appointments, 2 to ${MAX_OCCURRENCES}.` });
    } else {
      parts.push(`COUNT=${count}`);
    }
  } else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.until)) {
    errors.push({ field: 'until', message: 'Enter the last day of the series.' });
  } else if (form.until <= firstDate) {
    errors.push({ field: 'until', message: 'The last day is after the first appointment.' });
  } else if (form.until >= oneYearAfter(firstDate)) {
    // A date UNTIL covers its whole local day, which would end after the year.
    errors.push({ field: 'until', message: 'A series may span at most one year.' });
  } else {
    parts.push(`UNTIL=${form.until.replaceAll('-', '')}`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rrule: parts.join(';') };
}

/**
 * An RRULE in words ("Every 2 weeks on Monday and Thursday, 10 times"). A date-time UNTIL is
 * read as its local date in `timeZone`. Anything this screen would not write is shown as it is.
 */
export function describeRecurrence(rrule: string, timeZone = 'UTC'): string {
  const values = new Map(
    rrule
      .replace(/^RRULE:/i, '')
      .split(';')
      .filter(Boolean)
      .map((part) => {
        const [name = '', value = ''] = part.split('=');
        return [name.toUpperCase(), value.toUpperCase()] as const;
      }),
  );
  const freq = values.get('FREQ');
  const interval = Number(values.get('INTERVAL') ?? '1');
  const byDay = values.get('BYDAY')?.split(',') ?? [];
  const byMonthDay = values.get('BYMONTHDAY');
  let how: string | null = null;
  if (freq === 'DAILY') how = interval === 1 ? 'Every day' : `Every ${interval} days`;
  if (freq === 'WEEKLY') how = interval === 1 ? 'Every week' : `Every ${interval} weeks`;
  if (freq === 'MONTHLY') how = interval === 1 ? 'Every month' : `Every ${interval} months`;
  if (!how || !Number.isInteger(interval)) return rrule;

  const on: string[] = [];
  for (const item of byDay) {
    const match = /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) return rrule;
    const name = WEEKDAY_NAMES[match[2] as WeekdayCode];
    const ordinal = match[1] === undefined ? undefined : ORDINALS[String(Number(match[1]))];
    if (match[1] !== undefined && !ordinal) return rrule;
    on.push(ordinal ? `the ${ordinal} ${name}` : name);
  }
  let text = how;
  if (on.length > 0) text += ` on ${listOf(on)}`;
  if (byMonthDay) text += ` on day ${byMonthDay.split(',').join(', ')}`;

  const count = values.get('COUNT');
  const until = values.get('UNTIL');
  if (count) text += `, ${count} times`;
  else if (until) {
    const date = /^(\d{4})(\d{2})(\d{2})$/.exec(until);
    const instant = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(until);
    const day = date
      ? `${date[1]}-${date[2]}-${date[3]}`
      : instant
        ? localParts(
            `${instant[1]}-${instant[2]}-${instant[3]}T${instant[4]}:${instant[5]}:${instant[6]}Z`,
            timeZone,
          ).date
        : null;
    if (!day) return rrule;
    text += `, until ${formatDate(day)}`;
  }
  return text;
}

function wholeNumber(text: string): number | null {
  return /^\s*\d{1,4}\s*$/.test(text) ? Number(text) : null;
}

function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

/** 1–4 for the first to fourth such weekday of the month; a fifth one is the month's last (-1). */
function weekdayOrdinal(date: string): number {
  const n = Math.ceil(dayOfMonth(date) / 7);
  return n === 5 ? -1 : n;
}

/** The same calendar date a year later (29 February → 28 February): the first day past the limit. */
function oneYearAfter(date: string): string {
  const year = String(Number(date.slice(0, 4)) + 1).padStart(4, '0');
  const later = `${year}${date.slice(4)}`;
  return later.endsWith('-02-29') ? `${year}-02-28` : later;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
