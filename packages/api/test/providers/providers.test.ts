import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY } from '../../src/modules/identity/demo.js';
import { CredentialStatus } from '../../src/modules/providers/credential-status.js';
import { isValidNpi } from '../../src/modules/providers/npi.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PROVIDERS = '/api/v1/providers';
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a2';

interface Provider {
  id: string;
  agencyId: string;
  name: string;
  npi: string;
  version: number;
}
interface Credential {
  id: string;
  type: string;
  expiresOn: string;
  version: number;
}

/** A valid NPI from nine digits (the tenth is the check digit). */
function npi(nine: string): string {
  for (let d = 0; d <= 9; d++) if (isValidNpi(`${nine}${d}`)) return `${nine}${d}`;
  throw new Error('unreachable');
}

function problemType(res: { json(): unknown }): string {
  return (res.json() as { type: string }).type.replace('https://ehrms.dev/problems/', '');
}

describe('providers', () => {
  let t: TestApp;
  let writer: string;
  let reader: string;
  let otherWriter: string;

  beforeAll(async () => {
    t = await startTestApp();
    writer = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'providers.providers.read': 'agency', 'providers.providers.write': 'agency' },
    });
    reader = await t.token({ agency: DEMO_AGENCY.id, grants: { 'providers.providers.read': 'agency' } });
    otherWriter = await t.token({
      agency: OTHER_AGENCY,
      grants: { 'providers.providers.read': 'agency', 'providers.providers.write': 'agency' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const outbox = async (topic: string) =>
    t.database.db
      .withTables<PlatformTables>()
      .selectFrom('platform.outbox')
      .select(['topic', 'payload'])
      .where('topic', '=', topic)
      .execute();

  const create = async (token: string, body: Record<string, unknown>) =>
    t.http.request({ method: 'POST', url: PROVIDERS, token, body });

  const addCredential = async (providerId: string, body: Record<string, unknown>) => {
    const res = await t.http.request({
      method: 'POST',
      url: `${PROVIDERS}/${providerId}/credentials`,
      token: writer,
      body: { number: 'N-1', issuer: 'State Board', ...body },
    });
    expect(res.statusCode).toBe(201);
    return res.json<Credential>();
  };

  it('the NPI rule matches the CMS example', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
  });

  it('adds a provider, reads it back with an ETag and publishes the creation', async () => {
    const res = await create(writer, {
      kind: 'organization',
      name: 'Riverside Counseling',
      npi: '1234567893',
      taxonomyCode: '101YM0800X',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<Provider>();
    expect(created).toMatchObject({ agencyId: DEMO_AGENCY.id, name: 'Riverside Counseling', version: 1 });

    const got = await t.http.request({ method: 'GET', url: `${PROVIDERS}/${created.id}`, token: reader });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    const events = await outbox('providers.provider.created');
    expect(events.map((e) => e.payload)).toContainEqual({ providerId: created.id, agencyId: DEMO_AGENCY.id });

    const duplicate = await create(writer, { kind: 'organization', name: 'Copy', npi: '1234567893' });
    expect(duplicate.statusCode).toBe(409);
  });

  it('refuses a bad NPI, unknown fields and a reader who tries to write', async () => {
    const bad = await create(writer, { kind: 'individual', name: 'Dr. Check', npi: '1234567890' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('body.npi');

    const extra = await create(writer, { kind: 'individual', name: 'X', npi: npi('111111111'), ssn: '1' });
    expect(extra.statusCode).toBe(400);

    const denied = await create(reader, { kind: 'individual', name: 'X', npi: npi('111111111') });
    expect(denied.statusCode).toBe(403);
  });

  it('lists by name and NPI with cursor pages', async () => {
    for (const [name, nine] of [
      ['Alder Clinic', '200000001'],
      ['Birch Clinic', '200000002'],
      ['Cedar Clinic', '200000003'],
    ] as const) {
      expect((await create(writer, { kind: 'organization', name, npi: npi(nine) })).statusCode).toBe(201);
    }
    const first = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}?name=clinic&limit=2`,
      token: reader,
    });
    const page1 = first.json<{ items: Provider[]; nextCursor: string | null }>();
    expect(page1.items.map((p) => p.name)).toEqual(['Alder Clinic', 'Birch Clinic']);
    expect(page1.nextCursor).not.toBeNull();
    const second = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}?name=clinic&limit=2&cursor=${page1.nextCursor ?? ''}`,
      token: reader,
    });
    const page2 = second.json<{ items: Provider[]; nextCursor: string | null }>();
    expect(page2.items.map((p) => p.name)).toEqual(['Cedar Clinic']);
    expect(page2.nextCursor).toBeNull();

    const byNpi = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}?npi=${npi('200000002')}`,
      token: reader,
    });
    expect(byNpi.json<{ items: Provider[] }>().items.map((p) => p.name)).toEqual(['Birch Clinic']);
  });

  it("never shows another agency's providers", async () => {
    const res = await create(otherWriter, {
      kind: 'individual',
      name: 'Elsewhere Clinic',
      npi: npi('300000001'),
    });
    expect(res.statusCode).toBe(201);
    const foreign = res.json<Provider>();

    const list = await t.http.request({ method: 'GET', url: `${PROVIDERS}?name=elsewhere`, token: reader });
    expect(list.json<{ items: Provider[] }>().items).toEqual([]);
    for (const url of [`${PROVIDERS}/${foreign.id}`, `${PROVIDERS}/${foreign.id}/credentials`]) {
      expect([403, 404]).toContain((await t.http.request({ method: 'GET', url, token: reader })).statusCode);
    }
    const patch = await t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${foreign.id}`,
      token: writer,
      body: { name: 'Mine now' },
      headers: { 'if-match': '"1"' },
    });
    expect([403, 404]).toContain(patch.statusCode);

    const everywhere = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'providers.providers.read': 'all' },
    });
    const all = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}?name=elsewhere`,
      token: everywhere,
    });
    expect(all.json<{ items: Provider[] }>().items.map((p) => p.id)).toEqual([foreign.id]);

    const missing = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${randomUUID()}`,
      token: reader,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('changes a provider only with the current If-Match', async () => {
    const created = (
      await create(writer, { kind: 'individual', name: 'Dr. Ames', npi: npi('400000001') })
    ).json<Provider>();
    const url = `${PROVIDERS}/${created.id}`;
    const without = await t.http.request({ method: 'PATCH', url, token: writer, body: { name: 'Dr. Amos' } });
    expect(without.statusCode).toBe(428);
    const ok = await t.http.request({
      method: 'PATCH',
      url,
      token: writer,
      body: { name: 'Dr. Amos' },
      headers: { 'if-match': '"1"' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json<Provider>().name).toBe('Dr. Amos');
    const stale = await t.http.request({
      method: 'PATCH',
      url,
      token: writer,
      body: { name: 'Dr. Ames' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(problemType(stale)).toBe('precondition-failed');
    const events = await outbox('providers.provider.updated');
    expect(events.map((e) => e.payload)).toContainEqual({
      providerId: created.id,
      agencyId: DEMO_AGENCY.id,
      changed: ['name'],
    });
  });

  it('adds, lists and changes credentials', async () => {
    const provider = (
      await create(writer, { kind: 'individual', name: 'Dr. Bell', npi: npi('500000001') })
    ).json<Provider>();
    const cred = await addCredential(provider.id, {
      type: 'license',
      issuedOn: '2024-01-01',
      expiresOn: '2027-01-31',
    });
    expect(cred).toMatchObject({ type: 'license', expiresOn: '2027-01-31', version: 1 });

    const backwards = await t.http.request({
      method: 'POST',
      url: `${PROVIDERS}/${provider.id}/credentials`,
      token: writer,
      body: { type: 'dea', number: 'D', issuer: 'DEA', issuedOn: '2025-01-01', expiresOn: '2024-01-01' },
    });
    expect(backwards.statusCode).toBe(400);

    const url = `${PROVIDERS}/${provider.id}/credentials/${cred.id}`;
    const patched = await t.http.request({
      method: 'PATCH',
      url,
      token: writer,
      body: { verificationStatus: 'verified' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ verificationStatus: 'verified', version: 2 });
    const stale = await t.http.request({
      method: 'PATCH',
      url,
      token: writer,
      body: { verificationStatus: 'rejected' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);

    const list = await t.http.request({
      method: 'GET',
      url: `${PROVIDERS}/${provider.id}/credentials`,
      token: reader,
    });
    expect(list.json<{ items: Credential[] }>().items.map((c) => c.id)).toEqual([cred.id]);
  });

  it('a provider with an expired license is not bookable; expiring credentials are grouped by days left', async () => {
    const standing = t.app.get(CredentialStatus);
    const provider = (
      await create(writer, { kind: 'individual', name: 'Dr. Cole', npi: npi('600000001') })
    ).json<Provider>();
    const license = await addCredential(provider.id, { type: 'license', expiresOn: '2026-03-31' });
    const board = await addCredential(provider.id, { type: 'board', expiresOn: '2026-02-15' });
    const cert = await addCredential(provider.id, { type: 'certification', expiresOn: '2026-01-10' });

    const before = await standing.standing(provider.id, '2026-01-01');
    expect(before.bookable).toBe(true);
    expect(before.expired).toEqual([]);
    expect(before.expiringWithin[30].map((c) => c.id)).toEqual([cert.id]);
    expect(before.expiringWithin[60].map((c) => c.id)).toEqual([board.id]);
    expect(before.expiringWithin[90].map((c) => c.id)).toEqual([license.id]);

    // An expired certification alone does not stop bookings; an expired license does.
    const mid = await standing.standing(provider.id, '2026-03-01');
    expect(mid.bookable).toBe(true);
    expect(mid.expired.map((c) => c.id)).toEqual([cert.id, board.id]);
    const after = await standing.standing(provider.id, '2026-04-01');
    expect(after.bookable).toBe(false);
    expect(after.expired.map((c) => c.id)).toContain(license.id);
  });

  it('standings of many providers (one query) give the same answers as standing of each', async () => {
    const status = t.app.get(CredentialStatus);
    const make = async (name: string, nine: string) =>
      (await create(writer, { kind: 'individual', name, npi: npi(nine) })).json<Provider>();
    const expired = await make('Dr. Batch Expired', '600000101');
    await addCredential(expired.id, { type: 'license', expiresOn: '2026-03-31' });
    await addCredential(expired.id, { type: 'dea', expiresOn: '2026-05-20' });
    await addCredential(expired.id, { type: 'certification', expiresOn: '2026-04-02' });
    const expiring = await make('Dr. Batch Expiring', '600000102');
    await addCredential(expiring.id, { type: 'dea', expiresOn: '2026-04-20' });
    await addCredential(expiring.id, { type: 'board', expiresOn: '2026-06-25' });
    await addCredential(expiring.id, { type: 'license', expiresOn: '2030-01-01' });
    const bare = await make('Dr. Batch Bare', '600000103');
    const inactive = await make('Dr. Batch Inactive', '600000104');
    await addCredential(inactive.id, { type: 'license', expiresOn: '2026-03-01' });
    const deactivated = await t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${inactive.id}`,
      token: writer,
      body: { status: 'inactive' },
      headers: { 'if-match': '"1"' },
    });
    expect(deactivated.statusCode).toBe(200);
    const ids = [expired.id, expiring.id, bare.id, inactive.id];
    const unknown = randomUUID();

    for (const day of ['2026-01-01', '2026-04-01', '2026-05-25', new Date('2026-04-01T23:00:00Z')]) {
      const batch = await status.standings([...ids, unknown, expired.id, 'not-a-uuid'], day);
      expect([...batch.keys()].sort()).toEqual([...ids].sort());
      for (const id of ids) expect(batch.get(id)).toEqual(await status.standing(id, day));
    }
    // The answers are not all alike: the comparison above covers each rule.
    const april = await status.standings(ids, '2026-04-01');
    expect(april.get(expired.id)?.reasons.map((r) => r.code)).toEqual(['credential-expired']);
    expect(april.get(expiring.id)?.expiringWithin[30].map((c) => c.type)).toEqual(['dea']);
    expect(april.get(bare.id)).toMatchObject({ bookable: true, reasons: [], expired: [] });
    expect(april.get(inactive.id)?.reasons.map((r) => r.code)).toEqual([
      'provider-inactive',
      'credential-expired',
    ]);
    expect(await status.standings([], '2026-04-01')).toEqual(new Map());
  });

  it('flags each expiring credential once per threshold crossed', async () => {
    const status = t.app.get(CredentialStatus);
    const provider = (
      await create(writer, { kind: 'individual', name: 'Dr. Dunn', npi: npi('700000001') })
    ).json<Provider>();
    const license = await addCredential(provider.id, { type: 'license', expiresOn: '2031-06-30' });
    const warnings = async () =>
      (await outbox('providers.credential.expiring'))
        .map(
          (e) =>
            e.payload as { credentialId: string; threshold: string; providerId: string; agencyId: string },
        )
        .filter((p) => p.credentialId === license.id);

    await status.flagExpiringCredentials('2031-01-01'); // 180 days out: nothing yet
    expect(await warnings()).toEqual([]);
    await status.flagExpiringCredentials('2031-04-01'); // 90 days
    await status.flagExpiringCredentials('2031-04-02'); // still the 90-day band: no repeat
    expect((await warnings()).map((w) => w.threshold)).toEqual(['90']);
    await status.flagExpiringCredentials('2031-05-15'); // 46 days
    await status.flagExpiringCredentials('2031-06-10'); // 20 days
    await status.flagExpiringCredentials('2031-06-10');
    await status.flagExpiringCredentials('2031-07-01'); // expired
    await status.flagExpiringCredentials('2031-08-01');
    const all = await warnings();
    // (Sorted: events published within one millisecond have no defined order.)
    expect(all.map((w) => w.threshold).sort()).toEqual(['30', '60', '90', 'expired']);
    expect(all.find((w) => w.threshold === '90')).toEqual({
      credentialId: license.id,
      providerId: provider.id,
      agencyId: DEMO_AGENCY.id,
      threshold: '90',
      expiresOn: '2031-06-30',
    });

    // Renewing the credential starts the warnings afresh.
    const renewed = await t.http.request({
      method: 'PATCH',
      url: `${PROVIDERS}/${provider.id}/credentials/${license.id}`,
      token: writer,
      body: { expiresOn: '2031-09-30' },
      headers: { 'if-match': '"1"' }, // the job's bookkeeping leaves the ETag alone
    });
    expect(renewed.statusCode).toBe(200);
    await status.flagExpiringCredentials('2031-08-01'); // 60 days left: first flag of the new expiry
    expect((await warnings()).map((w) => w.threshold).sort()).toEqual(['30', '60', '60', '90', 'expired']);
  });

  // 23:30 UTC on 30 November is 17:30 in Chicago; 01:00 UTC on 1 December is 19:00 on 30 November
  // there (CST, UTC−6); local midnight is 06:00 UTC.
  it('a license expiring 30 November is in date until midnight in the agency’s zone, not UTC’s', async () => {
    const status = t.app.get(CredentialStatus);
    const provider = (
      await create(writer, { kind: 'individual', name: 'Dr. Evening', npi: npi('700000011') })
    ).json<Provider>();
    const license = await addCredential(provider.id, { type: 'license', expiresOn: '2026-11-30' });

    for (const at of ['2026-11-30T23:30:00Z', '2026-12-01T01:00:00Z', '2026-12-01T05:59:59Z']) {
      expect((await status.standing(provider.id, new Date(at))).bookable, at).toBe(true);
      expect((await status.standings([provider.id], new Date(at))).get(provider.id)?.bookable, at).toBe(true);
    }
    expect(await status.standing(provider.id, new Date('2026-12-01T06:00:00Z'))).toMatchObject({
      bookable: false,
      reasons: [{ code: 'credential-expired', credentialId: license.id }],
    });
  });

  it('runs the expiry job once per agency day, flagging a credential expired only after local midnight', async () => {
    const status = t.app.get(CredentialStatus);
    const provider = (
      await create(writer, { kind: 'individual', name: 'Dr. Nightly', npi: npi('700000012') })
    ).json<Provider>();
    const license = await addCredential(provider.id, { type: 'license', expiresOn: '2026-11-30' });
    const thresholds = async () =>
      (await outbox('providers.credential.expiring'))
        .map((e) => e.payload as { credentialId: string; threshold: string })
        .filter((p) => p.credentialId === license.id)
        .map((p) => p.threshold);

    expect(await status.runDailyJob(new Date('2026-12-01T01:00:00Z'))).toBe('2026-11-30');
    expect(await thresholds()).toEqual(['30']); // the last day: expiring, not expired
    expect(await status.runDailyJob(new Date('2026-12-01T05:00:00Z'))).toBeNull(); // same local day
    expect(await status.runDailyJob(new Date('2026-12-01T06:00:00Z'))).toBe('2026-12-01');
    expect((await thresholds()).sort()).toEqual(['30', 'expired']);
  });
});
