// Deterministic scheduling data for the scheduling benchmark (issue 5): providers with valid
// licences, one provider resource each with Mon–Fri 08:00–17:00 hours in the agency's zone,
// leave days and agency holidays, and appointments — about two years back and three months
// ahead of the anchor day, never overlapping on a resource. Past days are nearly full (mostly
// completed, some no-shows and cancellations, which no longer hold the time); future days are
// partly booked, so an availability search has real gaps to find. The same seed and anchor day
// give the same rows (ids are md5 of a name, shaped as v4 uuids).
//
// Everything is written with INSERT … SELECT over generate_series or unnest arrays, in batches
// (one round trip per batch, memory flat), straight into the tables the server migrated.
//
//   import { seedScheduling } from './seed/scheduling.mjs';
//   await seedScheduling(pgClient, { agencyId, programId, types, clientIds, anchorDay, ... });
import { createHash } from 'node:crypto';
import { prng } from './clients.mjs';

/** Local working day: 08:00–17:00 in 30-minute cells. */
const DAY_START_MINUTES = 8 * 60;
const CELL_MINUTES = 30;
const DAY_CELLS = 18;
/** How far ahead of the anchor day appointments are booked. */
export const FUTURE_DAYS = 91;
/** Chance that a free 30-minute cell starts an appointment: past days nearly full, future ones partly. */
const PAST_FILL = 0.8;
const FUTURE_FILL = 0.45;

/** A v4-shaped uuid from md5 of `sched-bench-<kind>-<n>`; the SQL twin is `uuidSql`. */
export function benchUuid(kind, n) {
  const h = createHash('md5').update(`sched-bench-${kind}-${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The same uuid as `benchUuid(kind, n)`, computed by PostgreSQL from the SQL expression `n`. */
function uuidSql(kind, n) {
  return `overlay(overlay(md5('sched-bench-${kind}-' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
}

/** The bench's providers: ids, their resources' ids, names and NPIs (Luhn-valid, 19xxxxxxxC). */
export function benchProviders(count) {
  return Array.from({ length: count }, (_, i) => ({
    n: i + 1,
    id: benchUuid('provider', i + 1),
    resourceId: benchUuid('resource', i + 1),
    name: `Bench Provider ${String(i + 1).padStart(3, '0')}`,
    npi: npiFor(`19${String(i + 1).padStart(7, '0')}`),
  }));
}

/** The day `n` days after `day` (YYYY-MM-DD; n may be negative). */
export function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const weekdayOf = (day) => new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday

/** US holidays the agency closes for (New Year, July 4, Thanksgiving, Christmas) in the years given. */
export function agencyHolidays(years) {
  const out = [];
  for (const y of years) {
    out.push(`${y}-01-01`, `${y}-07-04`, `${y}-12-25`);
    const nov1 = weekdayOf(`${y}-11-01`);
    out.push(`${y}-11-${String(1 + ((4 - nov1 + 7) % 7) + 21).padStart(2, '0')}`);
  }
  return out.filter((d) => weekdayOf(d) !== 0 && weekdayOf(d) !== 6).sort();
}

/**
 * Seeds `providers` providers and `count` appointments spread evenly over them. `types` are the
 * appointment types to book (rows of scheduling.appointment_types: id, duration and buffers),
 * in the order intake, individual therapy, case management (the demo's), `clientIds` the clients
 * the appointments are for (round robin), `anchorDay` the agency-local day treated as today. Returns what it wrote, for the benchmark to report.
 */
export async function seedScheduling(
  pg,
  {
    agencyId,
    programId,
    createdBy,
    timeZone,
    types,
    clientIds,
    anchorDay,
    providers = 200,
    count = 1_000_000,
    seed = 5,
    batch = 20_000,
    onProgress,
  },
) {
  const list = benchProviders(providers);
  const anchorYear = Number(anchorDay.slice(0, 4));
  const holidays = agencyHolidays([
    anchorYear - 3,
    anchorYear - 2,
    anchorYear - 1,
    anchorYear,
    anchorYear + 1,
  ]);
  const holidaySet = new Set(holidays);

  await pg.query('BEGIN');
  // Providers: active individuals; 5 % hold a licence that runs out 45 days after the anchor
  // (availability then stops at that day), the rest licences valid for years; half a DEA too.
  await pg.query(
    `INSERT INTO providers.providers (id, agency_id, kind, name, npi, taxonomy_code, status)
     SELECT u.id, $1, 'individual', u.name, u.npi, '101YM0800X', 'active'
     FROM unnest($2::uuid[], $3::text[], $4::text[]) AS u(id, name, npi)`,
    [agencyId, list.map((p) => p.id), list.map((p) => p.name), list.map((p) => p.npi)],
  );
  await pg.query(
    `INSERT INTO providers.credentials (id, provider_id, type, number, issuer, issued_on, expires_on,
       verification_status)
     SELECT ${uuidSql('licence', 'u.n')}, u.id, 'license', 'LPC-' || lpad(u.n::text, 6, '0'),
       'Wisconsin DSPS', $2::date - 700,
       CASE WHEN u.n % 20 = 0 THEN $2::date + 45 ELSE $2::date + 1100 END, 'verified'
     FROM unnest($1::uuid[], $3::int[]) AS u(id, n)
     UNION ALL
     SELECT ${uuidSql('dea', 'u.n')}, u.id, 'dea', 'BB' || lpad(u.n::text, 7, '0'), 'US DEA',
       $2::date - 400, $2::date + 700, 'verified'
     FROM unnest($1::uuid[], $3::int[]) AS u(id, n) WHERE u.n % 2 = 1`,
    [list.map((p) => p.id), anchorDay, list.map((p) => p.n)],
  );
  await pg.query(
    `INSERT INTO scheduling.resources (id, agency_id, kind, provider_id, name, program_id, location)
     SELECT u.rid, $1, 'provider', u.pid, u.name, $2, 'Main office'
     FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS u(rid, pid, name)`,
    [agencyId, programId, list.map((p) => p.resourceId), list.map((p) => p.id), list.map((p) => p.name)],
  );
  await pg.query(
    `INSERT INTO scheduling.working_hours (id, resource_id, weekday, starts_at, ends_at)
     SELECT ${uuidSql('hours', "u.n || '-' || d")}, u.rid, d, '08:00', '17:00'
     FROM unnest($1::uuid[], $2::int[]) AS u(rid, n), generate_series(1, 5) AS d`,
    [list.map((p) => p.resourceId), list.map((p) => p.n)],
  );

  // Leave: every provider a week (five weekdays) in the past year; about a third one day in the
  // next 60 days. Holidays close the whole agency (resource_id null).
  const leave = new Map(list.map((p) => [p.n, new Set()]));
  const leaveRows = [];
  for (const p of list) {
    const rand = prng(seed * 100_003 + p.n);
    const weekStart = addDays(anchorDay, -(7 * (2 + Math.floor(rand() * 48))));
    // From that day's Monday, five weekdays.
    const monday = addDays(weekStart, -((weekdayOf(weekStart) + 6) % 7));
    leaveRows.push({ n: p.n, rid: p.resourceId, from: monday, to: addDays(monday, 5), kind: 'leave' });
    for (let i = 0; i < 5; i++) leave.get(p.n).add(addDays(monday, i));
    if (rand() < 0.33) {
      let day = addDays(anchorDay, 1 + Math.floor(rand() * 60));
      while (weekdayOf(day) === 0 || weekdayOf(day) === 6) day = addDays(day, 1);
      leaveRows.push({ n: p.n, rid: p.resourceId, from: day, to: addDays(day, 1), kind: 'leave' });
      leave.get(p.n).add(day);
    }
  }
  await pg.query(
    `INSERT INTO scheduling.resource_exceptions (id, agency_id, resource_id, during, kind, reason, created_by)
     SELECT ${uuidSql('leave', "u.n || '-' || u.f")}, $1, u.rid,
       tstzrange(u.f::timestamp AT TIME ZONE $2, u.t::timestamp AT TIME ZONE $2, '[)'), 'leave', 'Annual leave', $3
     FROM unnest($4::int[], $5::uuid[], $6::date[], $7::date[]) AS u(n, rid, f, t)`,
    [
      agencyId,
      timeZone,
      createdBy,
      leaveRows.map((r) => r.n),
      leaveRows.map((r) => r.rid),
      leaveRows.map((r) => r.from),
      leaveRows.map((r) => r.to),
    ],
  );
  await pg.query(
    `INSERT INTO scheduling.resource_exceptions (id, agency_id, resource_id, during, kind, reason, created_by)
     SELECT ${uuidSql('holiday', 'h::text')}, $1, NULL,
       tstzrange(h::timestamp AT TIME ZONE $2, (h + 1)::timestamp AT TIME ZONE $2, '[)'), 'holiday', 'Agency holiday', $3
     FROM unnest($4::date[]) AS h`,
    [agencyId, timeZone, createdBy, holidays],
  );
  await pg.query('COMMIT');

  // Appointments: per provider, future days first (anchor day included), then back from the
  // day before the anchor until the provider has its share.
  const perProvider = Math.floor(count / providers);
  const extra = count - perProvider * providers;
  const cells = types.map((t) =>
    Math.ceil((t.buffer_before_minutes + t.duration_minutes + t.buffer_after_minutes) / CELL_MINUTES),
  );
  const cols = { n: [], p: [], day: [], minute: [], t: [], status: [] };
  let written = 0;
  let earliest = anchorDay;
  const flush = async () => {
    if (cols.n.length === 0) return;
    const params = [cols.n, cols.p, cols.day, cols.minute, cols.t, cols.status];
    const src = `
      FROM unnest($1::int8[], $2::int[], $3::date[], $4::int[], $5::int[], $6::text[])
        AS u(n, p, day, minute, t, status)
      JOIN scheduling.appointment_types ty ON ty.id = ($7::uuid[])[u.t]
      CROSS JOIN LATERAL (
        SELECT (u.day + make_interval(mins => u.minute)) AT TIME ZONE $8 AS starts_at
      ) a`;
    await pg.query('BEGIN');
    await pg.query(
      `INSERT INTO scheduling.appointments (id, agency_id, client_id, appointment_type_id, starts_at,
         ends_at, status, status_reason, checked_in_at, completed_at, created_by, created_at, updated_at)
       SELECT ${uuidSql('appointment', 'u.n')}, $9, ($10::uuid[])[1 + u.n % cardinality($10::uuid[])],
         ty.id, a.starts_at, a.starts_at + make_interval(mins => ty.duration_minutes), u.status,
         CASE u.status WHEN 'cancelled' THEN 'Client cancelled' WHEN 'no_show' THEN 'Did not attend' END,
         CASE WHEN u.status = 'completed' THEN a.starts_at - interval '5 minutes' END,
         CASE WHEN u.status = 'completed' THEN a.starts_at + make_interval(mins => ty.duration_minutes) END,
         $11, least(a.starts_at - interval '14 days', now() - interval '1 day'),
         least(a.starts_at, now() - interval '1 day')
       ${src}`,
      [...params, types.map((t) => t.id), timeZone, agencyId, clientIds, createdBy],
    );
    await pg.query(
      `INSERT INTO scheduling.appointment_resources (appointment_id, resource_id, blocked, blocking)
       SELECT ${uuidSql('appointment', 'u.n')}, ($9::uuid[])[u.p],
         tstzrange(a.starts_at - make_interval(mins => ty.buffer_before_minutes),
           a.starts_at + make_interval(mins => ty.duration_minutes + ty.buffer_after_minutes), '[)'),
         u.status NOT IN ('cancelled', 'no_show')
       ${src}`,
      [...params, types.map((t) => t.id), timeZone, list.map((p) => p.resourceId)],
    );
    await pg.query('COMMIT');
    written += cols.n.length;
    for (const k of Object.keys(cols)) cols[k].length = 0;
    onProgress?.(written);
  };

  let n = 0;
  for (const p of list) {
    const rand = prng(seed * 7_919 + p.n);
    const share = perProvider + (p.n <= extra ? 1 : 0);
    let mine = 0;
    const fillDay = (day, fill, future) => {
      if (weekdayOf(day) === 0 || weekdayOf(day) === 6 || holidaySet.has(day) || leave.get(p.n).has(day)) {
        return;
      }
      let cell = 0;
      while (cell < DAY_CELLS && mine < share) {
        if (rand() < fill) {
          const r = rand();
          // Individual therapy half the time, case management 30 %, intake 20 % (for three types).
          const t = types.length >= 3 ? (r < 0.5 ? 1 : r < 0.8 ? 2 : 0) : Math.floor(r * types.length);
          if (cell + cells[t] <= DAY_CELLS) {
            const s = rand();
            const status = future
              ? s < 0.92
                ? 'booked'
                : 'cancelled'
              : s < 0.85
                ? 'completed'
                : s < 0.93
                  ? 'no_show'
                  : 'cancelled';
            cols.n.push(++n);
            cols.p.push(p.n);
            cols.day.push(day);
            cols.minute.push(DAY_START_MINUTES + cell * CELL_MINUTES + types[t].buffer_before_minutes);
            cols.t.push(t + 1);
            cols.status.push(status);
            mine++;
            cell += cells[t];
            continue;
          }
        }
        cell++;
      }
    };
    for (let d = 0; d <= FUTURE_DAYS && mine < share; d++) fillDay(addDays(anchorDay, d), FUTURE_FILL, true);
    for (let d = 1; mine < share; d++) {
      const day = addDays(anchorDay, -d);
      fillDay(day, PAST_FILL, false);
      if (day < earliest) earliest = day;
    }
    if (cols.n.length >= batch) await flush();
  }
  await flush();
  return { providers: list, appointments: written, earliest, holidays, leaveRows: leaveRows.length };
}

/** The Luhn check digit over 80840 + the nine digits (CMS NPI rule), appended. */
function npiFor(nine) {
  for (let c = 0; c <= 9; c++) {
    const digits = `80840${nine}${c}`;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return `${nine}${c}`;
  }
  throw new Error(`no check digit for ${nine}`);
}
