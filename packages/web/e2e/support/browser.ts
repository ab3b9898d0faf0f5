import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { generateSync } from 'otplib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from '../../../api/src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../../../api/test/support/test-app.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
/** Browser tests drive many pages; give them room on a loaded two-core CI machine. */
export const BROWSER_TEST_TIMEOUT = 90_000;
/** Shown by `describe.skipIf` when the browser is missing. */
export const NO_CHROMIUM = `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`;

if (!HAS_CHROMIUM) console.warn(`Browser tests skipped: ${NO_CHROMIUM}`);

const WEB_INDEX = fileURLToPath(new URL('../../dist/index.html', import.meta.url));

/** The real API, serving the built web app, on a free loopback port. */
export interface WebServer {
  app: TestApp;
  baseUrl: string;
}

export async function startWebServer(overrides: Record<string, string> = {}): Promise<WebServer> {
  if (!existsSync(WEB_INDEX)) {
    throw new Error(
      `The web app is not built (${WEB_INDEX} is missing). Run \`npm run build -w packages/web\` ` +
        '(`npm test` builds it before running the tests).',
    );
  }
  const app = await startTestApp(overrides);
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** A suite that drives the built web app in Chromium; skipped, saying why, when Chromium is missing. */
export function describeInBrowser(title: string, body: () => void): void {
  describe.skipIf(!HAS_CHROMIUM)(`${title}${HAS_CHROMIUM ? '' : ` — skipped: ${NO_CHROMIUM}`}`, body);
}

/**
 * Registers the suite's hooks: the real API serving the web app, and Chromium, both closed after
 * the suite. `ready` receives them once started (before any of the suite's own `beforeAll`).
 */
export function withServerAndBrowser(ready: (server: WebServer, browser: Browser) => void): void {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    ready(server, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser profile (no storage shared with other tests) and a page in it. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Fills the sign-in form and submits it. */
export async function submitCredentials(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export function demoUser(role: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user with role ${role}`);
  return user;
}

/**
 * Signs in as a demo user from the login page, answering the MFA step with a TOTP code when the
 * role has one. A code works once per 30-second step, so sign in with MFA at most once per
 * test database.
 */
export async function signInAs(page: Page, user: DemoUser): Promise<void> {
  await page.goto('/login');
  await submitCredentials(page, user.email, DEMO_PASSWORD);
  if (user.totpSecret) {
    await page.getByLabel('Authentication code').fill(generateSync({ secret: user.totpSecret }));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.getByRole('heading', { level: 1, name: `Welcome, ${user.displayName}` }).waitFor();
}

/** Opens a Mantine multi-select by its label and picks one option. */
export async function chooseOption(page: Page, field: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: field }).click();
  await page.getByRole('option', { name: option }).click();
  await page.keyboard.press('Escape');
}

/** Serious and critical WCAG 2.x A/AA violations, summarised so a failure reads well. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(', ')}`,
    );
}

/** An access token for a demo user without MFA, by the real sign-in route (for asserting what the API holds). */
export async function passwordToken(server: WebServer, user: DemoUser): Promise<string> {
  const res = await server.app.http.request({
    method: 'POST',
    url: '/api/v1/identity/auth/login',
    body: { email: user.email, password: DEMO_PASSWORD },
  });
  const body = res.json<{ accessToken?: string }>();
  if (res.statusCode !== 200 || !body.accessToken)
    throw new Error(`sign-in of ${user.email} failed: ${res.body}`);
  return body.accessToken;
}
