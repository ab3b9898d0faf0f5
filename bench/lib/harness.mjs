// What every benchmark needs around the server under test: child processes with logs, free
// ports, readiness polling, a database URL per run, and a demo login.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
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
