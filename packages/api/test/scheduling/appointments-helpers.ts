import { expect } from 'vitest';
import { isValidNpi } from '../../src/modules/providers/npi.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import type { TestApp } from '../support/test-app.js';

export const SCHEDULING = '/api/v1/scheduling';

export interface Appointment {
  id: string;
  clientId: string | null;
  clientName: string | null;
  clientWithheld: boolean;
  appointmentTypeId: string;
  startsAt: string;
  endsAt: string;
  status: string;
  statusReason: string | null;
  rescheduledFromId: string | null;
  rescheduledToId: string | null;
  telehealth: boolean;
  joinUrl: string | null;
  notes: string | null;
  resources: { resourceId: string; blockedFrom: string; blockedTo: string; blocking: boolean }[];
  version: number;
}

export interface Slot {
  startsAt: string;
  endsAt: string;
}

export interface ProviderAvailability {
  providerId: string;
  resourceId: string | null;
  bookable: boolean;
  reasons: { code: string; detail: string }[];
  slots: Slot[];
}

export function problemType(res: { json(): unknown }): string {
  return (res.json() as { type: string }).type.replace('https://ehrms.dev/problems/', '');
}

let npiSeed = 100_000_000;
/** A fresh valid NPI (the tenth digit is the check digit). */
export function nextNpi(): string {
  for (;;) {
    const nine = String(npiSeed++);
    for (let d = 0; d <= 9; d++) if (isValidNpi(`${nine}${d}`)) return `${nine}${d}`;
  }
}

/** POSTs and expects 201; returns the body. */
export async function created<T>(t: TestApp, token: string, url: string, body: unknown): Promise<T> {
  const res = await t.http.request({ method: 'POST', url, token, body });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
  return res.json<T>();
}

/**
 * A provider (with a license expiring on `licenseExpiresOn`) and its scheduling resource, with
 * hours. The resource is the one scheduling adds for every individual provider (the token needs
 * `scheduling.resources.read` to find it).
 */
export async function providerResource(
  t: TestApp,
  token: string,
  opts: { name: string; licenseExpiresOn: string; hours?: Record<string, unknown>[] },
): Promise<{ providerId: string; resourceId: string }> {
  const provider = await created<{ id: string }>(t, token, '/api/v1/providers', {
    kind: 'individual',
    name: opts.name,
    npi: nextNpi(),
  });
  await created(t, token, `/api/v1/providers/${provider.id}/credentials`, {
    type: 'license',
    number: `LIC-${provider.id.slice(0, 6)}`,
    issuer: 'Wisconsin DSPS',
    issuedOn: '2020-01-01',
    expiresOn: opts.licenseExpiresOn,
  });
  const resource = await resourceOfProvider(t, token, provider.id);
  await putHours(t, token, resource.id, resource.version, opts.hours ?? weekdays('08:00', '17:00'));
  return { providerId: provider.id, resourceId: resource.id };
}

/** The resource scheduling added for a provider, once the provider's events have been handled. */
export async function resourceOfProvider(
  t: TestApp,
  token: string,
  providerId: string,
): Promise<{ id: string; name: string; version: number }> {
  await t.app.get(OutboxDispatcher).flush();
  const res = await t.http.request({
    method: 'GET',
    url: `${SCHEDULING}/resources?providerId=${providerId}`,
    token,
  });
  expect(res.statusCode, res.body).toBe(200);
  const [resource, ...more] = res.json<{ items: { id: string; name: string; version: number }[] }>().items;
  expect(more, 'one resource per provider').toEqual([]);
  if (!resource) throw new Error(`no resource for provider ${providerId}`);
  return resource;
}

export function weekdays(startsAt: string, endsAt: string): Record<string, unknown>[] {
  return [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startsAt, endsAt }));
}

export async function putHours(
  t: TestApp,
  token: string,
  resourceId: string,
  version: number,
  hours: Record<string, unknown>[],
): Promise<void> {
  const res = await t.http.request({
    method: 'PUT',
    url: `${SCHEDULING}/resources/${resourceId}/hours`,
    token,
    headers: { 'if-match': `"${version}"` },
    body: { hours },
  });
  expect(res.statusCode, res.body).toBe(200);
}
