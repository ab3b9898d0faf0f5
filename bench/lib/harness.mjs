// What every benchmark needs around the server under test: child processes with logs, free
// ports, readiness polling, a database URL per run, a demo login, and who used the CPU meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate as totp } from 'otplib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = join(ROOT, 'bench/.out');

const children = new Set();

/** Kills every child still running (call in `finally`). */
export function killChildren() {
  for (const child of children) child.kill('SIGKILL');
}

/** Starts `node <args>` with only `env` (plus PATH/HOME), logging to bench/.out, and waits for `ready()`. */
export async function startChild(name, args, env, ready) {
  const log = join(OUT, `${name}-server.log`);
  const out = createWriteStream(log);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.exited = exited;
  const started = Date.now();
  while (!(await ready().catch(() => false))) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 250))]);
    if (code !== undefined || Date.now() - started > 180_000) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${name} server did not become ready (exit ${code}); ${relative(ROOT, log)}:\n${tail}`);
    }
  }
  return child;
}

export async function stopChild(child) {
  child.kill('SIGTERM');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await child.exited;
  clearTimeout(timeout);
  children.delete(child);
}

export async function waitForHttp(url) {
  const res = await fetch(url);
  return res.status === 200;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Signs in as the demo user of `role` (with TOTP when the role needs MFA). */
export async function login(base, role, demoUsers) {
  const user = demoUsers.find((u) => u.role === role.replaceAll('-', '_'));
  if (!user) throw new Error(`no demo user with role ${role}`);
  let body = await postJson(`${base}/api/v1/identity/auth/login`, {
    email: user.email,
    password: user.password,
  });
  if (body.status === 'mfa_required') {
    if (!user.totpSecret) throw new Error(`${role} needs MFA but has no demo TOTP secret`);
    const code = await totp({ secret: user.totpSecret });
    body = await postJson(`${base}/api/v1/identity/auth/mfa/verify`, { mfaToken: body.mfaToken, code });
  }
  if (body.status !== 'authenticated' && !body.accessToken) {
    throw new Error(`login as ${user.email} did not authenticate: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return { token: body.accessToken, me: body.user?.id };
}

export async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU used so far by a server process, this process (the load generator), PostgreSQL and the machine. */
export function cpuSnapshot(serverPid) {
  const own = process.cpuUsage();
  return {
    at: Date.now(),
    serverPid,
    server: cpuMillis(serverPid),
    loadGenerator: (own.user + own.system) / 1000,
    postgres: postgresPids().reduce((sum, pid) => sum + (cpuMillis(pid) || 0), 0),
    machine: machineBusyMillis(),
  };
}

/**
 * What each used since `before`: the server's CPU milliseconds, and cores for each of server, load
 * generator, PostgreSQL (every database of the cluster) and other work on the machine.
 */
export function cpuSince(before) {
  const now = cpuSnapshot(before.serverPid);
  const cores = (ms) => ms / (now.at - before.at);
  const serverMs = now.server - before.server;
  const used = {
    loadGenerator: cores(now.loadGenerator - before.loadGenerator),
    postgres: cores(now.postgres - before.postgres),
    machine: cores(now.machine - before.machine),
  };
  return {
    ...used,
    serverMs,
    serverCores: cores(serverMs),
    other: used.machine - cores(serverMs) - used.loadGenerator - used.postgres,
  };
}

function postgresPids() {
  try {
    return readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

/** Busy CPU time of the whole machine (all cores), from /proc/stat. */
function machineBusyMillis() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = ticks;
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** CPU time a process has used so far (Linux /proc; NaN elsewhere). */
function cpuMillis(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
