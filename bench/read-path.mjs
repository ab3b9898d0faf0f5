#!/usr/bin/env node
// The read-path benchmark: an authenticated, audited `GET /api/v1/identity/users/:id` on the real
// EHRMS server against a bare Fastify + pg server reading the same row, both on real PostgreSQL.
//
//   npm run bench:read-path [-- --duration=20 --connections=50 --user=supervisor --record --cpu-prof]
//
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names a server where this may
// create and drop the database `ehrms_bench`. Each server runs in its own child process, so the
// load generator (autocannon, in this process) never shares an event loop with it; they run one
// after the other, never together. Targets: >= 3,000 req/s, p99 <= 25 ms, >= 50 % of bare.
//
// --record     appends the run to bench/RESULTS.md
// --cpu-prof   profiles the EHRMS server during the measured run and prints where its time goes
// --redis      gives the EHRMS server REDIS_URL (default redis://127.0.0.1:6379), as in production
// --skip-build uses packages/api/dist as it is
// --log-level, --pool-max, --warmup  the server's LOG_LEVEL (info), both servers' pool size (20), warm-up seconds (3)
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
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
import pg from 'pg';
import * as prettier from 'prettier';

const TARGETS = { rps: 3000, p99Ms: 25, ratio: 0.5 };
const BENCH_DB = 'ehrms_bench';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '20' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '50' },
    warmup: { type: 'string', default: '3' },
    user: { type: 'string', default: 'supervisor' },
    'log-level': { type: 'string', default: 'info' },
    'pool-max': { type: 'string', default: '20' },
    record: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    redis: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const duration = Number(opts.duration);
const connections = Number(opts.connections);
const warmup = Number(opts.warmup);
const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const benchUrl = withDatabase(baseUrl, BENCH_DB);

mkdirSync(OUT, { recursive: true });
if (!opts['skip-build']) {
  console.log('building packages/api …');
  const build = spawnSync('npm', ['run', 'build', '-w', 'packages/api'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build -w packages/api failed');
}
const { DEMO_USERS } = await import(
  pathToFileURL(join(ROOT, 'packages/api/dist/modules/identity/demo.js')).href
);

const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
const postgresVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${BENCH_DB}`);

let results;
try {
  results = await run();
} finally {
  killChildren();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin.end();
}
await report(results);

// ---- the run -----------------------------------------------------------------------------------

async function run() {
  // EHRMS, as production runs it: one service per process, NODE_ENV=production, keys supplied.
  const ehrmsPort = await freePort();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const profileDir = join(OUT, `profile-${Date.now()}`);
  const ehrms = await startChild(
    'ehrms',
    [
      ...(opts['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      'packages/api/dist/main.js',
    ],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(ehrmsPort),
      EHRMS_SERVICES: 'identity',
      DATABASE_URL: benchUrl,
      DATABASE_POOL_MAX: opts['pool-max'],
      ...(opts.redis ? { REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379' } : {}),
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: opts['log-level'],
      DATA_DIR: join(OUT, 'data'),
      // One user sends every request here; the per-user limit (1,200/min) would otherwise answer 429.
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000000000',
      JWT_SIGNING_KEYS: `kbench:${Buffer.from(pem).toString('base64')}`,
      FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    },
    () => waitForHttp(`http://127.0.0.1:${ehrmsPort}/health/ready`),
  );
  const base = `http://127.0.0.1:${ehrmsPort}`;
  const { token, me } = await login(base, opts.user, DEMO_USERS);
  const target = await pickTarget(base, token, me);
  const url = `${base}/api/v1/identity/users/${target}`;
  const check = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new Error(`GET ${url} answered ${check.status}: ${await check.text()}`);
  console.log(`EHRMS: ${opts.user} reads user ${target} (${(await check.text()).length} bytes)`);

  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  // Audit rows and commits (rows of one group commit share a transaction id), and the database's
  // transaction count, which with autocommit is the number of statements the server sent.
  const auditState = async () =>
    (
      await db.query(
        'SELECT count(*)::int AS rows, count(DISTINCT xmin::text)::int AS commits FROM audit.audit_logs',
      )
    ).rows[0];
  const transactions = async () => {
    await new Promise((r) => setTimeout(r, 1100)); // statistics reach pg_stat_database within a second
    const { rows } = await db.query(
      'SELECT pg_stat_clear_snapshot(), xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
      [BENCH_DB],
    );
    return Number(rows[0].n);
  };
  await load('EHRMS warm-up', url, token, warmup);
  const auditBefore = await auditState();
  const xactBefore = await transactions();
  const ehrmsCpu = cpuSnapshot(ehrms.pid);
  const windowStart = monotonicMicros();
  const ehrmsResult = await load('EHRMS', url, token, duration);
  const window = { start: windowStart, end: monotonicMicros() };
  ehrmsResult.cpu = cpuSince(ehrmsCpu);
  const auditAfter = await auditState();
  const xactAfter = await transactions();
  const database = {
    auditRows: auditAfter.rows - auditBefore.rows,
    auditCommits: auditAfter.commits - auditBefore.commits,
    // minus the two probes of this client itself
    transactions: xactAfter - xactBefore - 3,
  };
  await db.end();
  await stopChild(ehrms);

  const barePort = await freePort();
  const bare = await startChild(
    'bare',
    ['bench/bare-server.mjs'],
    { DATABASE_URL: benchUrl, PORT: String(barePort), POOL_MAX: opts['pool-max'] },
    () => waitForHttp(`http://127.0.0.1:${barePort}/users/${target}`),
  );
  const bareUrl = `http://127.0.0.1:${barePort}/users/${target}`;
  await load('bare warm-up', bareUrl, null, warmup);
  const bareCpu = cpuSnapshot(bare.pid);
  const bareResult = await load('bare', bareUrl, null, duration);
  bareResult.cpu = cpuSince(bareCpu);
  await stopChild(bare);

  return {
    ehrms: summarise(ehrmsResult),
    bare: summarise(bareResult),
    database,
    profile: opts['cpu-prof'] ? { file: newestProfile(profileDir), window } : null,
  };
}

async function report({ ehrms, bare, database, profile }) {
  const ratio = ehrms.rps / bare.rps;
  const met = {
    rps: ehrms.rps >= TARGETS.rps,
    p99: ehrms.p99 <= TARGETS.p99Ms,
    ratio: ratio >= TARGETS.ratio,
  };
  const mark = (ok) => (ok ? 'met' : 'MISSED');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const bad = [ehrms, bare].filter((r) => r.non2xx > 0 || r.errors > 0);
  console.log(`
read path, ${connections} connections × ${duration} s, PostgreSQL ${postgresVersion}, Node ${process.version}
machine: ${machine}

                            req/s   p50 ms   p99 ms  server CPU µs/req  non-2xx  errors
  EHRMS GET user (audited) ${fmt(ehrms.rps, 7)} ${fmt(ehrms.p50, 8)} ${fmt(ehrms.p99, 8)} ${fmt(ehrms.cpuUsPerRequest, 18)} ${fmt(ehrms.non2xx, 8)} ${fmt(ehrms.errors, 7)}
  bare Fastify + pg        ${fmt(bare.rps, 7)} ${fmt(bare.p50, 8)} ${fmt(bare.p99, 8)} ${fmt(bare.cpuUsPerRequest, 18)} ${fmt(bare.non2xx, 8)} ${fmt(bare.errors, 7)}

  EHRMS / bare: ${(ratio * 100).toFixed(0)} %
  during the EHRMS run: ${ehrms.total} requests, ${database.auditRows} audit rows in ${database.auditCommits} commits (${(database.auditRows / Math.max(1, database.auditCommits)).toFixed(1)} rows each),
  ${(database.transactions / ehrms.total).toFixed(2)} database transactions per request (each statement outside a transaction is one)

  cores used during each run (of ${os.cpus().length}): ${cpuLine('EHRMS', ehrms.cpu)}
                                   ${cpuLine('bare ', bare.cpu)}

  target >= ${TARGETS.rps} req/s        ${mark(met.rps)}
  target p99 <= ${TARGETS.p99Ms} ms          ${mark(met.p99)}
  target >= ${TARGETS.ratio * 100} % of bare        ${mark(met.ratio)}
`);
  const interference = Math.max(ehrms.cpu.other, bare.cpu.other);
  if (interference > 0.25) {
    console.log(
      `WARNING: other work used up to ${interference.toFixed(2)} cores during the runs; req/s and latency are understated (CPU µs/req less so).\n`,
    );
  }
  if (bad.length > 0)
    console.log('WARNING: some responses were not 2xx or failed; the figures are not valid.\n');
  if (profile?.file) printProfile(profile.file, profile.window);

  if (opts.record) {
    const row = [
      date,
      machine,
      `Node ${process.version}, PostgreSQL ${postgresVersion}${opts.redis ? ', Redis' : ''}`,
      `${connections} × ${duration} s, other work ≤ ${Math.max(ehrms.cpu.other, bare.cpu.other).toFixed(2)} cores`,
      ehrms.rps.toFixed(0),
      ehrms.p99.toFixed(0),
      ehrms.cpuUsPerRequest.toFixed(0),
      bare.rps.toFixed(0),
      bare.p99.toFixed(0),
      bare.cpuUsPerRequest.toFixed(0),
      `${(ratio * 100).toFixed(0)} %`,
      Object.values(met).every(Boolean)
        ? 'all met'
        : `missed: ${Object.keys(met)
            .filter((k) => !met[k])
            .join(', ')}`,
    ];
    const results = join(ROOT, 'bench/RESULTS.md');
    appendFileSync(results, `| ${row.join(' | ')} |\n`);
    const text = readFileSync(results, 'utf8');
    const options = (await prettier.resolveConfig(results)) ?? {};
    writeFileSync(results, await prettier.format(text, { ...options, filepath: results }));
    console.log('recorded in bench/RESULTS.md');
  }
}

// ---- pieces ------------------------------------------------------------------------------------

/** Someone else's record the caller may read. */
async function pickTarget(base, token, me) {
  const res = await fetch(`${base}/api/v1/identity/users?limit=50`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`listing users answered ${res.status}: ${await res.text()}`);
  const { items } = await res.json();
  const other = items.find((u) => u.id !== me) ?? items[0];
  if (!other) throw new Error('the demo user sees no users');
  return other.id;
}

function load(label, url, token, seconds) {
  process.stdout.write(`${label}: ${connections} connections × ${seconds} s … `);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (err, result) => {
        if (err) return reject(err);
        console.log(`${Math.round(result.requests.average)} req/s`);
        resolve(result);
      },
    );
  });
}

function summarise(r) {
  return {
    rps: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    /** Server CPU (user + system) per request: unlike req/s, it hardly moves when the machine is busy. */
    cpuUsPerRequest:
      Number.isFinite(r.cpu.serverMs) && r.requests.total > 0
        ? (r.cpu.serverMs * 1000) / r.requests.total
        : NaN,
    cpu: r.cpu,
  };
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps its profile samples with on Linux. */
function monotonicMicros() {
  return Number(process.hrtime.bigint() / 1000n);
}

function cpuLine(name, c) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : '?');
  return `${name} server ${f(c.serverCores)}, load generator ${f(c.loadGenerator)}, PostgreSQL ${f(c.postgres)}, other ${f(c.other)}`;
}

function fmt(n, width) {
  const text = Number.isInteger(n) ? String(n) : n.toFixed(n >= 100 ? 0 : 1);
  return text.padStart(width);
}

// ---- profile summary ---------------------------------------------------------------------------

function newestProfile(dir) {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  return files.length > 0 ? join(dir, files.sort().at(-1)) : null;
}

/**
 * Where the EHRMS server's CPU went while it was being measured (samples outside the window, such
 * as start-up and the seed, are left out): self time by area (our code by folder, dependencies by
 * package; native frames such as socket writes are charged to the JS code that called them) and
 * inclusive time of our own functions.
 */
function printProfile(file, window) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.start || t > window.end)) continue;
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  if (window && self.size === 0) {
    console.log('(no profile samples inside the measured window; showing the whole run)');
    return printProfile(file, null);
  }
  const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)');
  const idleMicros = idle.reduce((a, [, v]) => a + v, 0);
  for (const [id] of idle) self.delete(id);
  const busy = [...self.values()].reduce((a, b) => a + b, 0);
  const stack = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
    return frames;
  };
  const add = (map, key, v) => map.set(key, (map.get(key) ?? 0) + v);
  const byArea = new Map();
  const byFunction = new Map();
  const inclusiveOurs = new Map();
  for (const [id, micros] of self) {
    const frames = stack(id);
    const own = frames[0];
    const charged = frames.find((f) => f.url && !f.url.startsWith('node:')) ?? own;
    add(byArea, own.url ? areaOf(own) : `${areaOf(charged)}${charged === own ? '' : ' (native)'}`, micros);
    add(byFunction, describe(own), micros);
    const seen = new Set();
    for (const f of frames) {
      if (!f.url.includes('/packages/api/dist/')) continue;
      const key = describe(f);
      if (!seen.has(key)) add(inclusiveOurs, key, micros);
      seen.add(key);
    }
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${((v / busy) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  const seconds = (busy / 1e6).toFixed(1);
  console.log(
    `CPU profile of the EHRMS server ${window ? 'during the measured run' : 'over its whole life'} (${relative(ROOT, file)}):`,
  );
  console.log(`busy ${seconds} s, idle ${(idleMicros / 1e6).toFixed(1)} s; percentages are of busy time\n`);
  console.log(`self time by area:\n${top(byArea, 30)}\n`);
  console.log(`self time by function:\n${top(byFunction, 30)}\n`);
  console.log(`inclusive time of EHRMS functions:\n${top(inclusiveOurs, 30)}\n`);
}

function describe(frame) {
  return `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
}

function shortUrl(url) {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

function areaOf(frame) {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? 'node_modules');
  }
  const dist = path.indexOf('/packages/api/dist/');
  if (dist >= 0) {
    const parts = path.slice(dist + '/packages/api/dist/'.length).split('/');
    return `ehrms ${parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/')}`;
  }
  return path;
}
