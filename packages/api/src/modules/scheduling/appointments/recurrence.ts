import { Temporal } from '@js-temporal/polyfill';
import type { FieldError } from '../../../platform/errors/problem.js';

/**
 * Recurring appointment series: the RFC 5545 RRULE subset the product needs, expanded in the
 * local wall time of the series' zone so a weekly 09:00 appointment stays at 09:00 across DST.
 *
 * Supported parts: FREQ (DAILY, WEEKLY, MONTHLY), INTERVAL, BYDAY (ordinals such as 2TU or -1FR
 * with MONTHLY only), BYMONTHDAY (MONTHLY only), COUNT, UNTIL, WKST. Everything else is refused
 * with a message naming the part. A series must end: COUNT (at most 200) or UNTIL (at most one
 * year after the first start), and may have at most 200 occurrences.
 *
 * DST: every occurrence is the series' local time of day on its local date, resolved with
 * Temporal's 'compatible' disambiguation — a time in the spring-forward gap moves forward by the
 * gap's length (02:30 → 03:30 CDT), a time in the fall-back overlap takes the earlier offset
 * (01:30 → 01:30 CDT). The first occurrence is always the exact `firstStart` instant given.
 */

export const MAX_SERIES_OCCURRENCES = 200;
export const MAX_SERIES_SPAN: Readonly<Temporal.DurationLike> = { years: 1 };

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ByDayEntry {
  weekday: Weekday;
  /** 1..5 = the nth such weekday of the month, -1..-5 = counted from the month's end (MONTHLY). */
  ordinal?: number;
}

export type UntilBound =
  /** `UNTIL=20261231T235959Z`: the last occurrence starts at or before this instant. */
  | { kind: 'instant'; instant: string }
  /** `UNTIL=20261231`: the last occurrence falls on or before this local date of the zone. */
  | { kind: 'date'; date: string };

export interface RecurrenceRule {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY';
  interval: number;
  byDay?: ByDayEntry[];
  byMonthDay?: number[];
  count?: number;
  until?: UntilBound;
  /** Week start for WEEKLY with INTERVAL > 1; defaults to MO as in RFC 5545. */
  wkst: Weekday;
}

export type RecurrenceResult = { ok: true; rule: RecurrenceRule } | { ok: false; errors: FieldError[] };

export interface SeriesOccurrence {
  /** UTC instant, `YYYY-MM-DDTHH:mm:ss.sssZ` (as `Date#toISOString`). */
  startsAt: string;
  endsAt: string;
}

export interface SeriesInput {
  rule: RecurrenceRule | string;
  /** First occurrence as an ISO instant with offset or Z. Its local time is the series' time. */
  firstStart: string;
  durationMinutes: number;
  /** IANA zone, e.g. `America/Chicago`. */
  zone: string;
  /** Only occurrences with `from <= startsAt < to` are returned (filters, not the rule). */
  from?: string;
  to?: string;
  /** Occurrence starts (ISO instants) removed from the series; COUNT still counts them. */
  exdates?: readonly string[];
  /**
   * Local time of day of every occurrence (`HH:MM[:SS]`); defaults to firstStart's local time.
   * Only needed when firstStart itself was moved by a DST gap (see `splitSeries`).
   */
  wallTime?: string;
}

export interface ParseOptions {
  /** Field name for errors; default `body.recurrence`. */
  field?: string;
  /**
   * When given, the rule is also checked against the series: UNTIL within a year of the first
   * start, at most 200 occurrences, and the first start itself an occurrence of the rule.
   */
  series?: { firstStart: string; zone: string; firstStartField?: string; zoneField?: string };
}

/** Parses and validates an RRULE (`FREQ=WEEKLY;BYDAY=TU;COUNT=10`, optional `RRULE:` prefix). */
export function parseRecurrence(text: string, options: ParseOptions = {}): RecurrenceResult {
  const field = options.field ?? 'body.recurrence';
  const errors: string[] = [];
  const parsed = parseParts(text, errors);
  if (errors.length > 0 || !parsed) {
    return { ok: false, errors: errors.map((message) => ({ field, message })) };
  }
  const series = options.series;
  if (!series) return { ok: true, rule: parsed };

  const context = resolveSeriesContext(series.firstStart, series.zone);
  if (typeof context === 'string') {
    const which =
      context === 'zone'
        ? (series.zoneField ?? 'body.timeZone')
        : (series.firstStartField ?? 'body.startsAt');
    const message =
      context === 'zone'
        ? 'must be an IANA time zone such as America/Chicago'
        : 'must be an ISO 8601 instant with an offset or Z';
    return { ok: false, errors: [{ field: which, message }] };
  }
  const seriesErrors = checkAgainstSeries(parsed, context);
  return seriesErrors.length > 0
    ? { ok: false, errors: seriesErrors.map((message) => ({ field, message })) }
    : { ok: true, rule: parsed };
}

/** The canonical RRULE text of a rule (no `RRULE:` prefix), suitable for storing. */
export function formatRecurrence(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`).join(',')}`);
  if (rule.byMonthDay) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until) {
    parts.push(
      rule.until.kind === 'date'
        ? `UNTIL=${rule.until.date.replaceAll('-', '')}`
        : `UNTIL=${formatBasicInstant(Temporal.Instant.from(rule.until.instant))}`,
    );
  }
  if (rule.wkst !== 'MO') parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}

/**
 * The occurrences of a series, oldest first, as UTC instants. Throws RangeError for an invalid
 * rule string, instant or zone, or a series over MAX_SERIES_OCCURRENCES (validate requests with
 * `parseRecurrence(text, { series })` first; this is for rules already accepted).
 */
export function expandSeries(input: SeriesInput): SeriesOccurrence[] {
  const rule = toRule(input.rule);
  const context = resolveSeriesContext(input.firstStart, input.zone, input.wallTime);
  if (typeof context === 'string') throw new RangeError(`invalid ${context}`);
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes <= 0) {
    throw new RangeError('durationMinutes must be a positive integer');
  }
  const starts = generate(rule, context, MAX_SERIES_OCCURRENCES + 1);
  if (starts.length > MAX_SERIES_OCCURRENCES) {
    throw new RangeError(`series has more than ${MAX_SERIES_OCCURRENCES} occurrences`);
  }
  const excluded = new Set((input.exdates ?? []).map((e) => Temporal.Instant.from(e).epochNanoseconds));
  const from = input.from === undefined ? undefined : Temporal.Instant.from(input.from);
  const to = input.to === undefined ? undefined : Temporal.Instant.from(input.to);
  return starts
    .filter((s) => !excluded.has(s.epochNanoseconds))
    .filter((s) => from === undefined || Temporal.Instant.compare(s, from) >= 0)
    .filter((s) => to === undefined || Temporal.Instant.compare(s, to) < 0)
    .map((s) => ({
      startsAt: formatInstant(s),
      endsAt: formatInstant(s.add({ minutes: input.durationMinutes })),
    }));
}

export interface SeriesSplit {
  /** The original series cut to end before the split; null when splitting at the first occurrence. */
  before: { rule: RecurrenceRule; rrule: string } | null;
  /** The new series from the split occurrence on, with the remaining COUNT or the original UNTIL. */
  after: { rule: RecurrenceRule; rrule: string; firstStart: string; wallTime: string };
}

/**
 * "This and following": cuts a series at one of its occurrences. `before` keeps the occurrences
 * strictly before `atOccurrenceStart` (COUNT = how many there were, or UNTIL = the last kept
 * start); `after` starts at `atOccurrenceStart` with COUNT = the remaining count (or the original
 * UNTIL) and the original local time (`wallTime`, which matters only if the split occurrence was
 * moved by a DST gap). Exdates are the caller's to carry over. Throws RangeError when
 * `atOccurrenceStart` is not an occurrence of the series.
 */
export function splitSeries(
  ruleInput: RecurrenceRule | string,
  firstStart: string,
  atOccurrenceStart: string,
  zone: string,
  wallTime?: string,
): SeriesSplit {
  const rule = toRule(ruleInput);
  const context = resolveSeriesContext(firstStart, zone, wallTime);
  if (typeof context === 'string') throw new RangeError(`invalid ${context}`);
  const at = Temporal.Instant.from(atOccurrenceStart);
  const starts = generate(rule, context, MAX_SERIES_OCCURRENCES + 1);
  const index = starts.findIndex((s) => s.equals(at));
  if (index < 0) throw new RangeError('atOccurrenceStart is not an occurrence of the series');

  const wall = context.wallTime.toString();
  let before: SeriesSplit['before'] = null;
  const lastKept = starts[index - 1];
  if (lastKept) {
    const cut: RecurrenceRule =
      rule.count !== undefined
        ? { ...rule, count: index }
        : { ...rule, until: { kind: 'instant', instant: formatInstant(lastKept) } };
    before = { rule: cut, rrule: formatRecurrence(cut) };
  }
  const tail: RecurrenceRule =
    rule.count !== undefined ? { ...rule, count: rule.count - index } : { ...rule };
  return {
    before,
    after: { rule: tail, rrule: formatRecurrence(tail), firstStart: formatInstant(at), wallTime: wall },
  };
}

/** `Date#toISOString` form of an instant, the form the API uses for timestamps. */
export function formatInstant(instant: Temporal.Instant): string {
  return instant.toString({ fractionalSecondDigits: 3 });
}

// ---------------------------------------------------------------------------------------------

const SUPPORTED = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL', 'WKST'];
const KNOWN_UNSUPPORTED = [
  'BYSETPOS',
  'BYMONTH',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
  'RSCALE',
  'SKIP',
];
const MAX_INTERVAL = 99;
/** Guards rules that can never match (e.g. BYMONTHDAY=30 every 12 months from February). */
const MAX_PERIODS = 5000;

interface SeriesContext {
  first: Temporal.ZonedDateTime;
  wallTime: Temporal.PlainTime;
  zone: string;
}

function toRule(rule: RecurrenceRule | string): RecurrenceRule {
  if (typeof rule !== 'string') return rule;
  const result = parseRecurrence(rule);
  if (!result.ok) throw new RangeError(`invalid RRULE: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.rule;
}

function resolveSeriesContext(
  firstStart: string,
  zone: string,
  wallTime?: string,
): SeriesContext | 'firstStart' | 'zone' | 'wallTime' {
  let first: Temporal.ZonedDateTime;
  try {
    first = Temporal.Instant.from(firstStart).toZonedDateTimeISO('UTC');
  } catch {
    return 'firstStart';
  }
  try {
    first = first.withTimeZone(zone);
  } catch {
    return 'zone';
  }
  let wall = first.toPlainTime();
  if (wallTime !== undefined) {
    try {
      wall = Temporal.PlainTime.from(wallTime);
    } catch {
      return 'wallTime';
    }
  }
  return { first, wallTime: wall, zone: first.timeZoneId };
}

function parseParts(text: string, errors: string[]): RecurrenceRule | null {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body === '') {
    errors.push('RRULE is empty; give at least FREQ and COUNT or UNTIL');
    return null;
  }
  const values = new Map<string, string>();
  // Empty parts (a trailing ';') are tolerated, as many calendar clients emit them.
  for (const part of body.split(';').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toUpperCase();
    const value =
      eq < 0
        ? ''
        : part
            .slice(eq + 1)
            .trim()
            .toUpperCase();
    if (eq < 0 || name === '' || value === '') {
      errors.push(`"${part}" is not a NAME=VALUE part`);
    } else if (KNOWN_UNSUPPORTED.includes(name)) {
      errors.push(`${name} is not supported; supported parts are ${SUPPORTED.join(', ')}`);
    } else if (!SUPPORTED.includes(name)) {
      errors.push(`${name} is not an RRULE part this service supports (${SUPPORTED.join(', ')})`);
    } else if (values.has(name)) {
      errors.push(`${name} is given more than once`);
    } else {
      values.set(name, value);
    }
  }

  const freqText = values.get('FREQ');
  let freq: RecurrenceRule['freq'] | undefined;
  if (freqText === undefined) errors.push('FREQ is required (DAILY, WEEKLY or MONTHLY)');
  else if (freqText === 'DAILY' || freqText === 'WEEKLY' || freqText === 'MONTHLY') freq = freqText;
  else errors.push(`FREQ=${freqText} is not supported; use DAILY, WEEKLY or MONTHLY`);

  const interval = parseInteger(values.get('INTERVAL'), 'INTERVAL', 1, MAX_INTERVAL, errors) ?? 1;
  const count = parseInteger(values.get('COUNT'), 'COUNT', 1, MAX_SERIES_OCCURRENCES, errors);
  const until = parseUntil(values.get('UNTIL'), errors);
  if (values.has('COUNT') && values.has('UNTIL')) errors.push('COUNT and UNTIL must not both be given');
  if (!values.has('COUNT') && !values.has('UNTIL')) {
    errors.push(
      `the series must end: give COUNT (at most ${MAX_SERIES_OCCURRENCES}) or UNTIL (at most one year after the first start)`,
    );
  }

  const wkstText = values.get('WKST');
  let wkst: Weekday = 'MO';
  if (wkstText !== undefined) {
    if (isWeekday(wkstText)) wkst = wkstText;
    else errors.push(`WKST=${wkstText} is not a weekday (MO, TU, WE, TH, FR, SA, SU)`);
  }

  const byDay = parseByDay(values.get('BYDAY'), freq, errors);
  const byMonthDay = parseByMonthDay(values.get('BYMONTHDAY'), freq, errors);

  if (errors.length > 0 || freq === undefined) return null;
  return {
    freq,
    interval,
    wkst,
    ...(byDay ? { byDay } : {}),
    ...(byMonthDay ? { byMonthDay } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(until ? { until } : {}),
  };
}

function parseInteger(text: string | undefined, name: string, min: number, max: number, errors: string[]) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    errors.push(`${name}=${text} is not a positive whole number`);
    return undefined;
  }
  const value = Number(text);
  if (value < min || value > max) {
    errors.push(
      name === 'COUNT'
        ? `COUNT=${text} is over the limit of ${max} occurrences per series`
        : `${name}=${text} must be between ${min} and ${max}`,
    );
    return undefined;
  }
  return value;
}

function parseUntil(text: string | undefined, errors: string[]): UntilBound | undefined {
  if (text === undefined) return undefined;
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(text)?.map(Number);
  const instant = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  try {
    if (date) {
      const d = Temporal.PlainDate.from(
        { year: date[1] ?? 0, month: date[2] ?? 0, day: date[3] ?? 0 },
        { overflow: 'reject' },
      );
      return { kind: 'date', date: d.toString() };
    }
    if (instant) {
      const [, y, mo, d, h, mi, s] = instant;
      return {
        kind: 'instant',
        instant: formatInstant(Temporal.Instant.from(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`)),
      };
    }
  } catch {
    // fall through to the message below
  }
  errors.push(`UNTIL=${text} must be a date (20261231) or a UTC date-time (20261231T235959Z)`);
  return undefined;
}

function parseByDay(text: string | undefined, freq: RecurrenceRule['freq'] | undefined, errors: string[]) {
  if (text === undefined) return undefined;
  const entries: ByDayEntry[] = [];
  for (const item of text.split(',')) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) {
      errors.push(`BYDAY value "${item}" is not a weekday such as TU or 2TU`);
      continue;
    }
    const weekday = match[2] as Weekday;
    if (match[1] === undefined) {
      entries.push({ weekday });
      continue;
    }
    const ordinal = Number(match[1]);
    if (freq !== 'MONTHLY') {
      errors.push(`BYDAY=${item}: a numbered weekday is only supported with FREQ=MONTHLY`);
    } else if (ordinal === 0 || Math.abs(ordinal) > 5) {
      errors.push(`BYDAY=${item}: the number must be 1 to 5 or -1 to -5`);
    } else {
      entries.push({ weekday, ordinal });
    }
  }
  return entries;
}

function parseByMonthDay(
  text: string | undefined,
  freq: RecurrenceRule['freq'] | undefined,
  errors: string[],
) {
  if (text === undefined) return undefined;
  if (freq !== undefined && freq !== 'MONTHLY') {
    errors.push('BYMONTHDAY is only supported with FREQ=MONTHLY');
    return undefined;
  }
  const days: number[] = [];
  for (const item of text.split(',')) {
    const day = /^[+-]?\d{1,2}$/.test(item) ? Number(item) : NaN;
    if (!Number.isInteger(day) || day === 0 || Math.abs(day) > 31) {
      errors.push(`BYMONTHDAY value "${item}" must be 1 to 31 or -1 to -31`);
    } else {
      days.push(day);
    }
  }
  return days;
}

function checkAgainstSeries(rule: RecurrenceRule, context: SeriesContext): string[] {
  const errors: string[] = [];
  const first = context.first;
  const limit = first.add(MAX_SERIES_SPAN);
  if (rule.until) {
    // A date UNTIL covers its whole local day, so it is compared as the start of the next day.
    const untilInstant =
      rule.until.kind === 'instant'
        ? Temporal.Instant.from(rule.until.instant)
        : Temporal.PlainDate.from(rule.until.date)
            .add({ days: 1 })
            .toZonedDateTime({ timeZone: context.zone })
            .toInstant()
            .subtract({ nanoseconds: 1 });
    if (Temporal.Instant.compare(untilInstant, first.toInstant()) < 0) {
      errors.push('UNTIL is before the first start');
    } else if (Temporal.Instant.compare(untilInstant, limit.toInstant()) > 0) {
      errors.push('UNTIL is more than one year after the first start; a series may span at most one year');
    }
  }
  if (errors.length > 0) return errors;
  const starts = generate(rule, context, MAX_SERIES_OCCURRENCES + 1);
  if (starts.length > MAX_SERIES_OCCURRENCES) {
    errors.push(
      `the rule gives more than ${MAX_SERIES_OCCURRENCES} occurrences; use COUNT or an earlier UNTIL`,
    );
  } else if (!starts[0]?.equals(first.toInstant())) {
    errors.push(`the first start (${first.toPlainDate().toString()}) is not a day the rule selects`);
  } else if (Temporal.Instant.compare(starts.at(-1) ?? first.toInstant(), limit.toInstant()) > 0) {
    errors.push('the series spans more than one year; use a smaller COUNT');
  }
  return errors;
}

/** The rule's occurrence starts from the first start on, at most `limit` of them. */
function generate(rule: RecurrenceRule, context: SeriesContext, limit: number): Temporal.Instant[] {
  const startDate = context.first.toPlainDate();
  const maxCount = Math.min(rule.count ?? Infinity, limit);
  const untilInstant = rule.until?.kind === 'instant' ? Temporal.Instant.from(rule.until.instant) : undefined;
  const untilDate = rule.until?.kind === 'date' ? Temporal.PlainDate.from(rule.until.date) : undefined;
  const out: Temporal.Instant[] = [];

  for (let period = 0; period < MAX_PERIODS; period++) {
    for (const date of candidateDates(rule, startDate, period)) {
      if (Temporal.PlainDate.compare(date, startDate) < 0) continue;
      if (untilDate && Temporal.PlainDate.compare(date, untilDate) > 0) return out;
      const start = date.equals(startDate)
        ? context.first.toInstant()
        : date
            .toPlainDateTime(context.wallTime)
            .toZonedDateTime(context.zone, { disambiguation: 'compatible' })
            .toInstant();
      if (untilInstant && Temporal.Instant.compare(start, untilInstant) > 0) return out;
      out.push(start);
      if (out.length >= maxCount) return out;
    }
  }
  return out;
}

/** The local dates of one period (day, week or month number `period` of the series), sorted. */
function candidateDates(
  rule: RecurrenceRule,
  startDate: Temporal.PlainDate,
  period: number,
): Temporal.PlainDate[] {
  const step = period * rule.interval;
  if (rule.freq === 'DAILY') {
    const date = startDate.add({ days: step });
    return !rule.byDay || rule.byDay.some((d) => isoDay(d.weekday) === date.dayOfWeek) ? [date] : [];
  }
  if (rule.freq === 'WEEKLY') {
    const offset = (startDate.dayOfWeek - isoDay(rule.wkst) + 7) % 7;
    const weekStart = startDate.subtract({ days: offset }).add({ weeks: step });
    const wanted = rule.byDay ? rule.byDay.map((d) => isoDay(d.weekday)) : [startDate.dayOfWeek];
    return [0, 1, 2, 3, 4, 5, 6]
      .map((i) => weekStart.add({ days: i }))
      .filter((d) => wanted.includes(d.dayOfWeek));
  }
  const month = startDate.toPlainYearMonth().add({ months: step });
  const days = month.daysInMonth;
  let selected: Set<number>;
  if (rule.byMonthDay || rule.byDay) {
    selected = new Set(Array.from({ length: days }, (_, i) => i + 1));
    if (rule.byMonthDay) {
      // RFC 5545: a day the month does not have (31 in April) is skipped, not moved.
      const byMonthDay = new Set(rule.byMonthDay.map((d) => (d > 0 ? d : days + 1 + d)));
      selected = new Set([...selected].filter((d) => byMonthDay.has(d)));
    }
    if (rule.byDay) {
      const byDay = monthDaysForWeekdays(rule.byDay, month);
      selected = new Set([...selected].filter((d) => byDay.has(d)));
    }
  } else {
    selected = new Set(startDate.day <= days ? [startDate.day] : []);
  }
  return [...selected].sort((a, b) => a - b).map((day) => month.toPlainDate({ day }));
}

function monthDaysForWeekdays(byDay: readonly ByDayEntry[], month: Temporal.PlainYearMonth): Set<number> {
  const days = new Set<number>();
  const firstWeekday = month.toPlainDate({ day: 1 }).dayOfWeek;
  for (const entry of byDay) {
    const firstDay = 1 + ((isoDay(entry.weekday) - firstWeekday + 7) % 7);
    const all: number[] = [];
    for (let d = firstDay; d <= month.daysInMonth; d += 7) all.push(d);
    if (entry.ordinal === undefined) all.forEach((d) => days.add(d));
    else {
      const day = entry.ordinal > 0 ? all[entry.ordinal - 1] : all[all.length + entry.ordinal];
      if (day !== undefined) days.add(day);
    }
  }
  return days;
}

function isoDay(weekday: Weekday): number {
  return WEEKDAYS.indexOf(weekday) + 1;
}

function isWeekday(text: string): text is Weekday {
  return (WEEKDAYS as readonly string[]).includes(text);
}

function formatBasicInstant(instant: Temporal.Instant): string {
  return instant.toString({ smallestUnit: 'second' }).replace(/[-:]/g, '');
}
