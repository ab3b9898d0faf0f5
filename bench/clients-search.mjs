#!/usr/bin/env node
// The client registry benchmark (issue 4): 1,000,000 synthetic clients on real PostgreSQL, then
// fuzzy name search and the duplicate check on registration through the real API, one request
// at a time (latency, not throughput), as the demo case manager (team scope: a quarter of them).
//
//   npm run bench:clients [-- --count=1000000 --samples=300 --reuse --record --skip-build]
//
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names a server where this may
// create the database `ehrms_bench_clients`. Seeding a million clients takes minutes, so --reuse
// keeps the database (and the keys its identifiers were sealed with, in bench/.out) between runs.
// Targets: fuzzy search p95 <= 50 ms, duplicate check on create p95 <= 30 ms.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
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
import { people, prng, seedClients, typo } from './seed/clients.mjs';

const TARGETS = { searchP95Ms: 50, duplicateP95Ms: 30 };
const BENCH_DB = 'ehrms_bench_clients';
const SEED = 42;

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '300' },
    reuse: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const count = Number(opts.count);
const samples = Number(opts.samples);
const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const benchUrl = withDatabase(baseUrl, BENCH_DB);
const keysFile = join(OUT, 'clients-bench-keys.json');

mkdirSync(OUT, { recursive: true });
if (!opts['skip-build']) {
  console.log('building packages/api …');
  const build = spawnSync('npm', ['run', 'build', '-w', 'packages/api'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build -w packages/api failed');
}
const dist = (path) => import(pathToFileURL(join(ROOT, 'packages/api/dist', path)).href);
const { DEMO_AGENCY, DEMO_USERS } = await dist('modules/identity/demo.js');
const { FieldCipher } = await dist('platform/crypto/field-cipher.js');
const { identifierIndex } = await dist('modules/clients/identifiers.js');

const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB])).rowCount > 0;
const reuse = opts.reuse && exists && existsSync(keysFile) && (await registrySize()) >= count;
if (opts.reuse && !reuse) console.log(`${BENCH_DB} does not hold ${count} clients yet: seeding afresh`);
if (!reuse) {
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(
    keysFile,
    JSON.stringify({
      JWT_SIGNING_KEYS: `kbench:${Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })).toString('base64')}`,
      FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    }),
    { mode: 0o600 },
  );
}
const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
const postgresVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
await admin.end();

let results;
try {
  results = await run();
} finally {
  killChildren();
}
report(results);

async function run() {
  const port = await freePort();
  const server = await startChild(
    'clients-bench',
    ['packages/api/dist/main.js'],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      EHRMS_SERVICES: 'identity,clients',
      DATABASE_URL: benchUrl,
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      DATA_DIR: join(OUT, 'data-clients'),
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000000000',
      ...keys,
    },
    () => waitForHttp(`http://127.0.0.1:${port}/health/ready`),
  );
  const base = `http://127.0.0.1:${port}`;
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();

  const teams = DEMO_AGENCY.programs.flatMap((p) => p.teams.map((t) => ({ id: t.id, programId: p.id })));
  const registrar = DEMO_USERS.find((u) => u.role === 'case_manager');
  const existing = Number((await db.query('SELECT count(*) AS n FROM clients.clients')).rows[0].n);
  if (existing < count) {
    const started = Date.now();
    const cipher = new FieldCipher({
      FIELD_ENCRYPTION_KEYS: keys.FIELD_ENCRYPTION_KEYS,
      BLIND_INDEX_KEY: keys.BLIND_INDEX_KEY,
    });
    await seedClients(db, {
      count,
      seed: SEED,
      agencyId: DEMO_AGENCY.id,
      teams,
      createdBy: registrar.id,
      cipher,
      identifierIndex,
      onProgress: (n) =>
        process.stdout.write(
          `\rseeding clients: ${n.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`,
        ),
    });
    console.log(`\nseeded in ${Math.round((Date.now() - started) / 1000)} s; analysing …`);
    await db.query('VACUUM ANALYZE clients.clients, clients.care_team, clients.enrollments');
  }
  // Statistics for every column, including any a migration added since seeding (a reused database).
  await db.query('ANALYZE clients.clients, clients.care_team, clients.enrollments');
  const size = (await db.query(`SELECT pg_size_pretty(pg_total_relation_size('clients.clients')) AS s`))
    .rows[0].s;

  // The case manager serves team 0 (BH Outpatient): every fourth generated person.
  const { token } = await login(base, 'case_manager', DEMO_USERS);
  const auth = { authorization: `Bearer ${token}` };
  const targets = pickTargets();

  const timed = async (method, path, body) => {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = await res.json().catch(() => ({}));
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.status, json };
  };

  // Warm-up: plans cached, connections open.
  for (const p of targets.slice(0, 20))
    await timed('GET', `/api/v1/clients/search?q=${encodeURIComponent(`${p.givenName} ${p.familyName}`)}`);

  const search = [];
  let found = 0;
  for (const p of targets) {
    const q = `${p.givenName} ${p.misspelt}`;
    const r = await timed('GET', `/api/v1/clients/search?q=${encodeURIComponent(q)}`);
    if (r.status !== 200)
      throw new Error(`search answered ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
    search.push(r.ms);
    if (r.json.items.some((c) => c.id === p.id)) found++;
  }

  const since = (await db.query('SELECT now() AS t')).rows[0].t;
  const duplicateCreate = [];
  let flagged = 0;
  for (const p of targets) {
    const r = await timed('POST', '/api/v1/clients', {
      givenName: p.givenName,
      familyName: p.misspelt,
      birthDate: p.birthDate,
      sexAtBirth: p.sex,
    });
    if (r.status !== 409 && r.status !== 201)
      throw new Error(`create answered ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
    if (r.status === 409) flagged++;
    duplicateCreate.push(r.ms);
  }
  const rand = prng(7);
  const uniqueCreate = [];
  for (let i = 0; i < Math.min(samples, 200); i++) {
    const r = await timed('POST', '/api/v1/clients', {
      givenName: `Bench${Math.floor(rand() * 1e9).toString(36)}`,
      familyName: `Unique${Math.floor(rand() * 1e9).toString(36)}`,
      birthDate: '1975-05-05',
      sexAtBirth: 'unknown',
    });
    if (r.status !== 201)
      throw new Error(`create answered ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
    uniqueCreate.push(r.ms);
  }
  const onDemand = [];
  for (const p of targets.slice(0, Math.min(samples, 200))) {
    const r = await timed('GET', `/api/v1/clients/${p.id}/duplicates`);
    if (r.status !== 200)
      throw new Error(`duplicates answered ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
    onDemand.push(r.ms);
  }
  // Leave the registry as it was for the next --reuse run.
  await db.query(
    'DELETE FROM clients.care_team WHERE client_id IN (SELECT id FROM clients.clients WHERE created_at >= $1)',
    [since],
  );
  await db.query('DELETE FROM clients.clients WHERE created_at >= $1', [since]);
  await db.end();
  await stopChild(server);
  return {
    size,
    search: stats(search),
    recall: found / targets.length,
    duplicateCreate: stats(duplicateCreate),
    flagged: flagged / targets.length,
    uniqueCreate: stats(uniqueCreate),
    onDemand: stats(onDemand),
  };
}

/** `samples` people of the case manager's team, spread over the whole registry, each with a typo. */
function pickTargets() {
  const step = Math.max(4, Math.floor(count / samples / 4) * 4);
  const rand = prng(99);
  const picked = [];
  let n = 0;
  for (const person of people(count, SEED)) {
    if (n % step === 0 && !person.duplicateOf)
      picked.push({ ...person, misspelt: typo(rand, person.familyName) });
    n++;
    if (picked.length >= samples) break;
  }
  return picked;
}

async function registrySize() {
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  try {
    return Number((await db.query('SELECT count(*) AS n FROM clients.clients')).rows[0].n);
  } catch {
    return 0;
  } finally {
    await db.end();
  }
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) };
}

function report(r) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const line = (label, s) =>
    `${label.padEnd(34)} n=${String(s.n).padStart(4)}  p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}`;
  const met = (ok) => (ok ? 'met' : 'MISSED');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  console.log(
    `\n${count.toLocaleString('en-US')} clients (${r.size} with indexes), PostgreSQL ${postgresVersion}, ${machine}`,
  );
  console.log(
    line('fuzzy name search (one typo)', r.search),
    `  found the person: ${(r.recall * 100).toFixed(0)} %`,
  );
  console.log(
    line('register a near-duplicate (409)', r.duplicateCreate),
    `  flagged: ${(r.flagged * 100).toFixed(0)} %`,
  );
  console.log(line('register a new client (201)', r.uniqueCreate));
  console.log(line('duplicates of a client, on demand', r.onDemand));
  console.log(
    `search p95 ${met(r.search.p95 <= TARGETS.searchP95Ms)} (target ≤ ${TARGETS.searchP95Ms} ms); duplicate check on create p95 ${met(r.duplicateCreate.p95 <= TARGETS.duplicateP95Ms)} (target ≤ ${TARGETS.duplicateP95Ms} ms)`,
  );
  if (!opts.record) return;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const row = `| ${date} | ${count.toLocaleString('en-US')} | ${r.search.p50.toFixed(1)} / ${r.search.p95.toFixed(1)} | ${(r.recall * 100).toFixed(0)} % | ${r.duplicateCreate.p50.toFixed(1)} / ${r.duplicateCreate.p95.toFixed(1)} | ${(r.flagged * 100).toFixed(0)} % | ${r.uniqueCreate.p95.toFixed(1)} | ${r.onDemand.p95.toFixed(1)} | PostgreSQL ${postgresVersion}, ${machine} |\n`;
  const file = join(ROOT, 'bench/RESULTS.md');
  const header = '\n## Client registry (`npm run bench:clients`)\n';
  if (!readFileSync(file, 'utf8').includes(header.trim())) {
    appendFileSync(
      file,
      `${header}\nSynthetic clients from \`bench/seed/clients.mjs\` (deterministic, seed 42; about 2 % near-duplicates) on\nreal PostgreSQL, spread over the four demo teams; requests one at a time through the API as the\ndemo case manager (team scope). Each search misspells the family name once. Targets: fuzzy search\np95 ≤ 50 ms, duplicate check on create p95 ≤ 30 ms. Times are whole requests (auth, scope, audit).\n\n| when | clients | search p50 / p95 ms | found | near-duplicate create p50 / p95 ms | flagged | new client create p95 ms | on-demand duplicates p95 ms | machine |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n`,
    );
  }
  appendFileSync(file, row);
  console.log('recorded in bench/RESULTS.md');
}
