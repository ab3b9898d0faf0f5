#!/usr/bin/env node
// The scheduling benchmark (issue 5): 200 providers and 1,000,000 past and future appointments on
// real PostgreSQL, then through the real API as the demo scheduler
//   1. availability search for 50 providers × 30 days (latency, a few searches at a time);
//   2. booking under contention: many connections booking overlapping slots of a few providers
//      (req/s, 201s, 409 conflicts, other errors), then SQL proves no resource is double booked.
//
//   npm run bench:scheduling [-- --appointments=1000000 --searches=300 --concurrency=4
//     --booking-connections=64 --booking-seconds=15 --reuse --record --skip-build]
//
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names a server where this may
// create the database `ehrms_bench_scheduling`. Seeding takes minutes, so --reuse keeps the
// database (and its keys, anchor day and clients, in bench/.out) between runs; the bookings a run
// makes are deleted at its end, so every run starts from the seeded calendar.
// Target: availability search for 50 providers × 30 days p95 ≤ 100 ms; zero double bookings and
// zero errors under contention.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import * as prettier from 'prettier';
import {
  cpuSince,
  cpuSnapshot,
  freePort,
  killChildren,
  login,
  OUT,
  ROOT,
  startChild,
  stopChild,
  waitForHttp,
  withDatabase,
} from './lib/harness.mjs';
import { prng } from './seed/clients.mjs';
import { addDays, benchProviders, FUTURE_DAYS, seedScheduling } from './seed/scheduling.mjs';

const TARGETS = { searchP95Ms: 100 };
const BENCH_DB = 'ehrms_bench_scheduling';
const TIME_ZONE = 'America/Chicago';
const SEARCH_PROVIDERS = 50;
const SEARCH_DAYS = 30;
const SEED = 5;

const { values: opts } = parseArgs({
  options: {
    appointments: { type: 'string', default: '1000000' },
    providers: { type: 'string', default: '200' },
    clients: { type: 'string', default: '64' },
    searches: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '4' },
    'booking-connections': { type: 'string', default: '64' },
    'booking-seconds': { type: 'string', default: '15' },
    'contention-providers': { type: 'string', default: '4' },
    'contention-days': { type: 'string', default: '5' },
    reuse: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const count = Number(opts.appointments);
const providerCount = Number(opts.providers);
const clientCount = Number(opts.clients);
const searches = Number(opts.searches);
const concurrency = Number(opts.concurrency);
const bookingConnections = Number(opts['booking-connections']);
const bookingSeconds = Number(opts['booking-seconds']);
const contentionProviders = Number(opts['contention-providers']);
const contentionDays = Number(opts['contention-days']);
const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const benchUrl = withDatabase(baseUrl, BENCH_DB);
const metaFile = join(OUT, 'scheduling-bench.json');

mkdirSync(OUT, { recursive: true });
if (!opts['skip-build']) {
  console.log('building packages/api …');
  const build = spawnSync('npm', ['run', 'build', '-w', 'packages/api'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build -w packages/api failed');
}
const dist = (path) => import(pathToFileURL(join(ROOT, 'packages/api/dist', path)).href);
const { DEMO_AGENCY, DEMO_PROGRAM_IDS, DEMO_USERS } = await dist('modules/identity/demo.js');
const { DEMO_APPOINTMENT_TYPES } = await dist('modules/scheduling/appointments/appointments.seed.js');
const { AVAILABILITY_MAX_PROVIDERS } = await dist('modules/scheduling/appointments/appointments.dto.js');
const { AgencyClock } = await dist('platform/time/agency-clock.js');
const clock = new AgencyClock(TIME_ZONE);

const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB])).rowCount > 0;
const reuse = opts.reuse && exists && existsSync(metaFile) && (await appointmentCount()) >= count;
if (opts.reuse && !reuse) console.log(`${BENCH_DB} does not hold ${count} appointments yet: seeding afresh`);
if (!reuse) {
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(
    metaFile,
    JSON.stringify({
      keys: {
        JWT_SIGNING_KEYS: `kbench:${Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })).toString('base64')}`,
        FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
        BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      },
      // The agency-local day the calendar is seeded around; a reused database keeps it.
      anchorDay: clock.dayOf(new Date()),
      clientIds: [],
    }),
    { mode: 0o600 },
  );
}
const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
const postgresVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
await admin.end();

let results;
try {
  results = await run();
} finally {
  killChildren();
}
await report(results);

async function run() {
  const port = await freePort();
  const server = await startChild(
    'scheduling-bench',
    ['packages/api/dist/main.js'],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      EHRMS_SERVICES: 'identity,clients,providers,scheduling',
      DATABASE_URL: benchUrl,
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      AGENCY_TIME_ZONE: TIME_ZONE,
      DATA_DIR: join(OUT, 'data-scheduling'),
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000000000',
      ...meta.keys,
    },
    () => waitForHttp(`http://127.0.0.1:${port}/health/ready`),
  );
  const base = `http://127.0.0.1:${port}`;
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();

  // Appointment types of the demo (intake 60 min, individual therapy 50 + 10 min, case management 30).
  const types = (
    await db.query(
      `SELECT id, code, duration_minutes, buffer_before_minutes, buffer_after_minutes
       FROM scheduling.appointment_types WHERE id = ANY($1::uuid[])`,
      [DEMO_APPOINTMENT_TYPES.map((t) => t.id)],
    )
  ).rows.sort(
    (a, b) =>
      DEMO_APPOINTMENT_TYPES.findIndex((t) => t.id === a.id) -
      DEMO_APPOINTMENT_TYPES.findIndex((t) => t.id === b.id),
  );
  if (types.length !== DEMO_APPOINTMENT_TYPES.length)
    throw new Error('the demo appointment types are missing');

  let seeding = null;
  if ((await appointmentCount()) < count) {
    // The clients the bookings are for, registered through the API by the demo case manager (BH
    // Outpatient team, so the scheduler's program grant reaches them).
    const { token } = await login(base, 'case_manager', DEMO_USERS);
    const rand = prng(SEED);
    const name = () =>
      Array.from(
        { length: 8 },
        () => 'bcdfghjklmnprstvwz'[Math.floor(rand() * 18)] + 'aeiou'[Math.floor(rand() * 5)],
      )
        .join('')
        .replace(/^./, (c) => c.toUpperCase());
    meta.clientIds = [];
    for (let i = 0; i < clientCount; i++) {
      const res = await fetch(`${base}/api/v1/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          givenName: name().slice(0, 7),
          familyName: name(),
          birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
          sexAtBirth: i % 2 ? 'female' : 'male',
          acknowledgeDuplicates: true,
        }),
      });
      const json = await res.json();
      if (res.status !== 201)
        throw new Error(`register client answered ${res.status}: ${JSON.stringify(json)}`);
      meta.clientIds.push(json.id);
    }
    writeFileSync(metaFile, JSON.stringify(meta), { mode: 0o600 });

    const started = Date.now();
    const scheduler = DEMO_USERS.find((u) => u.role === 'scheduler');
    const seeded = await seedScheduling(db, {
      agencyId: DEMO_AGENCY.id,
      programId: DEMO_PROGRAM_IDS.bh,
      createdBy: scheduler.id,
      timeZone: TIME_ZONE,
      types,
      clientIds: meta.clientIds,
      anchorDay: meta.anchorDay,
      providers: providerCount,
      count,
      seed: SEED,
      onProgress: (n) =>
        process.stdout.write(
          `\rseeding appointments: ${n.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`,
        ),
    });
    const insertSeconds = (Date.now() - started) / 1000;
    console.log(
      `\nseeded in ${insertSeconds.toFixed(0)} s (${seeded.earliest} … ${addDays(meta.anchorDay, FUTURE_DAYS)}); vacuum analyse …`,
    );
    await db.query(
      `VACUUM ANALYZE scheduling.appointments, scheduling.appointment_resources, scheduling.resources,
         scheduling.working_hours, scheduling.resource_exceptions, providers.providers, providers.credentials`,
    );
    seeding = { seconds: (Date.now() - started) / 1000, insertSeconds, earliest: seeded.earliest };
    meta.earliest = seeded.earliest;
    meta.seeding = seeding;
    writeFileSync(metaFile, JSON.stringify(meta), { mode: 0o600 });
  }
  await db.query(
    'ANALYZE scheduling.appointments, scheduling.appointment_resources, scheduling.resource_exceptions',
  );
  const facts = (
    await db.query(
      `SELECT (SELECT count(*) FROM scheduling.appointments) AS appointments,
         (SELECT count(*) FROM scheduling.appointments WHERE starts_at >= now()) AS future,
         (SELECT count(*) FROM scheduling.resources WHERE kind = 'provider') AS providers,
         (SELECT count(*) FROM scheduling.resource_exceptions) AS exceptions,
         pg_size_pretty(pg_total_relation_size('scheduling.appointments')
           + pg_total_relation_size('scheduling.appointment_resources')) AS size`,
    )
  ).rows[0];
  console.log(
    `${Number(facts.appointments).toLocaleString('en-US')} appointments (${Number(facts.future).toLocaleString('en-US')} ahead), ${facts.providers} provider resources, ${facts.exceptions} exceptions, ${facts.size} with indexes`,
  );

  const { token } = await login(base, 'scheduler', DEMO_USERS);
  const auth = { authorization: `Bearer ${token}` };
  const providers = benchProviders(providerCount);
  const today = clock.dayOf(new Date());

  // ---- 1. availability: 50 providers × 30 days, as many requests as the API's cap needs, in parallel.
  const perRequest = Math.min(SEARCH_PROVIDERS, AVAILABILITY_MAX_PROVIDERS);
  const lastFrom = addDays(meta.anchorDay, FUTURE_DAYS - SEARCH_DAYS + 1);
  const spread = Math.max(0, Math.round((Date.parse(lastFrom) - Date.parse(today)) / 86_400_000));
  const rand = prng(SEED * 31);
  const searchOnce = async () => {
    const chosen = [...providers];
    for (let i = chosen.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
    }
    chosen.length = SEARCH_PROVIDERS;
    const from = addDays(today, Math.floor(rand() * (spread + 1)));
    const type = types[Math.floor(rand() * types.length)];
    const chunks = [];
    for (let i = 0; i < chosen.length; i += perRequest) chunks.push(chosen.slice(i, i + perRequest));
    const started = process.hrtime.bigint();
    const answers = await Promise.all(
      chunks.map(async (chunk) => {
        const q = new URLSearchParams({
          providerIds: chunk.map((p) => p.id).join(','),
          from,
          to: addDays(from, SEARCH_DAYS - 1),
          appointmentTypeId: type.id,
        });
        const t0 = process.hrtime.bigint();
        const res = await fetch(`${base}/api/v1/scheduling/availability?${q}`, { headers: auth });
        const json = await res.json();
        if (res.status !== 200)
          throw new Error(`availability answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
        return { ms: Number(process.hrtime.bigint() - t0) / 1e6, json };
      }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const slots = answers.reduce((n, a) => n + a.json.providers.reduce((m, p) => m + p.slots.length, 0), 0);
    const bookable = answers.reduce((n, a) => n + a.json.providers.filter((p) => p.bookable).length, 0);
    return { ms, requestMs: answers.map((a) => a.ms), slots, bookable };
  };
  for (let i = 0; i < 20; i++) await searchOnce(); // warm-up: plans, connections, JIT
  const search = [];
  const searchStarted = Date.now();
  const searchCpuBefore = cpuSnapshot(server.pid);
  await inParallel(concurrency, searches, async () => search.push(await searchOnce()));
  const searchCpu = cpuSince(searchCpuBefore);
  const searchSeconds = (Date.now() - searchStarted) / 1000;

  // ---- 2. booking under contention: a few providers with valid licences and no leave, a few days.
  const days = [];
  for (let d = 1; days.length < contentionDays && d < 60; d++) {
    const day = addDays(today, d);
    const wd = clock.weekdayOf(day);
    if (wd <= 5) days.push(day);
  }
  const closed = (
    await db.query(
      `SELECT resource_id FROM scheduling.resource_exceptions
       WHERE during && tstzrange($1::timestamptz, $2::timestamptz, '[)')`,
      [clock.dayspan(days[0]).start.toISOString(), clock.dayspan(days.at(-1)).end.toISOString()],
    )
  ).rows.map((r) => r.resource_id);
  if (closed.includes(null)) console.log('note: an agency holiday falls inside the booking window');
  const targets = providers
    .filter((p) => p.n % 20 !== 0 && !closed.includes(p.resourceId))
    .slice(0, contentionProviders);
  const candidates = [];
  for (const p of targets)
    for (const day of days)
      for (const type of types) {
        const blocked = type.buffer_before_minutes + type.duration_minutes + type.buffer_after_minutes;
        for (
          let m = 8 * 60 + type.buffer_before_minutes;
          m - type.buffer_before_minutes + blocked <= 17 * 60;
          m += 15
        ) {
          const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          candidates.push({
            resourceId: p.resourceId,
            typeId: type.id,
            startsAt: clock.at(day, hhmm).toISOString(),
          });
        }
      }
  const booking = { created: [], conflicts: 0, refused: {}, errors: {}, latencies: [] };
  const brand = prng(SEED * 77);
  const deadline = Date.now() + bookingSeconds * 1000;
  const bookingStarted = Date.now();
  const bookingCpuBefore = cpuSnapshot(server.pid);
  await Promise.all(
    Array.from({ length: bookingConnections }, async () => {
      while (Date.now() < deadline) {
        const c = candidates[Math.floor(brand() * candidates.length)];
        const t0 = process.hrtime.bigint();
        const res = await fetch(`${base}/api/v1/scheduling/appointments`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            clientId: meta.clientIds[Math.floor(brand() * meta.clientIds.length)],
            appointmentTypeId: c.typeId,
            startsAt: c.startsAt,
            resourceIds: [c.resourceId],
          }),
        }).catch((err) => ({ status: 0, json: async () => ({ type: String(err.cause?.code ?? err) }) }));
        const json = await res.json().catch(() => ({}));
        booking.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        const kind = String(json.type ?? '')
          .split('/')
          .pop();
        if (res.status === 201) booking.created.push(json.id);
        else if (res.status === 409 && kind === 'slot-unavailable') booking.conflicts++;
        else if (res.status === 409) booking.refused[kind] = (booking.refused[kind] ?? 0) + 1;
        else booking.errors[`${res.status} ${kind}`] = (booking.errors[`${res.status} ${kind}`] ?? 0) + 1;
      }
    }),
  );
  const bookingElapsed = (Date.now() - bookingStarted) / 1000;
  const bookingCpu = cpuSince(bookingCpuBefore);

  // No two blocking holds of one resource overlap, over the whole table: in start order, no hold
  // starts before the latest end of those before it.
  const verifyStarted = Date.now();
  const doubleBookings = Number(
    (
      await db.query(
        `SELECT count(*) AS n FROM (
           SELECT lower(blocked) AS lo, max(upper(blocked)) OVER (
             PARTITION BY resource_id ORDER BY lower(blocked), upper(blocked)
             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_hi
           FROM scheduling.appointment_resources WHERE blocking) x
         WHERE before_hi > lo`,
      )
    ).rows[0].n,
  );
  const held = Number(
    (
      await db.query(
        `SELECT count(*) AS n FROM scheduling.appointment_resources
         WHERE appointment_id = ANY($1::uuid[]) AND blocking`,
        [booking.created],
      )
    ).rows[0].n,
  );
  const verifySeconds = (Date.now() - verifyStarted) / 1000;

  // Leave the calendar as seeded for the next --reuse run.
  // Rows that refer to the new appointments (resources, reminders, …) go first, whatever tables
  // the scheduling module has grown.
  const referring = (
    await db.query(
      `SELECT c.conrelid::regclass::text AS tab, a.attname AS col
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.confrelid = 'scheduling.appointments'::regclass
         AND c.conrelid <> c.confrelid`,
    )
  ).rows;
  await db.query('BEGIN');
  for (const { tab, col } of referring)
    await db.query(`DELETE FROM ${tab} WHERE ${col} = ANY($1::uuid[])`, [booking.created]);
  await db.query('DELETE FROM scheduling.appointments WHERE id = ANY($1::uuid[])', [booking.created]);
  await db.query('COMMIT');
  await db.end();
  await stopChild(server);

  const requestMs = search.flatMap((s) => s.requestMs);
  const total = booking.latencies.length;
  return {
    facts,
    seeding: seeding ?? meta.seeding ?? null,
    earliest: meta.earliest ?? null,
    perRequest,
    search: stats(search.map((s) => s.ms)),
    searchRequest: stats(requestMs),
    searchRps: requestMs.length / searchSeconds,
    searchCpu,
    searchServerMsPerRequest: searchCpu.serverMs / requestMs.length,
    slots: search.reduce((n, s) => n + s.slots, 0) / search.length,
    bookable: search.reduce((n, s) => n + s.bookable, 0) / search.length,
    booking: {
      targets: targets.length,
      days: days.length,
      candidates: candidates.length,
      requests: total,
      rps: total / bookingElapsed,
      created: booking.created.length,
      conflicts: booking.conflicts,
      refused: booking.refused,
      errors: booking.errors,
      errorCount: Object.values(booking.errors).reduce((a, b) => a + b, 0),
      latency: stats(booking.latencies),
      cpu: bookingCpu,
      serverMsPerRequest: bookingCpu.serverMs / total,
      held,
      doubleBookings,
      verifySeconds,
    },
  };
}

async function inParallel(n, total, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < total) {
        next++;
        await fn();
      }
    }),
  );
}

async function appointmentCount() {
  const db = new pg.Client({ connectionString: benchUrl });
  try {
    await db.connect();
    // The planner's estimate is enough to tell a seeded database from an empty one, and instant.
    const est = Number(
      (await db.query(`SELECT reltuples AS n FROM pg_class WHERE oid = 'scheduling.appointments'::regclass`))
        .rows[0].n,
    );
    return est >= count * 0.98
      ? Number((await db.query('SELECT count(*) AS n FROM scheduling.appointments')).rows[0].n)
      : 0;
  } catch {
    return 0;
  } finally {
    await db.end().catch(() => {});
  }
}

function cpuLine(c) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : '?');
  return `cores used: server ${f(c.serverCores)}, bench ${f(c.loadGenerator)}, PostgreSQL ${f(c.postgres)}, other ${f(c.other)}`;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) };
}

async function report(r) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const line = (label, s) =>
    `${label.padEnd(40)} n=${String(s.n).padStart(5)}  p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  max ${ms(s.max).padStart(9)}`;
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  const requests = Math.ceil(SEARCH_PROVIDERS / r.perRequest);
  const b = r.booking;
  const met = r.search.p95 <= TARGETS.searchP95Ms;
  const safe = b.doubleBookings === 0 && b.errorCount === 0 && b.held === b.created;
  console.log(
    `\n${Number(r.facts.appointments).toLocaleString('en-US')} appointments, ${r.facts.providers} providers (${r.facts.size}), PostgreSQL ${postgresVersion}, ${machine}`,
  );
  if (r.seeding)
    console.log(
      `seeding: ${r.seeding.insertSeconds.toFixed(0)} s inserts + ${(r.seeding.seconds - r.seeding.insertSeconds).toFixed(0)} s vacuum analyse (from ${r.earliest})`,
    );
  console.log(
    line(`availability ${SEARCH_PROVIDERS} providers × ${SEARCH_DAYS} days`, r.search),
    ` (${requests} parallel requests of ≤ ${r.perRequest}; ${concurrency} searches at a time)`,
  );
  console.log(
    line('  each availability request', r.searchRequest),
    `  ${r.searchRps.toFixed(1)} req/s, server CPU ${r.searchServerMsPerRequest.toFixed(0)} ms/request`,
  );
  console.log(`  ${cpuLine(r.searchCpu)}`);
  console.log(
    `  slots per search: ${r.slots.toFixed(0)} (${r.bookable.toFixed(1)} of ${SEARCH_PROVIDERS} providers bookable)`,
  );
  console.log(
    `booking: ${bookingConnections} connections × ${bookingSeconds} s on ${b.targets} providers × ${b.days} days (${b.candidates} candidate starts): ${b.requests} requests, ${b.rps.toFixed(0)} req/s`,
  );
  console.log(
    `  201 booked ${b.created}, 409 slot-unavailable ${b.conflicts}, other 409 ${JSON.stringify(b.refused)}, errors ${b.errorCount} ${JSON.stringify(b.errors)}`,
  );
  console.log(
    line('  booking request', b.latency),
    `  server CPU ${b.serverMsPerRequest.toFixed(1)} ms/request`,
  );
  console.log(`  ${cpuLine(b.cpu)}`);
  const other = Math.max(r.searchCpu.other, b.cpu.other);
  if (other > 0.1)
    console.log(
      `WARNING: other work used up to ${other.toFixed(2)} cores meanwhile; latency and req/s are understated (server CPU ms/request less so).`,
    );
  console.log(
    `  double bookings (whole table, SQL): ${b.doubleBookings}; bookings answered 201 and holding their slot: ${b.held} of ${b.created} (${b.verifySeconds.toFixed(1)} s)`,
  );
  console.log(
    `search p95 ${met ? 'met' : 'MISSED'} (target ≤ ${TARGETS.searchP95Ms} ms); contention ${safe ? 'safe: no double booking, no errors' : 'UNSAFE'}`,
  );
  if (!opts.record) return;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const row = [
    date,
    Number(r.facts.appointments).toLocaleString('en-US'),
    `${requests} × ≤ ${r.perRequest}, ${concurrency} at a time`,
    `${r.search.p50.toFixed(0)} / ${r.search.p95.toFixed(0)} / ${r.search.p99.toFixed(0)}`,
    `${r.searchRequest.p50.toFixed(0)} / ${r.searchRequest.p95.toFixed(0)}`,
    r.searchServerMsPerRequest.toFixed(0),
    r.slots.toFixed(0),
    `${bookingConnections} × ${bookingSeconds} s, ${b.targets} × ${b.days} days`,
    b.rps.toFixed(0),
    String(b.created),
    String(b.conflicts),
    String(b.errorCount + Object.values(b.refused).reduce((x, y) => x + y, 0)),
    String(b.doubleBookings),
    `${b.latency.p50.toFixed(0)} / ${b.latency.p95.toFixed(0)}`,
    b.serverMsPerRequest.toFixed(1),
    Math.max(r.searchCpu.other, b.cpu.other).toFixed(2),
    met ? 'met' : 'missed: search p95',
    `PostgreSQL ${postgresVersion}, ${machine}`,
  ];
  const file = join(ROOT, 'bench/RESULTS.md');
  const header = '## Scheduling (`npm run bench:scheduling`)';
  let text = readFileSync(file, 'utf8');
  if (!text.includes(header)) {
    appendFileSync(
      file,
      `\n${header}\n\n` +
        `200 providers (valid licences, 5 % expiring 45 days after seeding), one provider resource each (Mon–Fri\n` +
        `08:00–17:00 America/Chicago), leave weeks and days, agency holidays and 1,000,000 appointments\n` +
        `(about two years back and three months ahead; past days nearly full, future ones partly booked;\n` +
        `cancellations and no-shows free their time) from \`bench/seed/scheduling.mjs\` (deterministic, seed 5)\n` +
        `on real PostgreSQL, through the API as the demo scheduler. **Search**: 50 random providers × 30 days\n` +
        `from a random day in the booked future, a random demo type, 15-minute steps, in as few requests\n` +
        `as the API's provider cap allows (in parallel; a search's time is the slowest one's). **Booking**: many connections booking random 15-minute starts on a few providers over a few\n` +
        `days (already partly booked), each request a whole \`POST /appointments\` (rules, insert, event, audit);\n` +
        `conflicts are 409 slot-unavailable from the exclusion constraint; afterwards a window query over\n` +
        `all of \`appointment_resources\` counts overlapping blocking holds of one resource. Target: search\n` +
        `p95 ≤ 100 ms; zero errors and zero double bookings under contention. **Server CPU ms per request**\n` +
        `is the server process's CPU time over the requests it answered: it changes little when other work\n` +
        `shares the machine ("other work": cores used by processes other than the server, the bench and\n` +
        `PostgreSQL), so it is the figure to compare between runs.\n\n` +
        `| when | appointments | search requests | search p50 / p95 / p99 ms | per request p50 / p95 ms | server CPU ms per search request | slots per search | booking load | booking req/s | 201 | 409 conflicts | other errors | double bookings | booking p50 / p95 ms | server CPU ms per booking | other work (cores) | target | machine |\n` +
        `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n`,
    );
    text = readFileSync(file, 'utf8');
  }
  // The row goes under the last row of this section's table, wherever the section sits.
  const start = text.indexOf(header);
  const lines = text.slice(start).split('\n');
  let last = lines.findIndex((l) => l.startsWith('|'));
  while (lines[last + 1]?.startsWith('|')) last++;
  lines.splice(last + 1, 0, `| ${row.join(' | ')} |`);
  text = text.slice(0, start) + lines.join('\n');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
  console.log('recorded in bench/RESULTS.md');
}
